#!/usr/bin/env python3
"""Shows that the CI regression gate catches a regression in each part it protects.

For every fault below: copy the project's tracked files to a temporary directory, plant the fault (an exact
one-occurrence source edit; a fault whose text no longer occurs fails this script, so the list cannot rot
silently), build the copy, run scripts/ci-regression.sh with the copy's `lddm` against this checkout's
committed baselines, and require exit 1 (regression) with the check that should see it named in the
report. Runs two faults at a time. Exit 0 when every fault was caught, 1 otherwise.

Usage: scripts/ci-gate-faults.py [NAME ...]     (default: all faults; names below)
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = "model/src/main/java/dev/lddm/model/decode/ReferenceDecoding.java"  # shared by both paths
FAST = "model/src/main/java/dev/lddm/model/decode/FastDecoding.java"
BATCHES = "model/src/main/java/dev/lddm/model/train/Batches.java"

# name, part of the system, models the gate runs, file, exact text, replacement, what must report it
FAULTS = [
    ("decoder-temperature", "decoder: which tokens to commit (Gumbel temperature 0.5 -> 1.0)", "mgdm",
     REFERENCE, "return 0.5 * rate;", "return 1.0 * rate;",
     "predictions differ from the baseline"),
    ("decoder-order", "decoder: which tokens to commit (re-mask the most confident)", "mgdm",
     REFERENCE, "Double.compare(noisy[a], noisy[bb])", "Double.compare(noisy[bb], noisy[a])",
     "predictions differ from the baseline"),
    ("masking-schedule", "training: masking schedule (rate t/T instead of (t+1)/T)", "mgdm",
     BATCHES, "double rate = (t + 1) / (double) DiffusionLoss.T;", "double rate = t / (double) DiffusionLoss.T;",
     "losses: step"),
    ("latent-carry", "LDDM: latent not carried to the next decoding step (reference path, --diagnostics)", "lddm",
     REFERENCE, "        h = res[1];", "        h = zeros;",
     "predictions differ from the baseline"),
    ("latent-carry-fast", "LDDM: latent not carried to the next decoding step (fast path, plain eval)", "lddm",
     FAST, "h = previous.get(3);", "h = zeros == null ? (zeros = zeroLatent(n)) : zeros;",
     "predictions differ from the baseline"),
    ("self-conditioning", "LDDM: training never self-conditions", "lddm",
     BATCHES, "boolean selfCond = rng.nextDouble() < selfCondRate;",
     "boolean selfCond = rng.nextDouble() < 0 * selfCondRate;",
     "losses: step"),
    ("ar-decoder", "AR: greedy decoder reads the wrong position's logits", "ar",
     FAST, "int arg = next[(j - r0) * l + pos - 1];", "int arg = next[(j - r0) * l + Math.max(pos - 2, 0)];",
     "predictions differ from the baseline"),
    ("ar-loss", "AR: loss also on the padding after [EOS]", "ar",
     BATCHES, """        if (seq[i] == Vocabulary.EOS) {
          break;
        }""", "", "losses: step"),
]


def tracked_files():
    out = subprocess.run(["git", "-C", ROOT, "ls-files", "-z"], check=True, capture_output=True).stdout
    return [p for p in out.decode().split("\0") if p and not p.startswith("results/")]


def plant(copy, path, old, new):
    f = os.path.join(copy, path)
    with open(f, encoding="utf-8") as fh:
        text = fh.read()
    n = text.count(old)
    if n != 1:
        raise RuntimeError(f"{path}: the fault's text occurs {n} times (expected once); update {__file__}")
    with open(f, "w", encoding="utf-8") as fh:
        fh.write(text.replace(old, new))


def run_fault(fault, files, base):
    name, part, models, path, old, new, expect = fault
    t0 = time.time()
    copy = os.path.join(base, name)
    for rel in files:
        dst = os.path.join(copy, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, rel), dst)
    try:
        plant(copy, path, old, new)
    except RuntimeError as e:
        return name, part, "-", f"NOT PLANTED: {e}", False, time.time() - t0
    env = dict(os.environ, LDDM=os.path.join(copy, "scripts", "lddm"),
               CI_REGRESSION_DIR=os.path.join(copy, "gate-work"),
               GATE_BASELINES=os.path.join(ROOT, "results", "baselines", "ci-micro"))
    gate = subprocess.run(["bash", os.path.join(ROOT, "scripts", "ci-regression.sh"), "--only", models],
                          env=env, capture_output=True, text=True)
    report = gate.stdout + gate.stderr
    with open(os.path.join(base, name + ".log"), "w", encoding="utf-8") as fh:
        fh.write(report)
    seen = [line for line in report.splitlines() if expect in line]
    caught = gate.returncode == 1 and bool(seen)
    how = seen[0].strip() if seen else report.strip().splitlines()[-1] if report.strip() else "(no output)"
    return name, part, gate.returncode, how, caught, time.time() - t0


def main(argv):
    wanted = argv[1:]
    known = [f[0] for f in FAULTS]
    for w in wanted:
        if w not in known:
            print(f"ci-gate-faults: unknown fault '{w}'. Known: {', '.join(known)}", file=sys.stderr)
            return 2
    faults = [f for f in FAULTS if not wanted or f[0] in wanted]
    files = tracked_files()
    base = tempfile.mkdtemp(prefix="lddm-gate-faults-")
    t0 = time.time()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda f: run_fault(f, files, base), faults))
    ok = True
    for name, part, code, how, caught, secs in results:
        ok &= caught
        print(f"{'CAUGHT' if caught else 'MISSED'}  {name:20s} exit={code}  {secs:5.0f} s  {part}\n"
              f"        {how}")
    print(f"ci-gate-faults: {sum(r[4] for r in results)}/{len(results)} faults caught in {time.time() - t0:.0f} s"
          f" (logs in {base})")
    if ok:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
