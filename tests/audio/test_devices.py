"""Device lookup by name, part of a name or index, and clear errors when there is nothing to use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from desktop.audio import devices
from desktop.audio.capture import MicCapture
from desktop.audio.devices import AudioDeviceError, DeviceInfo, pick_settings, resolve_device
from desktop.audio.playback import play
from desktop.errors import ExitCode
from tests.audio.conftest import portaudio_missing
from tests.audio.vmic import MIC, SPEAKER, VirtualAudio, portaudio_env

pytestmark = pytest.mark.audio


def test_lists_and_resolves_the_virtual_devices(vaudio: VirtualAudio) -> None:
    names = [d.name for d in devices.list_input_devices()]
    assert MIC in names and SPEAKER in [d.name for d in devices.list_output_devices()]
    mic = resolve_device("VMIC", "input")
    assert mic.name == MIC and mic.hostapi == "ALSA"
    assert resolve_device("mi", "input") == mic  # part of a name
    assert resolve_device(mic.index, "input") == mic
    assert resolve_device(f" {mic.index} ", "input") == mic
    assert resolve_device("", "input").is_default or not any(d.is_default for d in devices.list_input_devices())


def test_unknown_device_lists_what_there_is(vaudio: VirtualAudio) -> None:
    with pytest.raises(AudioDeviceError) as info:
        resolve_device("USB headset", "input")
    assert "USB headset" in str(info.value) and MIC in str(info.value)
    assert info.value.exit_code == ExitCode.BAD_INPUT
    with pytest.raises(AudioDeviceError):
        resolve_device(999, "output")


def test_no_devices_at_all(tmp_path: Path) -> None:
    reason = portaudio_missing()
    if reason:
        pytest.skip(reason)
    empty = tmp_path / "xdg"
    (empty / "alsa").mkdir(parents=True)
    (empty / "alsa" / "asoundrc").write_text("# no PCMs: a machine without a sound card\n")
    with portaudio_env({"XDG_CONFIG_HOME": str(empty)}):
        if devices.list_input_devices():
            pytest.skip("this machine has a real sound card")
        with pytest.raises(AudioDeviceError, match="No microphone"):
            MicCapture().start()
        with pytest.raises(AudioDeviceError, match="No audio output device"):
            play(np.zeros(100, dtype=np.int16), 16000)


def test_missing_portaudio_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "_load", lambda: "PortAudio library not found")
    with pytest.raises(AudioDeviceError, match="PortAudio library is not installed"):
        devices.list_input_devices()


class FakePortAudio:
    """Accepts only the settings listed; records what was tried."""

    PortAudioError = RuntimeError

    def __init__(self, accepted: set[tuple[int, int]]) -> None:
        self.accepted = accepted
        self.tried: list[tuple[int, int]] = []

    def check_input_settings(self, device: int, samplerate: int, channels: int, dtype: str) -> None:
        self.tried.append((samplerate, channels))
        if (samplerate, channels) not in self.accepted:
            raise RuntimeError("Invalid sample rate")

    check_output_settings = check_input_settings


DEVICE = DeviceInfo(3, "hw mic", "ALSA", 2, 2, 48000.0, True)


def test_pick_settings_prefers_16k_mono_then_device_rate_then_stereo() -> None:
    fake: Any = FakePortAudio({(16000, 1), (48000, 1), (48000, 2)})
    assert pick_settings(fake, DEVICE, "input", 16000) == (16000, 1)
    fake = FakePortAudio({(48000, 1), (48000, 2)})
    assert pick_settings(fake, DEVICE, "input", 16000) == (48000, 1)
    fake = FakePortAudio({(48000, 2)})
    assert pick_settings(fake, DEVICE, "output", 16000) == (48000, 2)
    assert fake.tried == [(16000, 1), (16000, 2), (48000, 1), (48000, 2)]
    fake = FakePortAudio(set())
    with pytest.raises(AudioDeviceError, match="Cannot open the input device “hw mic”: Invalid sample rate"):
        pick_settings(fake, DEVICE, "input", 16000)
    mono_only = DeviceInfo(4, "mono", "ALSA", 1, 0, 44100.0, False)
    fake = FakePortAudio(set())
    with pytest.raises(AudioDeviceError):
        pick_settings(fake, mono_only, "input", 16000, forced_rate=22050)
    assert fake.tried == [(22050, 1)]
