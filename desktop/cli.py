"""The ``vpw`` command line: global options, then one sub-command (default: the GUI)."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop import i18n
from desktop.commands import COMMAND_MODULES
from desktop.context import Context
from desktop.errors import ExitCode, VpwError

i18n.register(
    {
        "cli.description": {
            "en": "Voiceprint Workstation: enrol and verify speakers, speech services, phone codes.",
            "zh": "声纹工作站：声纹注册与验证、语音服务、电话验证码。",
        },
        "cli.interrupted": {"en": "Interrupted.", "zh": "已中断。"},
        "cli.unexpected_logged": {
            "en": "Unexpected error ({error}); nothing was lost that was already saved. "
            "Details for a bug report are in {path}",
            "zh": "意外错误（{error}）；已保存的内容没有丢失。可用于报告问题的详情见 {path}",
        },
        "cli.unexpected_unlogged": {
            "en": "Unexpected error ({error}); the details could not be written to {path} either: {reason}",
            "zh": "意外错误（{error}）；详情也无法写入 {path}：{reason}",
        },
    }
)


GUI_MODULE = "desktop.commands.gui"


def _opens_gui(argv: Sequence[str]) -> bool:
    """``vpw`` alone or ``vpw [global options] gui``: the window is wanted, not the other
    commands, whose imports (numpy, HTTP clients) would delay it."""
    if any(a in ("-h", "--help", "--version") for a in argv):
        return False
    pre = argparse.ArgumentParser(add_help=False)
    for name in ("--profile", "--config", "--lang"):
        pre.add_argument(name)
    pre.add_argument("-v", "--verbose", action="store_true")
    try:
        _known, rest = pre.parse_known_args(argv)
    except SystemExit:  # malformed global options: let the full parser say why
        return False
    return rest in ([], ["gui"])


class _VersionAction(argparse.Action):
    """``--version``, looked up only when asked: importlib.metadata costs the GUI's start-up."""

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        from desktop.version import VERSION

        # On standard output: scripts capture it (argparse's own version action prints there too).
        print(f"vpw {VERSION}")
        parser.exit()


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vpw", description=i18n.tr("cli.description"))
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    parser.add_argument("--profile", help="profile name (default: $VPW_PROFILE, the file's default, sandbox)")
    parser.add_argument("--config", type=Path, help="configuration file (default: the user config dir)")
    parser.add_argument("--lang", choices=["en", "zh"], help="language of messages")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command not built yet is absent, not an error
                continue
            raise
        module.register(sub)
    return parser


def last_resort(exc: BaseException, argv: list[str]) -> int:
    """One readable line for the operator, the traceback in the error log; exit 3."""
    from desktop import crashlog
    from desktop.untrusted import one_line

    error = type(exc).__name__
    try:
        path = crashlog.write(exc, argv)
        message = i18n.tr("cli.unexpected_logged", error=error, path=path)
    except Exception as log_exc:  # the disk is full, the folder read-only: still one line
        where = crashlog.LOG_NAME
        with contextlib.suppress(Exception):
            where = str(crashlog.log_dir() / crashlog.LOG_NAME)
        message = i18n.tr("cli.unexpected_unlogged", error=error, path=where, reason=one_line(log_exc, 120))
    with contextlib.suppress(Exception):
        print(message, file=sys.stderr)
    return int(ExitCode.FAILURE)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv)
    except BrokenPipeError:
        # Whoever read our output went away (``vpw audit | head``): nothing to tell, nothing lost.
        # Point stdout at /dev/null so that the interpreter's final flush cannot fail again.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, as a shell reports a reader that closed the pipe
    except Exception as exc:  # no traceback reaches the operator, wherever it was raised
        return last_resort(exc, argv)


def _main(argv: list[str]) -> int:
    if "--self-test" in argv:
        from desktop.selftest import run_self_test

        return run_self_test()
    parser = build_parser([GUI_MODULE] if _opens_gui(argv) else COMMAND_MODULES)
    args = parser.parse_args(argv)
    if args.lang:
        i18n.set_language(args.lang)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.command is None:
        args = parser.parse_args([*argv, "gui"])
    func: Any = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return int(ExitCode.BAD_INPUT)
    ctx = Context(profile_name=args.profile, config_path=args.config)
    try:
        return int(func(args, ctx))
    except VpwError as exc:
        print(str(exc), file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print(i18n.tr("cli.interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise  # main() ends quietly
    except Exception as exc:  # no traceback reaches the operator; the error log keeps it
        logging.getLogger("vpw").debug("unexpected error", exc_info=True)
        return last_resort(exc, argv)
    finally:
        with contextlib.suppress(Exception):  # closing must not turn a result into a traceback
            ctx.close()


if __name__ == "__main__":
    sys.exit(main())
