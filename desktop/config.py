"""Profiles, environment overrides and secrets.

A profile says where each of the four services lives and how to sign in. The built-in profile
``sandbox`` points at the local sandbox and needs no file. Other profiles live in a TOML file in
the platform's user config dir (``--config`` overrides). Secrets are never in that file: they live
in the OS keyring (service ``vpw``, user ``<profile>/<field>``) and environment variables win over
both. Every field has an environment override; the names of the service fields are fixed by the
foundation issue because later features rely on them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from desktop import i18n
from desktop.errors import ConfigError
from desktop.sandbox import defaults as sbx

APP_NAME = "vpw"
SANDBOX = "sandbox"
KEYRING_SERVICE = "vpw"

i18n.register(
    {
        "config.bad_toml": {
            "en": "The configuration file {path} is not valid TOML: {reason}",
            "zh": "配置文件 {path} 不是有效的 TOML：{reason}",
        },
        "config.unknown_profile": {
            "en": "No profile named '{name}'. Known profiles: {known}",
            "zh": "没有名为“{name}”的配置。已有配置：{known}",
        },
        "config.unknown_field": {
            "en": "Unknown setting '{section}.{name}' in profile '{profile}'",
            "zh": "配置“{profile}”中有未知设置“{section}.{name}”",
        },
        "config.bad_value": {
            "en": "Setting '{section}.{name}' must be {kind}, not {value!r}",
            "zh": "设置“{section}.{name}”应为{kind}，而不是 {value!r}",
        },
        "config.secret_in_file": {
            "en": "Secret '{section}.{name}' must not be written in the configuration file; "
            "it is stored in the keyring or given by ${env}",
            "zh": "机密“{section}.{name}”不能写在配置文件中；请存入钥匙串或通过环境变量 ${env} 提供",
        },
        "config.no_keyring": {
            "en": "No OS keyring is available to store secrets on this machine. Give the secret in "
            "${env} instead, or choose a keyring backend explicitly, e.g. "
            "PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring (stores it unencrypted)",
            "zh": "本机没有可用的系统钥匙串来保存机密。请改用环境变量 ${env} 提供，或明确指定钥匙串后端，例如 "
            "PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring（不加密保存）",
        },
        "config.sandbox_readonly": {
            "en": "The built-in sandbox profile cannot be renamed or deleted",
            "zh": "内置沙箱配置不能重命名或删除",
        },
        "config.bad_profile_name": {
            "en": "A profile name is 1-40 letters, digits, '-' or '_': {name!r}",
            "zh": "配置名称须为 1-40 个字母、数字、“-”或“_”：{name!r}",
        },
    }
)


def _secret(env: str) -> Any:
    return field(default="", metadata={"secret": True, "env": env})


def _env(env: str, default: Any) -> Any:
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata={"env": env})
    return field(default=default, metadata={"env": env})


@dataclass
class VoiceprintSettings:
    url: str = _env("VPW_VOICEPRINT_URL", sbx.voiceprint_url())
    appcode: str = _secret("VPW_VOICEPRINT_APPCODE")
    client_id: str = _env("VPW_VOICEPRINT_CLIENT_ID", "weixin")
    frame_ms: int = _env("VPW_VOICEPRINT_FRAME_MS", 100)
    heartbeat_s: float = _env("VPW_VOICEPRINT_HEARTBEAT_S", 15.0)
    reply_timeout_s: float = _env("VPW_VOICEPRINT_REPLY_TIMEOUT_S", 20.0)
    ca_bundle: str = _env("VPW_VOICEPRINT_CA_BUNDLE", "")
    # WebSocket protocol pings (0 = off): API Gateway drops a socket idle past the API's backend
    # timeout, which its operator sets between 1 ms and 60 s (5 s unless changed) [doc].
    ws_ping_s: float = _env("VPW_VOICEPRINT_WS_PING_S", 4.0)
    # "documented": training/stop_train; "seed": the seed's literal " training"/" stop_train".
    spelling: str = _env("VPW_VOICEPRINT_SPELLING", "documented")


@dataclass
class RokidSettings:
    asr_url: str = _env("VPW_ROKID_ASR_URL", sbx.rokid_asr_url())
    tts_url: str = _env("VPW_ROKID_TTS_URL", sbx.rokid_tts_url())
    key: str = _env("VPW_ROKID_KEY", "")
    secret: str = _secret("VPW_ROKID_SECRET")
    device_type_id: str = _env("VPW_ROKID_DEVICE_TYPE_ID", "")
    device_id: str = _env("VPW_ROKID_DEVICE_ID", "")
    version: str = _env("VPW_ROKID_VERSION", "1.0")
    body: str = _env("VPW_ROKID_BODY", "protobuf")  # protobuf | json
    timeout_s: float = _env("VPW_ROKID_TIMEOUT_S", 30.0)
    ca_bundle: str = _env("VPW_ROKID_CA_BUNDLE", "")


@dataclass
class VoicecallSettings:
    url: str = _env("VPW_VOICECALL_URL", sbx.voicecall_url())
    app_key: str = _env("VPW_VOICECALL_APP_KEY", "")
    app_secret: str = _secret("VPW_VOICECALL_APP_SECRET")
    display_nbr: str = _env("VPW_VOICECALL_DISPLAY_NBR", "")
    created_zone: str = _env("VPW_VOICECALL_CREATED_ZONE", "UTC")  # UTC | UTC+8
    status_url: str = _env("VPW_VOICECALL_STATUS_URL", "")
    fee_url: str = _env("VPW_VOICECALL_FEE_URL", "")
    callback_host: str = _env("VPW_VOICECALL_CALLBACK_HOST", "127.0.0.1")
    callback_port: int = _env("VPW_VOICECALL_CALLBACK_PORT", 8766)
    timeout_s: float = _env("VPW_VOICECALL_TIMEOUT_S", 15.0)
    ca_bundle: str = _env("VPW_VOICECALL_CA_BUNDLE", "")
    pre_tone: str = _env("VPW_VOICECALL_PRE_TONE", "test.wav")  # the seed's sample tone name
    language_type: int = _env("VPW_VOICECALL_LANGUAGE_TYPE", 2)  # 2 = Chinese, the only documented value
    callback_mode: str = _env("VPW_VOICECALL_CALLBACK_MODE", "record")  # record | strict (docs/VENDOR_NOTES.md)
    bind_nbr: str = _env("VPW_VOICECALL_BIND_NBR", "")  # optional CallEnabler number (callVerify bindNbr)
    # Tone files approved on the platform for this app: the Phone panel offers these for preTone.
    approved_tones: list[str] = _env("VPW_VOICECALL_APPROVED_TONES", ["test.wav"])


@dataclass
class SingsoundSettings:
    urls: list[str] = _env("VPW_SINGSOUND_URLS", sbx.singsound_urls())
    appid: str = _env("VPW_SINGSOUND_APPID", "")
    app_secret: str = _secret("VPW_SINGSOUND_APP_SECRET")
    timeout_s: float = _env("VPW_SINGSOUND_TIMEOUT_S", 5.0)
    warrant_server_host: str = _env("VPW_WARRANT_SERVER_HOST", "127.0.0.1")
    warrant_server_port: int = _env("VPW_WARRANT_SERVER_PORT", 8767)
    ca_bundle: str = _env("VPW_SINGSOUND_CA_BUNDLE", "")
    # The merchant warrant service (issue 6): which devices may ask, how often, from behind what.
    device_tokens: str = _secret("VPW_WARRANT_DEVICE_TOKENS")  # comma-separated, "name:token" or "token"
    warrant_lifetime_s: int = _env("VPW_WARRANT_LIFETIME_S", 7200)
    warrant_rate_per_min: float = _env("VPW_WARRANT_RATE_PER_MIN", 30.0)
    warrant_burst: int = _env("VPW_WARRANT_BURST", 10)
    trusted_proxy_header: str = _env("VPW_WARRANT_TRUSTED_PROXY_HEADER", "")  # e.g. X-Forwarded-For


@dataclass
class AudioSettings:
    input_device: str = _env("VPW_INPUT_DEVICE", "")
    output_device: str = _env("VPW_OUTPUT_DEVICE", "")


@dataclass
class SandboxSettings:
    """Where the embedded sandbox listens (only used by the ``sandbox`` profile)."""

    host: str = _env("VPW_SANDBOX_HOST", sbx.HOST)
    port: int = _env("VPW_SANDBOX_PORT", sbx.PORT)
    threshold: float = _env("VPW_SANDBOX_THRESHOLD", 0.0)  # 0 = the engine's own default


SECTIONS: dict[str, type] = {
    "voiceprint": VoiceprintSettings,
    "rokid": RokidSettings,
    "voicecall": VoicecallSettings,
    "singsound": SingsoundSettings,
    "audio": AudioSettings,
    "sandbox": SandboxSettings,
}


@dataclass
class Profile:
    name: str = SANDBOX
    voiceprint: VoiceprintSettings = field(default_factory=VoiceprintSettings)
    rokid: RokidSettings = field(default_factory=RokidSettings)
    voicecall: VoicecallSettings = field(default_factory=VoicecallSettings)
    singsound: SingsoundSettings = field(default_factory=SingsoundSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    sandbox: SandboxSettings = field(default_factory=SandboxSettings)

    @property
    def is_sandbox(self) -> bool:
        return self.name == SANDBOX

    def section(self, name: str) -> Any:
        return getattr(self, name)


def sandbox_profile(host: str | None = None, port: int | None = None) -> Profile:
    """The built-in profile: every service at the local sandbox, with its public demo credentials."""
    p = Profile(name=SANDBOX)
    if host is not None:
        p.sandbox.host = host
    if port is not None:
        p.sandbox.port = port
    point_at_sandbox(p)
    return p


def point_at_sandbox(p: Profile) -> None:
    """Aim every service of ``p`` at the sandbox address in ``p.sandbox``."""
    h, port = p.sandbox.host, p.sandbox.port
    p.voiceprint.url = sbx.voiceprint_url(h, port)
    p.voiceprint.appcode = sbx.APPCODE
    p.rokid.asr_url, p.rokid.tts_url = sbx.rokid_asr_url(h, port), sbx.rokid_tts_url(h, port)
    p.rokid.key, p.rokid.secret = sbx.ROKID_KEY, sbx.ROKID_SECRET
    p.rokid.device_type_id, p.rokid.device_id = sbx.ROKID_DEVICE_TYPE_ID, sbx.ROKID_DEVICE_ID
    p.voicecall.url = sbx.voicecall_url(h, port)
    p.voicecall.app_key, p.voicecall.app_secret = sbx.VOICECALL_APP_KEY, sbx.VOICECALL_APP_SECRET
    p.voicecall.display_nbr = sbx.VOICECALL_DISPLAY_NBR
    p.singsound.urls = sbx.singsound_urls(h, port)
    p.singsound.appid, p.singsound.app_secret = sbx.SINGSOUND_APPID, sbx.SINGSOUND_APP_SECRET


def move_sandbox(p: Profile, port: int, env: dict[str, str] | None = None) -> None:
    """Aim ``p`` at a sandbox that had to take another port, keeping the environment's overrides
    (``VPW_ROKID_SECRET=wrong`` must stay wrong wherever the sandbox listens)."""
    p.sandbox.port = port
    point_at_sandbox(p)
    _apply_env(p, dict(os.environ) if env is None else env, only=tuple(s for s in SECTIONS if s != "sandbox"))


# ---------------------------------------------------------------------------------------------
# Paths


def config_dir() -> Path:
    env = os.environ.get("VPW_CONFIG_DIR")
    return Path(env) if env else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    env = os.environ.get("VPW_DATA_DIR")
    path = Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_config_path() -> Path:
    return config_dir() / "config.toml"


# ---------------------------------------------------------------------------------------------
# Secrets


def _keyring_user(profile: str, section: str, name: str) -> str:
    return f"{profile}/{section}.{name}"


def _usable_keyring() -> Any | None:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return None
    # The chainer with no real backends behind it is as good as none.
    inner = getattr(backend, "backends", None)
    if inner is not None and not inner:
        return None
    return keyring


def get_secret(profile: str, section: str, name: str) -> str:
    ring = _usable_keyring()
    if ring is None:
        return ""
    try:
        return ring.get_password(KEYRING_SERVICE, _keyring_user(profile, section, name)) or ""
    except Exception:  # a locked or broken keyring must not stop the app from starting
        return ""


def set_secret(profile: str, section: str, name: str, value: str) -> None:
    env = _field_meta(section, name).get("env", "")
    ring = _usable_keyring()
    if ring is None:
        raise ConfigError(i18n.tr("config.no_keyring", env=env))
    user = _keyring_user(profile, section, name)
    if value:
        ring.set_password(KEYRING_SERVICE, user, value)
    else:
        # Deleting an absent secret is not an error for the operator.
        with contextlib.suppress(Exception):
            ring.delete_password(KEYRING_SERVICE, user)


def keyring_available() -> bool:
    return _usable_keyring() is not None


# ---------------------------------------------------------------------------------------------
# Loading


def _field_meta(section: str, name: str) -> dict[str, Any]:
    for f in fields(SECTIONS[section]):
        if f.name == name:
            return dict(f.metadata)
    return {}


def _coerce(section: str, name: str, kind: Any, value: Any) -> Any:
    try:
        if kind in (int, "int"):
            return int(value)
        if kind in (float, "float"):
            return float(value)
        if kind in (list[str], "list[str]"):
            if isinstance(value, str):
                return [v.strip() for v in value.split(",") if v.strip()]
            return [str(v) for v in value]
        if isinstance(value, (dict, list)):
            raise TypeError
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(
            i18n.tr("config.bad_value", section=section, name=name, kind=str(kind), value=value)
        ) from None


def _apply(p: Profile, section: str, values: dict[str, Any], *, from_file: bool) -> None:
    obj = p.section(section)
    known = {f.name: f for f in fields(obj)}
    for name, value in values.items():
        f = known.get(name)
        if f is None:
            raise ConfigError(i18n.tr("config.unknown_field", section=section, name=name, profile=p.name))
        if from_file and f.metadata.get("secret"):
            raise ConfigError(i18n.tr("config.secret_in_file", section=section, name=name, env=f.metadata["env"]))
        setattr(obj, name, _coerce(section, name, f.type, value))


class ConfigFile:
    """The TOML file of profiles: ``default_profile`` and ``[profiles.NAME.SECTION]`` tables."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_config_path()
        self.data: dict[str, Any] = {}
        if self.path.exists():
            import tomllib  # here: its parser costs the window's start-up when there is no file

            try:
                self.data = tomllib.loads(self.path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(i18n.tr("config.bad_toml", path=self.path, reason=exc)) from None

    @property
    def profiles(self) -> dict[str, dict[str, Any]]:
        return self.data.setdefault("profiles", {})

    def profile_names(self) -> list[str]:
        return [SANDBOX, *sorted(n for n in self.profiles if n != SANDBOX)]

    @property
    def default_profile(self) -> str:
        return str(self.data.get("default_profile", SANDBOX))

    @default_profile.setter
    def default_profile(self, name: str) -> None:
        self.data["default_profile"] = name

    @property
    def operator(self) -> str:
        """The operator's name set in Settings (``VPW_OPERATOR`` wins over it; see store.audit)."""
        value = self.data.get("operator", "")
        return value if isinstance(value, str) else ""

    @operator.setter
    def operator(self, name: str) -> None:
        if name.strip():
            self.data["operator"] = name.strip()
        else:
            self.data.pop("operator", None)

    def save(self) -> None:
        import tomli_w

        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(tomli_w.dumps(self.data), encoding="utf-8")
        tmp.replace(self.path)  # atomic, so a crash never leaves half a config

    def store_profile(self, p: Profile) -> None:
        """Write the non-secret fields of ``p`` (secrets go through ``set_secret``)."""
        _check_name(p.name)
        table: dict[str, Any] = {}
        for section in SECTIONS:
            obj = p.section(section)
            table[section] = {f.name: getattr(obj, f.name) for f in fields(obj) if not f.metadata.get("secret")}
        self.profiles[p.name] = table

    def rename_profile(self, old: str, new: str) -> None:
        if SANDBOX in (old, new):
            raise ConfigError(i18n.tr("config.sandbox_readonly"))
        _check_name(new)
        self.profiles[new] = self.profiles.pop(old)
        if self.default_profile == old:
            self.default_profile = new
        for section in SECTIONS:
            for f in fields(SECTIONS[section]):
                if f.metadata.get("secret"):
                    value = get_secret(old, section, f.name)
                    if value:
                        set_secret(new, section, f.name, value)
                        set_secret(old, section, f.name, "")


def operator_name(path: Path | None = None) -> str:
    """The operator name in the config file, "" when none (or the file cannot be read)."""
    try:
        return ConfigFile(path).operator
    except (ConfigError, OSError):
        return ""


def _check_name(name: str) -> None:
    import re

    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", name):
        raise ConfigError(i18n.tr("config.bad_profile_name", name=name))


def load_profile(name: str | None = None, *, path: Path | None = None, env: dict[str, str] | None = None) -> Profile:
    """The profile ``name`` (else ``VPW_PROFILE``, else the file's default, else ``sandbox``)
    with its secrets from the keyring and every environment override applied."""
    env = dict(os.environ) if env is None else env
    cfg = ConfigFile(path)
    name = name or env.get("VPW_PROFILE") or cfg.default_profile
    if name == SANDBOX:
        stored = cfg.profiles.get(SANDBOX, {})
        p = Profile(name=SANDBOX)
        # The sandbox profile keeps only its address and tuning from the file.
        for section in ("sandbox", "audio", "voiceprint"):
            values = {k: v for k, v in stored.get(section, {}).items() if sandbox_editable(section, k)}
            _apply(p, section, values, from_file=True)
        _apply_env(p, env, only=("sandbox",))
        point_at_sandbox(p)
        _apply_env(p, env)
        return p
    found = cfg.profiles.get(name)
    if found is None:
        raise ConfigError(i18n.tr("config.unknown_profile", name=name, known=", ".join(cfg.profile_names())))
    p = Profile(name=name)
    for section, values in found.items():
        if section not in SECTIONS or not isinstance(values, dict):
            raise ConfigError(i18n.tr("config.unknown_field", section=section, name="*", profile=name))
        _apply(p, section, values, from_file=True)
    for section in SECTIONS:
        for f in fields(SECTIONS[section]):
            if f.metadata.get("secret"):
                setattr(p.section(section), f.name, get_secret(name, section, f.name))
    _apply_env(p, env)
    return p


def sandbox_editable(section: str, name: str) -> bool:
    """Whether the built-in sandbox profile keeps ``section.name`` from the file: its address,
    audio devices and voiceprint tuning, never an endpoint or credential (those are fixed)."""
    if section in ("sandbox", "audio"):
        return True
    return section == "voiceprint" and name not in ("url", "appcode")


def _apply_env(p: Profile, env: dict[str, str], only: tuple[str, ...] = tuple(SECTIONS)) -> None:
    for section in only:
        for f in fields(SECTIONS[section]):
            var = f.metadata.get("env")
            if var and var in env:
                _apply(p, section, {f.name: env[var]}, from_file=False)


def env_var_names() -> dict[str, tuple[str, str]]:
    """Every environment override: ``{VAR: (section, field)}``."""
    return {
        f.metadata["env"]: (section, f.name)
        for section, cls in SECTIONS.items()
        for f in fields(cls)
        if "env" in f.metadata
    }


def secret_fields() -> list[tuple[str, str]]:
    return [(section, f.name) for section, cls in SECTIONS.items() for f in fields(cls) if f.metadata.get("secret")]


def redacted(p: Profile) -> dict[str, Any]:
    """The profile as a dict with every secret replaced, for logs and ``vpw config show``."""
    out = dataclasses.asdict(p)
    for section, name in secret_fields():
        if out[section][name]:
            out[section][name] = "********"
    return out
