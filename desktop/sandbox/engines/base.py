"""The interface every sandbox speaker engine offers (simple statistics now, neural later)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

Embedding = npt.NDArray[np.float32]
Pcm = npt.NDArray[np.int16]


class SpeakerEngine(Protocol):
    name: str
    default_threshold: float  # score at or above which the claimed speaker is accepted

    def embed(self, pcm: Pcm) -> Embedding:
        """16 kHz mono int16 speech -> an L2-normalised float32 vector."""
        ...

    def score(self, probe: Embedding, references: Sequence[Embedding]) -> float:
        """Similarity of ``probe`` to one speaker's reference embeddings (higher = more alike)."""
        ...


class DigitReader(Protocol):
    def read_digits(self, pcm: Pcm) -> str:
        """The digits spoken in ``pcm`` ("" when none could be heard)."""
        ...
