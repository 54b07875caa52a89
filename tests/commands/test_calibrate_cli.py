"""``vpw calibrate DIR`` end to end (in-process CLI), with the always-available simple engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from desktop import config
from desktop.cli import main
from tests.sandbox.speech import TEXTS, VOICES, synthesize


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for name in ("alice", "bob", "dave"):
        (root / name).mkdir()
        for i in (0, 1):
            sf.write(root / name / f"{i}.wav", synthesize(TEXTS[i], VOICES[name]), 16000, subtype="PCM_16")
    (root / "dave" / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    return root


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the default plot goes to the working directory


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    if "--json" in argv and code == 0:
        return code, json.loads(out), err
    return code, out, err


def test_json_report_plot_and_apply(capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path) -> None:
    cfg, png = tmp_path / "config.toml", tmp_path / "det.png"
    code, out, _ = run(
        capsys, "--config", str(cfg), "calibrate", str(corpus), "--json", "--engine", "simple",
        "--plot", str(png), "--apply", "far1",
    )  # fmt: skip
    assert code == 0
    assert out["engine"] == "simple"
    assert out["trials"] == {"target": 6, "impostor": 12}
    assert 0.0 <= out["eer"] <= 1.0
    assert set(out["thresholds"]) == {"far_1%", "far_0.1%"}
    assert [s["file"] for s in out["skipped"]] == ["dave/broken.wav"]
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert out["applied"]["threshold"] == out["thresholds"]["far_1%"]
    assert config.load_profile("sandbox", path=cfg, env={}).sandbox.threshold == out["thresholds"]["far_1%"]
    # The 1 % target on 12 impostor trials is reached by rejecting them all.
    impostor = np.array([t["score"] for t in out["scores"] if not t["target"]])
    assert (impostor < out["thresholds"]["far_1%"]).all()


def test_text_report(capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path) -> None:
    code, out, err = run(
        capsys, "--config", str(tmp_path / "c.toml"), "calibrate", str(corpus), "--engine", "simple", "--no-plot"
    )
    assert code == 0
    assert "Equal error rate:" in out and "3 speakers, 6 recordings" in out
    assert "Skipped dave/broken.wav" in out
    assert "too few impostor trials" in out
    assert "calibrate on real recordings" in out
    assert "[6/7]" in err  # progress goes to stderr
    assert not (tmp_path / "c.toml").exists()  # nothing applied unless asked


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{missing}"], "is not a folder"),
        (["{one}"], "at least 2 speakers"),
        (["{corpus}", "--engine", "nonsense"], "unknown speaker engine"),
        (["{corpus}", "--plot", "picture.jpg"], "not a .png"),
    ],
)
def test_bad_input_exits_2_with_a_sentence(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    one = tmp_path / "one"
    (one / "alice").mkdir(parents=True)
    for i in (0, 1):
        sf.write(one / "alice" / f"{i}.wav", synthesize(TEXTS[i], VOICES["alice"]), 16000)
    paths = {"missing": tmp_path / "nope", "one": one, "corpus": corpus}
    argv = [a.format(**paths) for a in args]
    if "--engine" not in argv:
        argv += ["--engine", "simple"]
    code, _, err = run(capsys, "--config", str(tmp_path / "c.toml"), "calibrate", *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
