from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class TtsRequest(_message.Message):
    __slots__ = ("text", "declaimer", "codec")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    DECLAIMER_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    text: str
    declaimer: str
    codec: str
    def __init__(self, text: _Optional[str] = ..., declaimer: _Optional[str] = ..., codec: _Optional[str] = ...) -> None: ...

class TtsResponse(_message.Message):
    __slots__ = ("voice",)
    VOICE_FIELD_NUMBER: _ClassVar[int]
    voice: bytes
    def __init__(self, voice: _Optional[bytes] = ...) -> None: ...
