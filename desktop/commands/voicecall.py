"""``vpw call`` places a voice verification call; ``vpw callbacks`` runs the callback receiver."""

from __future__ import annotations

import argparse
import json
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from desktop import i18n
from desktop.context import Context
from desktop.errors import ExitCode, ProtocolFailure, VpwError

i18n.register(
    {
        "voicecall_cli.help_call": {
            "en": "phone someone and read out a verification code (Huawei voice call)",
            "zh": "拨打电话并播报验证码（华为语音通话）",
        },
        "voicecall_cli.help_callbacks": {
            "en": "run the receiver for call-status and bill callbacks until Ctrl+C",
            "zh": "运行呼叫状态与话单回调的接收服务，直到按 Ctrl+C",
        },
        "voicecall_cli.placed": {
            "en": "Call placed. Session: {session}",
            "zh": "已发起呼叫。会话：{session}",
        },
        "voicecall_cli.code": {
            "en": "Verification code: {code} (ask the person to repeat it)",
            "zh": "验证码：{code}（请对方复述）",
        },
        "voicecall_cli.idle_port": {"en": "Idle call ports: {n}", "zh": "空闲呼叫端口：{n}"},
        "voicecall_cli.waiting": {
            "en": "Following the call through {url} (up to {seconds:g} s)...",
            "zh": "正在通过 {url} 跟踪呼叫（最多 {seconds:g} 秒）……",
        },
        "voicecall_cli.event": {"en": "  [{time}] {text}", "zh": "  [{time}] {text}"},
        "voicecall_cli.bill": {
            "en": "  [{time}] Bill {icid}: answered {answered}, ended {ended}",
            "zh": "  [{time}] 话单 {icid}：接听于 {answered}，结束于 {ended}",
        },
        "voicecall_cli.no_callbacks": {
            "en": "No end of call was reported within {seconds:g} s. Check that the platform can reach "
            "the status URL; events that arrive later are stored by `vpw callbacks`.",
            "zh": "在 {seconds:g} 秒内没有收到通话结束的通知。请检查平台能否访问状态回调地址；"
            "之后到达的事件可由 `vpw callbacks` 接收保存。",
        },
        "voicecall_cli.no_bill": {
            "en": "The bill has not arrived yet; `vpw callbacks` stores it when it does.",
            "zh": "话单尚未到达；到达时可由 `vpw callbacks` 接收保存。",
        },
        "voicecall_cli.listening": {
            "en": "Receiving callbacks on {url} (paths /status, /fee and /). Press Ctrl+C to stop.",
            "zh": "正在 {url} 接收回调（路径 /status、/fee 和 /）。按 Ctrl+C 停止。",
        },
        "voicecall_cli.signed": {
            "en": "Signatures are checked with the profile's app secret; every push is stored with its "
            "mark (record mode; --strict refuses those that do not verify).",
            "zh": "使用本配置的 app_secret 校验签名；每条推送都连同其校验标记保存（记录模式；"
            "--strict 会拒绝未通过校验的推送）。",
        },
        "voicecall_cli.strict": {
            "en": "Signatures are checked with the profile's app secret; strict mode refuses every push "
            "that does not verify (HTTP 401) — the platform does not re-send refused status events.",
            "zh": "使用本配置的 app_secret 校验签名；严格模式拒绝所有未通过校验的推送（HTTP 401）——"
            "平台不会重发被拒绝的状态事件。",
        },
        "voicecall_cli.unsigned": {
            "en": "WARNING: no app secret in this profile, so callbacks are NOT authenticated "
            "(each is stored marked unverified).",
            "zh": "警告：本配置没有 app_secret，回调未经身份校验（每条都标记为未校验后保存）。",
        },
        "voicecall_cli.kept_raw": {
            "en": "  [{time}] KEPT an unreadable push on {path} as received ({detail}, {size} bytes) [{mark}]",
            "zh": "  [{time}] 已原样保存 {path} 上一条无法解析的推送（{detail}，{size} 字节）[{mark}]",
        },
        "voicecall_cli.note": {"en": "Note: {text}", "zh": "注意：{text}"},
        "voicecall_cli.mark.verified": {"en": "verified", "zh": "已校验"},
        "voicecall_cli.mark.unverified": {"en": "unverified", "zh": "未校验"},
        "voicecall_cli.mark.bad_signature": {"en": "BAD SIGNATURE", "zh": "签名错误"},
        "voicecall_cli.mark.stale": {"en": "stale", "zh": "已过时"},
        "voicecall_cli.mark.replayed": {"en": "REPLAYED", "zh": "重放"},
        "voicecall_cli.refused_push": {
            "en": "  [{time}] REFUSED a callback on {path}: {reason} (HTTP {status})",
            "zh": "  [{time}] 拒绝了 {path} 上的回调：{reason}（HTTP {status}）",
        },
        "voicecall_cli.summary": {
            "en": "Stopped. Stored {stored} (verified {verified}, unverified {unverified}, bad signature "
            "{bad_signature}, stale {stale}, replayed {replayed}), kept raw {unparsed}, repeated pushes "
            "{duplicates}, refused {rejected}.",
            "zh": "已停止。保存 {stored} 条（已校验 {verified}，未校验 {unverified}，签名错误 {bad_signature}，"
            "已过时 {stale}，重放 {replayed}），原样保存 {unparsed} 条，重复推送 {duplicates} 次，拒绝 {rejected} 次。",
        },
    }
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("call", help=i18n.tr("voicecall_cli.help_call"))
    p.add_argument("--callee", required=True, help="number to call, E.164 (+8613800000000)")
    p.add_argument("--display", help="caller id shown (default: the profile's voicecall.display_nbr)")
    p.add_argument("--code", help="2-8 digits to read out (default: a random 6-digit code)")
    p.add_argument("--lang", dest="language", help="languageType, an integer (default: the profile's, 2)")
    p.add_argument("--pretone", help="tone played before the code, a .wav name (default: the profile's)")
    p.add_argument("--postone", help="tone played after the code, a .wav name")
    p.add_argument("--times", help="how many times the code is read, 0-9")
    p.add_argument("--status-url", help="plain URL for call-status callbacks (sent base64-encoded)")
    p.add_argument("--fee-url", help="plain URL for bill callbacks (sent base64-encoded)")
    p.add_argument("--user-data", help="up to 256 characters returned in the callbacks")
    p.add_argument("--bind", help="bindNbr, the account's CallEnabler number (default: the profile's; none)")
    p.add_argument("--idle-port", action="store_true", help="ask how many call ports are idle")
    p.add_argument("--wait", action="store_true", help="receive the callbacks here and follow the call")
    p.add_argument("--wait-timeout", type=float, default=120.0, metavar="SECONDS")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_call)
    p = sub.add_parser("callbacks", help=i18n.tr("voicecall_cli.help_callbacks"))
    p.add_argument("--host", help="bind address (default: the profile's voicecall.callback_host, loopback)")
    p.add_argument("--port", type=int, help="port (default: the profile's voicecall.callback_port; 0 = any)")
    p.add_argument("--duration", type=float, metavar="SECONDS", help="stop after this long (default: Ctrl+C)")
    p.add_argument("--json", action="store_true", help="print one JSON object per event")
    p.add_argument(
        "--strict",
        action="store_true",
        help="refuse (HTTP 401) pushes whose signature does not verify, instead of storing them marked "
        "(default: the profile's voicecall.callback_mode)",
    )
    p.set_defaults(func=run_callbacks)


def _clock() -> str:
    return time.strftime("%H:%M:%S")


def mark_label(mark: str) -> str:
    """The receiver's signature mark in the operator's language ("" for none)."""
    return i18n.tr(f"voicecall_cli.mark.{mark}") if mark in _MARKS else mark


_MARKS = ("verified", "unverified", "bad_signature", "stale", "replayed")


def run_call(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.services.callbacks import CallbackEvent, CallbackServer
    from desktop.services.voicecall import CallRequest, VoicecallClient, generate_code, prepare
    from desktop.store.calls import default_store

    req = CallRequest(
        callee=args.callee,
        display=args.display or "",
        code=args.code if args.code is not None else generate_code(),
        language=args.language,
        pre_tone=args.pretone or "",
        pos_tone=args.postone or "",
        times=args.times,
        status_url=args.status_url or "",
        fee_url=args.fee_url or "",
        return_idle_port=True if args.idle_port else None,
        user_data=args.user_data or "",
        bind_nbr=args.bind or "",
    )
    settings = ctx.profile.voicecall
    prepare(req, settings)  # bad input fails here, before a sandbox, a receiver or a request
    ctx.ensure_sandbox()
    settings = ctx.profile.voicecall  # the sandbox may have moved to another port
    store = default_store()
    inbox: queue.Queue[CallbackEvent] = queue.Queue()
    server: CallbackServer | None = None
    try:
        if args.wait:
            server = CallbackServer.from_settings(settings, store, observer=inbox.put).start()
            req.status_url = req.status_url or settings.status_url or server.status_url
            req.fee_url = req.fee_url or settings.fee_url or server.fee_url
            # The platform signs the URL it pushes to: a public one given here must verify too.
            server.receiver.push_urls += [req.status_url, req.fee_url]
        prepared = prepare(req, settings)
        body = prepared.body
        record = {
            "callee": body["calleeNbr"],
            "profile": ctx.profile.name,
            "display": body["displayNbr"],
            "language_type": body["languageType"],
            "pre_tone": body["preTone"],
            "times": body.get("times"),
            "code_length": len(prepared.code),
        }
        try:
            result = VoicecallClient(settings).call_verify(prepared)
        except VpwError as exc:
            if exc.code and exc.code[:1].isdigit():
                store.record_call(resultcode=exc.code, resultdesc=exc.message, **record)
            if args.json:
                print(json.dumps({"ok": False, "resultcode": exc.code, "error": exc.message}, ensure_ascii=False))
            raise
        store.record_call(
            session_id=result.session_id, resultcode=result.resultcode, resultdesc=result.resultdesc, **record
        )
        out: dict[str, Any] = {
            "ok": True,
            "answer": result.answer,
            "sessionId": result.session_id,
            "verifyCode": result.verify_code,
        }
        if not args.json:
            print(i18n.tr("voicecall_cli.placed", session=result.session_id))
            print(i18n.tr("voicecall_cli.code", code=result.verify_code))
            if result.idle_port is not None:
                print(i18n.tr("voicecall_cli.idle_port", n=result.idle_port))
            for note in result.notes:
                print(i18n.tr("voicecall_cli.note", text=note), flush=True)
        out["createdZone"] = result.created_zone
        if result.notes:
            out["notes"] = result.notes
        code = int(ExitCode.OK)
        if server is not None:
            code = _follow(args, server, inbox, result.session_id, out)
        if args.json:
            print(json.dumps(out, ensure_ascii=False))
        return code
    finally:
        if server is not None:
            server.stop()
        store.close()


def _follow(
    args: argparse.Namespace, server: Any, inbox: queue.Queue[Any], session_id: str, out: dict[str, Any]
) -> int:
    """Print the call's events as they arrive; the exit code says how the call ended."""
    from desktop.services.voicecall_codes import describe_event, describe_state
    from desktop.untrusted import clean_field

    if not args.json:
        print(i18n.tr("voicecall_cli.waiting", url=server.base_url, seconds=args.wait_timeout), flush=True)
    deadline = time.monotonic() + args.wait_timeout
    events: list[dict[str, Any]] = out.setdefault("events", [])
    bills: list[dict[str, Any]] = out.setdefault("bills", [])
    state_code: str | None = None
    while time.monotonic() < deadline and (state_code is None or not bills):
        try:
            ev = inbox.get(timeout=max(0.05, min(0.5, deadline - time.monotonic())))
        except queue.Empty:
            continue
        if ev.kind == "rejected" or ev.session_id != session_id:
            continue
        if ev.kind == "fee":
            bills.append({**ev.data, "signature": ev.signature})
            if not args.json:
                print(
                    i18n.tr(
                        "voicecall_cli.bill",
                        time=_clock(),
                        icid=clean_field(ev.data.get("icid", "?"), 64),
                        answered=clean_field(ev.data.get("callOutAnswerTime") or "-", 32),
                        ended=clean_field(ev.data.get("callEndTime") or "-", 32),
                    ),
                    flush=True,
                )
            continue
        sc = ev.data.get("stateCode")
        events.append({"eventType": ev.event_type, **ev.data, "signature": ev.signature})
        if not args.json:
            text = f"{describe_event(ev.event_type, sc)} [{mark_label(ev.signature)}]"
            print(i18n.tr("voicecall_cli.event", time=_clock(), text=text), flush=True)
        if ev.event_type == "disconnect":
            state_code = "" if sc is None else str(sc)
            # The bill usually follows within seconds; do not hold the operator for the full timeout.
            deadline = min(deadline, time.monotonic() + 15.0)
    if state_code is None:
        raise ProtocolFailure(i18n.tr("voicecall_cli.no_callbacks", seconds=args.wait_timeout))
    out["stateCode"] = state_code
    out["outcome"] = describe_state(state_code)
    if not args.json and not bills:
        print(i18n.tr("voicecall_cli.no_bill"))
    return int(ExitCode.OK if state_code == "0" else ExitCode.REFUSED)


def _stop_on_sigterm() -> Callable[[], None]:
    """A server deployment stops us with SIGTERM: treat it like Ctrl+C (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def run_callbacks(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.services.callbacks import CallbackEvent, CallbackServer
    from desktop.services.voicecall_codes import describe_event
    from desktop.store.calls import default_store
    from desktop.untrusted import clean_field

    settings = ctx.profile.voicecall
    store = default_store()

    def show(ev: CallbackEvent) -> None:
        if args.json:
            doc = {"kind": ev.kind, "eventType": ev.event_type, "sessionId": ev.session_id, "data": ev.data}
            if ev.signature:
                doc |= {"signature": ev.signature, "signatureDetail": ev.signature_detail}
            print(json.dumps(doc, ensure_ascii=False), flush=True)
        elif ev.kind == "rejected":
            print(
                i18n.tr(
                    "voicecall_cli.refused_push",
                    time=_clock(),
                    path=clean_field(ev.data.get("path"), 200),
                    reason=clean_field(ev.event_type, 64),
                    status=ev.data.get("status"),
                ),
                flush=True,
            )
        elif ev.kind == "unparsed":
            fields = {
                "path": clean_field(ev.data.get("path"), 200),
                "detail": clean_field(ev.data.get("detail"), 200),
                "size": ev.data.get("bytes"),
            }
            print(i18n.tr("voicecall_cli.kept_raw", time=_clock(), mark=mark_label(ev.signature), **fields), flush=True)
        else:
            text = describe_event(ev.event_type, ev.data.get("stateCode"))
            text = f"{clean_field(text, 200)}  {clean_field(ev.session_id)}  [{mark_label(ev.signature)}]"
            print(i18n.tr("voicecall_cli.event", time=_clock(), text=text), flush=True)

    strict = True if args.strict else None  # None: the profile's voicecall.callback_mode
    server = CallbackServer.from_settings(settings, store, observer=show, host=args.host, port=args.port, strict=strict)
    restore = _stop_on_sigterm()
    try:
        server.start()
        if not args.json:
            print(i18n.tr("voicecall_cli.listening", url=server.base_url))
            key = "strict" if server.receiver.strict else "signed" if settings.app_secret else "unsigned"
            print(i18n.tr(f"voicecall_cli.{key}"), flush=True)
        deadline = None if args.duration is None else time.monotonic() + args.duration
        try:
            while deadline is None or time.monotonic() < deadline:
                time.sleep(0.2 if deadline is None else max(0.0, min(0.2, deadline - time.monotonic())))
        except KeyboardInterrupt:
            pass  # Ctrl+C is how this command is meant to end
    finally:
        restore()
        server.stop()
        store.close()
    if not args.json:
        print(i18n.tr("voicecall_cli.summary", **server.receiver.stats), file=sys.stderr)
    return int(ExitCode.OK)
