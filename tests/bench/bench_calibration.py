"""Calibration: how long the QPainter picture takes to draw and encode, and how long a run takes
in the Calibration panel (worker thread, progress signals) next to the bare ``calibrate()`` call,
on a small synthetic set (eSpeak voices of tests/sandbox/speech.py, 4 recordings each). Offscreen.

Run: ``.venv/bin/python tests/bench/bench_calibration.py [--repeat 5] [--voices 5]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def median_ms(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--voices", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (CI)")
    args = parser.parse_args()
    if args.quick:
        args.repeat = min(args.repeat, 3)

    import soundfile as sf
    from PySide6.QtCore import QEventLoop, QSettings

    from desktop.calibrate import plot
    from desktop.calibrate.trials import calibrate
    from desktop.context import Context
    from desktop.sandbox.engines import registry
    from desktop.ui.context import UiContext
    from desktop.ui.panels.calibration import CalibrationPanel
    from tests.sandbox.speech import TEXTS, VOICES, synthesize

    home = Path(tempfile.mkdtemp(prefix="vpw-bench-cal-"))
    corpus = home / "corpus"
    for name in list(VOICES)[: args.voices]:
        (corpus / name).mkdir(parents=True)
        for i in range(4):
            sf.write(corpus / name / f"{i}.wav", synthesize(TEXTS[i], VOICES[name]), 16000, subtype="PCM_16")
    files = sum(1 for _ in corpus.rglob("*.wav"))
    audio_s = sum(sf.info(str(p)).duration for p in corpus.rglob("*.wav"))
    print(f"corpus: {args.voices} voices, {files} recordings, {audio_s:.0f} s of audio")

    plot.ensure_app()
    from desktop.sandbox.engines import campp_weights, ge2e_model

    installed = {"ge2e": ge2e_model.weights_path(), "campp": campp_weights.weights_path()}
    engines = ["simple"] + [name for name, path in installed.items() if path is not None]
    result = calibrate(corpus, registry.get_engine(engines[-1]))

    print("\npicture (median of", args.repeat, "runs)")
    for w, h in ((1100, 460), (2200, 920)):
        for lang in ("en", "zh"):
            draw = median_ms(lambda w=w, h=h, lang=lang: plot.render_plot(result, w, h, lang), args.repeat)
            image = plot.render_plot(result, w, h, lang)
            encode = median_ms(lambda image=image: plot.png_bytes(image), args.repeat)
            print(f"  {w}x{h} {lang}: draw {draw:6.1f} ms   PNG encode {encode:6.1f} ms")

    ui = UiContext(ctx=Context(config_path=home / "config.toml"),
                   settings=QSettings(str(home / "w.ini"), QSettings.Format.IniFormat))  # fmt: skip
    panel = CalibrationPanel(ui)
    panel.resize(1100, 1000)
    panel.show()
    panel.on_shown()
    print("\nrun time, seconds (median of", args.repeat, "runs; the first run loads the engine)")
    for engine in engines:
        registry.get_engine(engine)  # warm: the load is timed once below, not in every run
        bare = [0.0] * args.repeat
        in_panel = [0.0] * args.repeat
        for i in range(args.repeat):
            start = time.perf_counter()
            calibrate(corpus, registry.get_engine(engine))
            bare[i] = time.perf_counter() - start
            panel.engine.setCurrentIndex(panel.engine.findData(engine))
            panel.folder.setText(str(corpus))
            loop = QEventLoop()  # a real event loop, as in the app: a polling loop would fight for the GIL
            panel.run_finished.connect(loop.quit)
            start = time.perf_counter()
            panel.start()
            loop.exec()
            in_panel[i] = time.perf_counter() - start
            panel.run_finished.disconnect(loop.quit)
        b, p = statistics.median(bare), statistics.median(in_panel)
        print(f"  {engine:7s} bare calibrate() {b:6.2f}   panel (thread, progress, redraw) {p:6.2f}   "
              f"ratio {p / b:4.2f}   per audio second {b / audio_s * 1000:5.1f} ms")  # fmt: skip
    panel.shutdown()
    ui.ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
