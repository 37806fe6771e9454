#!/usr/bin/env python3
"""The recipe sweep's table (Markdown on stdout): for every finished recipe under DIR (scripts/recipe-sweep.sh),
MGDM's strict accuracy on the val problems at each evaluated checkpoint, the training hours to reach it and the
accuracy per training hour at the last checkpoint; recipes ranked by val accuracy at the end of the equal budget.

Usage: scripts/recipe-sweep-summary.py results/recipe-sweep
"""
import csv
import os
import sys


def rows_of(board):
    with open(board, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def main(top):
    recipes = []
    for rid in sorted(os.listdir(top)):
        board = os.path.join(top, rid, "leaderboard.csv")
        if not os.path.isfile(board):
            continue
        rows = sorted(rows_of(board), key=lambda r: int(r["train_steps"]))
        final = rows[-1]
        # Every checkpoint row of a cell carries the cell's elapsed training time at that checkpoint.
        curve = [(int(r["train_steps"]), int(r["correct"]), int(r["n"]), float(r["train_seconds"])) for r in rows]
        recipes.append((rid, curve, final))
    print("# Recipe sweep: MGDM `small` on Countdown-3, chosen on val\n")
    print("Made by `scripts/recipe-sweep.sh`; each recipe sees 256,000 training sequences. Strict accuracy on the first")
    print("1,000 val problems at each checkpoint (steps: accuracy); hours are wall-clock training time on the machine")
    print("that ran it (see each leaderboard's provenance), so compare hours only between recipes run on one host.\n")
    if not recipes:
        print("No recipe has finished yet.")
        return
    print("| rank | recipe | curve (steps: val strict) | final | train hours | val points per hour |")
    print("|---:|---|---|---:|---:|---:|")
    ranked = sorted(recipes, key=lambda t: (-t[1][-1][1] / max(1, t[1][-1][2]), t[0]))
    for rank, (rid, curve, final) in enumerate(ranked, 1):
        steps, correct, n, seconds = curve[-1]
        acc = 100.0 * correct / max(1, n)
        hours = seconds / 3600
        points = " ".join(f"{s}: {100.0 * c / max(1, k):.1f}%" for s, c, k, _ in curve)
        print(f"| {rank} | {rid} | {points} | {acc:.1f}% | {hours:.2f} | {acc / hours if hours else 0:.1f} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: recipe-sweep-summary.py DIR")
    main(sys.argv[1])
