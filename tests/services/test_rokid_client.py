"""The Rokid client against the real sandbox: round trips in every codec and body format."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.errors import InputError
from desktop.sandbox.engines.tts import engine
from desktop.sandbox.server import SandboxThread
from desktop.services import rokid
from tests.services.rokid_support import client, english, padded, spoken_digits

TEXT = "请读出数字：一二三四五六"


def espeak_seconds(text: str, declaimer: str) -> float:
    e = engine()
    return e.synthesize(text, declaimer).size / e.rate


# Every TTS codec is 24 kHz: Rokid's SDK decodes TTS Opus at 24 kHz (issue 11; was 16 kHz).
@pytest.mark.parametrize(("codec", "rate"), [("mp3", 24000), ("pcm", 24000), ("opu", 24000), ("opu2", 24000)])
@pytest.mark.parametrize("body", ["protobuf", "json"])
def test_tts_every_codec_decodes_to_the_expected_length_and_rate(
    sandbox: SandboxThread, codec: str, rate: int, body: str
) -> None:
    audio = client(sandbox, body=body).tts(TEXT, declaimer="zh", codec=codec)
    expected = espeak_seconds(TEXT, "zh")
    slack = 0.005  # eSpeak's output for the same text varies by a few samples between calls
    assert audio.codec == codec and audio.pcm.rate == rate and len(audio) == len(audio.data)
    if codec == "pcm":
        assert len(audio.data) == audio.pcm.samples.size * 2
        assert abs(audio.seconds - expected) < slack
    elif codec == "mp3":
        assert audio.data[:3] == b"ID3" or audio.data[0] == 0xFF
        assert expected - slack <= audio.seconds < expected + 0.15  # LAME's delay and padding
    else:
        assert audio.pcm.samples.size % 480 == 0  # whole 20 ms frames at 24 kHz
        assert expected - slack <= audio.seconds < expected + 0.02 + slack
        if codec == "opu2":
            assert len(audio.data) == audio.pcm.samples.size // 480 * 40
    assert np.abs(audio.pcm.samples.astype(np.int32)).max() > 3000  # speech, not silence


def test_child_declaimer_is_another_voice(sandbox: SandboxThread) -> None:
    c = client(sandbox)
    adult = c.tts("你好", declaimer="zh", codec="pcm").pcm.samples
    child = c.tts("你好", declaimer="c1", codec="pcm").pcm.samples

    def centroid(x: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(x.astype(float)))
        return float((spectrum * np.arange(spectrum.size)).sum() / spectrum.sum() * 24000 / x.size)

    assert centroid(child) > centroid(adult) * 1.1


def test_saving_wav_and_raw(sandbox: SandboxThread, tmp_path) -> None:  # type: ignore[no-untyped-def]
    audio = client(sandbox).tts("你好", codec="opu")
    raw = audio.save(tmp_path / "a.opu", raw=True)
    assert raw.read_bytes() == audio.data
    import soundfile as sf

    wav, rate = sf.read(audio.save(tmp_path / "a.wav"), dtype="int16")
    assert rate == 24000 and np.array_equal(wav, audio.pcm.samples)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp files left


@pytest.mark.parametrize(
    ("digits", "as_words", "codec", "body"),
    [("2718", True, "pcm", "protobuf"), ("409153", False, "opu", "protobuf"), ("86420", True, "auto", "json")],
)
def test_asr_hears_english_digits(sandbox: SandboxThread, digits: str, as_words: bool, codec: str, body: str) -> None:
    result = client(sandbox, body=body).asr(spoken_digits(digits, as_words), codec=codec)
    assert result.text == digits
    assert result.codec == ("pcm" if codec == "auto" else codec)
    assert str(result) == digits


def test_asr_takes_s16le_bytes_and_a_language(sandbox: SandboxThread) -> None:
    result = client(sandbox).asr(spoken_digits("3141").tobytes(), codec="pcm", lang="en")
    assert result.text == "3141"


def test_asr_english_words_stay_words(sandbox: SandboxThread) -> None:
    text = client(sandbox).asr(english("the weather is nice")).text
    assert text and not text.isdigit()


def test_auto_switches_to_opu_when_pcm_passes_the_body_limit(sandbox: SandboxThread) -> None:
    speech = padded(spoken_digits("5823"), 25.0)  # 800,000 bytes of PCM
    result = client(sandbox).asr(speech)
    assert result.codec == "opu" and result.request_bytes <= rokid.BODY_LIMIT
    assert result.text == "5823"


def test_json_counts_its_base64_inflation(sandbox: SandboxThread) -> None:
    speech = padded(spoken_digits("77"), 16.0)  # 512,000 bytes: fits as protobuf, not as base64
    assert client(sandbox).asr(speech).codec == "pcm"
    as_json = client(sandbox, body="json").asr(speech)
    assert as_json.codec == "opu" and as_json.request_bytes <= rokid.BODY_LIMIT


class NoNetwork:
    """A session that fails the test if anything is sent."""

    def post(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("nothing should have been sent")


def offline() -> rokid.RokidClient:
    from desktop.config import sandbox_profile

    return rokid.RokidClient(sandbox_profile().rokid, session=NoNetwork())  # type: ignore[arg-type]


def test_explicit_pcm_over_the_limit_is_refused_before_sending() -> None:
    with pytest.raises(InputError, match="opu"):
        offline().asr(np.zeros(16000 * 21, np.int16), codec="pcm")


def test_audio_too_long_even_for_opus_is_refused_quickly() -> None:
    import time

    noise = np.random.default_rng(3).normal(0, 6000, 16000 * 400).clip(-32768, 32767).astype(np.int16)
    started = time.monotonic()
    with pytest.raises(InputError) as err:
        offline().asr(noise)
    message = str(err.value)
    assert "400.0 s" in message and "at most about" in message
    # The maximum named is what fits: ~655,350 bytes at this audio's Opus rate (~28-30 kbit/s).
    max_s = float(message.split("at most about ")[1].split(" s")[0])
    assert 150 < max_s < 200
    assert time.monotonic() - started < 60  # stopped encoding at the limit, not after 400 s


@pytest.mark.parametrize(
    ("text", "declaimer", "codec", "says"),
    [
        ("", "zh", "mp3", "empty"),
        ("   \n", "zh", "mp3", "empty"),
        ("字" * 301, "zh", "mp3", "301 characters"),
        # Free-text declaimers are allowed now (issue 11); a name no service could hold is not.
        ("你好", "two words", "mp3", "declaimer"),
        ("你好", "", "mp3", "declaimer"),
        ("你好", "x" * 33, "mp3", "declaimer"),
        ("bad \udcff bytes", "zh", "mp3", "Unicode"),
        ("你好", "zh", "wav", "codec"),
    ],
)
def test_bad_tts_input_is_refused_before_sending(text: str, declaimer: str, codec: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        offline().tts(text, declaimer=declaimer, codec=codec)


def test_three_hundred_characters_are_fine(sandbox: SandboxThread) -> None:
    assert client(sandbox).tts("好" * 300, codec="opu2").seconds > 10


@pytest.mark.parametrize(
    ("audio", "codec", "says"),
    [
        (np.zeros(0, np.int16), "auto", "no audio"),
        (b"\x00\x01\x02", "auto", "odd"),
        (np.zeros((100, 2), np.int16), "auto", "mono"),
        (np.zeros(100, np.float32), "auto", "mono"),
        (np.zeros(100, np.int16), "flac", "codec"),
    ],
)
def test_bad_asr_input(audio: object, codec: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        offline().asr(audio, codec=codec)  # type: ignore[arg-type]
