"""What an enrolment or a verification decides, given the audio: the blocking half of the service.

Everything here runs on executor threads (embedding a minute of speech takes a noticeable
fraction of a second, longer with the neural engine), never on the event loop. The engine, its
store and the digit reader load on first use, so that a sandbox serving only TTS starts fast.

Every verification is a 1:N search: the answer lists the top 3 of everyone enrolled with the
engine in use (``VoiceprintStore.search``: one int8 matrix product and an exact re-score with
the engine's own ``score``, the same top 3 as scoring everyone). A name enrolled only with
another engine is answered 404 with a sentence saying so and how to re-enrol.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop import i18n
from desktop.errors import VpwError
from desktop.sandbox import vad
from desktop.sandbox.engines import registry
from desktop.sandbox.engines.base import DigitReader, Embedding, Pcm, SpeakerEngine
from desktop.sandbox.voiceprint import messages
from desktop.sandbox.voiceprint.store import VoiceprintStore, stored_engines

log = logging.getLogger(__name__)

# Status codes of stop_* answers (the seed shows only 200; the rest is ours, see service.py).
OK = 200
BAD_AUDIO = 400
REJECTED = 403
NOT_ENROLLED = 404
ENGINE_ERROR = 500

TOP_CANDIDATES = 3

i18n.register(
    {
        "sandbox.voiceprint.other_engine": {
            "en": "{name} has voiceprints made with the {made} speaker engine, but this sandbox uses {engine}: "
            "voiceprints of different engines cannot be compared. Enrol {name} again to verify with {engine}, "
            "or start the sandbox with {env}={first} to use the old voiceprints",
            "zh": "{name} 的声纹是用 {made} 声纹引擎注册的，但本沙箱使用 {engine}：不同引擎的声纹无法比较。"
            "请重新注册 {name} 以便用 {engine} 验证，或以 {env}={first} 启动沙箱以使用原有声纹",
        },
    }
)


@dataclass(frozen=True)
class Outcome:
    status: int
    data: str


class Backend:
    def __init__(self, root: Path, engine_name: str | None = None, digit_length: int = 0) -> None:
        self.root = root
        self.engine_name = engine_name
        self.digit_length = digit_length  # digits in every prompt, when known (0: any number)
        self._lock = threading.Lock()
        self._engine: SpeakerEngine | None = None
        self._store: VoiceprintStore | None = None
        self._digits: DigitReader | None = None

    def _ready(self) -> tuple[SpeakerEngine, VoiceprintStore]:
        with self._lock:
            if self._engine is None or self._store is None:
                engine = registry.get_engine(self.engine_name)
                self._store = VoiceprintStore(self.root, engine.name)
                self._digits = registry.get_digit_reader()
                self._engine = engine
                log.info(
                    "voiceprint engine %s, %d speakers enrolled (search: %s)",
                    engine.name,
                    self._store.count(),
                    self._store.search_backend,
                )
                log_other_engines(self._store.stored_engines(), engine.name)
            return self._engine, self._store

    def announce(self) -> None:
        """Log at start which engines have voiceprints stored, before anything loads."""
        engine = (self.engine_name or os.environ.get(registry.ENV_ENGINE) or registry.preferred_engine()).strip()
        stored = stored_engines(self.root)
        if stored:
            log.info("voiceprints stored: %s", ", ".join(f"{e}: {n} speakers" for e, n in sorted(stored.items())))
        log_other_engines(stored, engine.lower())

    def store(self) -> VoiceprintStore:
        """The enrolled voiceprints (the admin endpoint deletes from it)."""
        return self._ready()[1]

    def _embed(self, engine: SpeakerEngine, pcm: Pcm) -> Embedding | Outcome:
        try:
            return engine.embed(pcm)
        except (ValueError, VpwError) as exc:
            return Outcome(BAD_AUDIO, i18n.tr("sandbox.voiceprint.engine_failed", reason=str(exc)))
        except Exception as exc:  # a broken engine must answer, not kill the connection
            log.exception("speaker engine %s failed", engine.name)
            return Outcome(ENGINE_ERROR, i18n.tr("sandbox.voiceprint.engine_failed", reason=type(exc).__name__))

    def enrol(self, name: str, pcm: Pcm, min_speech_s: float) -> Outcome:
        engine, store = self._ready()
        speech = vad.speech_seconds(pcm)
        if speech < min_speech_s:
            return Outcome(BAD_AUDIO, i18n.tr("sandbox.voiceprint.too_short", speech=speech, minimum=min_speech_s))
        embedding = self._embed(engine, pcm)
        if isinstance(embedding, Outcome):
            return embedding
        refused = self._check_take(engine, name, embedding, [t.embedding for t in store.takes(name)])
        if refused is not None:
            return refused
        takes = store.add_take(name, embedding, speech)
        log.info("enrolled %r: take %d, %.1f s of speech", name, takes, speech)
        return Outcome(OK, i18n.tr("sandbox.voiceprint.enrolled", name=name, takes=takes, speech=speech))

    def _check_take(
        self, engine: SpeakerEngine, name: str, embedding: Embedding, existing: list[Embedding]
    ) -> Outcome | None:
        """A refusal when the engine can tell that this take is not the voice already enrolled
        under ``name``: storing it would let that other voice pass as this speaker ever after.
        Engines without ``check_take`` (``base.TakeChecker``) store every take."""
        check = getattr(engine, "check_take", None)
        if not existing or not callable(check):
            return None
        try:
            reason = check(embedding, existing)
        except Exception as exc:  # an unchecked take must not slip into the store
            log.exception("take check of engine %s failed", engine.name)
            return Outcome(ENGINE_ERROR, i18n.tr("sandbox.voiceprint.engine_failed", reason=type(exc).__name__))
        if reason is None:
            return None
        log.info("enrol %r: take refused, %d stored takes kept (%s)", name, len(existing), reason)
        return Outcome(BAD_AUDIO, i18n.tr("sandbox.voiceprint.take_refused", name=name, reason=reason))

    def verify(self, name: str, pcm: Pcm, min_speech_s: float, threshold: float) -> Outcome:
        engine, store = self._ready()
        speech = vad.speech_seconds(pcm)
        if speech < min_speech_s:
            return Outcome(BAD_AUDIO, i18n.tr("sandbox.voiceprint.too_short", speech=speech, minimum=min_speech_s))
        enrolled = store.has(name)
        if not enrolled:
            made = store.other_engines(name)
            if made:
                log.info("verify %r: enrolled only with %s, not with %s", name, ", ".join(made), engine.name)
                return Outcome(NOT_ENROLLED, other_engine_sentence(name, made, engine.name))
        if not store.size():
            return Outcome(NOT_ENROLLED, i18n.tr("sandbox.voiceprint.nobody"))
        probe = self._embed(engine, pcm)
        if isinstance(probe, Outcome):
            return probe
        top = store.search(probe, TOP_CANDIDATES, engine.score)
        if not top:  # every take unreadable: nobody to compare with
            return Outcome(NOT_ENROLLED, i18n.tr("sandbox.voiceprint.nobody"))
        text = messages.format_result(top, self._read_digits(pcm))
        limit = threshold if threshold > 0 else engine.default_threshold
        if not enrolled:
            status = NOT_ENROLLED
        elif top[0][0] == name and top[0][1] >= limit:
            status = OK
        else:
            status = REJECTED
        log.info("verify %r: status %d, top %s, threshold %.3f", name, status, top[0], limit)
        return Outcome(status, text)

    def _read_digits(self, pcm: Pcm) -> str:
        if self._digits is None:
            return ""
        try:
            heard = self._heard(self._digits, np.asarray(pcm, dtype=np.int16))
        except Exception:  # the digits are a bonus: a failing reader must not sink the verdict
            log.exception("digit reader failed")
            return ""
        return re.sub(r"[^0-9]", "", heard)

    def _heard(self, reader: DigitReader, pcm: Pcm) -> str:
        """With the prompt length expected, a grammar of that many digits or any other number
        (``read_expected``, offered by the pocketsphinx reader for lengths it built): a client
        that shows prompts of another length is still read right. Else any number of digits."""
        expected = getattr(reader, "read_expected", None)
        lengths = getattr(reader, "lengths", range(0))
        if self.digit_length and callable(expected) and self.digit_length in lengths:
            return str(expected(pcm, self.digit_length))
        return reader.read_digits(pcm)


def other_engine_sentence(name: str, made: list[str], engine: str) -> str:
    return i18n.tr(
        "sandbox.voiceprint.other_engine",
        name=name,
        made=", ".join(made),
        engine=engine,
        env=registry.ENV_ENGINE,
        first=made[0],
    )


def log_other_engines(stored: dict[str, int], engine: str) -> None:
    """Say at start that voiceprints of other engines exist and are not used by ``engine``."""
    others = {e: n for e, n in sorted(stored.items()) if e != engine and n}
    if others:
        listed = ", ".join(f"{e}: {n} speakers" for e, n in others.items())
        log.warning(
            "voiceprints of other engines are stored (%s) and not used by %s: re-enrol those speakers, "
            "or set %s to their engine",
            listed,
            engine,
            registry.ENV_ENGINE,
        )
