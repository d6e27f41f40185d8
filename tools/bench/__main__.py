"""Run the benchmarks: ``python3 tools/dev.py bench [--filter TEXT] [--list]``.

Discovers ``tools/bench/bench_*.py``; each defines ``cases() -> list[Case]``.
Prints one table (case, ours, anchor, ratio, goal) with best-of-N times and the
median ratio beside it, and exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from types import ModuleType

from tools.bench.harness import Case, Result, fmt_seconds, measure


def load_modules() -> list[ModuleType]:
    here = Path(__file__).resolve().parent
    return [
        importlib.import_module(f"tools.bench.{p.stem}") for p in sorted(here.glob("bench_*.py"))
    ]


def render(results: list[Result]) -> str:
    header = ("case", "ours", "anchor", "ratio", "median ratio", "goal", "")
    rows = [header]
    rows.extend(
        (
            r.case.name,
            fmt_seconds(r.ours),
            f"{fmt_seconds(r.anchor)} ({r.case.anchor_name})",
            f"{r.ratio:.3f}" + (f" ({1 / r.ratio:.1f}x faster)" if r.ratio < 1 else ""),
            f"{r.ours_median / r.anchor_median:.3f}",
            r.case.goal.text,
            "ok" if r.ok else "MISSED",
        )
        for r in results
    )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 tools/dev.py bench")
    parser.add_argument("--filter", "-k", default="", help="only cases whose name contains TEXT")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    args = parser.parse_args(argv)
    cases: list[Case] = []
    for module in load_modules():
        cases.extend(module.cases())
    cases = [c for c in cases if args.filter.lower() in c.name.lower()]
    if args.list:
        for case in cases:
            print(f"{case.name}  (anchor: {case.anchor_name}; goal {case.goal.text})")
        return 0
    if not cases:
        print("no benchmark cases matched")
        return 1
    results = []
    for i, case in enumerate(cases, 1):
        print(f"==> [{i}/{len(cases)}] {case.name}", flush=True)
        result = measure(case)
        print(
            f"    ours {fmt_seconds(result.ours)}, anchor {fmt_seconds(result.anchor)},"
            f" ratio {result.ratio:.3f} ({'ok' if result.ok else 'MISSED'})",
            flush=True,
        )
        results.append(result)
    print()
    print("Best-of-N seconds per call; ratio = ours / anchor (lower is better), same run.")
    print(render(results))
    missed = [r.case.name for r in results if not r.ok]
    if missed:
        print(f"\n!! goals missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    print(f"\nall {len(results)} goals met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
