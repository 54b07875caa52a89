"""The baseline the bundle is measured against: a bare PySide6 hello world.

Built with the same PyInstaller in one-folder mode by ``tests/bench/bench_bundle.py``. With
``VPW_EXIT_AFTER_SHOW`` set it prints ``vpw-shown <unix time>`` once its window is first shown and
quits, exactly like the app does, so start-up times compare like for like.
"""

import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel


def main() -> int:
    app = QApplication(sys.argv)
    window = QLabel("Hello, world")
    window.setWindowTitle("hello")
    window.show()
    if os.environ.get("VPW_EXIT_AFTER_SHOW"):

        def shown() -> None:
            print(f"vpw-shown {time.time():.6f}", flush=True)
            app.quit()

        QTimer.singleShot(0, shown)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
