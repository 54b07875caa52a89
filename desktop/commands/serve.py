"""``vpw serve`` (alias ``vpw sandbox``): the local sandbox of all four services, in the foreground."""

from __future__ import annotations

import argparse
import json

from desktop import config, i18n
from desktop.context import Context

i18n.register(
    {
        "serve.help": {
            "en": "run the local sandbox of the four services in the foreground",
            "zh": "在前台运行四项服务的本地沙箱",
        },
        "serve.listening": {
            "en": "Sandbox listening on {host}:{port} (state in {state}). Profile values that point at it:",
            "zh": "沙箱正在 {host}:{port} 监听（状态保存在 {state}）。指向它的配置值：",
        },
        "serve.stop": {"en": "Press Ctrl+C to stop.", "zh": "按 Ctrl+C 停止。"},
        "serve.bad_fault": {
            "en": "A fault is SERVICE.SWITCH=VALUE with a JSON value, e.g. voiceprint.drop_after_frames=5",
            "zh": "故障注入格式为 服务.开关=值（值为 JSON），例如 voiceprint.drop_after_frames=5",
        },
    }
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", aliases=["sandbox"], help=i18n.tr("serve.help"))
    p.add_argument("--host", help="bind address (default: the profile's sandbox host, 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: the profile's sandbox port, 8765)")
    p.add_argument("--state-dir", help="where enrolled voiceprints are kept")
    p.add_argument("--threshold", type=float, help="accept threshold (default: the engine's own)")
    p.add_argument("--fault", action="append", default=[], metavar="SERVICE.SWITCH=VALUE")
    p.set_defaults(func=run)


def _faults(specs: list[str]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for spec in specs:
        key, sep, value = spec.partition("=")
        service, dot, switch = key.partition(".")
        if not sep or not dot or not service or not switch:
            raise config.ConfigError(i18n.tr("serve.bad_fault"))
        try:
            parsed: object = json.loads(value)
        except ValueError:
            parsed = value
        out.setdefault(service, {})[switch] = parsed
    return out


def run(args: argparse.Namespace, ctx: Context) -> int:
    from pathlib import Path

    from desktop.sandbox.server import SandboxConfig, default_state_dir, run_forever

    p = ctx.profile
    host = args.host or p.sandbox.host
    port = p.sandbox.port if args.port is None else args.port
    state = Path(args.state_dir) if args.state_dir else default_state_dir()
    cfg = SandboxConfig(host=host, port=port, state_dir=state, faults=_faults(args.fault))
    threshold = args.threshold if args.threshold is not None else p.sandbox.threshold
    if threshold:
        cfg.threshold = threshold
    shown = config.sandbox_profile(host, port)
    print(i18n.tr("serve.listening", host=host, port=port, state=state))
    for var, (section, name) in config.env_var_names().items():
        value = getattr(shown.section(section), name)
        if section in ("voiceprint", "rokid", "voicecall", "singsound") and value not in ("", []):
            text = ",".join(value) if isinstance(value, list) else value
            print(f"  {var}={text}")
    print(i18n.tr("serve.stop"), flush=True)
    run_forever(cfg)
    return 0
