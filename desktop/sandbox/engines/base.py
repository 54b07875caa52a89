"""The interface every sandbox speaker engine offers (simple statistics now, neural later)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from desktop.errors import InputError

Embedding = npt.NDArray[np.float32]
Pcm = npt.NDArray[np.int16]


class NoSpeechError(InputError):
    """The recording holds no speech the voice detector could find (any engine)."""


class SpeakerEngine(Protocol):
    """What the sandbox needs from a speaker engine.

    Optional: an engine may also offer ``check_take(new, existing) -> str | None``, the reason an
    enrolment take ``new`` does not match the speaker's stored takes ``existing`` (a sentence for
    the operator), or None when it does. The voiceprint service calls it, when present, before
    storing a take for a speaker who already has some (see ``TakeChecker``). It is not part of
    this protocol because an engine whose own takes do not agree reliably should not offer one.
    """

    name: str
    default_threshold: float  # score at or above which the claimed speaker is accepted

    def embed(self, pcm: Pcm) -> Embedding:
        """16 kHz mono int16 speech -> an L2-normalised float32 vector."""
        ...

    def score(self, probe: Embedding, references: Sequence[Embedding]) -> float:
        """Similarity of ``probe`` to one speaker's reference embeddings (higher = more alike)."""
        ...


class TakeChecker(Protocol):
    def check_take(self, new: Embedding, existing: Sequence[Embedding]) -> str | None:
        """Why ``new`` should not be stored with ``existing`` (same speaker), or None."""
        ...


class DigitReader(Protocol):
    def read_digits(self, pcm: Pcm) -> str:
        """The digits spoken in ``pcm`` ("" when none could be heard)."""
        ...
