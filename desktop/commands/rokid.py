"""``vpw tts`` (Rokid speech synthesis) and ``vpw asr`` (Rokid speech recognition).

Input is checked before anything connects (text, codec, output path, the audio file), so bad
input exits 2 without starting a sandbox. Exit codes: 0 done; 1 the service said no (too large,
or heard nothing); 2 bad input; 3 connection, authentication or protocol failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from desktop import i18n
from desktop.context import Context
from desktop.errors import ExitCode, InputError

i18n.register(
    {
        "rokid_cli.tts_help": {
            "en": "speak a text with Rokid TTS: save it (-o) and/or play it (--play)",
            "zh": "用 Rokid 语音合成朗读文字：保存（-o）和/或播放（--play）",
        },
        "rokid_cli.asr_help": {
            "en": "transcribe an audio file with Rokid ASR (the local sandbox recognises English only; "
            "digit strings come back as numerals)",
            "zh": "用 Rokid 语音识别转写音频文件（本地沙箱只识别英语；数字串以阿拉伯数字返回）",
        },
        "rokid_cli.raw_needs_output": {
            "en": "--raw saves the codec bytes as they came: give a file with -o",
            "zh": "--raw 按原样保存编码数据：请用 -o 指定文件",
        },
        "rokid_cli.output_is_dir": {"en": "{path} is a directory", "zh": "{path} 是一个目录"},
        "rokid_cli.output_no_dir": {
            "en": "Cannot save to {path}: the folder {folder} does not exist",
            "zh": "无法保存到 {path}：文件夹 {folder} 不存在",
        },
        "rokid_cli.spoken": {
            "en": "Synthesised {seconds:.1f} s of speech ({codec}, {size:,} bytes, {rate} Hz)",
            "zh": "已合成 {seconds:.1f} 秒语音（{codec}，{size:,} 字节，{rate} Hz）",
        },
        "rokid_cli.saved_wav": {"en": "Saved as WAV: {path}", "zh": "已保存为 WAV：{path}"},
        "rokid_cli.saved_raw": {"en": "Saved the {codec} bytes: {path}", "zh": "已保存 {codec} 原始数据：{path}"},
        "rokid_cli.played": {"en": "Played.", "zh": "已播放。"},
        "rokid_cli.sent": {
            "en": "Sent {seconds:.1f} s as {codec} ({size:,} bytes)",
            "zh": "已发送 {seconds:.1f} 秒音频，编码 {codec}（{size:,} 字节）",
        },
        "rokid_cli.heard_nothing": {
            "en": "Rokid heard no words in {path}",
            "zh": "Rokid 在 {path} 中没有识别出文字",
        },
        "rokid_cli.sandbox_english": {
            "en": "(The local sandbox recognises English only.)",
            "zh": "（本地沙箱只识别英语。）",
        },
    }
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("tts", help=i18n.tr("rokid_cli.tts_help"), description=i18n.tr("rokid_cli.tts_help"))
    p.add_argument("text", help="what to say (at most 300 characters)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="save the speech (WAV unless --raw)")
    p.add_argument("--play", action="store_true", help="play it on the profile's output device")
    p.add_argument(
        "--declaimer",
        default="zh",
        help="the voice: zh adult (default), c1 child, xmly, e2e, or any other name Rokid knows",
    )
    p.add_argument("--codec", choices=["mp3", "pcm", "opu", "opu2"], default="mp3", help="default: mp3")
    p.add_argument("--raw", action="store_true", help="save the codec bytes as received instead of WAV")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_tts)
    a = sub.add_parser("asr", help=i18n.tr("rokid_cli.asr_help"), description=i18n.tr("rokid_cli.asr_help"))
    a.add_argument("file", type=Path, help="WAV, FLAC, OGG or MP3 file")
    a.add_argument(
        "--codec",
        choices=["auto", "pcm", "opu"],
        default="auto",
        help="what to send: auto (default) sends pcm, or opu when pcm would be over the size limit",
    )
    a.add_argument("--json", action="store_true", help="print one JSON object")
    a.set_defaults(func=run_asr)


def _check_output(path: Path) -> None:
    if path.is_dir():
        raise InputError(i18n.tr("rokid_cli.output_is_dir", path=path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(i18n.tr("rokid_cli.output_no_dir", path=path, folder=folder))


def run_tts(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.services.rokid import RokidClient, check_tts

    check_tts(args.text, args.declaimer, args.codec)
    if args.raw and args.output is None:
        raise InputError(i18n.tr("rokid_cli.raw_needs_output"))
    if args.output is not None:
        _check_output(args.output)
    ctx.ensure_sandbox()
    audio = RokidClient(ctx.profile.rokid).tts(args.text, declaimer=args.declaimer, codec=args.codec)
    out: dict[str, Any] = {
        "text": audio.text,
        "declaimer": audio.declaimer,
        "codec": audio.codec,
        "bytes": len(audio.data),
        "rate": audio.pcm.rate,
        "seconds": round(audio.seconds, 3),
        "file": None,
        "format": None,
        "played": False,
    }
    if args.output is not None:
        audio.save(args.output, raw=args.raw)
        out["file"], out["format"] = os.fspath(args.output), (audio.codec if args.raw else "wav")
    if not args.json:
        print(i18n.tr("rokid_cli.spoken", seconds=audio.seconds, codec=audio.codec, size=len(audio.data),
                      rate=audio.pcm.rate))  # fmt: skip
        if args.output is not None:
            key = "rokid_cli.saved_raw" if args.raw else "rokid_cli.saved_wav"
            print(i18n.tr(key, path=args.output, codec=audio.codec))
    if args.play:
        from desktop.audio.playback import play

        device = ctx.profile.audio.output_device or None
        out["played"] = bool(play(audio.pcm.samples, audio.pcm.rate, device=device))
        if not args.json:
            print(i18n.tr("rokid_cli.played"))
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    return int(ExitCode.OK)


def run_asr(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.audio.decode import load_audio
    from desktop.services.rokid import RokidClient

    decoded = load_audio(args.file)  # an unreadable file fails here, before any connection
    ctx.ensure_sandbox()
    result = RokidClient(ctx.profile.rokid).asr(decoded.pcm, codec=args.codec)
    if args.json:
        print(json.dumps({"text": result.text, "codec": result.codec, "bytes": result.request_bytes,
                          "seconds": round(result.seconds, 3)}, ensure_ascii=False))  # fmt: skip
    else:
        print(i18n.tr("rokid_cli.sent", seconds=result.seconds, codec=result.codec, size=result.request_bytes),
              file=sys.stderr)  # fmt: skip
        if result.text:
            print(result.text)
    if not result.text.strip():
        message = i18n.tr("rokid_cli.heard_nothing", path=args.file)
        if ctx.profile.is_sandbox:
            message += " " + i18n.tr("rokid_cli.sandbox_english")
        print(message, file=sys.stderr)
        return int(ExitCode.REFUSED)
    return int(ExitCode.OK)
