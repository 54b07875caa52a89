"""Generated protobuf modules (do not edit the ``*_pb2`` files; run ``scripts/gen_proto``).

``rokid_asr_pb2`` and ``rokid_tts_pb2`` come from ``resources/proto/`` (the Rokid OpenVoice
messages, proto2). Both the client and the sandbox may import them: they are data definitions,
not message builders, so sharing them does not hide a protocol bug.
"""
