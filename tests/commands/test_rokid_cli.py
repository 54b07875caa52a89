"""``vpw tts`` and ``vpw asr`` in-process against a real sandbox (conftest's ``sandbox``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from desktop.audio import codecs
from desktop.cli import main
from desktop.sandbox.server import SandboxThread
from desktop.services import rokid
from tests.audio.conftest import vaudio  # noqa: F401  (the virtual speaker fixture)
from tests.audio.vmic import SPEAKER, VirtualAudio
from tests.services.rokid_support import client, english, padded, spoken_digits


def wav(path: Path, pcm: np.ndarray, rate: int = 16000) -> Path:
    sf.write(path, pcm, rate, subtype="PCM_16")
    return path


def test_tts_saves_wav(sandbox: SandboxThread, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "hello.wav"
    assert main(["tts", "你好，请读出数字", "-o", str(out), "--codec", "pcm"]) == 0
    printed = capsys.readouterr().out
    assert "Synthesised" in printed and "pcm" in printed and str(out) in printed
    samples, rate = sf.read(out, dtype="int16")
    assert rate == 24000 and samples.size > 24000


@pytest.mark.parametrize("codec", ["mp3", "opu", "opu2"])
def test_tts_raw_bytes_decode(sandbox: SandboxThread, tmp_path: Path, codec: str,
                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    out = tmp_path / f"hello.{codec}"
    assert main(["tts", "你好", "-o", str(out), "--codec", codec, "--raw", "--declaimer", "c1", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["codec"] == codec and info["format"] == codec and info["bytes"] == out.stat().st_size
    decoded = codecs.decode_tts(codec, out.read_bytes())
    assert decoded.rate == info["rate"] and abs(decoded.seconds - info["seconds"]) < 1e-3


def test_wrong_secret_shows_the_500_text_and_exits_3(
    sandbox: SandboxThread, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VPW_ROKID_SECRET", "definitely-wrong")
    out = tmp_path / "x.wav"
    assert main(["tts", "你好", "-o", str(out)]) == 3
    err = capsys.readouterr().err
    assert "HTTP 500" in err and "sign mismatch" in err and "definitely-wrong" not in err
    assert not out.exists()
    assert main(["asr", str(wav(tmp_path / "d.wav", spoken_digits("12")))]) == 3


def test_chinese_messages(sandbox: SandboxThread, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.setenv("VPW_ROKID_SECRET", "wrong")
    assert main(["--lang", "zh", "tts", "你好"]) == 3
    assert "Rokid 拒绝了请求" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["tts", ""], "empty"),
        (["tts", "字" * 301], "301 characters"),
        (["tts", "你好", "--raw"], "-o"),
        (["tts", "你好", "-o", "/nonexistent-dir/x.wav"], "does not exist"),
        (["asr", "/nonexistent/file.wav"], "file"),
    ],
)
def test_bad_input_exits_2_without_a_sandbox(args: list[str], says: str, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from desktop.context import Context

    monkeypatch.setattr(Context, "ensure_sandbox", lambda self: pytest.fail("no sandbox for bad input"))
    assert main(args) == 2
    assert says in capsys.readouterr().err


def test_bad_choice_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["tts", "你好", "--codec", "wav"])
    assert exit_.value.code == 2


def test_output_into_a_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tts", "你好", "-o", str(tmp_path)]) == 2


def test_asr_prints_the_digits(sandbox: SandboxThread, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = wav(tmp_path / "digits.wav", spoken_digits("2718"))
    assert main(["asr", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "2718" and "pcm" in captured.err


def test_asr_json_and_opu(sandbox: SandboxThread, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = wav(tmp_path / "digits.wav", spoken_digits("2718"))
    assert main(["asr", str(path), "--codec", "opu", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["text"] == "2718" and info["codec"] == "opu" and info["bytes"] < 8000


def test_asr_reads_other_rates_and_formats(sandbox: SandboxThread, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from desktop.sandbox.engines.tts import engine

    e = engine()
    speech = e.synthesize("nine eight seven six", "en")  # 22,050 Hz, resampled by the audio layer
    path = tmp_path / "digits.flac"
    sf.write(path, np.stack([speech, speech], axis=1), e.rate)
    assert main(["asr", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["text"] == "9876"


def test_asr_long_file_goes_as_opu(sandbox: SandboxThread, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    path = wav(tmp_path / "long.wav", padded(spoken_digits("1357"), 24.0))
    assert main(["asr", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info == {"text": "1357", "codec": "opu", "bytes": info["bytes"], "seconds": 24.0}
    assert info["bytes"] <= rokid.BODY_LIMIT


def test_asr_too_long_is_refused(sandbox: SandboxThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.setattr(rokid, "BODY_LIMIT", 20_000)  # so that seconds of noise stand for minutes
    noise = np.random.default_rng(0).normal(0, 5000, 16000 * 12).clip(-32768, 32767).astype(np.int16)
    assert main(["asr", str(wav(tmp_path / "noise.wav", noise))]) == 2
    assert "Cut it shorter" in capsys.readouterr().err
    assert main(["asr", str(wav(tmp_path / "noise.wav", noise)), "--codec", "pcm"]) == 2
    assert "'auto' or 'opu'" in capsys.readouterr().err


def test_asr_silence_heard_nothing(sandbox: SandboxThread, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    assert main(["asr", str(wav(tmp_path / "quiet.wav", np.zeros(16000, np.int16)))]) == 1
    err = capsys.readouterr().err
    assert "heard no words" in err and "English only" in err  # the sandbox says what it can hear


def test_asr_json_mode_profile(sandbox: SandboxThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.setenv("VPW_ROKID_BODY", "json")
    assert main(["asr", str(wav(tmp_path / "d.wav", english("four four two"))), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["text"] == "442"


def test_play_calls_the_audio_layer(sandbox: SandboxThread, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from desktop.audio import playback

    calls: list[tuple[np.ndarray, int, object]] = []

    def fake_play(pcm: np.ndarray, rate: int, device: object = None, **kw: object) -> bool:
        calls.append((pcm, rate, device))
        return True

    monkeypatch.setattr(playback, "play", fake_play)
    monkeypatch.setenv("VPW_OUTPUT_DEVICE", "my-speaker")
    assert main(["tts", "你好", "--play", "--codec", "opu2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["played"] is True
    (pcm, rate, device), = calls
    # opu2 TTS plays at 24 kHz since issue 11 (was 16 kHz).
    assert rate == 24000 and pcm.dtype == np.int16 and pcm.size > 8000 and device == "my-speaker"


@pytest.mark.audio
def test_play_through_portaudio_into_a_sink(sandbox: SandboxThread, vaudio: VirtualAudio,  # noqa: F811
                                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("VPW_OUTPUT_DEVICE", SPEAKER)
    assert main(["tts", "请读出数字一二三四", "--play", "--codec", "pcm"]) == 0
    played = vaudio.played().astype(np.float64)
    expected = client(sandbox).tts("请读出数字一二三四", codec="pcm").pcm
    assert expected.rate == 24000
    # eSpeak's output wanders by a few samples between calls: compare the loudness envelope.
    start = int(np.argmax(np.abs(played) > 500))
    got = played[start : start + expected.samples.size]
    want = expected.samples.astype(np.float64)[int(np.argmax(np.abs(expected.samples) > 500)) :][: got.size]
    assert got.size >= want.size - 240  # all of it arrived (within 10 ms)
    n = min(got.size, want.size) // 480 * 480

    def envelope(x: np.ndarray) -> np.ndarray:  # loudness per 20 ms
        return np.sqrt((x[:n].reshape(-1, 480) ** 2).mean(axis=1))

    assert np.corrcoef(envelope(got), envelope(want))[0, 1] > 0.9
