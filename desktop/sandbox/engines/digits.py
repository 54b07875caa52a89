"""Hear the digits a speaker reads (English digits only): pocketsphinx with digit grammars, and a
second opinion on each digit (digit_head.py).

A grammar of exactly N digits is the most accurate when N is known, but the voiceprint protocol
never tells the server how many digits were shown. Decoding once per length (4-8) and keeping
the best-scoring hypothesis does not work: pocketsphinx's silence model swallows trailing digits
more cheaply than it pays for them, so the shortest grammar nearly always wins. Three readings:
``read_digits`` -- one grammar of one or more digits, word and silence penalties tuned so that it
neither inserts nor swallows digits; ``read_fixed`` -- exactly N; ``read_expected`` -- N or any
other number in one pass, read again with exactly N when it hears N +/- 1 (what the sandbox does
with its ``digit_length``). pocketsphinx places the digits well but names them less well ("five"
heard as "nine" was half of its errors): each digit it found is named again by Google's speech
embedding and a small head trained on synthetic voices, which wins where it is sure. Figures
(``tests/bench/bench_digits.py --length 8``) are in the README; the acoustic model was trained on
people, the head on synthetic voices only, and neither has been measured on real speakers here.

pocketsphinx decoders are not thread-safe and cost ~50 ms to build: a small pool hands each
caller a decoder of its own and takes it back afterwards.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from desktop.sandbox.engines import digit_head
from desktop.sandbox.engines.base import Pcm

LENGTHS = range(4, 9)  # fixed-length grammars built (the protocol's example and our clients use 8)
WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# cmudict-en-us pronunciations, so that the decoder loads ten words instead of 130 000, plus
# "four" as most of North America says it, [foɹ] (the vowels of "north" and "force" merged):
# cmudict has only F AO R, and without the variant eSpeak's "four" was heard as "five" often
# enough to cost 4-6 points of 8-digit strings on three sets of 96 (the neural voices: no change).
# "oh" for zero is left out: with it, the model hears "zero" as "oh oh" and the ends of "zero" and
# "oh" swap often enough to cost more than the speakers who say "oh" gain.
_DICTIONARY = """\
zero Z IH R OW
zero(2) Z IY R OW
one W AH N
two T UW
three TH R IY
four F AO R
four(2) F OW R
five F AY V
six S IH K S
seven S EH V AH N
eight EY T
nine N AY N
"""
# Audio that is exactly zero between words (synthetic speech, gated microphones) throws the
# decoder's cepstral normalisation off: measured on 24 eSpeak digit strings of known length,
# accuracy rose from 17 % to 75 % with this much noise (-50 dBFS) added. Real recordings are
# noisier than that already, so it changes nothing for them.
_NOISE_RMS = 100.0
# A digit costs more than pocketsphinx's default (0.65) and a pause less (default 0.005): with
# the defaults the decoder inserts digits freely and swallows real ones in "silence". Tuned on
# eSpeak digit strings (string accuracy, free grammar: 10/30 -> 24/30); checked on other strings.
_WORD_PENALTY = 0.01
_SILENCE_PROB = 0.1
_PAD_S = 0.3  # silence before and after: a digit cut at the very edge is otherwise lost


@dataclass(frozen=True)
class Reading:
    digits: str
    score: float  # the decoder's path score (higher = better); only comparable on the same audio


def _grammar(name: str, body: str) -> str:
    rule = " | ".join(WORDS)
    return f"#JSGF V1.0;\ngrammar {name};\npublic <s> = {body};\n<d> = {rule};\n"


class DigitReader:
    """``DigitReader`` for the sandbox: thread-safe, one pocketsphinx decoder per concurrent call."""

    def __init__(self, lengths: range = LENGTHS, head: bool = True) -> None:
        self.lengths = lengths
        # The second opinion on each digit (digit_head.py), loaded on first use; head=False: the
        # pocketsphinx labels alone (the bench's comparison).
        self._use_head = head
        self._pool: list[Any] = []
        self._lock = threading.Lock()
        self._dict_path = self._write_dictionary()

    @staticmethod
    def _write_dictionary() -> Path:
        # pocketsphinx reads its dictionary from a file only. Named by content, so that every
        # process shares one file and a changed dictionary never meets a stale one.
        digest = hashlib.sha256(_DICTIONARY.encode()).hexdigest()[:12]
        path = Path(tempfile.gettempdir()) / f"vpw-digits-{digest}.dict"
        try:
            current = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != _DICTIONARY:
            tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(_DICTIONARY, encoding="ascii")
            os.replace(tmp, path)  # atomic: a concurrent reader never sees half a file
        return path

    def _new_decoder(self) -> Any:
        from pocketsphinx import Decoder, get_model_path

        model = Path(get_model_path()) / "en-us"
        # bestpath off: the lattice pass may drop words and break the fixed length.
        decoder = Decoder(
            hmm=str(model / "en-us"),
            dict=str(self._dict_path),
            lm=None,
            loglevel="FATAL",
            bestpath=False,
            wip=_WORD_PENALTY,
            silprob=_SILENCE_PROB,
        )
        for n in self.lengths:
            decoder.add_jsgf_string(f"len{n}", _grammar(f"len{n}", " ".join(["<d>"] * n)))
        decoder.add_jsgf_string("free", _grammar("free", "<d>+"))
        for n in self.lengths:
            # The expected length OR any number: one pass, no bonus either way. Speech of the
            # expected length reads as well as with the fixed grammar; other lengths are not forced
            # into it (the fixed grammar turns a 6-digit reading into 8 digits, always wrong).
            decoder.add_jsgf_string(f"exp{n}", _grammar(f"exp{n}", f"({' '.join(['<d>'] * n)}) | <d>+"))
        return decoder

    @contextlib.contextmanager
    def _decoder(self) -> Iterator[Any]:
        with self._lock:
            decoder = self._pool.pop() if self._pool else None
        if decoder is None:
            decoder = self._new_decoder()
        try:
            yield decoder
        finally:
            with self._lock:
                self._pool.append(decoder)

    @staticmethod
    def _prepare(pcm: Pcm) -> bytes:
        pcm = np.asarray(pcm, dtype=np.int16)
        pad = np.zeros(int(_PAD_S * 16000), np.float64)
        audio = np.concatenate([pad, pcm.astype(np.float64), pad])
        # A fixed seed: the same audio always reads the same.
        audio += np.random.default_rng(0).normal(0.0, _NOISE_RMS, audio.size)
        return np.clip(np.round(audio), -32768, 32767).astype("<i2").tobytes()

    def _decode(self, decoder: Any, search: str, raw: bytes, name: bool = True) -> Reading | None:
        """pocketsphinx's reading; ``name``: each digit named again by the head (``_name``)."""
        decoder.activate_search(search)
        decoder.start_utt()
        decoder.process_raw(raw, full_utt=True)
        decoder.end_utt()
        hyp = decoder.hyp()
        if hyp is None or not hyp.hypstr:
            return None
        words = hyp.hypstr.split()
        if any(w not in WORDS for w in words):
            return None
        digits = "".join(str(WORDS.index(w)) for w in words)
        return Reading(self._name(raw, _spans(decoder), digits) if name else digits, float(hyp.score))

    def _name(self, raw: bytes, spans: list[tuple[int, int]], digits: str) -> str:
        """``digits`` placed at ``spans`` (10 ms frames of ``raw``), named again where the head is sure."""
        head = digit_head.load() if self._use_head else None
        return head.relabel(np.frombuffer(raw, "<i2"), spans, digits) if head is not None else digits

    def readings(self, pcm: Pcm) -> list[Reading]:
        """The best reading for each length in ``lengths``, best score first (paths that did not
        reach the grammar's end left out). The scores rank badly across lengths: see above."""
        raw = self._prepare(pcm)
        out = []
        with self._decoder() as decoder:
            for n in self.lengths:
                reading = self._decode(decoder, f"len{n}", raw)
                if reading is not None and len(reading.digits) == n:
                    out.append(reading)
        return sorted(out, key=lambda r: r.score, reverse=True)

    def read_fixed(self, pcm: Pcm, length: int) -> str:
        """The digits when the caller knows there are ``length`` of them (one of ``lengths``)."""
        if length not in self.lengths:
            raise ValueError(f"lengths {self.lengths.start}-{self.lengths.stop - 1} only")
        if np.asarray(pcm).size < 1600:  # under 0.1 s: nothing to read (a grammar of N would invent N)
            return ""
        with self._decoder() as decoder:
            reading = self._decode(decoder, f"len{length}", self._prepare(pcm))
        return reading.digits if reading and len(reading.digits) == length else ""

    def read_expected(self, pcm: Pcm, length: int) -> str:
        """The digits when ``length`` of them are expected (one of ``lengths``) but a speaker may
        have been shown another number of them: what the sandbox does with its ``digit_length``."""
        if length not in self.lengths:
            raise ValueError(f"lengths {self.lengths.start}-{self.lengths.stop - 1} only")
        if np.asarray(pcm).size < 1600:  # under 0.1 s: nothing to read
            return ""
        raw = self._prepare(pcm)
        with self._decoder() as decoder:
            first = self._decode(decoder, f"exp{length}", raw, name=False)
            if first is None:
                return ""
            placed = _spans(decoder)  # of the pass just made
            if abs(len(first.digits) - length) != 1:
                return self._name(raw, placed, first.digits)
            # One digit more or fewer than expected is far more often the free path inserting or
            # swallowing a digit than a prompt of that length: read again with exactly ``length``
            # (measured: 75 -> 81 % of 8-digit strings; a second pass on about 1 read in 6). Only
            # the reading kept is named by the head: its embedding is a fifth of a read's CPU.
            again = self._decode(decoder, f"len{length}", raw)
            if again is not None and len(again.digits) == length:
                return again.digits
            return self._name(raw, placed, first.digits)

    def read_digits(self, pcm: Pcm) -> str:
        return self._read("free", pcm)

    def _read(self, search: str, pcm: Pcm) -> str:
        if np.asarray(pcm).size < 1600:  # under 0.1 s: nothing to read
            return ""
        with self._decoder() as decoder:
            reading = self._decode(decoder, search, self._prepare(pcm))
        return reading.digits if reading else ""


def _spans(decoder: Any) -> list[tuple[int, int]]:
    """Where the decoder's last pass placed each digit, in 10 ms frames (alternative pronunciations
    are named "four(2)"; fillers and silences left out)."""
    return [(s.start_frame, s.end_frame) for s in decoder.seg() or () if s.word.split("(")[0] in WORDS]


_reader: DigitReader | None = None
_reader_lock = threading.Lock()


def load_reader() -> DigitReader:
    """The process-wide reader (its decoders are built on first use)."""
    global _reader
    with _reader_lock:
        if _reader is None:
            _reader = DigitReader()
        return _reader
