"""The GE2E speaker encoder network (3-layer LSTM, 256 units, linear + ReLU) in plain numpy.

Weights come from ``resemblyzer/pretrained.pt``, read by the restricted unpickler; torch is never
imported. The package's ``__init__`` imports torch, so the file is located without importing it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from desktop import i18n
from desktop.sandbox.engines.torch_pickle import ModelFileError, load_checkpoint
from desktop.sandbox.engines.wheel_files import find_file

F32 = npt.NDArray[np.float32]

HIDDEN = 256
LAYERS = 3
WEIGHTS_ENV = "VPW_GE2E_WEIGHTS"  # an explicit weights file (e.g. for a frozen build)
_PACKAGE, _FILE = "resemblyzer", "pretrained.pt"


def weights_path() -> Path | None:
    """Where ``resemblyzer/pretrained.pt`` is installed, or None when the wheel is absent."""
    return find_file(env=WEIGHTS_ENV, package=_PACKAGE, distribution=_PACKAGE, name=_FILE, bundle_dir=_PACKAGE)


@dataclass(frozen=True)
class _Layer:
    w_in: F32  # (inputs, 4H), gate order i, f, o, g; i, f, o scaled by -1
    w_rec: F32  # (H, 4H), same order and scaling
    bias: F32  # (4H,) bias_ih + bias_hh, same order and scaling


class Ge2eNetwork:
    """The encoder: partial mel windows (batch x frames x 40) -> L2-normalised 256-d embeddings."""

    def __init__(self, state: dict[str, F32]) -> None:
        layers = []
        h = HIDDEN
        # torch orders the gates i, f, g, o. Moving g last makes the three sigmoid gates one slice,
        # and scaling them by -1 leaves 1 / (1 + exp(.)) to compute them (see ``_lstm``).
        order = np.r_[0:h, h : 2 * h, 3 * h : 4 * h, 2 * h : 3 * h]
        scale = np.r_[np.full(3 * h, -1.0), np.ones(h)].astype(np.float32)
        for k in range(LAYERS):
            w_ih, w_hh = state[f"lstm.weight_ih_l{k}"], state[f"lstm.weight_hh_l{k}"]
            bias = state[f"lstm.bias_ih_l{k}"] + state[f"lstm.bias_hh_l{k}"]
            expected_in = 40 if k == 0 else h
            if w_ih.shape != (4 * h, expected_in) or w_hh.shape != (4 * h, h) or bias.shape != (4 * h,):
                raise ValueError(f"layer {k} of the speaker encoder has unexpected shapes")
            layers.append(
                _Layer(
                    w_in=np.ascontiguousarray((w_ih[order] * scale[:, None]).T, dtype=np.float32),
                    w_rec=np.ascontiguousarray((w_hh[order] * scale[:, None]).T, dtype=np.float32),
                    bias=np.ascontiguousarray(bias[order] * scale, dtype=np.float32),
                )
            )
        self._layers = layers
        self._w_out = np.ascontiguousarray(state["linear.weight"].T, dtype=np.float32)
        self._b_out = np.asarray(state["linear.bias"], dtype=np.float32)
        if self._w_out.shape != (h, h) or self._b_out.shape != (h,):
            raise ValueError("the speaker encoder's output layer has unexpected shapes")

    @classmethod
    def load(cls, path: Path) -> Ge2eNetwork:
        checkpoint = load_checkpoint(path)
        try:
            state = checkpoint["model_state"]
            return cls({k: np.asarray(v, dtype=np.float32) for k, v in state.items()})
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            reason = f"not a GE2E speaker encoder ({type(exc).__name__}: {exc})"
            raise ModelFileError(i18n.tr("torch_pickle.malformed", path=path, reason=reason)) from None

    def embed_partials(self, mels: F32) -> F32:
        """(batch, frames, 40) -> (batch, 256), each row L2-normalised (the network's forward)."""
        with _one_at_a_time():
            hidden = self._lstm(np.ascontiguousarray(mels, dtype=np.float32))
        raw = np.maximum(hidden @ self._w_out + self._b_out, 0.0)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        # A window whose every unit is cut by the ReLU has no direction; leave it at zero.
        return np.divide(raw, norms, out=np.zeros_like(raw), where=norms > 0).astype(np.float32)

    def _lstm(self, mels: F32) -> F32:
        """The last layer's final hidden state, (batch, 256)."""
        batch, frames, _ = mels.shape
        h = HIDDEN
        # Time-major from here on: each step reads and writes one contiguous block.
        x = np.ascontiguousarray(mels.transpose(1, 0, 2))
        hidden = np.zeros((batch, h), np.float32)
        for k, layer in enumerate(self._layers):
            # The input projection of every time step at once: one large matrix product.
            projected = (x.reshape(frames * batch, -1) @ layer.w_in).reshape(frames, batch, 4 * h)
            projected += layer.bias
            # Only the lower layers' outputs are read (by the next layer).
            outputs = np.empty((frames if k < LAYERS - 1 else 0, batch, h), np.float32)
            hidden = np.zeros((batch, h), np.float32)
            cell = np.zeros((batch, h), np.float32)
            tmp = np.empty((batch, h), np.float32)
            gates = np.empty((batch, 4 * h), np.float32)
            # Views made once: each step's dozen numpy calls then create no new arrays.
            sig, gate_i, gate_f, gate_o, gate_g = (
                gates[:, : 3 * h],
                gates[:, :h],
                gates[:, h : 2 * h],
                gates[:, 2 * h : 3 * h],
                gates[:, 3 * h :],
            )
            rows = list(zip(hidden, gates, strict=True))
            w_rec = layer.w_rec
            # BLAS's matrix product repacks the 1 MB weight matrix on every call, which costs more
            # than the arithmetic for a few rows; row by row it streams it once per row instead.
            by_row = batch <= _ROWWISE_MAX
            with np.errstate(over="ignore"):  # exp(-x) = inf for very negative x: the gate is 0
                for t, step_input in enumerate(projected):
                    if by_row:
                        for h_row, g_row in rows:
                            np.matmul(h_row, w_rec, out=g_row)
                    else:
                        np.matmul(hidden, w_rec, out=gates)
                    np.add(gates, step_input, out=gates)
                    # i, f, o were scaled by -1: sigmoid(x) = 1 / (1 + exp(-x)).
                    np.exp(sig, out=sig)
                    np.add(sig, 1.0, out=sig)
                    np.reciprocal(sig, out=sig)
                    np.tanh(gate_g, out=gate_g)
                    # c = f * c + i * g ; h = o * tanh(c)
                    np.multiply(cell, gate_f, out=cell)
                    np.multiply(gate_i, gate_g, out=tmp)
                    np.add(cell, tmp, out=cell)
                    np.tanh(cell, out=tmp)
                    np.multiply(gate_o, tmp, out=hidden)
                    if k < LAYERS - 1:
                        outputs[t] = hidden
            x = outputs
        return hidden


_ROWWISE_MAX = 5  # batch sizes at which row-by-row products beat one matrix product (measured)


@contextlib.contextmanager
def _one_at_a_time() -> Iterator[None]:
    """Run the network for one caller at a time, with BLAS on one thread.

    The recurrent products are small: split over threads, OpenBLAS spends many times the
    arithmetic spinning and synchronising (measured: 5-20x the CPU time on 2 busy cores). The
    limit is set once for the process and never restored, because OpenBLAS ignored a limit set
    from a worker thread after one had been set and restored elsewhere (threadpoolctl 3.8,
    OpenBLAS 0.3.31) -- and the sandbox embeds on executor threads. Nothing else in the app
    needs threaded BLAS. The lock keeps concurrent callers from interleaving thousands of small
    numpy calls, which only adds GIL hand-offs to the same total work.
    """
    global _blas_limited
    with _network_lock:
        if not _blas_limited:
            _blas_limited = True
            try:
                from threadpoolctl import threadpool_limits

                threadpool_limits(limits=1, user_api="blas")
            except ImportError:  # only slower without it
                pass
        yield


_network_lock = threading.Lock()
_blas_limited = False
