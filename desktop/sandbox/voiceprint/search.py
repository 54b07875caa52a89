"""1:N search over every enrolled take of one engine: one int8 matrix product, then an exact re-score.

Why int8. At 1,000,000 takes of 192 floats the float32 matrix is 768 MB (over the sandbox's 1 GB
budget with everything else) and a float32 matrix-vector product streams all of it (~46 ms on one
core of the reference machine). Each take is kept here as 192 one-byte codes and one scale
(``row ~= scale * (codes - 128)``): 212 MB with the ids, and onnxruntime's ``MatMulInteger``
(VNNI kernels) computes all the integer dot products in 12-25 ms of one core; without
onnxruntime a numpy fallback casts small chunks to float32 (~55 ms at a million, ~4 ms at
100,000). Float16 was slower still in numpy (no vector conversion: ~250 ms). Figures:
``tests/bench/bench_identify.py``.

Why still exact. The integer product is exact and the quantisation error is bounded: for a row
with residual ``r - s*q`` and a probe with residual ``p - t*u``,
``|r.p - s*t*(q.u)| <= |r - s*q| * |p| + |s*q| * |p - t*u|``, so every approximate cosine is
within ``epsilon`` of the true one. The engine's ``score`` of a speaker never exceeds the best
cosine of the probe to that speaker's takes (max, top-k mean and mean all satisfy this; a
score that did not, e.g. one normalised per speaker, must re-rank the raw top candidates
itself; ``test_voiceprint_search`` checks every registered engine). So: score exactly (float32
references, the engine's own ``score``) the first ``k`` speakers met in the order of approximate
cosine; their lowest score ``L`` is a lower
bound of the k-th best score; any speaker whose every take has an approximate cosine below
``L - epsilon`` scores below ``L`` and cannot be in the top ``k``; everyone else is scored
exactly too. The result is the brute-force top ``k`` (ties broken by name), not an estimate.
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

BLOCK_ROWS = 65536  # rows per block: appends never copy the matrix, a product runs per block
ZERO_POINT = 128  # codes are uint8 (what VNNI multiplies with int8); code 128 means 0
QMAX = 127
# Each stored code blob: this header, then the codes. The speaker id is repeated from the row's
# column so that loading reads two values a row (a million rows: SQLite's per-row cost counts);
# the take id lets loading check that a blob belongs to its row.
HEADER = np.dtype([("take", "<i8"), ("speaker", "<i8"), ("scale", "<f4"), ("residual", "<f4"), ("qnorm", "<f4")])
# Float32 rounding in the approximate and in the engine's exact cosine; far above either.
SLACK = 1e-4
FIRST_ROWS = 64  # rows looked at first for a lower bound; grows when they hold too few speakers
SAMPLE_STRIDE = 16  # see _best_rows
ONNXRUNTIME_FROM_ROWS = 50_000  # below, numpy's products take under ~3 ms
NUMPY_CHUNK = 1024  # rows cast to float32 at a time by the fallback (stays in cache)

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
U8 = npt.NDArray[np.uint8]
Header = npt.NDArray[np.void]


def quantise(rows: npt.ArrayLike, takes: npt.ArrayLike = 0, speakers: npt.ArrayLike = 0) -> tuple[Header, U8]:
    """``(header, codes)`` of float rows: one scale per row, the residual norm ``|r - s*q|`` and
    the norm ``|s*q|`` that bound the error of a product, and the ids given."""
    m = np.atleast_2d(np.asarray(rows, dtype=np.float32))
    amax = np.abs(m).max(axis=1) if m.shape[1] else np.zeros(len(m), np.float32)
    scales = np.where(amax > 0, amax / QMAX, 1.0).astype(np.float32)
    q = np.clip(np.rint(m / scales[:, None]), -QMAX, QMAX)
    header = np.zeros(len(m), dtype=HEADER)
    header["take"], header["speaker"], header["scale"] = takes, speakers, scales
    header["residual"] = np.linalg.norm(m - q * scales[:, None], axis=1)
    header["qnorm"] = np.linalg.norm(q, axis=1) * scales
    return header, (q + ZERO_POINT).astype(np.uint8)


def encode(embeddings: npt.ArrayLike, takes: npt.ArrayLike, speakers: npt.ArrayLike) -> list[bytes]:
    """The stored code blob of each take."""
    header, codes = quantise(embeddings, takes, speakers)
    return [h.tobytes() + c.tobytes() for h, c in zip(header, codes, strict=True)]


def decode(blobs: list[bytes], dim: int) -> tuple[Header, U8]:
    """Headers and codes of stored code blobs, all ``HEADER.itemsize + dim`` long (ValueError if not)."""
    width = HEADER.itemsize + dim
    if set(map(len, blobs)) - {width}:
        raise ValueError("code blobs of another size")
    joined = b"".join(blobs)
    raw = np.frombuffer(joined, dtype=np.uint8).reshape(len(blobs), width)
    header = np.ascontiguousarray(raw[:, : HEADER.itemsize]).view(HEADER)[:, 0]
    return header, raw[:, HEADER.itemsize :]


def code_dim(blob: bytes) -> int:
    return len(blob) - HEADER.itemsize


def sane(header: Header) -> npt.NDArray[np.bool_]:
    """Rows whose numbers can be trusted in a bound (finite, not negative)."""
    ok = np.ones(len(header), dtype=bool)
    for field in ("scale", "residual", "qnorm"):
        ok &= np.isfinite(header[field]) & (header[field] >= 0)
    return ok


@dataclass
class _Block:
    codes: U8  # (BLOCK_ROWS, dim)
    scales: F32
    takes: I64  # take ids, ascending: positions follow the store's ever-growing ids
    owners: I64  # speaker ids; -1 = deleted
    size: int = 0


class _Products:
    """``scale_row * probe_scale * ((codes - 128) . probe)`` for every row: the approximate
    cosines. The integer products on onnxruntime when it is installed, else numpy."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._session: Any = None
        self._tried = False
        self.backend = "numpy"

    def prepare(self, rows: int) -> None:
        """Use onnxruntime once the index is big enough to gain from it: importing it costs ~0.7 s,
        more than numpy spends on searches of a small store."""
        if self._tried or rows < ONNXRUNTIME_FROM_ROWS:
            return
        self._tried = True
        try:
            self._session = _ort_session(self.dim)
            self.backend = "onnxruntime"
        except Exception as exc:  # not installed, or a build without MatMulInteger: numpy does it
            log.info("voiceprint search without onnxruntime (%s): slower above ~100,000 takes", exc)

    def __call__(self, codes: U8, scales: F32, probe: npt.NDArray[np.int8], probe_scale: float, out: F32) -> None:
        if self._session is not None:
            dots = self._session.run(None, {"A": codes, "B": probe.reshape(-1, 1)})[0][:, 0]
        else:
            dots = self.integer_products(codes, probe)
        # Scaling in numpy: onnxruntime's Cast and Mul on these shapes doubled the time (measured).
        np.multiply(dots, scales, out=out, casting="unsafe")
        np.multiply(out, np.float32(probe_scale), out=out)

    def integer_products(self, codes: U8, probe: npt.NDArray[np.int8]) -> F32:
        """``(codes - 128) . probe`` exactly, as float32 (numpy)."""
        # Integer-valued float32 sums stay exact: |sum| <= dim * 255 * 127 < 2**24 for dim <= 518.
        pf = probe.astype(np.float32)
        out = np.empty(len(codes), np.float32)
        buf = np.empty((min(NUMPY_CHUNK, len(codes)), codes.shape[1]), np.float32)
        for start in range(0, len(codes), NUMPY_CHUNK):
            chunk = codes[start : start + NUMPY_CHUNK]
            b = buf[: len(chunk)]
            np.copyto(b, chunk, casting="unsafe")
            np.dot(b, pf, out=out[start : start + len(chunk)])
        out -= np.float32(ZERO_POINT * float(pf.sum()))
        return out


# The ONNX model ``Y = MatMulInteger(A uint8 [N, D], B int8 [D, 1], zero point 128)``, opset 13,
# serialised once by ``model_bytes`` (140 bytes): importing the onnx package to build it at
# every start cost ~1 s of CPU. A test checks the two still agree.
MODEL = base64.b64decode(
    "CAgSA3Zwdzp9Ch4KAUEKAUIKBHplcm8SAVkiDU1hdE11bEludGVnZXISCnZwd19zZWFyY2gqDBACKgKAAUIEemVyb1oVCgFBEhAKDggC"
    "EgoKAxIBTgoDEgFEWhQKAUISDwoNCAMSCQoDEgFECgIIAWIUCgFZEg8KDQgGEgkKAxIBTgoCCAFCBAoAEA0="
)


def model_bytes() -> bytes:
    """``MODEL`` built with the onnx package (a development dependency of this check only)."""
    from onnx import TensorProto, helper  # type: ignore[import-not-found,import-untyped,unused-ignore]

    a = helper.make_tensor_value_info("A", TensorProto.UINT8, ["N", "D"])  # the codes
    b = helper.make_tensor_value_info("B", TensorProto.INT8, ["D", 1])  # the probe's codes
    y = helper.make_tensor_value_info("Y", TensorProto.INT32, ["N", 1])
    zero = helper.make_tensor("zero", TensorProto.UINT8, [], [ZERO_POINT])
    node = helper.make_node("MatMulInteger", ["A", "B", "zero"], ["Y"])
    graph = helper.make_graph([node], "vpw_search", [a, b], [y], initializer=[zero])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="vpw")
    model.ir_version = 8
    return bytes(model.SerializeToString())


def _ort_session(dim: int) -> Any:
    import onnxruntime as ort  # type: ignore[import-not-found,import-untyped,unused-ignore]

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # one core: the other serves the event loop and the engine
    options.inter_op_num_threads = 1
    return ort.InferenceSession(MODEL, options, providers=["CPUExecutionProvider"])


ExactScores = Callable[[list[int]], dict[int, float]]  # speaker ids -> the engine's exact score
Names = Callable[[list[int]], dict[int, str]]


class SearchIndex:
    """Int8 rows of one engine's takes, in memory; thread-safe."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._blocks: list[_Block] = []
        self._lock = threading.Lock()
        self._residual = 0.0  # largest residual norm of any row ever added (a safe bound)
        self._qnorm = 0.0  # largest norm of a quantised row
        self._live = 0
        self._products = _Products(dim)

    @property
    def backend(self) -> str:
        return self._products.backend

    def prepare(self) -> None:
        """Choose how to compute products for the rows held now (see ``_Products.prepare``)."""
        with self._lock:
            self._products.prepare(sum(b.size for b in self._blocks))

    @property
    def last_take(self) -> int:
        """The highest take id ever added (-1 when none)."""
        with self._lock:
            last = next((b for b in reversed(self._blocks) if b.size), None)
            return int(last.takes[last.size - 1]) if last is not None else -1

    def live_blocks(self) -> Iterator[tuple[Header, U8]]:
        """The rows not deleted, block by block, in take order, with headers whose error norms
        are the index's bounds (what ``add`` needs to rebuild an index as safe as this one)."""
        with self._lock:
            for block in self._blocks:
                live = np.flatnonzero(block.owners[: block.size] >= 0)
                header = np.zeros(len(live), dtype=HEADER)
                header["take"], header["speaker"] = block.takes[live], block.owners[live]
                header["scale"], header["residual"], header["qnorm"] = block.scales[live], self._residual, self._qnorm
                yield header, block.codes[live]

    def __len__(self) -> int:
        """Live rows (deleted ones are not counted)."""
        return self._live

    def add(self, header: Header, codes: U8) -> None:
        """Append rows (take ids ascending and above every id already held)."""
        if codes.ndim != 2 or codes.shape[1] != self.dim:
            raise ValueError(f"rows of {codes.shape[-1]} dimensions in a {self.dim}-dimensional index")
        if not len(codes):
            return
        takes, owners, scales = header["take"], header["speaker"], header["scale"]
        with self._lock:
            self._residual = max(self._residual, float(header["residual"].max()))
            self._qnorm = max(self._qnorm, float(header["qnorm"].max()))
            done = 0
            while done < len(codes):
                if not self._blocks or self._blocks[-1].size == BLOCK_ROWS:
                    self._blocks.append(_new_block(self.dim))
                block = self._blocks[-1]
                n = min(BLOCK_ROWS - block.size, len(codes) - done)
                end = block.size + n
                block.codes[block.size : end] = codes[done : done + n]
                block.scales[block.size : end] = scales[done : done + n]
                block.takes[block.size : end] = takes[done : done + n]
                block.owners[block.size : end] = owners[done : done + n]
                block.size = end
                done += n
            self._live += int((owners >= 0).sum())

    def remove(self, takes: Iterable[int]) -> None:
        """Forget rows by take id (they stay as dead rows until the next load compacts them)."""
        ids = np.unique(np.fromiter(takes, np.int64))
        if not len(ids):
            return
        with self._lock:
            for block in self._blocks:
                if not block.size:
                    continue
                held = block.takes[: block.size]
                lo = int(np.searchsorted(ids, held[0], "left"))
                hi = int(np.searchsorted(ids, held[-1], "right"))
                wanted = ids[lo:hi]  # the ids within this block's range
                if not len(wanted):
                    continue
                at = np.searchsorted(held, wanted)
                at = at[held[at] == wanted]
                self._live -= int((block.owners[at] >= 0).sum())
                block.owners[at] = -1
                block.scales[at] = 0.0

    def approximate(self, probe: npt.ArrayLike) -> tuple[F32, float]:
        """Approximate cosine of ``probe`` to every row (deleted rows: 0; see ``owners``), and the
        bound ``epsilon`` on each approximation's error."""
        p = np.asarray(probe, dtype=np.float32).reshape(-1)
        if p.shape != (self.dim,):
            raise ValueError(f"a probe of {p.size} dimensions for a {self.dim}-dimensional index")
        ph, pq = quantise(p)
        ps, pres = float(ph["scale"][0]), float(ph["residual"][0])
        probe_codes = (pq[0].astype(np.int16) - ZERO_POINT).astype(np.int8)
        with self._lock:
            out = np.empty(sum(b.size for b in self._blocks), np.float32)
            self._products.prepare(len(out))
            for i, block in enumerate(self._blocks):
                start = i * BLOCK_ROWS  # every block but the last is full
                n = block.size
                self._products(block.codes[:n], block.scales[:n], probe_codes, ps, out[start : start + n])
            epsilon = self._residual * float(np.linalg.norm(p)) + self._qnorm * pres + SLACK
        return out, epsilon

    def owners(self, rows: I64 | None = None) -> I64:
        """Speaker ids (-1 = deleted) of rows by position (``approximate``'s order); all of them
        when ``rows`` is None."""
        with self._lock:
            if rows is None:
                parts = [b.owners[: b.size] for b in self._blocks]
                return np.concatenate(parts) if parts else np.zeros(0, np.int64)
            rows = np.asarray(rows, dtype=np.int64)
            result = np.empty(len(rows), np.int64)
            blocks, offsets = np.divmod(rows, BLOCK_ROWS)
            for b in np.unique(blocks):
                at = blocks == b
                result[at] = self._blocks[int(b)].owners[offsets[at]]
            return result

    def top(self, probe: npt.ArrayLike, k: int, exact: ExactScores, names: Names) -> list[tuple[str, float]]:
        """The ``k`` best speakers by the engine's exact score, best first, ties by name."""
        approx, epsilon = self.approximate(probe)
        if k <= 0 or not len(approx):
            return []
        # A lower bound of the k-th best score: the exact scores of the first k speakers met,
        # best rows first (more rows are looked at while they hold fewer than k live speakers).
        scored: dict[int, float] = {}
        tried: set[int] = set()
        first = FIRST_ROWS
        while len(scored) < k:
            rows = _best_rows(approx, first)
            met = [o for o in dict.fromkeys(self.owners(rows).tolist()) if o >= 0 and o not in tried]
            met = met[: k - len(scored)]
            if met:
                tried.update(met)
                scored.update(exact(met))
            elif len(rows) == len(approx):
                break  # fewer than k speakers in the whole index
            else:
                first *= 8
        if not scored:
            return []
        bound = min(scored.values()) if len(scored) >= k else -np.inf
        # Everyone who might reach the bound: a speaker's score <= its best approximate cosine + epsilon.
        candidates = np.flatnonzero(approx >= bound - epsilon) if bound > -np.inf else np.arange(len(approx))
        rest = sorted({o for o in self.owners(candidates).tolist() if o >= 0} - tried)
        if rest:
            scored.update(exact(rest))
        best = sorted(scored.items(), key=lambda item: -item[1])
        # Ties may straddle the cut: take everyone at or above the k-th score, then order by name.
        if len(best) > k:
            cut = best[k - 1][1]
            best = [item for item in best if item[1] >= cut]
        labelled = names([owner for owner, _ in best])
        ranked = sorted(((labelled[o], s) for o, s in best if o in labelled), key=lambda item: (-item[1], item[0]))
        return ranked[:k]

    def cohort(self, probe: npt.ArrayLike, n: int, exclude: Iterable[int] = ()) -> F32:
        """The ``n`` highest approximate cosines of ``probe`` to other speakers' takes (within
        ``epsilon``), best first: the probe-side statistics of adaptive score normalisation."""
        approx, _ = self.approximate(probe)
        owners = self.owners()
        keep = owners >= 0
        for owner in exclude:
            keep &= owners != owner
        values = approx[keep]
        if n < len(values):
            values = values[np.argpartition(-values, n - 1)[:n]]
        return np.sort(values)[::-1].astype(np.float32)


def _best_rows(approx: F32, n: int) -> I64:
    """The positions of the ``n`` highest values, highest first (ties: lower position first)."""
    total = len(approx)
    if n >= total:
        return np.argsort(-approx, kind="stable")
    # Cheaper than a partition of everything: a threshold from a sample usually leaves ~2n rows.
    sample = approx[::SAMPLE_STRIDE]
    j = 2 * n // SAMPLE_STRIDE + 1
    if j < len(sample):
        threshold = np.partition(sample, len(sample) - j)[len(sample) - j]
        rows = np.flatnonzero(approx >= threshold)
        if len(rows) < n:
            rows = np.argpartition(-approx, n - 1)[:n]
    else:
        rows = np.argpartition(-approx, n - 1)[:n]
    # Keep exactly the n best (by value, then position) so that the walk's order is deterministic.
    order = np.lexsort((rows, -approx[rows]))
    return rows[order][:n]


def _new_block(dim: int) -> _Block:
    # np.empty: pages a block does not use yet are never touched, so they cost no resident memory.
    return _Block(
        codes=np.empty((BLOCK_ROWS, dim), np.uint8),
        scales=np.zeros(BLOCK_ROWS, np.float32),
        takes=np.empty(BLOCK_ROWS, np.int64),
        owners=np.full(BLOCK_ROWS, -1, np.int64),
    )
