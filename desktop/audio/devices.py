"""PortAudio devices: listing them, and turning the operator's setting into one device.

``sounddevice`` loads libportaudio when imported and raises ``OSError`` when it is missing, so it
is imported here on first use: decoding files and the CLI's file commands keep working on a
machine without PortAudio, and only the microphone/speaker features say they cannot.

A device setting is an index (``3`` or ``"3"``), a name or part of one (case-insensitive; an exact
name wins, then the first device whose name contains it), or empty for the system default.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

from desktop import i18n
from desktop.errors import InputError

Kind = Literal["input", "output"]

i18n.register(
    {
        "audio.no_portaudio": {
            "en": "Audio devices are unavailable: the PortAudio library is not installed ({detail})",
            "zh": "无法使用音频设备：未安装 PortAudio 库（{detail}）",
        },
        "audio.no_input_device": {
            "en": "No microphone (audio input device) found",
            "zh": "未找到麦克风（音频输入设备）",
        },
        "audio.no_output_device": {"en": "No audio output device found", "zh": "未找到音频输出设备"},
        "audio.input_not_found": {
            "en": "No input device matches “{spec}”; available: {names}",
            "zh": "没有与“{spec}”匹配的输入设备；可用设备：{names}",
        },
        "audio.output_not_found": {
            "en": "No output device matches “{spec}”; available: {names}",
            "zh": "没有与“{spec}”匹配的输出设备；可用设备：{names}",
        },
        "audio.input_open_failed": {
            "en": "Cannot open the input device “{name}”: {detail}",
            "zh": "无法打开输入设备“{name}”：{detail}",
        },
        "audio.output_open_failed": {
            "en": "Cannot open the output device “{name}”: {detail}",
            "zh": "无法打开输出设备“{name}”：{detail}",
        },
    }
)


class AudioDeviceError(InputError):
    """No usable microphone or speaker: missing, misnamed, busy or without PortAudio."""


@dataclass(frozen=True)
class DeviceInfo:
    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    is_default: bool  # the system default for the kind it was listed as

    def label(self) -> str:
        return f"{self.index}: {self.name} ({self.hostapi})"


@functools.cache
def _load() -> ModuleType | str:
    try:
        import sounddevice
    except OSError as exc:  # sounddevice raises OSError when libportaudio cannot be loaded
        return str(exc)
    return sounddevice


def portaudio() -> ModuleType:
    """The ``sounddevice`` module, or ``AudioDeviceError`` when libportaudio is missing."""
    loaded = _load()
    if isinstance(loaded, str):
        raise AudioDeviceError(i18n.tr("audio.no_portaudio", detail=loaded))
    return loaded


def _default_index(sd: ModuleType, kind: Kind) -> int:
    try:
        info: Any = sd.query_devices(kind=kind)
    except sd.PortAudioError:
        return -1  # PortAudio has no default device of this kind
    return int(info["index"])


def _list(kind: Kind) -> list[DeviceInfo]:
    sd = portaudio()
    apis = [str(api["name"]) for api in sd.query_hostapis()]
    default = _default_index(sd, kind)
    key = "max_input_channels" if kind == "input" else "max_output_channels"
    found = []
    for raw in sd.query_devices():
        if int(raw[key]) <= 0:
            continue
        index = int(raw["index"])
        found.append(
            DeviceInfo(
                index=index,
                name=str(raw["name"]),
                hostapi=apis[int(raw["hostapi"])],
                max_input_channels=int(raw["max_input_channels"]),
                max_output_channels=int(raw["max_output_channels"]),
                default_samplerate=float(raw["default_samplerate"]),
                is_default=index == default,
            )
        )
    return found


def list_input_devices() -> list[DeviceInfo]:
    return _list("input")


def list_output_devices() -> list[DeviceInfo]:
    return _list("output")


def resolve_device(spec: str | int | None, kind: Kind) -> DeviceInfo:
    """The device a setting names; with no setting, the default (or the first when none is default)."""
    devices = _list(kind)
    if not devices:
        raise AudioDeviceError(i18n.tr("audio.no_input_device" if kind == "input" else "audio.no_output_device"))
    if isinstance(spec, str):
        spec = spec.strip()
        if spec.isdigit():
            spec = int(spec)
    if spec is None or spec == "":
        return next((d for d in devices if d.is_default), devices[0])
    if isinstance(spec, int):
        match = [d for d in devices if d.index == spec]
    else:
        wanted = spec.casefold()
        match = [d for d in devices if d.name.casefold() == wanted]
        match = match or [d for d in devices if wanted in d.name.casefold()]
    if not match:
        names = ", ".join(d.label() for d in devices)
        key = "audio.input_not_found" if kind == "input" else "audio.output_not_found"
        raise AudioDeviceError(i18n.tr(key, spec=spec, names=names))
    return match[0]


def open_failed(kind: Kind, device: DeviceInfo, exc: Exception) -> AudioDeviceError:
    key = "audio.input_open_failed" if kind == "input" else "audio.output_open_failed"
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return AudioDeviceError(i18n.tr(key, name=device.name, detail=detail))


def pick_settings(
    sd: ModuleType, device: DeviceInfo, kind: Kind, rate: int, forced_rate: int | None = None
) -> tuple[int, int]:
    """(sample rate, channels) the device accepts: ``rate`` mono if possible, else its own rate,
    else two channels (some hardware opens only in stereo). Raises ``AudioDeviceError``."""
    check = sd.check_input_settings if kind == "input" else sd.check_output_settings
    rates = [forced_rate] if forced_rate else [rate, int(device.default_samplerate)]
    limit = device.max_input_channels if kind == "input" else device.max_output_channels
    last: Exception | None = None
    for candidate_rate in dict.fromkeys(rates):
        for channels in (1, 2) if limit >= 2 else (1,):
            try:
                check(device=device.index, samplerate=candidate_rate, channels=channels, dtype="int16")
            except (sd.PortAudioError, ValueError) as exc:
                last = exc
                continue
            return candidate_rate, channels
    raise open_failed(kind, device, last or RuntimeError("no usable settings"))
