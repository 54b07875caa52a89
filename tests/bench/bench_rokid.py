"""Benchmark: the Rokid client's own CPU cost as a fraction of the audio's duration.

Measured without a network or a server, so only the client's work counts:

- signing: the ``Authorization`` header (MD5 of the seed's string);
- ASR request: 16 kHz speech -> ``pcm`` or ``opu`` (Opus + Rokid framing) -> protobuf or JSON body,
  exactly as ``RokidClient.asr`` builds it (including the auto choice);
- TTS reply: a protobuf ``TtsResponse`` of each codec (made by the sandbox's encoder) -> parsed ->
  decoded to PCM, as ``RokidClient.tts`` does.

Each figure is the median of ``--repeat`` runs; "share" is that time over the audio's length
(0.01 = the client spends 1 % of the audio's duration). Run:
``.venv/bin/python tests/bench/bench_rokid.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.audio import codecs
from desktop.config import sandbox_profile
from desktop.proto import rokid_tts_pb2
from desktop.sandbox import rokid_audio
from desktop.sandbox.engines.tts import engine
from desktop.services import rokid, rokid_wire


def median_s(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def speech(seconds: float) -> np.ndarray:
    words = "one two three four five six seven eight nine zero " * 8
    pcm = engine().synthesize(words, "en", 16000)
    return np.resize(pcm, int(seconds * 16000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (CI)")
    args = parser.parse_args()
    if args.quick:
        args.repeat = min(args.repeat, 5)
    n = args.repeat
    s = sandbox_profile().rokid

    per_sign = median_s(lambda: [rokid_wire.authorization(key=s.key, device_type_id=s.device_type_id,
                                                          device_id=s.device_id, service="asr", version="1.0",
                                                          time=1_700_000_000, secret=s.secret)
                                 for _ in range(1000)], n) / 1000  # fmt: skip
    print(f"signing: {per_sign * 1e6:.1f} us per request (share of a 5 s utterance: {per_sign / 5:.2e})")
    print()
    print(f"{'ASR request':<34}{'audio s':>8}{'body bytes':>12}{'median ms':>11}{'share':>9}")
    for seconds in (5.0, 15.0, 30.0):
        pcm = speech(seconds)
        for body in ("protobuf", "json"):
            for codec in ("pcm", "opu", "auto"):
                c = rokid.RokidClient(sandbox_profile().rokid)
                c.settings.body = body
                try:
                    chosen, data, _ = c._asr_body(pcm, codec, None, seconds)
                except rokid.InputError:
                    print(f"{body + ' ' + codec:<34}{seconds:>8.0f}{'too big':>12}")
                    continue
                def build(c: rokid.RokidClient = c, codec: str = codec, pcm: np.ndarray = pcm,
                          seconds: float = seconds) -> object:  # fmt: skip
                    return c._asr_body(pcm, codec, None, seconds)

                t = median_s(build, n)
                label = f"{body} {codec}" + (f" -> {chosen}" if codec == "auto" else "")
                print(f"{label:<34}{seconds:>8.0f}{len(data):>12,}{t * 1000:>11.2f}{t / seconds:>9.4f}")
    print()
    e = engine()
    text_pcm = e.synthesize("请读出数字：一二三四五六七八九零，" * 3, "zh")
    print(f"{'TTS reply (parse + decode)':<34}{'audio s':>8}{'body bytes':>12}{'median ms':>11}{'share':>9}")
    for codec in ("mp3", "pcm", "opu", "opu2"):
        voice = rokid_audio.encode(codec, text_pcm, e.rate)
        reply = rokid_tts_pb2.TtsResponse(voice=voice).SerializeToString()
        seconds = codecs.decode_tts(codec, voice).seconds

        def work(reply: bytes = reply, codec: str = codec) -> None:
            msg = rokid_wire.parse_reply(reply, "application/octet-stream", rokid_tts_pb2.TtsResponse)
            codecs.decode_tts(codec, msg.voice)

        t = median_s(work, n)
        print(f"{codec:<34}{seconds:>8.1f}{len(reply):>12,}{t * 1000:>11.2f}{t / seconds:>9.4f}")


if __name__ == "__main__":
    main()
