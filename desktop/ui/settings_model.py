"""What the Settings form is made of, read from ``desktop.config``'s section dataclasses.

A field added to a section appears in the form without touching the UI: its editor follows its
type (text, whole number, decimal, list, one of a few choices), secrets get a replace-only editor.
The tables here only add what a dataclass cannot say: a translated label, a sensible range, the
few fields that are a choice. ``test_every_field_has_a_label`` keeps the labels complete.
"""

from __future__ import annotations

import os
import typing
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication

from desktop import config
from desktop.ui.qtext import arg

CTX = "SettingsFields"  # translation context of the labels below


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for lupdate (which matches this name) and returns it as ``str``; PySide6's
    own is typed ``object``."""
    return text


# The sections shown as service tabs, in order; ``audio`` and ``sandbox`` have tabs of their own.
SERVICE_SECTIONS = ("voiceprint", "rokid", "voicecall", "singsound")

SECTION_TITLES: dict[str, str] = {
    "voiceprint": QT_TRANSLATE_NOOP("SettingsFields", "Voiceprint"),
    "rokid": QT_TRANSLATE_NOOP("SettingsFields", "Rokid speech"),
    "voicecall": QT_TRANSLATE_NOOP("SettingsFields", "Voice call"),
    "singsound": QT_TRANSLATE_NOOP("SettingsFields", "SingSound"),
    "audio": QT_TRANSLATE_NOOP("SettingsFields", "Audio"),
    "sandbox": QT_TRANSLATE_NOOP("SettingsFields", "Sandbox"),
}

LABELS: dict[tuple[str, str], str] = {
    ("voiceprint", "url"): QT_TRANSLATE_NOOP("SettingsFields", "Service URL (ws:// or wss://)"),
    ("voiceprint", "appcode"): QT_TRANSLATE_NOOP("SettingsFields", "AppCode"),
    ("voiceprint", "client_id"): QT_TRANSLATE_NOOP("SettingsFields", "Client ID"),
    ("voiceprint", "frame_ms"): QT_TRANSLATE_NOOP("SettingsFields", "Frame length (ms)"),
    ("voiceprint", "heartbeat_s"): QT_TRANSLATE_NOOP("SettingsFields", "Heartbeat interval (s)"),
    ("voiceprint", "reply_timeout_s"): QT_TRANSLATE_NOOP("SettingsFields", "Reply timeout (s)"),
    ("voiceprint", "ca_bundle"): QT_TRANSLATE_NOOP("SettingsFields", "CA bundle file"),
    ("voiceprint", "ws_ping_s"): QT_TRANSLATE_NOOP("SettingsFields", "WebSocket ping interval (s, 0 = off)"),
    ("voiceprint", "spelling"): QT_TRANSLATE_NOOP("SettingsFields", "Message type spelling"),
    ("rokid", "asr_url"): QT_TRANSLATE_NOOP("SettingsFields", "Speech recognition URL"),
    ("rokid", "tts_url"): QT_TRANSLATE_NOOP("SettingsFields", "Speech synthesis URL"),
    ("rokid", "key"): QT_TRANSLATE_NOOP("SettingsFields", "Key"),
    ("rokid", "secret"): QT_TRANSLATE_NOOP("SettingsFields", "Secret"),
    ("rokid", "device_type_id"): QT_TRANSLATE_NOOP("SettingsFields", "Device type ID"),
    ("rokid", "device_id"): QT_TRANSLATE_NOOP("SettingsFields", "Device ID"),
    ("rokid", "version"): QT_TRANSLATE_NOOP("SettingsFields", "API version"),
    ("rokid", "body"): QT_TRANSLATE_NOOP("SettingsFields", "Request body"),
    ("rokid", "timeout_s"): QT_TRANSLATE_NOOP("SettingsFields", "Timeout (s)"),
    ("rokid", "ca_bundle"): QT_TRANSLATE_NOOP("SettingsFields", "CA bundle file"),
    ("voicecall", "url"): QT_TRANSLATE_NOOP("SettingsFields", "Service URL"),
    ("voicecall", "app_key"): QT_TRANSLATE_NOOP("SettingsFields", "App key"),
    ("voicecall", "app_secret"): QT_TRANSLATE_NOOP("SettingsFields", "App secret"),
    ("voicecall", "display_nbr"): QT_TRANSLATE_NOOP("SettingsFields", "Caller number shown"),
    ("voicecall", "created_zone"): QT_TRANSLATE_NOOP("SettingsFields", "Timestamp zone"),
    ("voicecall", "status_url"): QT_TRANSLATE_NOOP("SettingsFields", "Call status callback URL"),
    ("voicecall", "fee_url"): QT_TRANSLATE_NOOP("SettingsFields", "Call fee callback URL"),
    ("voicecall", "callback_host"): QT_TRANSLATE_NOOP("SettingsFields", "Callback listener host"),
    ("voicecall", "callback_port"): QT_TRANSLATE_NOOP("SettingsFields", "Callback listener port"),
    ("voicecall", "timeout_s"): QT_TRANSLATE_NOOP("SettingsFields", "Timeout (s)"),
    ("voicecall", "ca_bundle"): QT_TRANSLATE_NOOP("SettingsFields", "CA bundle file"),
    ("voicecall", "pre_tone"): QT_TRANSLATE_NOOP("SettingsFields", "Tone before the code"),
    ("voicecall", "language_type"): QT_TRANSLATE_NOOP("SettingsFields", "Voice language type"),
    ("voicecall", "callback_mode"): QT_TRANSLATE_NOOP("SettingsFields", "Unverified callbacks (record or strict)"),
    ("voicecall", "bind_nbr"): QT_TRANSLATE_NOOP("SettingsFields", "Bound number (optional)"),
    ("voicecall", "approved_tones"): QT_TRANSLATE_NOOP("SettingsFields", "Approved tone names (one per line)"),
    ("singsound", "urls"): QT_TRANSLATE_NOOP("SettingsFields", "Gateway URLs (one per line)"),
    ("singsound", "appid"): QT_TRANSLATE_NOOP("SettingsFields", "App ID"),
    ("singsound", "app_secret"): QT_TRANSLATE_NOOP("SettingsFields", "App secret"),
    ("singsound", "timeout_s"): QT_TRANSLATE_NOOP("SettingsFields", "Timeout (s)"),
    ("singsound", "warrant_server_host"): QT_TRANSLATE_NOOP("SettingsFields", "Warrant server host"),
    ("singsound", "warrant_server_port"): QT_TRANSLATE_NOOP("SettingsFields", "Warrant server port"),
    ("singsound", "ca_bundle"): QT_TRANSLATE_NOOP("SettingsFields", "CA bundle file"),
    ("singsound", "device_tokens"): QT_TRANSLATE_NOOP("SettingsFields", "Device tokens"),
    ("singsound", "warrant_lifetime_s"): QT_TRANSLATE_NOOP("SettingsFields", "Warrant lifetime (s)"),
    ("singsound", "warrant_rate_per_min"): QT_TRANSLATE_NOOP("SettingsFields", "Warrants per minute per device"),
    ("singsound", "warrant_burst"): QT_TRANSLATE_NOOP("SettingsFields", "Warrant burst"),
    ("singsound", "trusted_proxy_header"): QT_TRANSLATE_NOOP("SettingsFields", "Trusted proxy header"),
    ("audio", "input_device"): QT_TRANSLATE_NOOP("SettingsFields", "Microphone"),
    ("audio", "output_device"): QT_TRANSLATE_NOOP("SettingsFields", "Speaker"),
    ("sandbox", "host"): QT_TRANSLATE_NOOP("SettingsFields", "Listen address"),
    ("sandbox", "port"): QT_TRANSLATE_NOOP("SettingsFields", "Port"),
    ("sandbox", "threshold"): QT_TRANSLATE_NOOP("SettingsFields", "Acceptance threshold (0 = engine default)"),
}

# Fields that take one of a few values (the services accept nothing else).
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("rokid", "body"): ("protobuf", "json"),
    ("voicecall", "created_zone"): ("UTC", "UTC+8"),
    ("voicecall", "callback_mode"): ("record", "strict"),
    ("voiceprint", "spelling"): ("documented", "seed"),
}

# (minimum, maximum) of numbers where the type alone allows nonsense.
RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("voiceprint", "frame_ms"): (10, 2000),
    ("voiceprint", "heartbeat_s"): (1, 3600),
    ("voiceprint", "ws_ping_s"): (0, 60),
    ("voiceprint", "reply_timeout_s"): (1, 600),
    ("voicecall", "language_type"): (1, 99),
    ("singsound", "warrant_lifetime_s"): (60, 30 * 86400),
    ("singsound", "warrant_burst"): (1, 10_000),
    ("sandbox", "threshold"): (0, 1),
}
# A sentence under a field whose right value depends on something outside this program.
HELP: dict[tuple[str, str], str] = {
    ("voiceprint", "heartbeat_s"): QT_TRANSLATE_NOOP(
        "SettingsFields",
        "How often the JSON ping is sent. Set it below the API's backend timeout on the API Gateway: "
        "the gateway closes a WebSocket idle for longer. Its operator sets that timeout between "
        "1 ms and 60 s (5 s unless changed), so ask them for it.",
    ),
    ("voiceprint", "ws_ping_s"): QT_TRANSLATE_NOOP(
        "SettingsFields",
        "WebSocket protocol pings, sent besides the JSON ping; the gateway counts them as traffic "
        "even when the service ignores JSON pings. Keep it below the API's backend timeout.",
    ),
    ("voiceprint", "spelling"): QT_TRANSLATE_NOOP(
        "SettingsFields",
        "The service's document writes two message types with a leading space (“ training”, "
        "“ stop_train”), most likely a typo. “documented” sends them without it; choose “seed” only "
        "for a server that was built from that document and expects the space literally.",
    ),
    ("rokid", "version"): QT_TRANSLATE_NOOP(
        "SettingsFields",
        "The version field of the signed Authorization header. The seed document shows 1.0; "
        "public working clients send 1. Use what your Rokid account was issued for.",
    ),
}

_PORT = (0, 65535)
_SECONDS = (0.1, 3600.0)
_INT = (0, 2_147_483_647)
_FLOAT = (0.0, 1e9)


@dataclass(frozen=True)
class FieldSpec:
    section: str
    name: str
    kind: str  # text | int | float | list | choice
    secret: bool
    env: str
    default: Any
    choices: tuple[str, ...] = ()
    minimum: float = 0
    maximum: float = 0

    @property
    def key(self) -> tuple[str, str]:
        return self.section, self.name

    def help(self) -> str:
        """A translated sentence explaining the field, or "" for the self-explanatory ones."""
        text = HELP.get(self.key)
        return QCoreApplication.translate(CTX, text) if text else ""

    def label(self) -> str:
        text = LABELS.get(self.key)
        if text is None:  # a new field without a label yet still shows, readably
            return self.name.replace("_", " ").capitalize()
        return QCoreApplication.translate(CTX, text)

    @property
    def is_url(self) -> bool:
        return self.name in ("url", "urls") or self.name.endswith("_url")

    @property
    def is_path(self) -> bool:
        return self.name == "ca_bundle"


def section_title(section: str) -> str:
    text = SECTION_TITLES.get(section)
    return QCoreApplication.translate(CTX, text) if text else section.capitalize()


def _kind(section: str, name: str, hint: Any) -> str:
    if (section, name) in CHOICES:
        return "choice"
    if hint is int:
        return "int"
    if hint is float:
        return "float"
    if typing.get_origin(hint) is list:
        return "list"
    return "text"


def _range(section: str, name: str, kind: str) -> tuple[float, float]:
    if (section, name) in RANGES:
        return RANGES[(section, name)]
    if name == "port" or name.endswith("_port"):
        return _PORT
    if kind == "float" and name.endswith("_s"):
        return _SECONDS
    return _INT if kind == "int" else _FLOAT


def section_fields(section: str) -> list[FieldSpec]:
    """Every field of ``section``, in declaration order."""
    cls = config.SECTIONS[section]
    hints = typing.get_type_hints(cls)
    out = []
    for f in fields(cls):
        kind = _kind(section, f.name, hints[f.name])
        low, high = _range(section, f.name, kind) if kind in ("int", "float") else (0, 0)
        default = f.default_factory() if f.default is MISSING and callable(f.default_factory) else f.default
        out.append(
            FieldSpec(
                section=section,
                name=f.name,
                kind=kind,
                secret=bool(f.metadata.get("secret")),
                env=str(f.metadata.get("env", "")),
                default=default,
                choices=CHOICES.get((section, f.name), ()),
                minimum=low,
                maximum=high,
            )
        )
    return out


def editable(profile_name: str, spec: FieldSpec) -> bool:
    """The sandbox profile's endpoints and credentials are fixed; everything else is the operator's."""
    return profile_name != config.SANDBOX or config.sandbox_editable(spec.section, spec.name)


def env_override(spec: FieldSpec, env: dict[str, str] | None = None) -> str | None:
    """The environment variable that overrides this field right now, if any."""
    env = dict(os.environ) if env is None else env
    return spec.env if spec.env and spec.env in env else None


# ---------------------------------------------------------------------------------------------
# Validation: a bad value is reported with its field, and nothing is saved.

_SCHEMES = {("voiceprint", "url"): ("ws", "wss")}
_HTTP = ("http", "https")


def validate(spec: FieldSpec, value: Any) -> str | None:
    """A translated sentence saying what is wrong with ``value``, or None when it is fine."""
    if spec.is_url:
        urls = value if isinstance(value, list) else [value]
        urls = [u for u in urls if u]
        required = bool(spec.default)  # the service's own endpoints; callbacks are optional
        if required and not urls:
            return arg(QCoreApplication.translate("SettingsFields", "%1 is required."), spec.label())
        schemes = _SCHEMES.get(spec.key, _HTTP)
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in schemes or not parts.hostname:
                text = QCoreApplication.translate("SettingsFields", "%1: “%2” is not a %3 address.")
                return arg(text, spec.label(), url, " / ".join(s + "://" for s in schemes))
    if spec.is_path and value and not Path(value).expanduser().is_file():
        text = QCoreApplication.translate("SettingsFields", "%1: there is no file “%2”.")
        return arg(text, spec.label(), value)
    if spec.kind == "float" and isinstance(value, float) and not spec.minimum <= value <= spec.maximum:
        # Also catches nan (text that is not a number) from the exact number field.
        text = QCoreApplication.translate("SettingsFields", "%1 must be a number from %2 to %3.")
        return arg(text, spec.label(), f"{spec.minimum:g}", f"{spec.maximum:g}")
    if spec.kind == "choice" and value not in spec.choices:
        text = QCoreApplication.translate("SettingsFields", "%1 must be one of: %2.")
        return arg(text, spec.label(), ", ".join(spec.choices))
    return None
