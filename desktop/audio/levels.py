"""Signal levels in dBFS (0 dBFS = a full-scale int16 sample), shared by capture meters and quality."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FULL_SCALE = 32768.0
# Digital silence has no finite level; a floor keeps reports JSON-serialisable (no -Infinity).
DBFS_FLOOR = -120.0


def dbfs(amplitude: float) -> float:
    """Level of a linear amplitude (1.0 = full scale), floored at ``DBFS_FLOOR``."""
    if amplitude <= 0.0:
        return DBFS_FLOOR
    return max(DBFS_FLOOR, 20.0 * math.log10(amplitude))


def power_dbfs(mean_square: float) -> float:
    """Level of a mean-square value (1.0 = full-scale power)."""
    return dbfs(math.sqrt(mean_square)) if mean_square > 0.0 else DBFS_FLOOR


def peak_rms_dbfs(pcm: npt.NDArray[np.int16]) -> tuple[float, float]:
    """(peak, RMS) of int16 samples in dBFS; empty input is silence."""
    if pcm.size == 0:
        return DBFS_FLOOR, DBFS_FLOOR
    wide = pcm.astype(np.int64)  # abs(-32768) overflows int16
    peak = float(np.abs(wide).max()) / FULL_SCALE
    mean_square = float(np.dot(wide, wide)) / pcm.size / (FULL_SCALE * FULL_SCALE)
    return dbfs(peak), power_dbfs(mean_square)
