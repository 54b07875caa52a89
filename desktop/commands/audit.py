"""``vpw audit``: the audit trail, as a table or JSON, and ``vpw audit verify`` (the hash chain)."""

from __future__ import annotations

import argparse
import json
import time

from desktop import i18n
from desktop.commands.limits import checked_limit
from desktop.context import Context
from desktop.errors import ExitCode

i18n.register(
    {
        "audit.help": {"en": "list audit events or verify their hash chain", "zh": "列出审计事件或校验其哈希链"},
        "audit.empty": {"en": "No audit events recorded yet.", "zh": "尚无审计事件。"},
        "audit.header": {
            "en": "seq     time                 operator         profile      action           "
            "subject              outcome",
            "zh": "序号    时间                 操作员           配置         操作             "
            "对象                 结果",
        },
        "audit.intact": {
            "en": "Audit trail intact: {count} records, hash chain verified. Newest: record {seq}, SHA-256 {hash}",
            "zh": "审计记录完整：共 {count} 条，哈希链校验通过。最新：第 {seq} 条，SHA-256 {hash}",
        },
        "audit.broken": {
            "en": "Audit trail BROKEN at record {seq} (row id {id}): {reason}. {count} records checked.",
            "zh": "审计记录在第 {seq} 条（行号 {id}）处被破坏：{reason}。已检查 {count} 条。",
        },
    }
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help=i18n.tr("audit.help"))
    p.add_argument("--json", action="store_true", help="print a JSON list, newest first")
    p.add_argument("--limit", type=int, default=50, help="at most this many events (default 50)")
    asub = p.add_subparsers(dest="audit_action")
    asub.add_parser("verify", help="check the hash chain; exit 1 naming the first record that does not match")
    p.set_defaults(func=run)


def _cell(text: object, width: int) -> str:
    s = str(text).replace("\n", " ")
    return (s if len(s) <= width else s[: width - 1] + "…").ljust(width)


def _stamp(at: object) -> str:
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(at)))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, OSError):
        return _cell(at, 19)  # a value edited by hand is shown as it is


def run(args: argparse.Namespace, ctx: Context) -> int:
    log = ctx.audit
    if getattr(args, "audit_action", None) == "verify":
        count, problem = log.verify()
        if problem is None:
            # The newest hash, to note elsewhere: the chain cannot show its own tail cut off.
            head = log.events(limit=1)
            seq, digest = (head[0]["seq"], head[0]["hash"]) if head else (0, "-")
            print(i18n.tr("audit.intact", count=count, seq=seq, hash=digest))
            return int(ExitCode.OK)
        print(i18n.tr("audit.broken", seq=problem.seq, id=problem.record_id, reason=problem.reason, count=count))
        return int(ExitCode.REFUSED)
    events = log.events(limit=checked_limit(args.limit))
    if args.json:
        print(json.dumps(events, ensure_ascii=False))
        return 0
    if not events:
        print(i18n.tr("audit.empty"))
        return 0
    print(i18n.tr("audit.header"))
    for e in events:
        stamp = _stamp(e["at"])
        print(
            f"{_cell(e['seq'], 7)} {stamp}  {_cell(e['operator'], 16)} {_cell(e['profile'], 12)} "
            f"{_cell(e['action'], 16)} {_cell(e['subject'], 20)} {e['outcome']}"
        )
    return 0
