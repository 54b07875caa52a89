"""``vpw enroll`` and ``vpw verify``: one voiceprint session from files or the microphone."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from desktop import i18n
from desktop.context import Context
from desktop.errors import ExitCode, InputError, VpwError

i18n.register(
    {
        "vp.help_enroll": {
            "en": "enrol a speaker from audio files or the microphone",
            "zh": "从音频文件或麦克风注册声纹",
        },
        "vp.help_verify": {"en": "verify a claimed speaker", "zh": "验证声称的说话人"},
        "vp.need_consent": {
            "en": "Enrolment needs the speaker's consent: add --consent once they have agreed "
            "to have their voiceprint stored",
            "zh": "注册需要说话人的同意：在其同意保存声纹后加上 --consent",
        },
        "vp.files_or_mic": {
            "en": "Give audio files or --mic SECONDS, not both and not neither",
            "zh": "请给出音频文件或 --mic 秒数（二选一）",
        },
        "vp.one_file": {"en": "Verification takes exactly one audio file", "zh": "验证只接受一个音频文件"},
        "vp.bad_prompt": {"en": "The prompt must be 1-16 digits", "zh": "提示数字须为 1-16 位数字"},
        "vp.read_digits": {"en": "Read these digits aloud: {digits}", "zh": "请朗读这些数字：{digits}"},
        "vp.read_digits_sandbox": {
            "en": "Read these digits aloud, in English (the local sandbox hears English digits only): {digits}",
            "zh": "请用英语朗读这些数字（本地沙箱只听得懂英语数字）：{digits}",
        },
        "vp.recording": {
            "en": "Recording {seconds:g} s from {device}...",
            "zh": "正在从 {device} 录音 {seconds:g} 秒……",
        },
        "vp.default_device": {"en": "the default input", "zh": "默认输入设备"},
        "vp.enrolled": {"en": "ENROLLED {user}: {message}", "zh": "已注册 {user}：{message}"},
        "vp.enrol_refused": {
            "en": "NOT ENROLLED {user} (status {status}): {message}",
            "zh": "未注册 {user}（状态 {status}）：{message}",
        },
        "vp.accepted": {"en": "ACCEPTED: {user}", "zh": "通过：{user}"},
        "vp.rejected": {"en": "REJECTED: {user} (status {status})", "zh": "拒绝：{user}（状态 {status}）"},
        "vp.not_enrolled": {
            "en": "NOT ENROLLED: {user} is not enrolled on this service (status 404); enrol them first",
            "zh": "未注册：此服务中没有注册 {user}（状态 404）；请先注册",
        },
        "vp.rejected_digits": {
            "en": "REJECTED: {user}: the voice matched but the digits read differ from the prompt",
            "zh": "拒绝：{user}：声纹相符，但朗读的数字与提示不符",
        },
        "vp.not_checked": {
            "en": "NOT CHECKED: the reply could not be understood: {raw}",
            "zh": "未核验：无法解析服务的应答：{raw}",
        },
        "vp.candidate": {
            "en": "  {rank}. {name:<20} {score:.4f}{mark}",
            "zh": "  {rank}. {name:<20} {score:.4f}{mark}",
        },
        "vp.no_candidates": {"en": "  (no candidates) {message}", "zh": "  （无候选）{message}"},
        "vp.digits": {
            "en": "Digits read: {number}   prompt: {prompt}   {verdict}",
            "zh": "读出的数字：{number}   提示：{prompt}   {verdict}",
        },
        "vp.digits_same": {"en": "match", "zh": "一致"},
        "vp.digits_differ": {"en": "DIFFER", "zh": "不一致"},
        "vp.digits_unchecked": {"en": "not checked", "zh": "未比对"},
        "vp.replayed": {
            "en": "(the connection dropped; the session was replayed from its start)",
            "zh": "（连接曾中断；会话已从头重发）",
        },
        "vp.quality": {"en": "Audio hint: {hint}", "zh": "音频提示：{hint}"},
        "vp.timing": {
            "en": "{audio:.1f} s of audio, result {latency:.0f} ms after stop",
            "zh": "音频 {audio:.1f} 秒，停止后 {latency:.0f} 毫秒得到结果",
        },
    }
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("enroll", aliases=["enrol"], help=i18n.tr("vp.help_enroll"))
    p.add_argument("--user", required=True)
    p.add_argument(
        "--consent", action="store_true", help="the speaker has agreed to have their voiceprint stored (required)"
    )
    _audio_args(p)
    p.set_defaults(func=run_enroll)
    p = sub.add_parser("verify", help=i18n.tr("vp.help_verify"))
    p.add_argument("--user", required=True, help="the claimed user")
    p.add_argument("--prompt", help="the digits the speaker was asked to read")
    _audio_args(p)
    p.set_defaults(func=run_verify)


def _audio_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", type=Path, metavar="FILE")
    p.add_argument("--mic", type=float, metavar="SECONDS", help="record from the microphone instead")
    p.add_argument("--device", help="input device name or index (default: the profile's, else the system's)")
    p.add_argument("--pace", action="store_true", help="stream files at real-time pace")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _read_audio(args: argparse.Namespace, ctx: Context, *, single: bool) -> tuple[npt.NDArray[np.int16], str]:
    if bool(args.files) == (args.mic is not None):
        raise InputError(i18n.tr("vp.files_or_mic"))
    if args.files:
        if single and len(args.files) != 1:
            raise InputError(i18n.tr("vp.one_file"))
        from desktop.audio.decode import load_many

        return load_many(args.files), "file"
    from desktop.audio.capture import record

    device = args.device or ctx.profile.audio.input_device or None
    if device is not None and str(device).isdigit():
        device = int(device)
    if not args.json:
        name = device if device is not None else i18n.tr("vp.default_device")
        print(i18n.tr("vp.recording", seconds=args.mic, device=name), file=sys.stderr, flush=True)
    return record(args.mic, device=device), "mic"


def _quality(pcm: npt.NDArray[np.int16]) -> tuple[dict[str, Any], list[str]]:
    from desktop.audio.quality import measure

    report = measure(pcm)
    return report.to_dict(), report.messages()


def _session(args: argparse.Namespace, ctx: Context, kind: str) -> int:
    from desktop.audio.frames import split_frames
    from desktop.services.voiceprint import VoiceprintClient, validate_user

    user = validate_user(args.user)
    consent: bool | None = None
    if kind == "enrol":
        if not args.consent:
            raise InputError(i18n.tr("vp.need_consent"))
        consent = True  # recorded with the attempt: time, operator, profile
    prompt = getattr(args, "prompt", None)
    if prompt is not None and not (prompt.isdigit() and 1 <= len(prompt) <= 16):
        raise InputError(i18n.tr("vp.bad_prompt"))
    if kind == "verify" and prompt is None and args.mic is not None:
        prompt = "".join(secrets.choice("0123456789") for _ in range(8))
        key = "vp.read_digits_sandbox" if ctx.profile.is_sandbox else "vp.read_digits"
        print(i18n.tr(key, digits=prompt), file=sys.stderr, flush=True)
    pcm, source = _read_audio(args, ctx, single=kind == "verify")
    quality, hints = _quality(pcm)
    ctx.ensure_sandbox()
    settings = ctx.profile.voiceprint
    client = VoiceprintClient(settings)
    try:
        client.connect()
        frames = split_frames(pcm, settings.frame_ms)
        if kind == "enrol":
            result = client.enroll(user, frames, pace=args.pace)
        else:
            result = client.verify(user, frames, prompt=prompt, pace=args.pace)
    except VpwError as exc:
        ctx.history.record(
            profile=ctx.profile.name, kind=kind, user=user, error=str(exc), quality=quality, source=source,
            consent=consent,
        )  # fmt: skip
        raise
    finally:
        client.close()
    ctx.history.record(
        profile=ctx.profile.name, kind=kind, user=user, result=result, quality=quality, source=source, consent=consent
    )
    if args.json:
        out = result.to_dict()
        out["quality"] = quality
        print(json.dumps(out, ensure_ascii=False))
    else:
        _print_result(result, hints)
    if not result.checked:
        return int(ExitCode.FAILURE)
    return int(ExitCode.OK if result.accepted else ExitCode.REFUSED)


def _print_result(result: Any, hints: list[str]) -> None:
    for hint in hints:
        print(i18n.tr("vp.quality", hint=hint))
    if result.kind == "enrol" and result.checked:
        key = "vp.enrolled" if result.accepted else "vp.enrol_refused"
        print(i18n.tr(key, user=result.user, message=result.message, status=result.status))
    elif not result.checked:
        print(i18n.tr("vp.not_checked", raw=result.raw[:300]))
    else:
        if result.accepted:
            print(i18n.tr("vp.accepted", user=result.user))
        elif result.voice_accepted:
            print(i18n.tr("vp.rejected_digits", user=result.user))
        elif result.status == 404:  # not an impostor turned away: nobody of that name is enrolled
            print(i18n.tr("vp.not_enrolled", user=result.user))
        else:
            print(i18n.tr("vp.rejected", user=result.user, status=result.status))
        for rank, c in enumerate(result.candidates, 1):
            mark = "  <" if c.name == result.user else ""
            print(i18n.tr("vp.candidate", rank=rank, name=c.name, score=c.score, mark=mark))
        if not result.candidates:
            print(i18n.tr("vp.no_candidates", message=result.message))
        match = result.digits_match
        verdict = i18n.tr("vp.digits_unchecked" if match is None else "vp.digits_same" if match else "vp.digits_differ")
        print(i18n.tr("vp.digits", number=result.number or "-", prompt=result.prompt or "-", verdict=verdict))
    if result.replayed:
        print(i18n.tr("vp.replayed"))
    print(i18n.tr("vp.timing", audio=result.audio_s, latency=result.stop_to_result_s * 1000))


def run_enroll(args: argparse.Namespace, ctx: Context) -> int:
    return _session(args, ctx, "enrol")


def run_verify(args: argparse.Namespace, ctx: Context) -> int:
    return _session(args, ctx, "verify")
