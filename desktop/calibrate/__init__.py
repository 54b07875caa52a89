"""Calibrate the sandbox's accept threshold on the operator's own recordings (Qt-free).

``trials.calibrate`` runs the trials and measures the error rates, ``plot`` draws them,
``apply_threshold`` stores a chosen threshold in the sandbox profile.
"""

from __future__ import annotations

import math
from pathlib import Path

from desktop import config, i18n
from desktop.errors import ConfigError, InputError

i18n.register(
    {
        "calibrate.bad_threshold": {
            "en": "A threshold of {value} cannot be stored: the sandbox reads 0 or less as 'use the engine's default'",
            "zh": "无法保存阈值 {value}：沙箱把 0 或更小的值视为“使用引擎默认值”",
        },
    }
)


def stored_threshold(path: Path | None = None) -> float:
    """The sandbox profile's threshold as the config file holds it (0.0: the engine's default)."""
    try:
        section = config.ConfigFile(path).profiles.get(config.SANDBOX, {}).get("sandbox", {})
        value = section.get("threshold", 0.0) if isinstance(section, dict) else 0.0
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
    except (ConfigError, OSError, AttributeError):
        return 0.0


def exact(value: float) -> str:
    """A threshold as text that reads back as the same float (``repr``): never rounded for show."""
    return repr(float(value))


def apply_threshold(value: float, path: Path | None = None) -> Path:
    """Write ``value`` as the sandbox profile's threshold in the config file; returns its path.

    Only ``profiles.sandbox.sandbox.threshold`` changes; everything else in the file is kept.
    """
    if not math.isfinite(value) or value <= 0:
        raise InputError(i18n.tr("calibrate.bad_threshold", value=value))
    cfg = config.ConfigFile(path)
    profile = cfg.profiles.setdefault(config.SANDBOX, {})
    section = profile.setdefault("sandbox", {}) if isinstance(profile, dict) else None
    if not isinstance(section, dict):
        raise ConfigError(i18n.tr("config.unknown_field", section="sandbox", name="*", profile=config.SANDBOX))
    section["threshold"] = float(value)
    cfg.save()
    return cfg.path
