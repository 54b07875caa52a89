"""How long the History panel holds the GUI thread as the history grows.

    .venv/bin/python tests/bench/history_panel.py [ROWS...]

For each size: reading the store (``History.rows``, done on a worker thread), then what the GUI
thread pays: applying the rows read (model reset, sort, the search text, the count), one keystroke
in the filter, and re-sorting by score. Medians of several runs, in milliseconds, offscreen. A
frame is 16 ms: past that, the window visibly pauses once (apply) or on each key (keystroke).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def median_ms(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def fill(db: Path, n: int) -> None:
    import json
    import sqlite3

    from desktop.store.history import History

    History(db).close()  # creates the schema
    conn = sqlite3.connect(db)
    rows = []
    for i in range(n):
        verify = i % 3 != 0
        rows.append(
            (
                1.7e9 + i, "sandbox", "verify" if verify else "enrol", f"user{i % 500:03d}", "mic", 200,
                ("accepted" if i % 2 else "rejected") if verify else "enrolled", f"user{(i * 7) % 500:03d}",
                (i % 1000) / 1000, json.dumps([{"name": "a", "score": 0.5}] * 3), "12345678", "12345678",
                int(i % 5 != 0), "{}",
            )
        )  # fmt: skip
    conn.executemany(
        "INSERT INTO attempts (created, profile, kind, user, source, status, decision, top_name, top_score, "
        "candidates, number, prompt, digits_match, quality) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    conn.commit()
    conn.close()


def measure(n: int) -> tuple[float, float, float, float]:
    """(read, apply, keystroke, sort) medians in ms with ``n`` attempts in the store."""
    from PySide6.QtCore import QEventLoop, QSettings, Qt

    from desktop.context import Context
    from desktop.ui.context import UiContext
    from desktop.ui.history_model import COLUMNS, search_texts
    from desktop.ui.panels.history import HistoryPanel

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["VPW_DATA_DIR"] = tmp
        os.environ["VPW_CONFIG_DIR"] = tmp
        fill(Path(tmp) / "history.sqlite3", n)
        ctx = Context()
        ui = UiContext(ctx=ctx, settings=QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat))
        panel = HistoryPanel(ui)
        panel.resize(1000, 700)
        loop = QEventLoop()
        panel.loaded.connect(loop.quit)
        panel.show()
        loop.exec()  # the first, background read
        from desktop.store.timeline import timeline

        read = median_ms(lambda: timeline(ctx.history, ctx.audit), runs=3)  # what the panel reads
        rows = timeline(ctx.history, ctx.audit)
        search = search_texts(rows)  # made on the loading thread too
        apply = median_ms(lambda: panel._on_loaded(rows, search))  # the GUI-thread half of a refresh
        keys = iter(["user1", "user12", "user1", ""] * 5)
        keystroke = median_ms(lambda: panel.filter_edit.setText(next(keys)), runs=8)
        orders = iter([Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder] * 5)
        sort = median_ms(lambda: panel.table.sortByColumn(COLUMNS.index("own_score"), next(orders)))
        assert panel.model.rowCount() == n
        panel.shutdown()
        panel.close()
        ctx.close()
    return read, apply, keystroke, sort


def main(sizes: list[int]) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    print(f"{'rows':>7} {'read ms (worker)':>17} {'apply ms':>9} {'keystroke ms':>13} {'sort ms':>9}")
    for n in sizes:
        read, apply, keystroke, sort = measure(n)
        print(f"{n:>7} {read:>17.1f} {apply:>9.1f} {keystroke:>13.1f} {sort:>9.1f}")
    del app


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 50_000])
