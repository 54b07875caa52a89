"""``vpw gui`` (and plain ``vpw``): open the operator's window."""

from __future__ import annotations

import argparse
import os
import sys

from desktop import i18n
from desktop.context import Context
from desktop.errors import ExitCode, VpwError

i18n.register(
    {
        "gui.help": {"en": "open the window (the default command)", "zh": "打开主窗口（默认命令）"},
        "gui.no_display": {
            "en": "There is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
            "Run vpw in a desktop session, or use the command line here: vpw --help lists the commands, "
            "and vpw serve runs the sandbox, callback receiver and warrant server without a window.",
            "zh": "没有可以打开窗口的显示器（DISPLAY 和 WAYLAND_DISPLAY 都未设置）。请在桌面会话中运行 vpw，"
            "或在此使用命令行：vpw --help 列出所有命令，vpw serve 可在无窗口时运行沙箱、回调接收器和授权服务。",
        },
    }
)

# Qt platforms that need no display server: tests, screenshots, remote viewers.
_HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")


class NoDisplay(VpwError):
    """Qt would abort in its platform plugin (a core dump, not a sentence) with nothing to draw on."""

    exit_code = ExitCode.FAILURE


def check_display(environ: dict[str, str] | None = None, platform: str | None = None) -> None:
    env = dict(os.environ) if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux") and "bsd" not in platform:
        return  # Windows and macOS always have their own window system
    requested = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if requested in _HEADLESS_PLATFORMS:
        return
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return
    raise NoDisplay(i18n.tr("gui.no_display"))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("gui", help=i18n.tr("gui.help"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    check_display()
    from desktop.ui.app import run as run_gui  # Qt loads only when the window is wanted

    return run_gui(ctx, lang=getattr(args, "lang", None))
