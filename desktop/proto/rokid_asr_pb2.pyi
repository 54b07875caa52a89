from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class AsrRequest(_message.Message):
    __slots__ = ("voice", "lang", "codec")
    VOICE_FIELD_NUMBER: _ClassVar[int]
    LANG_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    voice: bytes
    lang: str
    codec: str
    def __init__(self, voice: _Optional[bytes] = ..., lang: _Optional[str] = ..., codec: _Optional[str] = ...) -> None: ...

class AsrResponse(_message.Message):
    __slots__ = ("asr",)
    ASR_FIELD_NUMBER: _ClassVar[int]
    asr: str
    def __init__(self, asr: _Optional[str] = ...) -> None: ...
