"""Profiles, environment overrides and secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import config
from desktop.errors import ConfigError
from desktop.sandbox import defaults

ISSUE_ENV_NAMES = [
    "VPW_VOICEPRINT_URL",
    "VPW_VOICEPRINT_APPCODE",
    "VPW_ROKID_ASR_URL",
    "VPW_ROKID_TTS_URL",
    "VPW_ROKID_KEY",
    "VPW_ROKID_SECRET",
    "VPW_ROKID_DEVICE_TYPE_ID",
    "VPW_ROKID_DEVICE_ID",
    "VPW_VOICECALL_URL",
    "VPW_VOICECALL_APP_KEY",
    "VPW_VOICECALL_APP_SECRET",
    "VPW_SINGSOUND_URLS",
    "VPW_SINGSOUND_APPID",
    "VPW_SINGSOUND_APP_SECRET",
]


def test_every_issue_env_name_exists() -> None:
    names = config.env_var_names()
    for var in ISSUE_ENV_NAMES:
        assert var in names, var


def test_sandbox_is_default_and_needs_no_file() -> None:
    p = config.load_profile()
    assert p.name == "sandbox" and p.is_sandbox
    assert p.voiceprint.url == f"ws://127.0.0.1:{defaults.PORT}/voiceprint"
    assert p.voiceprint.appcode == defaults.APPCODE
    assert len(p.singsound.urls) == 3
    assert not config.default_config_path().exists()


def test_sandbox_port_env_moves_every_service() -> None:
    p = config.load_profile(env={"VPW_SANDBOX_PORT": "9999"})
    assert ":9999/" in p.voiceprint.url and ":9999/" in p.rokid.asr_url and ":9999/" in p.voicecall.url + "/"
    assert all(":9999/" in u for u in p.singsound.urls)


def _write_profile(tmp: Path) -> Path:
    path = tmp / "c.toml"
    path.write_text(
        'default_profile = "prod"\n[profiles.prod.voiceprint]\nurl = "wss://vp.example/ws"\nframe_ms = 40\n'
        '[profiles.prod.singsound]\nurls = ["https://a/auth", "https://b/auth"]\n',
        encoding="utf-8",
    )
    return path


def test_file_profile_env_and_keyring(tmp_path: Path) -> None:
    path = _write_profile(tmp_path)
    config.set_secret("prod", "voiceprint", "appcode", "from-keyring")
    p = config.load_profile(path=path, env={})
    assert p.name == "prod" and p.voiceprint.url == "wss://vp.example/ws" and p.voiceprint.frame_ms == 40
    assert p.voiceprint.appcode == "from-keyring"
    assert p.singsound.urls == ["https://a/auth", "https://b/auth"]
    env = {"VPW_VOICEPRINT_APPCODE": "from-env", "VPW_SINGSOUND_URLS": "https://x/auth, https://y/auth"}
    p = config.load_profile(path=path, env=env)
    assert p.voiceprint.appcode == "from-env"  # env wins over the keyring
    assert p.singsound.urls == ["https://x/auth", "https://y/auth"]
    assert config.load_profile("sandbox", path=path, env={}).is_sandbox
    assert config.load_profile(path=path, env={"VPW_PROFILE": "sandbox"}).is_sandbox


def test_secrets_refused_in_file_and_never_written(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[profiles.p.voiceprint]\nappcode = "oops"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="VPW_VOICEPRINT_APPCODE"):
        config.load_profile("p", path=path, env={})
    cfg = config.ConfigFile(tmp_path / "new.toml")
    p = config.Profile(name="p")
    p.voiceprint.appcode = "super-secret-code"
    p.rokid.secret = "rokid-secret"
    cfg.store_profile(p)
    cfg.save()
    text = (tmp_path / "new.toml").read_text(encoding="utf-8")
    assert "super-secret-code" not in text and "rokid-secret" not in text
    assert "********" in str(config.redacted(p)) and "super-secret-code" not in str(config.redacted(p))


def test_bad_file_and_values(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("this is = = not toml", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load_profile(path=path, env={})
    path.write_text('[profiles.p.voiceprint]\nframe_ms = "soon"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="frame_ms"):
        config.load_profile("p", path=path, env={})
    path.write_text("[profiles.p.voiceprint]\nnope = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="nope"):
        config.load_profile("p", path=path, env={})
    with pytest.raises(ConfigError, match="No profile named 'ghost'"):
        config.load_profile("ghost", path=path, env={})


def test_no_keyring_backend_is_said_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    import keyring.core

    keyring.core.set_keyring(keyring.core.load_keyring("keyring.backends.fail.Keyring"))
    try:
        assert not config.keyring_available()
        with pytest.raises(ConfigError, match="No OS keyring"):
            config.set_secret("p", "rokid", "secret", "x")
        assert config.get_secret("p", "rokid", "secret") == ""
    finally:
        keyring.core.set_keyring(keyring.core.load_keyring("keyrings.alt.file.PlaintextKeyring"))


def test_rename_profile_moves_secrets(tmp_path: Path) -> None:
    cfg = config.ConfigFile(_write_profile(tmp_path))
    config.set_secret("prod", "rokid", "secret", "s3")
    cfg.rename_profile("prod", "live")
    assert cfg.default_profile == "live"
    assert config.get_secret("live", "rokid", "secret") == "s3"
    assert config.get_secret("prod", "rokid", "secret") == ""
    with pytest.raises(ConfigError):
        cfg.rename_profile("sandbox", "x")


def test_moving_the_sandbox_keeps_env_overrides() -> None:
    env = {"VPW_ROKID_SECRET": "wrong", "VPW_VOICEPRINT_APPCODE": "bad-code"}
    p = config.load_profile(env=env)
    config.move_sandbox(p, 9123, env=env)
    assert ":9123/" in p.rokid.tts_url and ":9123/" in p.voiceprint.url
    assert p.rokid.secret == "wrong" and p.voiceprint.appcode == "bad-code"
    assert p.sandbox.port == 9123
