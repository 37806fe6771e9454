#!/usr/bin/env python3
"""Numeric checks of the CI regression gate (scripts/ci-regression.sh); standard library only.

  gate_check.py losses BASE CAND [--window N] [--rtol R]
      BASE and CAND are CSV files with columns step,loss (a run's train_log.csv qualifies). Exit 0 when
      every loss is identical (same bits as printed), 10 when they differ but the first N steps agree
      within relative tolerance R (rounding on another CPU: different kernels, a different summation
      order), 1 when a loss in the first N steps differs by more (a change to what training computes),
      2 when the files cannot be compared (missing, different step lists).

  gate_check.py steps BASE CAND [--atol A]
      Per-step decoding diagnostics (steps.csv of `lddm eval --diagnostics`). Exit 0 when every value
      agrees within A, 1 otherwise (naming the first differing cell), 2 when they cannot be compared.

Why the tolerance and the window (default N = 30 steps, R = 1e-4): training diverges from another
CPU's in the last bits within a dozen steps and the gap grows, fastest for the AR baseline (measured:
MGDM between TensorFlow's oneDNN and Eigen kernels 1e-7 relative at step 50, 1e-6 at 100, 2e-5 at 200;
AR on an AMD Zen 4 against the Intel Xeon baseline 1.2e-6 at step 20, 6.5e-6 at 40, 1.3e-4 at 51,
7e-3 at 100, so a 100-step window failed there), while every fault the gate is meant to catch moves the
losses of steps 1-3 by 1e-3 or more (see scripts/ci-gate-faults.py).
"""
import csv
import sys


def read_rows(path, what):
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            return list(csv.DictReader(f))
    except OSError as e:
        raise SystemExit(fail(2, f"cannot read {what} {path}: {e.strerror}"))


def fail(code, message):
    print(message)
    return code


def losses(base, cand, window, rtol):
    b = read_rows(base, "baseline losses")
    c = read_rows(cand, "candidate losses")
    bs = [(r["step"], r["loss"]) for r in b]
    cs = [(r["step"], r["loss"]) for r in c]
    if [s for s, _ in bs] != [s for s, _ in cs]:
        return fail(2, f"losses: step lists differ ({len(bs)} baseline rows, {len(cs)} candidate rows)")
    if bs == cs:
        print(f"losses: all {len(bs)} identical")
        return 0
    worst = (0.0, None)
    for (step, x), (_, y) in list(zip(bs, cs))[:window]:
        x, y = float(x), float(y)
        rel = abs(x - y) / max(abs(x), 1e-12)
        if rel > worst[0]:
            worst = (rel, step)
        if rel > rtol:
            return fail(1, f"losses: step {step} baseline {x!r} candidate {y!r} differ by {rel:.3g} relative "
                           f"(> {rtol:g}): training computes something else")
    first = next(s for (s, x), (_, y) in zip(bs, cs) if x != y)
    print(f"losses: not identical from step {first}; the first {min(window, len(bs))} steps agree within "
          f"{rtol:g} (largest {worst[0]:.3g} at step {worst[1]}): rounding, e.g. another CPU")
    return 10


def steps(base, cand, atol):
    b = read_rows(base, "baseline diagnostics")
    c = read_rows(cand, "candidate diagnostics")
    if len(b) != len(c) or (b and list(b[0]) != list(c[0])):
        return fail(2, f"diagnostics: shapes differ ({len(b)} vs {len(c)} rows)")
    for rb, rc in zip(b, c):
        for k in rb:
            x, y = float(rb[k]), float(rc[k])
            if abs(x - y) > atol:
                return fail(1, f"diagnostics: step {rb['step']} {k} baseline {x} candidate {y} (|diff| > {atol:g})")
    print(f"diagnostics: all {len(b)} steps agree within {atol:g}")
    return 0


def option(args, name, default):
    if name in args:
        i = args.index(name)
        value = float(args[i + 1])
        del args[i:i + 2]
        return value
    return default


def main(argv):
    args = list(argv[1:])
    if len(args) >= 3 and args[0] == "losses":
        window = int(option(args, "--window", 30))
        rtol = option(args, "--rtol", 1e-4)
        return losses(args[1], args[2], window, rtol)
    if len(args) >= 3 and args[0] == "steps":
        atol = option(args, "--atol", 1e-5)
        return steps(args[1], args[2], atol)
    print(__doc__.strip().splitlines()[0])
    print("usage: gate_check.py losses BASE CAND [--window N] [--rtol R] | steps BASE CAND [--atol A]")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
