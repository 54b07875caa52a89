"""``vpw gui`` (and plain ``vpw``): open the operator's window."""

from __future__ import annotations

import argparse

from desktop import i18n
from desktop.context import Context

i18n.register({"gui.help": {"en": "open the window (the default command)", "zh": "打开主窗口（默认命令）"}})


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("gui", help=i18n.tr("gui.help"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.ui.app import run as run_gui  # Qt loads only when the window is wanted

    return run_gui(ctx, lang=getattr(args, "lang", None))
