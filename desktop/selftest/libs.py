"""Self-test checks of what the app carries: resources and the native audio/speech libraries.

In a bundle every native library must come from the bundle itself: a library silently taken
from the host would pass here and fail on an operator's machine that lacks it. On Linux the
check reads the process's memory map to see which file was really loaded.
"""

from __future__ import annotations

import io
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.selftest import Check, CheckFailed, Env, frozen

if TYPE_CHECKING:
    import numpy.typing as npt

# numpy is imported inside the checks: a bundle whose numpy cannot load must still report every
# other check (and say which ones need numpy), not die while importing this module.

RATE = 16_000


def loaded_path(fragment: str) -> str | None:
    """The file of a loaded shared library whose name contains ``fragment`` (Linux; else None)."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                path = line.rstrip("\n").split(None, 5)[-1] if line.count(" ") >= 5 else ""
                if path.startswith("/") and fragment in os.path.basename(path):
                    return path
    except OSError:
        pass
    return None


def require_bundled(what: str, path: str | None) -> None:
    """In a bundle, fail unless ``path`` lies inside it (a host library would hide a packaging gap)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if not frozen() or not bundle or path is None:
        return
    if not os.path.isabs(path):
        raise CheckFailed(f"{what} loaded by name {path!r}, not from the bundle")
    if not os.path.realpath(path).startswith(os.path.realpath(bundle) + os.sep):
        raise CheckFailed(f"{what} came from the host ({path}), not from the bundle")


def tone(seconds: float = 0.5, freq: float = 440.0, rate: int = RATE) -> npt.NDArray[Any]:
    import numpy as np

    t = np.arange(int(seconds * rate)) / rate
    return np.asarray(np.sin(2 * math.pi * freq * t) * 8000, dtype=np.int16)


def check_resources(env: Env) -> str:
    from desktop.resources import resource_path, resources_root

    root = resources_root()
    wanted = [
        ("icons", "app.svg"),
        ("style", "app.qss"),
        ("proto", "rokid_asr.proto"),
        ("proto", "rokid_tts.proto"),
        ("translations", "vpw_zh_CN.qm"),
    ]
    missing = ["/".join(parts) for parts in wanted if not resource_path(*parts).is_file()]
    if missing:
        raise CheckFailed(f"missing in {root}: {', '.join(missing)}")
    require_bundled("resources", str(root))
    return str(root)


def check_numpy(env: Env) -> str:
    """numpy and its BLAS load and compute (everything audio-related builds on them)."""
    import numpy as np

    a = np.arange(64, dtype=np.float64).reshape(8, 8)
    if not np.allclose(a @ np.eye(8), a):  # goes through OpenBLAS
        raise CheckFailed("a matrix product came out wrong")
    spectrum = np.abs(np.fft.rfft(tone(0.1).astype(np.float64)))
    if int(np.argmax(spectrum)) != 44:  # 440 Hz in 0.1 s of audio lands in bin 44
        raise CheckFailed("the FFT of a 440 Hz tone peaks in the wrong place")
    blas = loaded_path("openblas")
    require_bundled("OpenBLAS", blas)
    return f"numpy {np.__version__}; BLAS {blas or 'built in'}"


def check_portaudio(env: Env) -> str:
    import sounddevice

    version = sounddevice.get_portaudio_version()[1]
    path = loaded_path("libportaudio") or str(sounddevice._libname)
    require_bundled("PortAudio", path)
    # Initialises PortAudio and its host APIs; a machine without sound cards still has them.
    apis = [api["name"] for api in sounddevice.query_hostapis()]  # type: ignore[union-attr,index]
    return f"{version.split(',')[0]}; host APIs: {', '.join(apis) or 'none'}; {path}"


def check_opus(env: Env) -> str:
    import opuslib  # type: ignore[import-untyped]
    import opuslib.api  # type: ignore[import-untyped]

    frame = 320  # 20 ms at 16 kHz
    pcm = tone(0.02)[:frame]
    encoder = opuslib.Encoder(RATE, 1, opuslib.APPLICATION_VOIP)
    packet = encoder.encode(pcm.tobytes(), frame)
    decoded = opuslib.Decoder(RATE, 1).decode(packet, frame)
    if not packet or len(decoded) != frame * 2:
        raise CheckFailed(f"Opus round trip gave {len(packet)} bytes -> {len(decoded)} bytes")
    path = loaded_path("libopus") or str(opuslib.api.lib_location)
    require_bundled("libopus", path)
    return f"20 ms -> {len(packet)}-byte packet -> {frame} samples; {path}"


def check_sndfile(env: Env) -> str:
    import numpy as np
    import soundfile

    pcm = tone(0.25)
    formats = []
    for fmt in ("WAV", "FLAC"):
        buf = io.BytesIO()
        soundfile.write(buf, pcm, RATE, format=fmt, subtype="PCM_16")
        buf.seek(0)
        back, rate = soundfile.read(buf, dtype="int16")
        if rate != RATE or not np.array_equal(back, pcm):
            raise CheckFailed(f"{fmt} round trip changed the audio")
        formats.append(fmt)
    path = loaded_path("libsndfile") or str(getattr(soundfile, "_libname", "libsndfile"))
    require_bundled("libsndfile", path)
    return f"{soundfile.__libsndfile_version__}; {', '.join(formats)} round trips; {path}"


def speak(text: str, voice: str) -> npt.NDArray[Any]:
    """16 kHz speech from the sandbox's eSpeak engine (the app's own TTS engine)."""
    from desktop.sandbox.engines import tts

    return tts.engine().synthesize(text, voice, RATE)


def check_espeak(env: Env) -> str:
    import espeakng_loader  # type: ignore[import-untyped]
    import numpy as np

    lengths = []
    for text, voice in (("one two three", "en"), ("你好，世界", "zh")):
        pcm = speak(text, voice)
        rms = float(np.sqrt(np.mean(pcm.astype(np.float64) ** 2))) if len(pcm) else 0.0
        if len(pcm) < RATE // 4 or rms < 100:
            raise CheckFailed(f"voice {voice}: {len(pcm)} samples, RMS {rms:.0f}: no speech came out")
        lengths.append(f"{voice} {len(pcm) / RATE:.1f} s")
    path = str(espeakng_loader.get_library_path())
    require_bundled("eSpeak NG", path)
    require_bundled("eSpeak NG data", str(espeakng_loader.get_data_path()))
    return f"{', '.join(lengths)}; {path}"


def check_pocketsphinx(env: Env) -> str:
    """The ASR engine's library and model load and decode English digits spoken by eSpeak."""
    from desktop.selftest import asr

    return asr.check_engine(env)


def model_dir() -> Path:
    import pocketsphinx

    return Path(pocketsphinx.get_model_path())


CHECKS = [
    Check("resources", check_resources),
    Check("numpy", check_numpy),
    Check("portaudio", check_portaudio),
    Check("opus", check_opus, needs=("numpy",)),
    Check("sndfile", check_sndfile, needs=("numpy",)),
    Check("espeak", check_espeak, needs=("numpy",)),
    Check("pocketsphinx", check_pocketsphinx, needs=("espeak",)),
]
