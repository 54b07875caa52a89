"""What every speaker engine must do, whatever its network: checks shared by the engine tests
(test_campp_engine.py, test_ge2e_engine.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

from desktop.errors import InputError
from desktop.sandbox.engines.base import NoSpeechError


def bad_input_is_refused_clearly(engine: Any) -> None:
    with pytest.raises(NoSpeechError, match="No speech"):
        engine.embed(np.zeros(16000 * 2, np.int16))
    with pytest.raises(NoSpeechError):
        engine.embed(np.zeros(100, np.int16))
    with pytest.raises(InputError, match="16-bit"):
        engine.embed(np.zeros(16000, np.float32))
    with pytest.raises(InputError):
        engine.embed(np.zeros((2, 16000), np.int16))


def noise_gives_a_unit_vector_or_no_speech(engine: Any) -> None:
    noise = np.random.default_rng(3).normal(0, 3000, 16000 * 2).clip(-32768, 32767).astype(np.int16)
    try:
        emb = engine.embed(noise)
    except NoSpeechError:
        return  # the VAD may call it silence: also a clear answer
    assert np.isfinite(emb).all() and abs(float(np.linalg.norm(emb)) - 1) < 1e-5


def in_threads(work: Callable[[Any], Any], inputs: Sequence[Any], timeout_s: float = 60) -> list[Any]:
    """``work`` on each input, one thread each, all at once; the results in input order."""
    results: list[Any] = [None] * len(inputs)

    def run(i: int) -> None:
        results[i] = work(inputs[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(inputs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout_s)
    return results


def concurrent_embeddings_match_serial_ones(engine: Any, clips: Sequence[np.ndarray]) -> None:
    serial = [engine.embed(c) for c in clips]
    for got, want in zip(in_threads(engine.embed, clips), serial, strict=True):
        assert got is not None
        np.testing.assert_allclose(got, want, atol=1e-6)
