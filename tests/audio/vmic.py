"""A virtual microphone and speaker for PortAudio tests on machines without a sound card.

ALSA's ``file`` plugin does the work: a PCM named ``vmic`` whose capture data is read from a raw
s16le file (``infile``), and one named ``vspk`` whose playback data is written to a raw file.
PortAudio's ALSA host API lists both as ordinary devices, so the app's own capture and playback
code runs unchanged: pass ``device="vmic"`` / ``device="vspk"``.

Pace: with the ``null`` slave the devices run much faster than real time (a second of audio in
well under a millisecond) — ideal for exactness tests. With a PulseAudio daemon
(:class:`PulseServer`, private to the test) the slave is a Pulse source/sink and the devices run
at real time, as a microphone does.

What arrives: capture returns ``infile`` from its first byte, exactly; once the file is used up,
the plugin keeps returning stale buffer contents, so compare only the first ``len(pcm)``
samples. Playback output starts with PortAudio's priming silence (a few hundred zero samples)
and ends with the zero padding of the last period.

ALSA reads its configuration when PortAudio initialises, so either run the code under test in a
subprocess with :func:`virtual_mic_env`'s environment, or use :func:`portaudio_env` in-process,
which re-initialises PortAudio before and after.

The raw files carry no rate: a stream opened at 16 kHz reads them as 16 kHz, one opened at
48 kHz as 48 kHz.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import numpy.typing as npt

MIC = "vmic"
SPEAKER = "vspk"
PULSE_SOURCE = "vpwsrc"
PULSE_SINK = "vpwnull"


class PulseServer:
    """A private PulseAudio daemon (null sink + null source) that paces the virtual devices."""

    def __init__(self) -> None:
        # The socket path must fit in sun_path (108 bytes); pytest's tmp_path may not.
        self.dir = Path(tempfile.mkdtemp(prefix="vpwpa-"))
        self.socket = self.dir / "native"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def server(self) -> str:
        return f"unix:{self.socket}"

    @staticmethod
    def available() -> bool:
        return shutil.which("pulseaudio") is not None

    def start(self, timeout: float = 15.0) -> PulseServer:
        script = self.dir / "vpw.pa"
        script.write_text(
            f"load-module module-native-protocol-unix socket={self.socket} auth-anonymous=1\n"
            f"load-module module-null-sink sink_name={PULSE_SINK} rate=16000 channels=1 format=s16le\n"
            # A clocked silent source; its low latency cap makes it deliver small blocks on time
            # (module-sine-source hands out 2-second bursts, an idle null sink's monitor starts late).
            f"load-module module-null-source source_name={PULSE_SOURCE} rate=16000 channels=1 format=s16le"
            " max_latency_msec=50\n"
        )
        env = {**os.environ, "HOME": str(self.dir), "XDG_RUNTIME_DIR": str(self.dir), "XDG_CONFIG_HOME": str(self.dir)}
        args = ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no"]
        args += ["--log-target=stderr", "--log-level=error", "-F", str(script)]
        if os.geteuid() == 0:
            args.append("--system=no")
        log = (self.dir / "pulse.log").open("wb")
        self._proc = subprocess.Popen(
            args, env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"pulseaudio exited: {(self.dir / 'pulse.log').read_text()[-2000:]}")
            if self._connectable():
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("pulseaudio did not open its socket in time")

    def suspend(self, device: str, suspended: bool = True) -> None:
        """Freeze (or thaw) ``PULSE_SOURCE``/``PULSE_SINK``: the virtual device stops moving, as an
        unplugged or power-saved one does. Needs ``pactl``."""
        kind = "source" if device == PULSE_SOURCE else "sink"
        subprocess.run(
            ["pactl", f"--server={self.server}", f"suspend-{kind}", device, "1" if suspended else "0"],
            check=True,
            capture_output=True,
            timeout=10,
        )

    def _connectable(self) -> bool:
        with socket.socket(socket.AF_UNIX) as s:
            try:
                s.connect(str(self.socket))
            except OSError:
                return False
        return True

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PulseServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _die_with_parent() -> None:
    """In the child before exec: take the daemon down with the test process, even if that is killed
    (a pytest timeout or Ctrl-C skips fixture teardown and would leave pulseaudio running)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _slave(pulse: PulseServer | None, device: str) -> str:
    if pulse is None:
        return '"null"'
    return f'{{ type pulse; device "{device}"; server "{pulse.server}" }}'


def write_asoundrc(config_home: Path, mic_raw: Path, speaker_raw: Path, pulse: PulseServer | None = None) -> Path:
    """``$XDG_CONFIG_HOME/alsa/asoundrc`` defining ``vmic`` (reads mic_raw) and ``vspk`` (writes speaker_raw)."""
    rc = config_home / "alsa" / "asoundrc"
    rc.parent.mkdir(parents=True, exist_ok=True)
    rc.write_text(
        f"pcm.{MIC} {{\n  type file\n  slave.pcm {_slave(pulse, PULSE_SOURCE)}\n"
        f'  file "/dev/null"\n  infile "{mic_raw}"\n  format "raw"\n}}\n'
        f"pcm.{SPEAKER} {{\n  type file\n  slave.pcm {_slave(pulse, PULSE_SINK)}\n"
        f'  file "{speaker_raw}"\n  format "raw"\n}}\n'
    )
    return rc


class VirtualAudio:
    """Paths of one virtual device pair; ``feed`` sets what the next capture will hear."""

    def __init__(self, root: Path, pulse: PulseServer | None = None) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.config_home = root / "xdg-config"
        self.mic_raw = root / "vmic.raw"
        self.speaker_raw = root / "vspk.raw"
        self.mic_raw.write_bytes(b"")
        write_asoundrc(self.config_home, self.mic_raw, self.speaker_raw, pulse)

    def feed(self, pcm: npt.NDArray[np.int16]) -> None:
        """What ``vmic`` returns from the next time a stream opens it (read from the start)."""
        self.mic_raw.write_bytes(np.ascontiguousarray(pcm, dtype="<i2").tobytes())

    def played(self) -> npt.NDArray[np.int16]:
        """Everything written to ``vspk`` so far (the file is rewritten on each open)."""
        if not self.speaker_raw.exists():
            return np.zeros(0, dtype=np.int16)
        return np.fromfile(self.speaker_raw, dtype="<i2").astype(np.int16)

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        return {**(os.environ if base is None else base), "XDG_CONFIG_HOME": str(self.config_home)}


def virtual_mic_env(
    tmp_path: Path, pcm: npt.NDArray[np.int16], rate: int = 16000, *, pulse: PulseServer | None = None
) -> dict[str, str]:
    """Environment for a subprocess in which PortAudio device ``vmic`` delivers ``pcm``.

    ``rate`` is the rate the subprocess must open the stream at for ``pcm`` to mean what it says
    (MicCapture opens ``vmic`` at 16 kHz); the raw file itself has no rate. ``vspk`` writes to
    ``tmp_path / "vspk.raw"``.
    """
    del rate  # documented contract only: nothing in the ALSA file plugin pins a rate
    audio = VirtualAudio(tmp_path, pulse)
    audio.feed(pcm)
    return audio.env()


def reinit_portaudio() -> None:
    """Make PortAudio (and ALSA under it) read the configuration again."""
    import sounddevice as sd

    sd._terminate()
    sd._initialize()


@contextmanager
def portaudio_env(env: Mapping[str, str]) -> Iterator[None]:
    """Run in-process PortAudio code with ``env``'s ALSA configuration, then restore the old one."""
    old = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = env["XDG_CONFIG_HOME"]
    reinit_portaudio()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("XDG_CONFIG_HOME", None)
        else:
            os.environ["XDG_CONFIG_HOME"] = old
        reinit_portaudio()
