"""``vpw history``: the attempts log, as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from desktop import i18n
from desktop.commands.limits import checked_limit
from desktop.context import Context
from desktop.errors import InputError
from desktop.store.timeline import scores

i18n.register(
    {
        "history.help": {"en": "show or export the history of attempts", "zh": "查看或导出历史记录"},
        "history.exported": {"en": "Exported {count} rows to {path}", "zh": "已导出 {count} 行到 {path}"},
        "history.empty": {"en": "No attempts recorded yet.", "zh": "尚无记录。"},
        "history.cannot_write": {"en": "Cannot write {path}: {reason}", "zh": "无法写入 {path}：{reason}"},
        "history.header": {
            "en": "time                 kind    user                 decision      own score  best other  digits",
            "zh": "时间                 类型    用户                 结果          本人得分   他人最高分  数字",
        },
    }
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("history", help=i18n.tr("history.help"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--user")
    hsub = p.add_subparsers(dest="history_action")
    e = hsub.add_parser("export")
    e.add_argument("file", type=Path)
    d = hsub.add_parser("delete-user")
    d.add_argument("user")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    history = ctx.history
    action = getattr(args, "history_action", None)
    if action == "export":
        try:
            count = history.export_csv(args.file, history.rows(user=args.user))
        except OSError as exc:
            ctx.record("history_export", subject=args.user or "", outcome="failed", details={"file": str(args.file)})
            raise InputError(i18n.tr("history.cannot_write", path=args.file, reason=exc.strerror or exc)) from None
        ctx.record(
            "history_export", subject=args.user or "", outcome="ok", details={"rows": count, "file": str(args.file)}
        )
        print(i18n.tr("history.exported", count=count, path=args.file))
        return 0
    if action == "delete-user":
        # The same deletion as ``vpw speakers delete NAME --yes``: records alone would leave the
        # voiceprint, and the person would still verify.
        from desktop.commands.speakers import delete_named

        return delete_named(ctx, args.user, assume_yes=True)
    rows = history.rows(limit=checked_limit(args.limit), user=args.user)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        print(i18n.tr("history.empty"))
        return 0
    print(i18n.tr("history.header"))
    for r in rows:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r["created"]))
        # The claimed user's own score and the best other voice (not just the top one, which may
        # be someone else's).
        own, other = (("" if x is None else f"{x:.3f}") for x in scores(r))
        digits = {None: "", True: "ok", False: "DIFF"}[r["digits_match"]]
        print(f"{stamp}  {r['kind']:<7} {r['user'][:20]:<20} {r['decision']:<13} {own:<10} {other:<11} {digits}")
    return 0
