"""Qt-free audio: decoding, resampling, capture, playback, quality metrics, codecs."""

RATE = 16_000  # every service speaks 16 kHz mono s16le unless it says otherwise
