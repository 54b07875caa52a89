"""``vpw calibrate DIR``: measure the sandbox engine's error rates on the operator's recordings,
save the picture, and optionally store a threshold in the sandbox profile."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from desktop import i18n
from desktop.context import Context
from desktop.errors import InputError

i18n.register(
    {
        "calibrate_cli.help": {
            "en": "Measure the sandbox speaker engine's error rates on folders of recordings (one per "
            "speaker) and choose its accept threshold",
            "zh": "用录音文件夹（每位说话人一个）测量沙箱声纹引擎的错误率并选择接受阈值",
        },
        "calibrate_cli.progress": {
            "en": "[{done}/{total}] {name}",
            "zh": "[{done}/{total}] {name}",
        },
        "calibrate_cli.summary": {
            "en": "Engine {engine}: {speakers} speakers, {files} recordings, {target} target and "
            "{impostor} impostor trials",
            "zh": "引擎 {engine}：{speakers} 位说话人，{files} 段录音，{target} 次同人试验，{impostor} 次冒认试验",
        },
        "calibrate_cli.eer": {
            "en": "Equal error rate: {eer:.2%} at threshold {threshold:.4f}",
            "zh": "等错误率：{eer:.2%}，阈值 {threshold:.4f}",
        },
        "calibrate_cli.far": {
            "en": "Threshold for {target} false accepts: {threshold:.4f} (measured FAR {far:.2%}, FRR {frr:.2%})",
            "zh": "误接受率 {target} 的阈值：{threshold:.4f}（实测误接受率 {far:.2%}，误拒绝率 {frr:.2%}）",
        },
        "calibrate_cli.unmeasurable": {
            "en": "  too few impostor trials to measure {target}: this threshold only rejects every impostor seen",
            "zh": "  冒认试验太少，无法测量 {target}：此阈值只是拒绝了所有见到的冒认者",
        },
        "calibrate_cli.skipped": {"en": "Skipped {file}: {reason}", "zh": "已跳过 {file}：{reason}"},
        "calibrate_cli.plot": {"en": "Plot saved to {path}", "zh": "图已保存到 {path}"},
        "calibrate_cli.plot_failed": {
            "en": "Cannot save the plot to {path}: {reason}",
            "zh": "无法把图保存到 {path}：{reason}",
        },
        "calibrate_cli.applied": {
            "en": "Sandbox threshold set to {threshold} ({choice}, was {old}) in {path}",
            "zh": "沙箱阈值已设为 {threshold}（{choice}，原为 {old}），写入 {path}",
        },
        "calibrate_cli.synthetic_note": {
            "en": "These figures hold for these recordings only: calibrate on real recordings of real "
            "people, made with the microphones and rooms you will use.",
            "zh": "这些数字只适用于这些录音：请用真实人员、在实际使用的麦克风和环境下录制的录音来校准。",
        },
    }
)

# --apply choices -> the result field they take the threshold from.
_CHOICES = {"eer": "threshold_at_eer", "far1": "far_1%", "far01": "far_0.1%"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("calibrate", help=i18n.tr("calibrate_cli.help"))
    p.add_argument("folder", type=Path, metavar="DIR", help="one sub-folder of recordings per speaker")
    p.add_argument("--json", action="store_true", help="print one JSON object (with every trial's score)")
    p.add_argument(
        "--plot", type=Path, default=Path("calibration.png"), metavar="FILE.png",
        help="where to save the score/DET picture (default: calibration.png here)",
    )  # fmt: skip
    p.add_argument("--no-plot", action="store_true", help="do not draw the picture")
    p.add_argument(
        "--apply", choices=sorted(_CHOICES),
        help="store this threshold in the sandbox profile: eer, far1 (1%% false accepts), far01 (0.1%%)",
    )  # fmt: skip
    p.add_argument("--engine", help="speaker engine to calibrate (default: the sandbox's)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from desktop.calibrate import apply_threshold, stored_threshold
    from desktop.calibrate.trials import calibrate
    from desktop.sandbox.engines import registry

    if args.plot.suffix.lower() != ".png" and not args.no_plot:
        raise InputError(i18n.tr("calibrate_cli.plot_failed", path=args.plot, reason="not a .png name"))
    try:
        engine = registry.get_engine(args.engine)
    except ValueError as exc:
        raise InputError(str(exc)) from None

    def progress(done: int, total: int, name: str) -> None:
        if not args.json:
            print(i18n.tr("calibrate_cli.progress", done=done, total=total, name=name), file=sys.stderr, flush=True)

    result = calibrate(args.folder, engine, progress)
    out = result.to_json()
    if not args.no_plot:
        from desktop.calibrate.plot import save_png

        try:
            save_png(result, args.plot, lang=i18n.current_language())
        except OSError as exc:
            raise InputError(i18n.tr("calibrate_cli.plot_failed", path=args.plot, reason=exc.strerror)) from None
        out["plot"] = str(args.plot)
    if args.apply:
        key = _CHOICES[args.apply]
        value = result.threshold_at_eer if key == "threshold_at_eer" else result.thresholds[key].threshold
        old = stored_threshold(ctx.config_path)
        try:
            written = apply_threshold(value, ctx.config_path)
        except Exception as exc:
            failed = {"old": old, "new": value, "error": str(exc)}
            ctx.record("threshold", subject="sandbox", outcome="failed", details=failed)
            raise
        ctx.record("threshold", subject="sandbox", outcome="ok", details={"old": old, "new": value, "via": "calibrate"})
        out["applied"] = {"choice": args.apply, "threshold": value, "old": old, "config": str(written)}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    _print_report(out)
    return 0


def _print_report(out: dict[str, object]) -> None:
    from desktop.calibrate import exact

    trials = out["trials"]
    assert isinstance(trials, dict)
    for item in out["skipped"]:  # type: ignore[attr-defined]
        print(i18n.tr("calibrate_cli.skipped", file=item["file"], reason=item["reason"]))
    print(
        i18n.tr(
            "calibrate_cli.summary", engine=out["engine"], speakers=out["speakers"], files=out["files"],
            target=trials["target"], impostor=trials["impostor"],
        )
    )  # fmt: skip
    print(i18n.tr("calibrate_cli.eer", eer=out["eer"], threshold=out["threshold_at_eer"]))
    at = out["at_thresholds"]
    assert isinstance(at, dict)
    for key, threshold in out["thresholds"].items():  # type: ignore[attr-defined]
        target = key.removeprefix("far_")
        figures = at[key]
        print(i18n.tr("calibrate_cli.far", target=target, threshold=threshold, far=figures["far"], frr=figures["frr"]))
        if not figures["measurable"]:
            print(i18n.tr("calibrate_cli.unmeasurable", target=target))
    if "plot" in out:
        print(i18n.tr("calibrate_cli.plot", path=out["plot"]))
    applied = out.get("applied")
    if isinstance(applied, dict):
        print(
            i18n.tr(
                "calibrate_cli.applied",
                threshold=exact(applied["threshold"]),
                old=exact(applied["old"]),
                choice=applied["choice"],
                path=applied["config"],
            )
        )
    print(i18n.tr("calibrate_cli.synthetic_note"))
