"""How the neural engines turn cosine similarities into a speaker's score and a take check.

Shared by GE2E and CAM++ so that the voiceprint store's 1:N search can rely on one rule: a
speaker's score never exceeds the probe's best cosine to one of that speaker's takes (see
``voiceprint.search``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from desktop.sandbox.engines.base import Embedding


def top_k_mean(probe: Embedding, references: Sequence[Embedding], k: int) -> float:
    """Mean cosine similarity of ``probe`` to its ``k`` closest references (0.0 with none).

    Not the single best reference, which lets one unusual take accept an impostor, and not all
    of them, which lets one noisy take sink the true speaker.
    """
    if not references:
        return 0.0
    sims = np.sort(np.stack(references).astype(np.float32) @ np.asarray(probe, np.float32))[::-1]
    return float(np.clip(sims[:k].mean(), -1.0, 1.0))


def take_consistency(new: Embedding, existing: Sequence[Embedding]) -> float | None:
    """Mean cosine of an enrolment take ``new`` with the speaker's earlier takes, or None when
    none is comparable. The mean, not the best: one similar take among several that disagree
    still means the voice or the room changed."""
    new = np.asarray(new, np.float32)
    # A reference of another shape (another engine's, or a damaged row) says nothing about this voice.
    comparable = [e for e in existing if np.shape(e) == new.shape]
    if not comparable:
        return None
    return float(np.mean(np.stack(comparable).astype(np.float32) @ new))
