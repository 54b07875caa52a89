"""``vpw --self-test``'s runner: one line per check, isolation, prerequisites, exit status, and a
few of the real checks (the fast ones; the whole self-test runs in the bundle in scripts/ci_bundle)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from desktop import cli, selftest
from desktop.selftest import Check, CheckFailed, Env, libs

LINE = re.compile(r"^(ok  |FAIL) (\S+)\s+\d+\.\d\d s  (.*)$")


def lines(out: str) -> dict[str, tuple[str, str]]:
    found = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if m:
            found[m.group(2)] = (m.group(1).strip(), m.group(3))
    return found


def test_every_check_reports_and_a_failure_fails_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    def boom(env: Env) -> str:
        raise RuntimeError("the library exploded")

    def refuse(env: Env) -> str:
        raise CheckFailed("the answer was wrong")

    checks = [
        Check("first", lambda env: "fine"),
        Check("boom", boom),
        Check("after", lambda env: "still ran", needs=("first",)),
        Check("orphan", lambda env: "never", needs=("boom",)),
        Check("refuse", refuse),
    ]
    assert selftest.run_self_test(checks) == 1
    out = capsys.readouterr().out
    got = lines(out)
    assert got["first"] == ("ok", "fine")
    assert got["boom"] == ("FAIL", "RuntimeError: the library exploded")
    assert got["after"] == ("ok", "still ran")
    assert got["orphan"][0] == "FAIL" and "boom" in got["orphan"][1]
    assert got["refuse"] == ("FAIL", "the answer was wrong")
    assert "FAILED: 3 of 5" in out.splitlines()[-1]


def test_all_passing_exits_zero_and_state_stays_private(capsys: pytest.CaptureFixture[str], isolated_env: Path) -> None:
    seen: dict[str, str] = {}

    def where(env: Env) -> str:
        seen.update({k: os.environ[k] for k in ("VPW_CONFIG_DIR", "VPW_DATA_DIR", "VPW_SANDBOX_DIR")})
        seen["tmp"] = str(env.tmp)
        return "ok"

    assert selftest.run_self_test([Check("where", where)]) == 0
    assert "passed: 1 checks" in capsys.readouterr().out
    for var in ("VPW_CONFIG_DIR", "VPW_DATA_DIR", "VPW_SANDBOX_DIR"):
        assert seen[var].startswith(seen["tmp"]), var  # never the operator's folders
    assert not Path(seen["tmp"]).exists()  # removed afterwards


def test_cli_dispatches_self_test(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(selftest, "all_checks", lambda: [Check("only", lambda env: "dispatched")])
    assert cli.main(["--self-test"]) == 0
    assert lines(capsys.readouterr().out)["only"] == ("ok", "dispatched")


def test_the_check_list_covers_the_issue() -> None:
    names = [c.name for c in selftest.all_checks()]
    for wanted in ("resources", "portaudio", "opus", "espeak", "pocketsphinx", "sandbox", "voiceprint",
                   "rokid-tts", "rokid-asr", "qt", "translations"):  # fmt: skip
        assert wanted in names
    assert names.index("qt") > names.index("voiceprint")  # Qt last: an abort there must not hide the rest


@pytest.mark.parametrize("name", ["resources", "numpy", "opus", "sndfile"])
def test_real_library_checks_pass_from_source(name: str, tmp_path: Path) -> None:
    check = next(c for c in libs.CHECKS if c.name == name)
    assert check.run(Env(tmp=tmp_path))


def test_a_bundle_must_not_use_host_libraries(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(selftest.sys, "frozen", True, raising=False)
    monkeypatch.setattr(selftest.sys, "_MEIPASS", str(tmp_path), raising=False)
    libs.require_bundled("inside", str(tmp_path / "libopus.so.0"))
    with pytest.raises(CheckFailed, match="came from the host"):
        libs.require_bundled("PortAudio", "/usr/lib/x86_64-linux-gnu/libportaudio.so.2")
    with pytest.raises(CheckFailed, match="by name"):
        libs.require_bundled("Opus", "libopus.so.0")
    # A sibling folder whose name merely starts like the bundle's is not inside it.
    with pytest.raises(CheckFailed):
        libs.require_bundled("sneaky", str(tmp_path) + "-other/libx.so")
