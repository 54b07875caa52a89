"""``vpw speakers``: who is enrolled through this workstation, deleting a person, their data export."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from desktop import i18n
from desktop.context import Context
from desktop.errors import ExitCode, InputError

i18n.register(
    {
        "speakers.help": {
            "en": "list enrolled speakers, delete a person, export a person's data",
            "zh": "列出已注册的说话人、删除某人、导出某人的数据",
        },
        "speakers.empty": {
            "en": "Nobody is enrolled through this workstation on profile '{profile}'.",
            "zh": "在配置“{profile}”上尚无经本工作站注册的说话人。",
        },
        "speakers.header": {
            "en": "name                 takes  first enrolled     last enrolled      "
            "consent (by)                 last verified",
            "zh": "姓名                 次数   首次注册           最近注册           "
            "同意（记录人）               最近验证",
        },
        "speakers.no_consent": {"en": "NONE RECORDED", "zh": "无记录"},
        "speakers.confirm": {
            "en": "Delete '{name}'? This deletes {what}, and {attempts} local records (enrolments, "
            "verifications with their scores, candidates, digits, quality metrics and consent). "
            "Audit events stay. It cannot be undone. Type yes to go on: ",
            "zh": "删除“{name}”？将删除{what}，以及 {attempts} 条本地记录"
            "（注册、含分数、候选、数字、音质指标和同意记录的验证）。审计事件保留。无法撤销。输入 yes 继续：",
        },
        "speakers.what_sandbox": {
            "en": "the voiceprint stored in the sandbox",
            "zh": "沙箱中保存的声纹",
        },
        "speakers.what_real": {
            "en": "nothing at the provider (its API has no delete; a deletion request is recorded)",
            "zh": "服务商处的任何数据都不会被删除（其接口不提供删除；将记录一条删除请求）",
        },
        "speakers.need_yes": {
            "en": "Deleting a person needs confirmation: add --yes (no terminal to ask on)",
            "zh": "删除某人需要确认：请加 --yes（没有可提问的终端）",
        },
        "speakers.cancelled": {"en": "Nothing was deleted.", "zh": "未删除任何内容。"},
        "speakers.deleted_sandbox": {
            "en": "Deleted '{name}': the sandbox voiceprint ({takes} takes) and {attempts} local records.",
            "zh": "已删除“{name}”：沙箱声纹（{takes} 次录入）和 {attempts} 条本地记录。",
        },
        "speakers.deleted_real": {
            "en": "Deleted {attempts} local records of '{name}'. The voiceprint is NOT deleted at the provider. "
            "A deletion request was recorded. {request}",
            "zh": "已删除“{name}”的 {attempts} 条本地记录。服务商处的声纹并未删除，已记录一条删除请求。{request}",
        },
        "speakers.not_found": {
            "en": "Nothing is stored about '{name}' on profile '{profile}': no voiceprint and no records.",
            "zh": "配置“{profile}”上没有关于“{name}”的任何数据：既无声纹也无记录。",
        },
        "speakers.exported": {
            "en": "Exported the data of '{name}' to {path}: {attempts} records, {events} audit events.",
            "zh": "已将“{name}”的数据导出到 {path}：{attempts} 条记录，{events} 条审计事件。",
        },
        "speakers.bad_name": {
            "en": "'{name}' is not a name anyone can be enrolled under",
            "zh": "“{name}”不是可以注册的姓名",
        },
        "speakers.cannot_write": {"en": "Cannot write {path}: {reason}", "zh": "无法写入 {path}：{reason}"},
    }
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("speakers", help=i18n.tr("speakers.help"))
    p.add_argument("--json", action="store_true", help="print a JSON list")
    ssub = p.add_subparsers(dest="speakers_action")
    d = ssub.add_parser("delete", help="delete a person: voiceprint (sandbox) and local records")
    d.add_argument("name")
    d.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    e = ssub.add_parser("export", help="write a person's consent, enrolments and attempts to a JSON file")
    e.add_argument("name")
    e.add_argument("file", type=Path)
    p.set_defaults(func=run)


def _when(at: float | None) -> str:
    return "-" if at is None else time.strftime("%Y-%m-%d %H:%M", time.localtime(at))


def run(args: argparse.Namespace, ctx: Context) -> int:
    action = getattr(args, "speakers_action", None)
    if action == "delete":
        return _delete(args, ctx)
    if action == "export":
        return _export(args, ctx)
    from desktop.store.speakers import speakers

    found = speakers(ctx.history, ctx.profile.name)
    if args.json:
        print(json.dumps([s.to_dict() for s in found], ensure_ascii=False))
        return 0
    if not found:
        print(i18n.tr("speakers.empty", profile=ctx.profile.name))
        return 0
    print(i18n.tr("speakers.header"))
    for s in found:
        consent = f"{_when(s.consent.at)} ({s.consent.operator})" if s.consent else i18n.tr("speakers.no_consent")
        print(
            f"{s.name[:20]:<20} {s.takes:<6} {_when(s.enrolled_at):<18} {_when(s.last_enrolled_at):<18} "
            f"{consent[:28]:<28} {_when(s.last_verified_at)}"
        )
    return 0


def _checked_name(name: str) -> str:
    """A name that can be looked up at all (a terminal can pass undecodable bytes as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(i18n.tr("speakers.bad_name", name=name.encode("utf-8", "backslashreplace").decode())) from None
    if not name.strip():
        raise InputError(i18n.tr("speakers.bad_name", name=name))
    return name


def _delete(args: argparse.Namespace, ctx: Context) -> int:
    return delete_named(ctx, args.name, assume_yes=args.yes)


def delete_named(ctx: Context, name: str, *, assume_yes: bool) -> int:
    from desktop.speakers import delete_person, what_is_deleted
    from desktop.store.speakers import find

    name = _checked_name(name)
    attempts = what_is_deleted(ctx, name)
    enrolled = find(ctx.history, ctx.profile.name, name) is not None
    if not assume_yes:
        if not sys.stdin.isatty():
            raise InputError(i18n.tr("speakers.need_yes"))
        what = i18n.tr("speakers.what_sandbox" if ctx.profile.is_sandbox else "speakers.what_real")
        answer = input(i18n.tr("speakers.confirm", name=name, what=what, attempts=attempts))
        if answer.strip().lower() not in ("yes", "y", "是"):
            print(i18n.tr("speakers.cancelled"))
            return int(ExitCode.REFUSED)
    done = delete_person(ctx, name)
    if ctx.profile.is_sandbox:
        if not done.voiceprint_takes and not done.attempts and not enrolled:
            print(i18n.tr("speakers.not_found", name=name, profile=ctx.profile.name))
            return int(ExitCode.REFUSED)
        print(i18n.tr("speakers.deleted_sandbox", name=name, takes=done.voiceprint_takes or 0, attempts=done.attempts))
    else:
        print(i18n.tr("speakers.deleted_real", name=name, attempts=done.attempts, request=done.provider_request))
    return 0


def _export(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.store.speakers import personal_data, write_json

    args.name = _checked_name(args.name)
    doc = personal_data(ctx.history, ctx.audit, args.name)
    try:
        write_json(args.file, doc)
    except OSError as exc:
        ctx.record("export", subject=args.name, outcome="failed", details={"error": exc.strerror or str(exc)})
        raise InputError(i18n.tr("speakers.cannot_write", path=args.file, reason=exc.strerror or exc)) from None
    records = len(doc["enrolments"]) + len(doc["attempts"])
    ctx.record("export", subject=args.name, outcome="ok", details={"records": records, "file": str(args.file)})
    events = len(doc["audit_events"])
    print(i18n.tr("speakers.exported", name=args.name, path=args.file, attempts=records, events=events))
    return 0
