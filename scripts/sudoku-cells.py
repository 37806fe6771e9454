#!/usr/bin/env python3
"""Per-cell view of Sudoku predictions, beyond the strict verdict: for each predictions.csv given (LABEL=PATH), the
share of blank cells filled with the solution's digit, the share of givens kept, the share of puzzles with every
blank right, and the verdict counts. The solutions come from the harness's exact solver (`lddm solve --task
sudoku`); Sudoku puzzles here have a unique solution, so "the solution's digit" is well defined.

Usage: scripts/sudoku-cells.py mgdm=results/sudoku/cells/sudoku-mgdm-small-s1/eval/sudoku-test/predictions.csv ...
"""
import collections
import csv
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def solutions(inputs):
    out = subprocess.run([os.path.join(ROOT, "scripts", "lddm"), "solve", "--task", "sudoku"],
                         input="\n".join(inputs) + "\n", capture_output=True, text=True, check=True).stdout
    solved = {}
    for row in csv.DictReader(out.splitlines()):
        if row["solvable"] != "true":
            sys.exit(f"sudoku-cells.py: no solution for {row['input']}")
        solved[row["input"]] = row["answer"]
    return solved


def summary(path):
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    solved = solutions([r["input"] for r in rows])
    blanks = blanks_right = givens = givens_kept = whole = 0
    verdicts = collections.Counter(r["verdict"] for r in rows)
    for r in rows:
        puzzle, prediction, solution = r["input"], r["prediction"], solved[r["input"]]
        right = True
        for i, given in enumerate(puzzle):
            got = prediction[i] if i < len(prediction) else ""
            if given == "0":
                blanks += 1
                blanks_right += got == solution[i]
                right = right and got == solution[i]
            else:
                givens += 1
                givens_kept += got == given
        whole += right
    n = len(rows)
    return (f"n={n}  blank cells right {100.0 * blanks_right / blanks:.1f}%  givens kept {100.0 * givens_kept / givens:.1f}%"
            f"  every blank right {whole}/{n}  verdicts "
            + ", ".join(f"{v} {c}" for v, c in sorted(verdicts.items(), key=lambda t: -t[1])))


if __name__ == "__main__":
    if len(sys.argv) < 2 or any("=" not in a for a in sys.argv[1:]):
        sys.exit("usage: sudoku-cells.py LABEL=predictions.csv ...")
    for arg in sys.argv[1:]:
        label, path = arg.split("=", 1)
        print(f"{label:28s} {summary(path)}")
