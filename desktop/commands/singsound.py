"""``vpw warrant`` (one SingSound warrant) and ``vpw warrant-server`` (the merchant service)."""

from __future__ import annotations

import argparse
import json
import threading
from datetime import UTC, datetime
from typing import Any

from desktop import config, i18n
from desktop.context import Context
from desktop.errors import VpwError

i18n.register(
    {
        "singsound_cli.warrant_help": {
            "en": "get a SingSound assessment warrant for a user (signed here, the secret stays here)",
            "zh": "为用户获取先声评测授权（在本机签名，密钥不外传）",
        },
        "singsound_cli.server_help": {
            "en": "run the merchant warrant service that assessment devices ask for warrants",
            "zh": "运行供评测设备获取授权的商户授权服务",
        },
        "singsound_cli.warrant_id": {"en": "warrant_id: {value}", "zh": "授权 ID：{value}"},
        "singsound_cli.expire_at": {
            "en": "expires:    {at} ({stamp}, in {left} s)",
            "zh": "过期时间：  {at}（{stamp}，剩余 {left} 秒）",
        },
        "singsound_cli.gateway": {"en": "gateway:    {value}", "zh": "应答网关：  {value}"},
        "singsound_cli.skipped": {"en": "skipped:    {value}", "zh": "已跳过：    {value}"},
        "singsound_cli.listening": {
            "en": "Warrant service listening on {url} for {devices} device(s); SingSound gateways: {gateways}",
            "zh": "授权服务正在 {url} 监听，已配置 {devices} 台设备；先声网关：{gateways}",
        },
        "singsound_cli.stop": {"en": "Press Ctrl+C to stop.", "zh": "按 Ctrl+C 停止。"},
    }
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("warrant", help=i18n.tr("singsound_cli.warrant_help"))
    p.add_argument("--user-id", required=True, help="the merchant's user id of the person assessed")
    p.add_argument("--client-ip", required=True, help="public IP address of the assessment device")
    # A string, so a bad value gets the translated sentence rather than argparse's English one.
    p.add_argument("--lifetime", help="seconds the warrant stays valid (default: the profile's, 7200)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)
    s = sub.add_parser("warrant-server", help=i18n.tr("singsound_cli.server_help"))
    s.add_argument("--host", help="bind address (default: singsound.warrant_server_host, 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default: singsound.warrant_server_port, 8767; 0 = any)")
    s.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    return _serve(args, ctx) if args.command == "warrant-server" else _warrant(args, ctx)


def _open_log(profile: str = "") -> Any | None:
    from desktop.store.warrants import WarrantLog

    try:
        return WarrantLog(config.data_dir() / "history.sqlite3", profile=profile)
    except Exception:  # the audit trail is a convenience; a locked or newer DB must not block work
        import logging

        logging.getLogger(__name__).warning("warrant audit log unavailable", exc_info=True)
        return None


def _warrant(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.services.singsound import WarrantClient, check_client_ip, check_lifetime, check_user_id

    # Check the operator's input before starting anything.
    check_user_id(args.user_id)
    check_client_ip(args.client_ip)
    lifetime = check_lifetime(args.lifetime) if args.lifetime is not None else None
    ctx.ensure_sandbox()
    s = ctx.profile.singsound
    client = WarrantClient.from_settings(s)
    audit = _open_log(ctx.profile.name)
    try:
        warrant = client.get_warrant(args.user_id, args.client_ip, lifetime or s.warrant_lifetime_s)
        if audit is not None:
            audit.record("cli", args.user_id, args.client_ip, warrant)
    except VpwError as exc:
        if audit is not None:
            audit.record("cli", args.user_id, args.client_ip, None, exc, message=client.scrub(str(exc)))
        raise
    finally:
        client.close()
        if audit is not None:
            audit.close()
    if args.json:
        print(
            json.dumps(
                {
                    "warrant_id": warrant.warrant_id,
                    "expire_at": warrant.expire_at,
                    "user_id": warrant.user_id,
                    "gateway": warrant.gateway,
                    "skipped": [{"gateway": a.gateway, "reason": a.reason} for a in warrant.skipped],
                },
                ensure_ascii=False,
            )
        )
        return 0
    stamp = datetime.fromtimestamp(warrant.expire_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    print(i18n.tr("singsound_cli.warrant_id", value=warrant.warrant_id))
    print(i18n.tr("singsound_cli.expire_at", at=warrant.expire_at, stamp=stamp, left=warrant.seconds_left()))
    print(i18n.tr("singsound_cli.gateway", value=warrant.gateway))
    for attempt in warrant.skipped:
        print(i18n.tr("singsound_cli.skipped", value=attempt.reason))
    return 0


def _serve(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.services.warrant_server import WarrantServerThread, WarrantService

    ctx.ensure_sandbox()
    s = ctx.profile.singsound
    audit = _open_log(ctx.profile.name)

    def record(device: str, user_id: str, ip: str, warrant: Any, exc: VpwError | None) -> None:
        if audit is not None:
            message = service.client.scrub(str(exc)) if exc is not None else ""
            audit.record(f"device:{device}", user_id, ip, warrant, exc, message=message)

    service = WarrantService.from_settings(s, audit=record)
    host = args.host or s.warrant_server_host
    port = s.warrant_server_port if args.port is None else args.port
    server = WarrantServerThread(service, host, port).start()
    try:
        print(
            i18n.tr("singsound_cli.listening", url=server.url, devices=len(service.tokens), gateways=", ".join(s.urls))
        )
        print(i18n.tr("singsound_cli.stop"), flush=True)
        wait_until_interrupted(server)
    finally:
        server.stop()
        if audit is not None:
            audit.close()
    return 0


def wait_until_interrupted(server: Any) -> None:
    """Block the foreground until Ctrl+C (tests replace this to drive the running server)."""
    threading.Event().wait()
