"""Self-test of the on-device ASR: pocketsphinx and its model load, through the sandbox's own
digit reader, and hear English digits spoken by the sandbox's eSpeak engine."""

from __future__ import annotations

from desktop.selftest import CheckFailed, Env
from desktop.selftest.libs import require_bundled, speak

DIGITS = "4096"  # a prompt length the reader expects (4-8 digits)
WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def check_engine(env: Env) -> str:
    import pocketsphinx

    from desktop.sandbox.engines import digits

    model = pocketsphinx.get_model_path()
    require_bundled("the pocketsphinx model", model)
    reader = digits.load_reader()  # as the sandbox's registry loads it
    pcm = speak(" ".join(WORDS[int(d)] for d in DIGITS), "en")
    # eSpeak and the decoder (fixed-seed dither) are deterministic: the same digits every time.
    heard = reader.read_digits(pcm)
    if heard != DIGITS:
        raise CheckFailed(f"heard {heard!r} for {DIGITS!r}; model {model}")
    return f"heard {heard!r} for {DIGITS!r}; model {model}"
