"""Benchmark: the voiceprint client's CPU cost per second of audio, beside a bare loop.

Both sides stream the same take to the same sandbox (a separate process, so its CPU is not
counted) in one run, alternating, and the medians are compared:

- client: ``load_audio`` of a 44.1 kHz stereo WAV (decode + resample to 16 kHz mono), frames,
  base64, JSON, WebSocket send through ``VoiceprintClient`` (hello, reader thread, heartbeat);
- bare: a plain websocket-client loop sending the same 16 kHz frames (already decoded) as
  ``recognizing`` messages: base64 + json.dumps + send, then waiting for the reply.

Goal (issue 2): client within 2x of the bare loop. Also prints stop-to-result latency split into
the server's own time (stop received -> answer sent, from the sandbox's ``/_sandbox/stats``) and the
rest (client, transport, queueing).

Run: ``.venv/bin/python tests/bench/bench_voiceprint_client.py [--quick]``
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import requests
import soundfile as sf
import soxr
import websocket

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.audio.decode import load_audio  # noqa: E402
from desktop.audio.frames import split_frames  # noqa: E402
from desktop.config import sandbox_profile  # noqa: E402
from desktop.services.voiceprint import VoiceprintClient  # noqa: E402
from tests.sandbox.speech import speech  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_listening(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("sandbox did not start")


def bare_loop(url: str, appcode: str, frames: list[bytes]) -> float:
    t0 = time.process_time()  # the connection counts on both sides: each round opens one
    ws = websocket.create_connection(url, header=[f"X-Apig-AppCode: {appcode}"])
    ws.send(json.dumps({"type": "client", "data": "weixin"}))
    ws.send(json.dumps({"type": "recognize_name", "data": "alice"}))
    for frame in frames:
        ws.send(json.dumps({"type": "recognizing", "data": base64.b64encode(frame).decode("ascii")}))
    ws.send(json.dumps({"type": "stop_recognize", "data": "stop"}))
    while json.loads(ws.recv()).get("type") != "stop_recognize":
        pass
    cpu = time.process_time() - t0
    ws.close()
    return cpu


def client_run(profile_settings: object, wav: Path) -> tuple[float, float]:
    t0 = time.process_time()
    client = VoiceprintClient(profile_settings)  # type: ignore[arg-type]
    client.connect()
    pcm = load_audio(wav).pcm
    result = client.verify("alice", split_frames(pcm, 100))
    client.close()
    cpu = time.process_time() - t0
    assert result.checked, result.raw
    return cpu, result.stop_to_result_s


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer, shorter rounds (CI)")
    args = ap.parse_args()
    rounds = 5 if args.quick else 15
    seconds = 20 if args.quick else 55

    tmp = Path(tempfile.mkdtemp(prefix="vpw-bench-"))
    port = free_port()
    env = dict(os.environ, VPW_SANDBOX_DIR=str(tmp / "sandbox"), VPW_DATA_DIR=str(tmp / "data"),
               VPW_CONFIG_DIR=str(tmp / "config"))  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "desktop", "serve", "--port", str(port), "--fault", "voiceprint.max_audio_s=600"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_listening(port)
        profile = sandbox_profile(port=port)
        settings = profile.voiceprint
        enrol = speech("alice", 0, 1, 2)
        client = VoiceprintClient(settings)
        client.connect()
        assert client.enroll("alice", split_frames(enrol)).accepted
        client.close()

        # One take of `seconds`, as a 16 kHz mono WAV (what the service takes: decode only) and as
        # a 44.1 kHz stereo WAV (the client must also downmix and resample).
        take = np.concatenate([speech("alice", 3, 4, 5)] * 3)[: seconds * 16000]
        hi = soxr.resample(take.astype(np.float32) / 32768, 16000, 44100)
        wavs = {"16k-mono": tmp / "take16.wav", "44k-stereo": tmp / "take44.wav"}
        sf.write(wavs["16k-mono"], take, 16000, subtype="PCM_16")
        sf.write(wavs["44k-stereo"], np.stack([hi, hi], axis=1), 44100, subtype="PCM_16")
        wav = wavs["44k-stereo"]
        frames = list(split_frames(load_audio(wav).pcm, 100))
        audio_s = sum(len(f) for f in frames) / 32000

        client_cpu: dict[str, list[float]] = {k: [] for k in wavs}
        bare_cpu, latency = [], []
        for _ in range(rounds):
            for kind, path in wavs.items():
                cpu, lat = client_run(settings, path)
                client_cpu[kind].append(cpu / audio_s)
                latency.append(lat)
            bare_cpu.append(bare_loop(settings.url, settings.appcode, frames) / audio_s)

        # The server's own stop-received -> answer-sent times for the verifications above.
        stats = requests.get(f"http://127.0.0.1:{port}/_sandbox/stats", timeout=5).json()
        # Each round verified three times in this order: client 16k, client 44k, bare.
        per_run = [ms / 1000 for ms in stats["voiceprint.recognize_stop_ms"]][-3 * rounds :]
        server_s = [t for i, t in enumerate(per_run) if i % 3 != 2]
        client_share = [lat - srv for lat, srv in zip(latency, server_s, strict=True)]
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)

    b = statistics.median(bare_cpu)
    lat, srv, rest = statistics.median(latency), statistics.median(server_s), statistics.median(client_share)
    print(f"voiceprint client: {audio_s:.1f} s take, {rounds} rounds, medians, CPU-s per audio-s")
    print(f"  bare websocket-client loop (connect, base64, JSON, send):  {b:.5f}")
    for kind, values in client_cpu.items():
        c = statistics.median(values)
        verdict = "OK" if c / b <= 2 else "MISSED"
        print(f"  client, {kind:<10} WAV (decode, resample, frames, send): {c:.5f}  = {c / b:.2f}x bare"
              f" (goal <= 2x: {verdict})")  # fmt: skip
    print(f"  stop-to-result latency: {lat * 1000:.1f} ms; per run: server (stop received -> answer sent)"
          f" {srv * 1000:.1f} ms, client and transport {rest * 1000:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
