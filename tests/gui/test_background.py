"""``Background``: a blocking call on a pool thread, its answer on the GUI thread, and no answer
delivered to an owner that was destroyed while it was queued (a panel rebuilt by the window)."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from desktop.ui.background import Background


def test_the_answer_and_the_error_arrive_on_the_gui_thread(qtbot: Any) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    label = QLabel(owner)
    bg = Background(owner)
    threads: list[threading.Thread] = []

    def answer() -> None:
        threads.append(threading.current_thread())
        label.setText("late answer")

    def boom() -> str:
        raise OSError("device busy")

    bg.run(lambda: "ok", lambda _r: answer(), label.setText)
    bg.run(boom, label.setText, lambda sentence: label.setToolTip(sentence))
    qtbot.waitUntil(lambda: not bg.busy, timeout=20000)
    assert label.text() == "late answer" and threads == [threading.main_thread()]
    assert label.toolTip() == "device busy"


def test_an_answer_for_a_destroyed_owner_is_dropped(qtbot: Any) -> None:
    owner = QWidget()
    label = QLabel(owner)
    bg = Background(owner)
    release = threading.Event()

    def show(text: Any) -> None:  # a plain function, as the panels pass: Qt cannot disconnect it
        label.setText(str(text))

    bg.run(lambda: release.wait(20) and "late answer", show, show)
    bg.run(lambda: 1 / (not release.wait(20)), show, show)  # fails: ZeroDivisionError
    release.set()
    assert bg.wait(20000)  # both answers are queued for the GUI thread, not yet delivered
    owner.deleteLater()  # as the window does with a panel it rebuilds
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # Delivered now, they would touch a deleted label (pytest-qt fails a test on any exception
    # raised in the Qt event loop); dropped, they still end their tasks.
    qtbot.waitUntil(lambda: not bg.busy, timeout=20000)


def test_a_callback_sees_its_own_task_finished(qtbot: Any) -> None:
    # A panel enables its buttons from the callback when nothing else runs (Speakers: Delete).
    owner = QWidget()
    qtbot.addWidget(owner)
    bg = Background(owner)
    seen: list[bool] = []
    bg.run(lambda: 1, lambda _r: seen.append(bg.busy), lambda _s: seen.append(bg.busy))
    bg.run(lambda: 1 // 0, lambda _r: seen.append(bg.busy), lambda _s: seen.append(bg.busy))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=20000)
    assert seen[-1] is False  # the last one to finish: nothing else running
