"""Re-score reprolint against the development corpus's blind labels, and list what nobody has judged yet.

Each `<owner>__<name>.json` here holds one repository's labels, written before reprolint was run on it (see
../../../shared/eval/DEV-CORPUS.md): the gaps a reader found (area, path, line, what), then a verdict on every
finding of the version judged (true, false or noise, the gap it covers, and in `also_covers` the gaps of the other
entrypoints a shared finding names). No code of the repositories is kept.

    python bench/corpus/score.py TREES            # runs reprolint on TREES/<owner>__<name> for each label file
    python bench/corpus/score.py TREES --reports  # reads TREES/<owner>__<name>.reprolint.json instead

Precision per area is true / (true + false + noise) over the findings of the new run that carry a verdict; recall
is the share of labelled gaps covered by a finding judged true that the new run still reports. Findings of the new
run that no verdict matches are listed as unjudged: judge them (in the label file) before trusting the figures.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
AREAS = {"RPL0": "general", "RPL1": "randomness", "RPL2": "determinism", "RPL3": "dependencies",
         "RPL4": "environment", "RPL5": "hyperparameters", "RPL6": "documentation", "RPL7": "paths",
         "RPL8": "hubs", "RPL9": "notebooks"}


def area_of(code: str) -> str:
    return AREAS.get(code[:4], "other")


def key(finding: dict) -> tuple:
    return finding["code"], finding["path"], finding.get("line") or 1


def run_reprolint(tree: Path) -> list:
    out = subprocess.run([sys.executable, "-m", "reprolint", "check", str(tree), "--format", "json", "--no-cache",
                          "--exit-zero"], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["findings"]


def score_repository(labels: dict, findings: list) -> dict:
    verdicts = {key(j): j for j in labels.get("judgements", [])}
    counts = defaultdict(lambda: defaultdict(int))
    unjudged, covered = [], set()
    for finding in findings:
        judged = verdicts.get(key(finding))
        if judged is None:
            unjudged.append(finding)
            continue
        counts[area_of(finding["code"])][judged["verdict"]] += 1
        if judged["verdict"] == "true":  # a finding naming several entrypoints may cover a gap of each
            covered.update(g for g in [judged.get("gap"), *judged.get("also_covers", [])] if g)
    gaps = [g for g in labels.get("gaps", []) if not g.get("added_after_run")]
    for gap in gaps:
        counts[gap["area"]]["gaps"] += 1
        counts[gap["area"]]["found" if gap["id"] in covered else "missed"] += 1
    return {"counts": counts, "unjudged": unjudged}


def figures(counts: dict) -> str:
    judged = counts["true"] + counts["false"] + counts["noise"]
    precision = f"{counts['true'] / judged:6.1%}" if judged else "     -"
    recall = f"{counts['found'] / counts['gaps']:6.1%}" if counts["gaps"] else "     -"
    return (f"precision {precision} ({counts['true']}/{judged}; false {counts['false']}, noise {counts['noise']})"
            f"   recall {recall} ({counts['found']}/{counts['gaps']})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", type=Path, help="folder with one extracted tree per label file")
    parser.add_argument("--reports", action="store_true", help="read saved JSON reports instead of running")
    parser.add_argument("--per-repo", action="store_true")
    args = parser.parse_args()
    total = defaultdict(lambda: defaultdict(int))
    for label_file in sorted(HERE.glob("*__*.json")):
        labels = json.loads(label_file.read_text())
        name = label_file.stem
        if args.reports:
            report = args.trees / f"{name}.reprolint.json"
            if not report.exists():
                print(f"{name}: no report, skipped")
                continue
            findings = json.loads(report.read_text())["findings"]
        else:
            if not (args.trees / name).is_dir():
                print(f"{name}: no tree, skipped")
                continue
            findings = run_reprolint(args.trees / name)
        scored = score_repository(labels, findings)
        for area, counts in scored["counts"].items():
            for what, n in counts.items():
                total[area][what] += n
        if args.per_repo:
            print(f"\n{labels['repo']} @ {labels.get('commit', '?')[:7]}")
            for area, counts in sorted(scored["counts"].items()):
                print(f"  {area:16} {figures(counts)}")
        for finding in scored["unjudged"]:
            print(f"  unjudged: {name}: {finding['code']} {finding['path']}:{finding['line']} {finding['message'][:90]}")
    print("\nAll repositories")
    pooled = defaultdict(int)
    for area, counts in sorted(total.items()):
        print(f"  {area:16} {figures(counts)}")
        for what, n in counts.items():
            pooled[what] += n
    print(f"  {'pooled':16} {figures(pooled)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
