"""Self-test of the on-device ASR: pocketsphinx and its model load and hear English digits spoken
by the sandbox's eSpeak engine, through both of the sandbox's recognisers: the Rokid ASR engine
(general language model, digit grammar, phone loop) and the voiceprint digit reader."""

from __future__ import annotations

from desktop.selftest import CheckFailed, Env, frozen
from desktop.selftest.libs import require_bundled, speak

DIGITS = "4096"  # a prompt length the reader expects (4-8 digits)
WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def check_engine(env: Env) -> str:
    import pocketsphinx

    from desktop.sandbox.engines import asr, digit_head, digits

    model = pocketsphinx.get_model_path()
    require_bundled("the pocketsphinx model", model)
    head = digit_head.load()
    if head is None and frozen():  # the bundle must carry the embedding and the trained head
        raise CheckFailed("the digit head (speech embedding and resources/models/digit_head.npz) is missing")
    pcm = speak(" ".join(WORDS[int(d)] for d in DIGITS), "en")
    # eSpeak and both decoders (fixed-seed dither) are deterministic: the same answer every time.
    heard = {
        "Rokid ASR": asr.recognizer().transcribe(pcm),
        "digit reader": digits.load_reader().read_digits(pcm),  # as the sandbox's registry loads it
    }
    wrong = {name: text for name, text in heard.items() if text != DIGITS}
    if wrong:
        raise CheckFailed(f"for {DIGITS!r} heard " + ", ".join(f"{n} {t!r}" for n, t in wrong.items()))
    second = "with" if head is not None else "without"
    return f"{DIGITS!r} heard by the Rokid ASR engine and the digit reader ({second} its digit head); model {model}"
