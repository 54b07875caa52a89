"""Self-test of the sandbox's speaker engine: the best installed engine loads and tells voices apart.

In a bundle this proves that the default engine's weights and runtime were packaged (CAM++: its
checkpoint, onnxruntime and kaldi-native-fbank) and come from the bundle, not from the host. An
engine that is installed but falls back to a lesser one at load fails the check, since the
sandbox would otherwise verify with another engine than the one the operator was promised.
"""

from __future__ import annotations

import time

from desktop.selftest import Check, CheckFailed, Env
from desktop.selftest.libs import loaded_path, require_bundled, speak

TEXT_A = "Please remember to bring your umbrella tomorrow because the weather report promises heavy rain."
TEXT_B = "三一四一五九二六，八七六五四三二一。"
# Libraries each neural engine runs on, by a fragment of their file name.
RUNTIMES = {"campp": ("onnxruntime_pybind11_state", "_kaldi_native_fbank")}


def check_speaker_engine(env: Env) -> str:
    import numpy as np

    from desktop.sandbox.engines import registry

    wanted = registry.preferred_engine()
    engine = registry.get_engine(wanted)
    if engine.name != wanted:
        raise CheckFailed(f"the {wanted} engine is installed but did not load (the sandbox fell back to {engine.name})")
    start = time.perf_counter()
    # The same voice reading English, then Mandarin digits; another voice reading the digits.
    same_a, same_b = engine.embed(speak(TEXT_A, "zh")), engine.embed(speak(TEXT_B, "zh"))
    elapsed = (time.perf_counter() - start) / 2
    other = engine.embed(speak(TEXT_B, "c1"))
    for emb in (same_a, same_b, other):
        if emb.dtype != np.float32 or not np.all(np.isfinite(emb)) or abs(float(np.linalg.norm(emb)) - 1) > 1e-4:
            raise CheckFailed(f"{engine.name} gave a vector that is not a finite float32 unit vector")
    same, cross = engine.score(same_b, [same_a]), engine.score(other, [same_a])
    if not same > cross:
        raise CheckFailed(f"{engine.name} scores another voice ({cross:.2f}) above the same voice ({same:.2f})")
    for fragment in RUNTIMES.get(engine.name, ()):
        path = loaded_path(fragment)
        require_bundled(fragment, path)
    return (
        f"{engine.name} ({same_a.shape[0]}-d): same voice across languages {same:.2f}, other voice {cross:.2f}; "
        f"{elapsed * 1000:.0f} ms per embedding"
    )


CHECKS = [Check("speaker", check_speaker_engine, needs=("numpy", "espeak"))]
