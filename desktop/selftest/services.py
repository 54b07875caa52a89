"""Self-test checks of the services: the sandbox starts, and real clients do real sessions on it.

The audio is synthesised by the app's own eSpeak engine: an English take for two voices that
differ like two people do, so that verification has to tell them apart, not merely answer.
"""

from __future__ import annotations

import json
import urllib.request

from desktop.selftest import Check, CheckFailed, Env
from desktop.selftest.libs import speak

ENROL_TEXT = "The quick brown fox jumps over the lazy dog while the farmer watches from the old wooden gate."
VERIFY_TEXT = "Seven bright stars appeared above the quiet harbour as the fishing boats returned home at dusk."
# Two eSpeak voices of the TTS engine: an adult US English voice and a high-pitched child voice.
SPEAKERS = {"selftest-a": "en", "selftest-b": "c1"}


def check_sandbox(env: Env) -> str:
    from desktop import config
    from desktop.sandbox.server import SandboxConfig, SandboxThread

    cfg = SandboxConfig(host="127.0.0.1", port=0, state_dir=env.tmp / "sandbox")
    env.sandbox = SandboxThread(cfg).start()
    port = env.sandbox.port
    url = f"http://127.0.0.1:{port}/_sandbox/health"
    with urllib.request.urlopen(url, timeout=5) as resp:
        body = json.loads(resp.read().decode())
    if body.get("sandbox") != "vpw" or not body.get("ok"):
        raise CheckFailed(f"health answer {body!r}")
    env.profile = config.sandbox_profile(port=port)
    return f"listening on 127.0.0.1:{port}, state in {cfg.state_dir}"


def check_voiceprint(env: Env) -> str:
    from desktop.audio.frames import split_frames
    from desktop.services.voiceprint import VoiceprintClient

    assert env.profile is not None
    client = VoiceprintClient(env.profile.voiceprint)
    try:
        client.connect()
        for user, voice in SPEAKERS.items():
            result = client.enroll(user, split_frames(speak(ENROL_TEXT, voice)))
            if not result.accepted:
                raise CheckFailed(f"enrolling {user} ({voice}): status {result.status}: {result.message}")
        a, b = SPEAKERS
        genuine = client.verify(a, split_frames(speak(VERIFY_TEXT, SPEAKERS[a])))
        if not genuine.accepted:
            raise CheckFailed(f"{a} was not recognised as {a}: status {genuine.status}: {genuine.raw[:200]}")
        impostor = client.verify(a, split_frames(speak(VERIFY_TEXT, SPEAKERS[b])))
        if impostor.accepted or not impostor.checked:
            raise CheckFailed(f"{b} claiming to be {a} got status {impostor.status}: {impostor.raw[:200]}")
    finally:
        client.close()
    top = genuine.candidates[0].score if genuine.candidates else float("nan")
    # The store keeps each engine's voiceprints apart (voiceprint/store.py).
    from desktop.sandbox.voiceprint.store import stored_engines

    engines = sorted(stored_engines(env.tmp / "sandbox" / "voiceprint"))
    return (
        f"engine {'/'.join(engines) or '?'}: enrolled 2 voices; genuine accepted (score {top:.2f}), impostor refused "
        f"(status {impostor.status}); {genuine.stop_to_result_s * 1000:.0f} ms to verdict"
    )


CHECKS = [
    Check("sandbox", check_sandbox, needs=("numpy",)),
    Check("voiceprint", check_voiceprint, needs=("sandbox", "espeak")),
]
