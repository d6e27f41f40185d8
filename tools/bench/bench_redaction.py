"""Value redaction's cost: JsonFormatter with it on, against python-json-logger.

The anchor setup is the one of ``bench_logging.py`` (same keys, same stdlib
handler writing to a null stream, time per record includes stdlib logging).
The record is a realistic training-log line: a %-formatted message and seven
fields, strings among them (a run id, a model name, an ``s3://`` path without
credentials, which passes the cheap pre-check's ``://`` test and runs its URL
test), and numbers; a second row adds a small nested dict (the key redaction
walks it). Value redaction is on (the default), so every string is covered;
python-json-logger redacts nothing.
"""

from __future__ import annotations

from ml_infra.logging import JsonFormatter
from pythonjsonlogger.json import JsonFormatter as PjlJsonFormatter

from tools.bench.bench_logging import PJL_FORMAT, PJL_RENAMES, bench_logger
from tools.bench.harness import Case, Goal

FIELDS = {
    "run_id": "run-2026-12-01-a7f3",
    "model": "resnet50",
    "dataset": "s3://ml-data/imagenet/train.parquet",
    "epoch": 3,
    "loss": 0.1234,
    "accuracy": 0.931,
    "lr": 0.001,
}
NESTED_FIELDS = {**FIELDS, "optimizer": {"name": "adamw", "lr": 0.001, "weight_decay": 0.01}}
SECRET_FIELDS = {**FIELDS, "database_url": "postgresql://ml:hunter2@db.internal/runs"}


def cases() -> list[Case]:
    ours = bench_logger("redaction.ours", JsonFormatter())
    anchor = bench_logger(
        "redaction.pjl", PjlJsonFormatter(PJL_FORMAT, rename_fields=PJL_RENAMES, timestamp=True)
    )

    def row(name: str, fields: dict[str, object], goal: Goal) -> Case:
        """The same call on both sides: a %-formatted message and ``fields`` as extra=."""
        return Case(
            name=f"redaction: JsonFormatter, {name}",
            ours=lambda: ours.info("epoch %d done in %.1fs", 3, 41.5, extra=fields),
            anchor=lambda: anchor.info("epoch %d done in %.1fs", 3, 41.5, extra=fields),
            anchor_name="python-json-logger",
            goal=goal,
            repeat=15,
        )

    return [
        row("values redacted, 7 fields", FIELDS, Goal.faster(1.3)),
        row("values redacted, 8 fields, one nested", NESTED_FIELDS, Goal.faster(1.3)),
        # A record that does hold a secret takes the sanitizing walk, which masks
        # it (python-json-logger writes it in clear): rare, so a looser goal
        # (measured at 1.8-2.3x the anchor's time on the shared 2-core machine).
        row("a URL password masked, 8 fields", SECRET_FIELDS, Goal.at_most(3.0)),
    ]
