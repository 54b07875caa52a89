"""Audio fixtures: virtual ALSA devices (see ``vmic.py``) wired into this process's PortAudio."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.audio.vmic import PulseServer, VirtualAudio, portaudio_env


def portaudio_missing() -> str | None:
    """Why PortAudio tests cannot run here, or None. Only a missing library is a reason to skip."""
    try:
        import sounddevice  # noqa: F401  (loading it loads libportaudio)
    except OSError as exc:
        return f"libportaudio is not installed ({exc})"
    if not sys.platform.startswith("linux"):
        return "the virtual devices are ALSA file plugins, which exist only on Linux"
    return None


@pytest.fixture
def vaudio(tmp_path: Path) -> Iterator[VirtualAudio]:
    """``vmic``/``vspk`` running faster than real time, visible to PortAudio in this process."""
    reason = portaudio_missing()
    if reason:
        pytest.skip(reason)
    audio = VirtualAudio(tmp_path / "vaudio")
    with portaudio_env(audio.env()):
        yield audio


@pytest.fixture(scope="session")
def pulse_server() -> Iterator[PulseServer]:
    reason = portaudio_missing()
    if reason:
        pytest.skip(reason)
    if not PulseServer.available():
        pytest.skip("pulseaudio is not installed: the real-time virtual devices need it")
    with PulseServer() as server:
        yield server


@pytest.fixture
def vaudio_realtime(tmp_path: Path, pulse_server: PulseServer) -> Iterator[VirtualAudio]:
    """``vmic``/``vspk`` paced in real time by a private PulseAudio daemon."""
    audio = VirtualAudio(tmp_path / "vaudio-rt", pulse_server)
    with portaudio_env(audio.env()):
        yield audio
