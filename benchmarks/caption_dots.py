"""The report's twin pictures of the 99 demo twins: labels over other nodes' dots, now and before.

Usage::

    python -m benchmarks.caption_dots [--before GIT_REF]

Each demo twin's drawing (``tests/data/twin_graphs/demo_drawings.tsv.gz``, laid out as the
server lays it out) is drawn by the report's picture code, and each label's box is checked
against every other node's dot as ``tests/unit/report/test_chart_layout.py`` checks it
(``_covered``). ``--before REF`` draws them with ``src/`` of commit ``REF`` (``git archive``) in
the same run. A hub whose name has no free place is numbered (the picture's note names it) since
stop 59: the numbers are counted among the labels and apart. The viewer's figures (captions
over dots at the first view) come from
``tests/browser/test_viewer_first_view.py``, which prints them with ``-s``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.bench_cli import ROOT, _export


def _worker() -> dict[str, Any]:
    """Labels, labels over dots (by whose label), hubs left unlabelled, and the worst twins."""
    import pytest
    from tests.browser.test_viewer_first_view import demo_drawings
    from tests.unit.report.test_chart_layout import _covered, _labels_and_dots

    from medtwin.platform import report_module_chart as mc

    out: dict[str, Any] = {
        "labels": 0, "over dots": 0, "hubs_over_dots": 0, "unlabelled": 0, "numbered": 0
    }  # fmt: skip
    worst: dict[str, int] = {}
    for patient, graph in sorted(demo_drawings().items()):
        nodes = tuple(
            mc._Node(n.id, n.size, n.layer, n.label, n.x, n.y, n.kind != "Protein")
            for n in graph.nodes
        )
        edges = tuple(mc._Edge(e.source, e.target) for e in graph.edges)
        with pytest.MonkeyPatch.context() as mp:
            got = _labels_and_dots(mp, nodes, edges)
        labels, covered = _covered(got)
        out["labels"] += len(labels)
        out["over dots"] += len(covered)
        out["hubs_over_dots"] += sum(c[2] for c in covered)
        out["unlabelled"] += len(got["out"][1])
        # hubs with a number (named in the note) for lack of room: none before stop 59
        out["numbered"] += sum(bool(getattr(la, "callout", "")) for la in labels)
        if covered:
            worst[patient] = len(covered)
    out["twins"] = dict(sorted(worst.items(), key=lambda kv: -kv[1]))
    return out


def _measure(src: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{ROOT}", "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.caption_dots", "--worker"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="Git ref whose pictures to count as well.")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker()))
        return
    runs = {"now": _measure(ROOT / "src")}
    if args.before:
        with tempfile.TemporaryDirectory(prefix="medtwin-before-") as tmp:
            runs[f"before ({args.before})"] = _measure(_export(args.before, Path(tmp)))
    print("report pictures of the 99 demo twins")
    for name, r in runs.items():
        print(
            f"  {name}: {r['labels']:,} labels, {r['over dots']:,} over another node's dot "
            f"({r['hubs_over_dots']:,} of them hubs'), {r['numbered']} hubs numbered for lack of "
            f"room, {r['unlabelled']} hubs unlabelled; "
            f"by twin {r['twins']}"
        )


if __name__ == "__main__":
    main()
