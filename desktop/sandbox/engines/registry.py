"""Pick the sandbox's speaker engine and digit reader by name, loading heavy ones only on demand.

Engines are pluggable behind ``base.SpeakerEngine``: ``simple`` (numpy statistics) always works;
``ge2e`` (neural) is used when its module exists and loads. ``VPW_SANDBOX_ENGINE`` picks one
when the caller does not. Embeddings of different engines are not comparable, so the voiceprint
store keeps each engine's references apart (see ``voiceprint.store``).
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable

from desktop.sandbox.engines.base import DigitReader, SpeakerEngine

log = logging.getLogger(__name__)

DEFAULT_ENGINE = "simple"
ENV_ENGINE = "VPW_SANDBOX_ENGINE"


def _simple() -> SpeakerEngine:
    from desktop.sandbox.engines.simple import SimpleEngine

    return SimpleEngine()


def _ge2e() -> SpeakerEngine:
    # Optional: needs pretrained weights that may not be installed (then load_engine raises).
    from desktop.sandbox.engines.ge2e import load_engine

    return load_engine()


_FACTORIES: dict[str, Callable[[], SpeakerEngine]] = {"simple": _simple, "ge2e": _ge2e}


def preferred_engine() -> str:
    """``ge2e`` when resemblyzer's weights are installed (requirements/nodeps.txt), else the default."""
    from desktop.sandbox.engines.ge2e_model import weights_path

    return "ge2e" if weights_path() is not None else DEFAULT_ENGINE


def engine_names() -> list[str]:
    return sorted(_FACTORIES)


def get_engine(name: str | None = None) -> SpeakerEngine:
    """The engine called ``name`` (else ``$VPW_SANDBOX_ENGINE``, else the default).

    An unknown name raises ValueError; a known engine that cannot load (missing module or model)
    falls back to ``simple`` with a warning, so that the sandbox still starts.
    """
    chosen = (name or os.environ.get(ENV_ENGINE) or preferred_engine()).strip().lower()
    factory = _FACTORIES.get(chosen)
    if factory is None:
        raise ValueError(f"unknown speaker engine {chosen!r}; known: {', '.join(engine_names())}")
    try:
        return factory()
    except Exception as exc:  # ImportError, a missing model file, a broken runtime...
        if chosen == DEFAULT_ENGINE:
            raise
        log.warning("speaker engine %s unavailable (%s); using %s", chosen, exc, DEFAULT_ENGINE)
        return _FACTORIES[DEFAULT_ENGINE]()


def get_digit_reader() -> DigitReader | None:
    """The digit reader when ``desktop.sandbox.engines.digits`` exists and loads, else None.

    That module offers a factory, ``load_reader()`` or ``load()``, returning a ``DigitReader``.
    """
    try:
        module = importlib.import_module("desktop.sandbox.engines.digits")
        factory = getattr(module, "load_reader", None) or module.load
        reader: DigitReader = factory()
    except Exception as exc:
        if not isinstance(exc, ModuleNotFoundError) or exc.name != "desktop.sandbox.engines.digits":
            log.warning("digit reader unavailable: %s", exc)
        return None
    return reader
