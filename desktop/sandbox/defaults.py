"""Public, built-in values of the local sandbox: its address and its demo credentials.

These are not secrets: they open nothing but the sandbox on this machine. The built-in
``sandbox`` profile (desktop.config) points at them, and the sandbox expects them unless told
otherwise, so a new user needs no account. Kept free of imports so config can read it cheaply.
"""

from __future__ import annotations

HOST = "127.0.0.1"
PORT = 8765

# An AppCode has the APIG shape: 64-180 chars of [A-Za-z0-9+/_!@#$%=].
APPCODE = "sandbox0AppCode0for0local0use0only0" + "0123456789abcdefABCDEF0123456789"
ROKID_KEY = "sandbox-rokid-key"
ROKID_SECRET = "sandbox-rokid-secret"
ROKID_DEVICE_TYPE_ID = "SANDBOXDEVTYPE"
ROKID_DEVICE_ID = "sandbox-device-0001"
VOICECALL_APP_KEY = "sandboxAppKey0001"
VOICECALL_APP_SECRET = "sandboxAppSecret0001"
VOICECALL_DISPLAY_NBR = "+8657100000000"
SINGSOUND_APPID = "sandbox-appid"
SINGSOUND_APP_SECRET = "sandbox-singsound-secret"
SINGSOUND_GATEWAYS = 3

VOICEPRINT_PATH = "/voiceprint"
VOICECALL_PREFIX = "/voicecall"
SINGSOUND_PREFIX = "/singsound"


def base_url(host: str = HOST, port: int = PORT) -> str:
    return f"http://{host}:{port}"


def voiceprint_url(host: str = HOST, port: int = PORT) -> str:
    return f"ws://{host}:{port}{VOICEPRINT_PATH}"


def rokid_asr_url(host: str = HOST, port: int = PORT) -> str:
    return f"{base_url(host, port)}/api/v1/asr/AsrProxy/Asr"


def rokid_tts_url(host: str = HOST, port: int = PORT) -> str:
    return f"{base_url(host, port)}/api/v1/tts/TtsProxy/Tts"


def voicecall_url(host: str = HOST, port: int = PORT) -> str:
    return f"{base_url(host, port)}{VOICECALL_PREFIX}"


def singsound_urls(host: str = HOST, port: int = PORT) -> list[str]:
    return [
        f"{base_url(host, port)}{SINGSOUND_PREFIX}/gate-{i:02d}/auth/authorize"
        for i in range(1, SINGSOUND_GATEWAYS + 1)
    ]
