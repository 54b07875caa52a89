"""Audio layer costs, printed as medians: decoding per format, live quality per frame, the capture
callback, and the capture pump per frame. Run: ``.venv/bin/python tests/bench/bench_audio.py``."""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import lameenc
import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.audio.capture import MicCapture
from desktop.audio.decode import decode_bytes
from desktop.audio.quality import LiveQuality, measure
from tests.audio.signals import to_int16, voiced

SECONDS = 30


def median_ms(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def files() -> dict[str, bytes]:
    x = voiced(SECONDS, rate=44100)
    stereo = np.repeat(x[:, None], 2, axis=1)
    out = {}
    for label, fmt, sub in [
        ("WAV 16-bit", "WAV", "PCM_16"),
        ("FLAC", "FLAC", "PCM_16"),
        ("OGG Vorbis", "OGG", "VORBIS"),
    ]:
        buf = io.BytesIO()
        sf.write(buf, stereo, 44100, format=fmt, subtype=sub)
        out[label] = buf.getvalue()
    enc = lameenc.Encoder()
    enc.set_bit_rate(128)
    enc.set_in_sample_rate(44100)
    enc.set_channels(2)
    out["MP3 128k"] = bytes(enc.encode(to_int16(stereo).tobytes()) + enc.flush())
    return out


def main() -> None:
    print(f"decode {SECONDS} s of 44.1 kHz stereo to 16 kHz mono (median of 5):")
    for label, data in files().items():
        ms = median_ms(lambda data=data: decode_bytes(data))
        print(f"  {label:11s} {ms:8.1f} ms   {SECONDS * 1000 / ms:6.0f}x real time")

    take = to_int16(voiced(SECONDS))
    frames = [take[i : i + 1600].tobytes() for i in range(0, take.size, 1600)]

    def live() -> None:
        q = LiveQuality()
        for f in frames:
            q.feed(f)
        q.report()

    per_frame = median_ms(live) / len(frames)
    whole = median_ms(lambda: measure(take))
    print(f"LiveQuality.feed per 100 ms frame: {per_frame * 1000:.0f} µs   measure({SECONDS} s): {whole:.1f} ms")

    mic = MicCapture()
    block = np.zeros(441, dtype=np.int16)  # ~10 ms at 44.1 kHz, a typical PortAudio block
    n = 20000
    start = time.perf_counter()
    for _ in range(n):
        mic._on_audio(block, 441, None, 0)
    print(f"capture callback (copy + queue) per block: {(time.perf_counter() - start) / n * 1e6:.2f} µs")


if __name__ == "__main__":
    main()
