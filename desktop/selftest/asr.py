"""Self-test of the ASR engine: pocketsphinx and its model load and hear English digits."""

from __future__ import annotations

from desktop.selftest import CheckFailed, Env
from desktop.selftest.libs import require_bundled, speak

DIGITS = "31415926"
WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def check_engine(env: Env) -> str:
    import pocketsphinx

    model = pocketsphinx.get_model_path()
    require_bundled("the pocketsphinx model", model)
    pcm = speak(" ".join(WORDS[int(d)] for d in DIGITS), "en")
    decoder = pocketsphinx.Decoder(loglevel="FATAL")
    decoder.start_utt()
    decoder.process_raw(pcm.tobytes(), full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    if hyp is None or not hyp.hypstr:
        raise CheckFailed("pocketsphinx heard nothing")
    return f"heard {hyp.hypstr!r}; model {model}"
