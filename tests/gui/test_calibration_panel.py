"""The Calibration panel on synthetic speakers: a run on a worker thread with progress, the
figures and the same picture as the CLI's PNG, Apply into the sandbox profile, Save plot,
cancel, bad folders, and the honest notes."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage

from desktop import config
from desktop.calibrate import plot
from desktop.context import Context
from desktop.sandbox.engines import registry
from desktop.sandbox.engines.base import Embedding, Pcm
from desktop.sandbox.engines.simple import SimpleEngine
from desktop.ui.calibration_run import RunOutcome
from desktop.ui.context import UiContext
from desktop.ui.panels.calibration import CalibrationPanel
from tests.sandbox.speech import TEXTS, VOICES, synthesize


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cal-corpus")
    for name in ("alice", "bob", "carol"):
        (root / name).mkdir()
        for i in (0, 1):
            sf.write(root / name / f"{i}.wav", synthesize(TEXTS[i], VOICES[name]), 16000, subtype="PCM_16")
    (root / "carol" / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    return root


class _SlowEngine(SimpleEngine):
    name = "slow-test"

    def embed(self, pcm: Pcm) -> Embedding:
        time.sleep(0.4)
        return super().embed(pcm)


@pytest.fixture
def cal(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CalibrationPanel]:
    monkeypatch.setitem(registry._FACTORIES, _SlowEngine.name, _SlowEngine)
    ctx = Context(config_path=tmp_path / "config.toml")
    ui = UiContext(ctx=ctx, settings=QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    panel = CalibrationPanel(ui)
    qtbot.addWidget(panel)
    panel.resize(1100, 1000)
    panel.show()
    panel.on_shown()
    yield panel
    panel.shutdown()
    ctx.close()


def choose_engine(panel: CalibrationPanel, name: str) -> None:
    index = panel.engine.findData(name)
    assert index >= 0, name
    panel.engine.setCurrentIndex(index)


def run(qtbot: Any, panel: CalibrationPanel, folder: Path, engine: str = "simple") -> RunOutcome:
    choose_engine(panel, engine)
    panel.folder.setText(str(folder))
    with qtbot.waitSignal(panel.run_finished, timeout=120_000) as blocker:
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
        assert panel.busy and not panel.run_button.isEnabled() and panel.cancel_button.isEnabled()
    outcome = blocker.args[0]
    assert isinstance(outcome, RunOutcome)
    assert not panel.busy and panel.run_button.isEnabled()
    return outcome


def test_a_run_shows_the_figures_and_the_clis_picture(qtbot: Any, cal: CalibrationPanel, corpus: Path) -> None:
    progress: list[tuple[int, int, str]] = []
    cal.run.progress.connect(lambda d, t, n: progress.append((d, t, n)))
    outcome = run(qtbot, cal, corpus)
    result = outcome.result
    assert result is not None and not outcome.error and outcome.seconds > 0
    assert [p[0] for p in progress] == list(range(1, 8)) and {p[1] for p in progress} == {7}
    assert cal.result is result and cal.plot.result is result
    assert f"{result.eer:.2%}" in cal.figures.eer.text()
    assert f"{result.threshold_at_eer:.4f}" in cal.figures.eer.text()
    assert f"{result.thresholds['far_1%'].threshold:.4f}" in cal.figures.far1.text()
    assert "Too few impostor trials" in cal.figures.far01.text()  # 12 impostor trials cannot show 0.1 %
    assert cal.figures.trials.text() == "6 same-speaker, 12 other-speaker (3 speakers, 6 recordings)"
    assert "carol/broken.wav" in cal.figures.skipped.text()
    assert cal.figures.engine.text() == "simple"
    assert "Done in" in cal.status.text()
    # The widget draws exactly what the PNG renderer draws at that size.
    shown = cal.plot.grab().toImage()
    drawn = plot.render_plot(result, shown.width(), shown.height())
    a, b = plot.as_array(shown)[:, :, :3], plot.as_array(drawn)[:, :, :3]
    assert a.shape == b.shape
    assert (np.abs(a.astype(int) - b).max(axis=-1) > 8).mean() < 0.01


def test_apply_stores_the_chosen_threshold_and_save_writes_the_png(
    qtbot: Any, cal: CalibrationPanel, corpus: Path, tmp_path: Path
) -> None:
    assert not cal.apply_button.isEnabled() and not cal.save_button.isEnabled()  # nothing to apply yet
    result = run(qtbot, cal, corpus).result
    assert result is not None and cal.apply_button.isEnabled()
    cal.choice.setCurrentIndex(cal.choice.findData("eer"))
    assert f"{result.threshold_at_eer:.4f}" in cal.choice.currentText()
    changed: list[bool] = []
    cal.ui.bus.profile_changed.connect(lambda: changed.append(True))
    cal.confirm_threshold = lambda old, new: True  # type: ignore[method-assign]  # see test_apply_asks_first
    qtbot.mouseClick(cal.apply_button, Qt.MouseButton.LeftButton)
    stored = config.load_profile("sandbox", path=tmp_path / "config.toml", env={}).sandbox.threshold
    assert stored == result.threshold_at_eer
    assert str(tmp_path / "config.toml") in cal.applied.text() and not cal.error.text()
    assert changed == [True]  # the window re-reads the profile; the running sandbox takes it
    assert cal.ui.profile.sandbox.threshold == stored

    assert cal.save_plot(tmp_path / "picture")  # ".png" added
    image = QImage(str(tmp_path / "picture.png"))
    assert image.size().toTuple() == plot.SIZE
    assert not cal.save_plot(tmp_path / "missing-folder" / "x.png")
    assert "Cannot save the plot" in cal.error.text()


def test_apply_asks_first_showing_old_and_new_exactly_and_is_audited(
    qtbot: Any, cal: CalibrationPanel, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop.calibrate import apply_threshold

    apply_threshold(0.8080, tmp_path / "config.toml")  # the value the spin box used to show as 0.81
    result = run(qtbot, cal, corpus).result
    assert result is not None
    cal.choice.setCurrentIndex(cal.choice.findData("eer"))
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answer[0])
    qtbot.mouseClick(cal.apply_button, Qt.MouseButton.LeftButton)
    assert "0.808\n" in asked[0] and repr(result.threshold_at_eer) in asked[0]
    stored = config.load_profile("sandbox", path=tmp_path / "config.toml", env={}).sandbox.threshold
    assert stored == 0.8080  # cancelled: nothing changed
    answer[0] = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(cal.apply_button, Qt.MouseButton.LeftButton)
    stored = config.load_profile("sandbox", path=tmp_path / "config.toml", env={}).sandbox.threshold
    assert stored == result.threshold_at_eer
    event = cal.ui.ctx.audit.events(action="threshold")[0]
    assert event["details"]["old"] == 0.8080 and event["details"]["new"] == result.threshold_at_eer
    assert event["outcome"] == "ok" and len(cal.ui.ctx.audit.events(action="threshold")) == 1


def test_apply_reaches_the_running_embedded_sandbox(
    qtbot: Any, cal: CalibrationPanel, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as s:  # a free port: no other sandbox may answer there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("VPW_SANDBOX_PORT", str(port))
    cal.ui.ctx.reload_profile(None)
    cal.ui.ctx.ensure_sandbox()
    sandbox = cal.ui.ctx._sandbox
    assert sandbox is not None and sandbox.cfg.threshold == 0.0  # the engine's default
    result = run(qtbot, cal, corpus).result
    assert result is not None
    cal.choice.setCurrentIndex(cal.choice.findData("far_1%"))
    cal.confirm_threshold = lambda old, new: True  # type: ignore[method-assign]
    qtbot.mouseClick(cal.apply_button, Qt.MouseButton.LeftButton)
    assert sandbox.cfg.threshold == result.thresholds["far_1%"].threshold  # no restart needed


def test_cancel_stops_after_the_current_recording(qtbot: Any, cal: CalibrationPanel, corpus: Path) -> None:
    choose_engine(cal, _SlowEngine.name)
    cal.folder.setText(str(corpus))
    with qtbot.waitSignal(cal.run_finished, timeout=30_000) as finished:
        with qtbot.waitSignal(cal.run.progress, timeout=10_000):
            cal.start()
        started = time.monotonic()
        qtbot.mouseClick(cal.cancel_button, Qt.MouseButton.LeftButton)
        assert "Cancelling" in cal.status.text() and not cal.cancel_button.isEnabled()
        cal.run.progress.emit(2, 7, "bob/0.wav")  # reported before the cancel, delivered after it
        assert "Cancelling" in cal.status.text()
    assert finished.args[0].cancelled and finished.args[0].result is None
    assert time.monotonic() - started < 2.0  # 7 recordings at 0.4 s would take 2.8 s
    assert cal.result is None and not cal.apply_button.isEnabled()
    assert "Cancelled" in cal.status.text() and not cal.progress.isVisible()


def test_closing_during_a_run_joins_the_worker(qtbot: Any, cal: CalibrationPanel, corpus: Path) -> None:
    choose_engine(cal, _SlowEngine.name)
    cal.folder.setText(str(corpus))
    with qtbot.waitSignal(cal.run.progress, timeout=10_000):
        cal.start()
    thread = cal.run._thread
    assert thread is not None
    cal.shutdown()
    assert thread.isFinished()


def test_bad_folders_say_why(qtbot: Any, cal: CalibrationPanel, corpus: Path, tmp_path: Path) -> None:
    cal.folder.setText("")
    assert not cal.run_button.isEnabled()
    cal.start()
    assert "Choose a folder" in cal.error.text() and not cal.busy
    lonely = tmp_path / "lonely" / "alice"
    lonely.mkdir(parents=True)
    for i in (0, 1):
        sf.write(lonely / f"{i}.wav", synthesize(TEXTS[i], VOICES["alice"]), 16000, subtype="PCM_16")
    outcome = run(qtbot, cal, lonely.parent)
    assert outcome.result is None and "at least 2 speakers" in cal.error.text()
    outcome = run(qtbot, cal, tmp_path / "nowhere")
    assert "is not a folder" in cal.error.text()
    assert cal.result is None and not cal.apply_button.isEnabled()


def test_the_sandbox_engine_is_the_default(qtbot: Any, cal: CalibrationPanel, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cal.engine.currentData() == registry.preferred_engine()
    assert "the sandbox's engine" in cal.engine.currentText()
    monkeypatch.setenv(registry.ENV_ENGINE, "simple")
    cal._fill_engines()
    assert cal.engine.currentData() == "simple"
    assert sorted(cal.engine.itemData(i) for i in range(cal.engine.count())) == registry.engine_names()


def test_the_panel_is_honest_about_synthetic_voices_and_digits(cal: CalibrationPanel) -> None:
    assert cal.honest_note.isVisible()
    assert "not people" in cal.honest_note.text() and "real recordings" in cal.honest_note.text()
    texts = " ".join(label.text() for label in cal.findChildren(type(cal.honest_note)))
    assert "English digits only" in texts


def test_the_window_lists_the_panel() -> None:
    from desktop.ui.panels import panel_classes

    assert CalibrationPanel in panel_classes()
    assert os.path.exists(Path(__file__).resolve().parents[2] / "resources" / "icons" / "calibration.svg")


def test_the_panel_says_how_each_default_threshold_was_set(
    cal: CalibrationPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.sandbox.engines import threshold_basis

    basis = threshold_basis.ThresholdBasis(
        threshold=0.42, far_target=0.01, far=0.009, frr=0.05, eer=0.021, speakers=15, trials=3600, data_set="test"
    )
    monkeypatch.setitem(threshold_basis.BASES, "simple", basis)
    choose_engine(cal, "simple")
    cal._show_basis()
    # The line says the threshold and the target; its tooltip tells the whole measurement.
    line, text = cal.basis.text(), cal.basis.toolTip()
    assert "0.42" in line and "1.0 %" in line and "not people" in line
    for figure in ("0.42", "1.0 %", "15", "3600", "5.0 %", "2.1 %"):
        assert figure in text, (figure, text)
    assert "calibrate on your own recordings" in text
    monkeypatch.delitem(threshold_basis.BASES, "simple")
    cal._show_basis()
    assert "not measured" in cal.basis.text()
