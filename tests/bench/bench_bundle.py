"""Bundle size and start-up time of the packaged app, as ratios against a bare PySide6 hello world.

The baselines are built in this run, with the same PyInstaller, one-folder mode and options as
the app (``packaging/baseline/hello.spec``): ``hello`` is the bare hello world as PyInstaller
makes it; ``hello-filtered`` also gets the app's exclusions (``packaging/bundle_filter.py``),
so the second ratio shows what the app itself adds. Goals (issue 7): size <= 1.3x without the
optional neural engine, start-up to the main window <= 1.5x.

Start-up: both executables print ``vpw-shown <unix time>`` once their window is shown and the
event loop runs (``VPW_EXIT_AFTER_SHOW``), offscreen, with a cleared environment; the figure is
that time minus the moment just before the process was spawned. Runs alternate app/baseline
after one discarded warm-up each; medians are compared.

    .venv/bin/python tests/bench/bench_bundle.py --app dist/vpw    # measure a built bundle
    .venv/bin/python tests/bench/bench_bundle.py                   # build the app too
    --runs N (default 7)   --strict (exit 1 when a goal is missed)   --no-filtered

``--quick`` without ``--app`` (``scripts/bench --quick``) skips: CI measures the bundle in
``scripts/ci_bundle``, after building it once.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIZE_GOAL = 1.3
STARTUP_GOAL = 1.5
NEURAL_DIRS = ("resemblyzer", "campp")  # the neural engines' weights inside the bundle
MIB = 1024 * 1024


def exe_name(name: str) -> str:
    return name + ".exe" if sys.platform == "win32" else name


def tree_size(path: Path) -> int:
    """Apparent size of every file under ``path`` (symlinks count as links, not their targets)."""
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for f in files:
            total += os.lstat(os.path.join(dirpath, f)).st_size
    return total


def contents_dir(bundle: Path) -> Path:
    inner = bundle / "_internal"
    return inner if inner.is_dir() else bundle


def pyinstaller(spec: Path, work: Path, env_extra: dict[str, str]) -> float:
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
           "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(spec)]  # fmt: skip
    done = subprocess.run(cmd, env={**os.environ, **env_extra}, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"bench_bundle: building {spec.name} failed (exit {done.returncode})")
    return time.perf_counter() - start


def startup_env(home: Path) -> dict[str, str]:
    """What a fresh desktop session without Python would give the process, plus the probe."""
    env = {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "VPW_EXIT_AFTER_SHOW": "1",
        "VPW_CONFIG_DIR": str(home / "config"),
        "VPW_DATA_DIR": str(home / "data"),
        "VPW_SANDBOX_DIR": str(home / "sandbox"),
        "VPW_LANG": "en",
    }
    if sys.platform == "win32":  # Windows cannot start a process without its system variables
        env.update({k: v for k, v in os.environ.items() if k.upper() in ("SYSTEMROOT", "WINDIR", "TEMP", "TMP")})
    return env


def time_to_window(exe: Path, env: dict[str, str], cwd: Path) -> float:
    start = time.time()
    proc = subprocess.run([str(exe)], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    for line in proc.stdout.splitlines():
        if line.startswith("vpw-shown "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"{exe} never showed its window (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")


def startup_medians(exes: dict[str, Path], runs: int, home: Path) -> dict[str, list[float]]:
    env = startup_env(home)
    times: dict[str, list[float]] = {name: [] for name in exes}
    for exe in exes.values():  # warm-up: first runs pay for a cold disk cache
        time_to_window(exe, env, home)
    for _ in range(runs):
        for name, exe in exes.items():  # alternate, so load changes hit both alike
            times[name].append(time_to_window(exe, env, home))
    return times


def largest_additions(app: Path, base: Path, count: int = 8) -> list[tuple[str, int]]:
    """Top-level entries of the app bundle, by how much bigger they are than the baseline's."""
    a, b = contents_dir(app), contents_dir(base)
    extra = []
    for entry in a.iterdir():
        size = tree_size(entry) if entry.is_dir() else entry.lstat().st_size
        other = b / entry.name
        base_size = (tree_size(other) if other.is_dir() else other.lstat().st_size) if other.exists() else 0
        if size - base_size > 0:
            extra.append((entry.name, size - base_size))
    return sorted(extra, key=lambda e: -e[1])[:count]


def verdict(ratio: float, goal: float) -> str:
    return "goal met" if ratio <= goal else "goal NOT met"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", type=Path, help="an already built app bundle (dist/vpw); else build one")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="skip unless --app is given (CI builds once)")
    parser.add_argument("--no-filtered", action="store_true", help="build only the bare baseline")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--work", type=Path, help="where to build (default: a temporary folder)")
    args = parser.parse_args()
    if args.quick and args.app is None:
        print("bench_bundle: skipped in --quick mode without --app (scripts/ci_bundle measures the bundle)")
        return 0

    work = args.work or Path(tempfile.mkdtemp(prefix="vpw-bench-bundle-"))
    work.mkdir(parents=True, exist_ok=True)
    build_s: dict[str, float] = {}
    if args.app is None:
        build_s["vpw"] = pyinstaller(ROOT / "build.spec", work, {})
        app = work / "dist" / "vpw"
    else:
        app = args.app.resolve()
    spec = ROOT / "packaging" / "baseline" / "hello.spec"
    baselines = {"hello": work / "dist" / "hello"}
    build_s["hello"] = pyinstaller(spec, work, {"VPW_BASELINE_FILTERED": "0"})
    if not args.no_filtered:
        build_s["hello-filtered"] = pyinstaller(spec, work, {"VPW_BASELINE_FILTERED": "1"})
        baselines["hello-filtered"] = work / "dist" / "hello-filtered"

    app_size = tree_size(app)
    neural = sum(tree_size(contents_dir(app) / d) for d in NEURAL_DIRS if (contents_dir(app) / d).is_dir())
    core = app_size - neural
    base_size = tree_size(baselines["hello"])
    print("builds (s): " + "  ".join(f"{k} {v:.0f}" for k, v in build_s.items()))
    print(f"bundle size (MiB)   vpw {app_size / MIB:7.1f}   hello {base_size / MIB:6.1f}   "
          f"ratio {app_size / base_size:.2f}x")  # fmt: skip
    size_ratio = core / base_size
    print(f"  without the neural engine ({neural / MIB:.1f} MiB): vpw {core / MIB:.1f}   "
          f"ratio {size_ratio:.2f}x   (goal <= {SIZE_GOAL}x: {verdict(size_ratio, SIZE_GOAL)})")  # fmt: skip
    if "hello-filtered" in baselines:
        filtered = tree_size(baselines["hello-filtered"])
        print(f"  vs the hello world with the app's exclusions ({filtered / MIB:.1f} MiB): "
              f"ratio {core / filtered:.2f}x without the neural engine")  # fmt: skip
    additions = largest_additions(app, baselines["hello"])
    print("  largest additions over the hello world (MiB): " + ", ".join(f"{n} {s / MIB:.1f}" for n, s in additions))

    exes = {"vpw": app / exe_name("vpw"), "hello": baselines["hello"] / exe_name("hello")}
    with tempfile.TemporaryDirectory(prefix="vpw-bench-home-") as home:
        times = startup_medians(exes, args.runs, Path(home))
    med = {name: statistics.median(ts) for name, ts in times.items()}
    startup_ratio = med["vpw"] / med["hello"]
    print(f"start-up to the window (ms, median of {args.runs}, offscreen)   vpw {med['vpw'] * 1000:6.0f}   "
          f"hello {med['hello'] * 1000:6.0f}   ratio {startup_ratio:.2f}x   "
          f"(goal <= {STARTUP_GOAL}x: {verdict(startup_ratio, STARTUP_GOAL)})")  # fmt: skip
    print("  runs (ms): " + "; ".join(f"{n} " + " ".join(f"{t * 1000:.0f}" for t in ts) for n, ts in times.items()))
    missed = size_ratio > SIZE_GOAL or startup_ratio > STARTUP_GOAL
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
