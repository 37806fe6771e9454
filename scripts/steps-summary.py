#!/usr/bin/env python3
"""Summarises decoding dynamics: for each steps.csv given (as LABEL=PATH), the means over the decoding steps
of token-prediction entropy (all steps), temporal KL and idle fraction (steps >= 1, step 0 has no previous
step), the idle fraction at step 1, and oscillations per sequence. Used for the figures in the closing notes.

Usage: scripts/steps-summary.py mgdm-s1=results/cpu/cells/countdown3-mgdm-small-s1/eval/countdown3-test/steps.csv ...
"""
import csv
import sys


def summary(path):
    rows = {int(r["step"]): r for r in csv.DictReader(open(path, newline=""))}
    steps = sorted(rows)

    def mean(col, ks):
        return sum(float(rows[k][col]) for k in ks) / len(ks)

    later = [k for k in steps if k >= 1]
    return (f"TPE {mean('tpe', steps):.3f}  TKL {mean('tkl', later):.4f}  idle {mean('idle', later):.3f}  "
            f"idle@1 {mean('idle', [1]):.3f}  osc/seq {mean('oscillations_per_seq', steps):.3f}")


if __name__ == "__main__":
    if len(sys.argv) < 2 or any("=" not in a for a in sys.argv[1:]):
        sys.exit("usage: steps-summary.py LABEL=steps.csv ...")
    for arg in sys.argv[1:]:
        label, path = arg.split("=", 1)
        print(f"{label:24s} {summary(path)}")
