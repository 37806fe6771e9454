#!/usr/bin/env python3
"""Carries a long suite run across machines that do not keep their disks: its resumable state, to durable storage.

A suite output directory (``lddm bench --out DIR``, ``scripts/bench-parallel.sh``) resumes from what it holds:
finished cells (``cells/ID``) are skipped and an interrupted cell continues from the newest checkpoint of an
earlier attempt (``attempts/ID/TOKEN.json`` and ``attempts/ID/TOKEN/checkpoints/step-N``). This project's
sessions end with their machine, so a run longer than a session (issue 11's ``cpu-long``: ~30 CPU-hours) can
only continue if that state is kept somewhere that outlives the machine: not git (this project keeps
checkpoints, ~9.6 MB each, out of it), but a disk, bucket or share. ``save`` copies exactly what resuming needs:

  STATE/suite.json                         the run's suite
  STATE/cells/ID/                          every finished cell, without its checkpoints
  STATE/attempts/ID/TOKEN.json             for each unfinished cell, the attempt with the newest checkpoint...
  STATE/attempts/ID/TOKEN/checkpoints/step-N/   ...and that one checkpoint (weights and optimizer state:
                                           exact resume; ~9.6 MB for `small`)
  STATE/attempts/ID/TOKEN/checkpoints/step-K/   ...and, when the suite has a learning curve (eval_every), the
                                           checkpoints at its steps below N from any attempt of the cell: the
                                           runner evaluates them when the cell finishes, so they must survive too
  STATE/CARRY.json                         the code commit the run must be resumed with, when it was saved,
                                           and each cell's state, step and carried curve steps

STATE is replaced whole (built beside it, then renamed), so an interrupted save leaves the previous state.
When STATE lies in a git work tree, ``save`` then asks git whether it would commit every file, and fails
(exit 1) naming the rule when a .gitignore excludes one: a state whose checkpoints are ignored looks saved in the
repository but resumes from step 0 on the next machine (that happened once: ``results/**/checkpoints/``).
``save`` never moves a state backwards: when STATE already holds a cell further on (finished, or at a later
checkpoint) than RUN_DIR has it, as after forgetting to ``restore`` into a new machine's run, it fails and keeps
STATE (``--force`` replaces it anyway; a cell listed without its checkpoint counts as nothing). ``check RUN_DIR
STATE_DIR`` runs the same guard and the .gitignore test before a run starts (``scripts/bench-parallel.sh`` with
``CARRY_TO``), with a missing RUN_DIR counted as empty.
``save --finished-only`` carries the finished cells alone (no checkpoint and no TensorBoard event files, whose
scalars the cell's train_log.csv also holds, so the state can live in git): for a
suite whose cells each finish within one machine's life, committed as they finish (``results/cpu-session``).
``restore`` first checks that STATE holds every checkpoint its CARRY.json lists, and copies nothing otherwise.
``restore STATE DIR`` copies it into a run directory, never overwriting a file that is there; then the same
``bench`` command, run from a checkout of the recorded commit, continues where the saved run stopped.

``link-curve RUN_DIR`` gives each unfinished cell's attempts the learning-curve checkpoints that another attempt of
the cell wrote (hard links, published whole), up to each attempt's own newest step: a resumed attempt starts with
only the newest checkpoint of the attempt it continues, and the runner reads the curve's checkpoints from its own
directory when the cell finishes. Run it while the run goes on (``save`` does not change the run).

Usage:
  scripts/bench-carry.py link-curve RUN_DIR
  scripts/bench-carry.py save RUN_DIR STATE_DIR --commit SHA [--force] [--finished-only]
  scripts/bench-carry.py check RUN_DIR STATE_DIR
  scripts/bench-carry.py restore STATE_DIR RUN_DIR
Exit status: 0 done, 1 unreadable or inconsistent state, 2 usage error.
"""
import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

CHECKPOINT = re.compile(r"^step-(\d{7,})$")
CELL_DONE = "cell.json"
CARRY_FILE = "CARRY.json"
SUITE_FILE = "suite.json"


class CarryError(Exception):
    """A one-line, user-facing reason (exit 1)."""


def intact(checkpoint):
    """Whether a checkpoint directory has what a resume reads (written whole, so present means complete)."""
    names = set(os.listdir(checkpoint))
    return ({"config.json", "model.index"} <= names
            and any(n.startswith("model.data-") for n in names))


def newest_checkpoint(attempt_dir):
    """(step, path) of the newest intact checkpoint of one attempt, or None."""
    ck = os.path.join(attempt_dir, "checkpoints")
    if not os.path.isdir(ck):
        return None
    best = None
    for name in os.listdir(ck):
        m = CHECKPOINT.match(name)
        path = os.path.join(ck, name)
        if m and os.path.isdir(path) and intact(path):
            step = int(m.group(1))
            if best is None or step > best[0]:
                best = (step, path)
    return best


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise CarryError(f"cannot read {path}: {e}") from e


def curve_steps(suite_dir):
    """The learning-curve steps of the run's suite (multiples of eval_every below the step budget), as a set."""
    suite = read_json(os.path.join(suite_dir, SUITE_FILE))
    every = suite.get("eval_every") or 0
    budget = (suite.get("budget") or {}).get("steps") or 0
    return set(range(every, budget, every)) if every > 0 and budget > 0 else set()


def curve_checkpoints(suite_dir, cell, wanted, below):
    """{step: path} of intact checkpoints at the WANTED steps below BELOW in any attempt of CELL."""
    found = {}
    root = os.path.join(suite_dir, "attempts", cell)
    for name in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        ck = os.path.join(root, name, "checkpoints")
        if not os.path.isdir(ck):
            continue
        for c in sorted(os.listdir(ck)):
            m = CHECKPOINT.match(c)
            path = os.path.join(ck, c)
            if m and int(m.group(1)) in wanted and int(m.group(1)) < below and int(m.group(1)) not in found \
                    and os.path.isdir(path) and intact(path):
                found[int(m.group(1))] = path
    return found


def link_curve(run):
    """Links missing learning-curve checkpoints between the attempts of each unfinished cell; returns how many."""
    if not os.path.isfile(os.path.join(run, SUITE_FILE)):
        raise CarryError(f"{run} holds no {SUITE_FILE}; give the --out of a bench run")
    wanted = curve_steps(run)
    finished, _ = cells_of(run)
    linked = 0
    attempts = os.path.join(run, "attempts")
    for cell in sorted(os.listdir(attempts)) if wanted and os.path.isdir(attempts) else []:
        if cell in finished:
            continue
        found = curve_checkpoints(run, cell, wanted, float("inf"))
        for name in sorted(os.listdir(os.path.join(attempts, cell))):
            work = os.path.join(attempts, cell, name)
            newest = newest_checkpoint(work) if os.path.isdir(work) else None
            if newest is None:
                continue
            ck = os.path.join(work, "checkpoints")
            for step, src in sorted(found.items()):
                dst = os.path.join(ck, os.path.basename(src))
                if step > newest[0] or os.path.exists(dst):
                    continue
                tmp = os.path.join(ck, ".link-" + os.path.basename(src))
                shutil.rmtree(tmp, ignore_errors=True)
                os.makedirs(tmp)
                for f in os.listdir(src):
                    try:
                        os.link(os.path.join(src, f), os.path.join(tmp, f))
                    except OSError:
                        shutil.copy2(os.path.join(src, f), os.path.join(tmp, f))
                os.rename(tmp, dst)
                linked += 1
                print(f"{cell}: {os.path.basename(src)} linked into attempt {name}")
    print(f"linked {linked} learning-curve checkpoints in {run}")
    return linked


def cells_of(suite_dir):
    """Finished cell ids and, for the others, their best (step, marker path, checkpoint path)."""
    finished = sorted(c for c in os.listdir(os.path.join(suite_dir, "cells"))
                      if os.path.isfile(os.path.join(suite_dir, "cells", c, CELL_DONE))) \
        if os.path.isdir(os.path.join(suite_dir, "cells")) else []
    partial = {}
    attempts = os.path.join(suite_dir, "attempts")
    for cell in sorted(os.listdir(attempts)) if os.path.isdir(attempts) else []:
        if cell in finished:
            continue
        for name in sorted(os.listdir(os.path.join(attempts, cell))):
            marker = os.path.join(attempts, cell, name)
            if not name.endswith(".json") or not os.path.isfile(marker):
                continue
            best = newest_checkpoint(marker[: -len(".json")])
            if best and (cell not in partial or best[0] > partial[cell][0]):
                partial[cell] = (best[0], marker, best[1])
    return finished, partial


def copy_cell(src, dst, tensorboard=True):
    """A finished cell without its checkpoints; without its TensorBoard event files too unless TENSORBOARD (a state
    meant for git: a 50,000-step cell's events are ~7 MB, and its train_log.csv holds the same scalars)."""
    skip = ("checkpoints",) if tensorboard else ("checkpoints", "tensorboard")
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(*skip))


FINISHED = float("inf")


def carried(state, cell, record, step):
    """The path of a partial cell's carried checkpoint at STEP, as CARRY.json's RECORD of the cell names it."""
    return os.path.join(state, "attempts", cell, record.get("attempt", "?"), "checkpoints", f"step-{step:07d}")


def restorable(state):
    """{cell: step} of what STATE could restore (FINISHED for a finished cell); {} without a CARRY.json."""
    if not os.path.isfile(os.path.join(state, CARRY_FILE)):
        return {}
    have = {}
    for cell, c in read_json(os.path.join(state, CARRY_FILE)).get("cells", {}).items():
        if c.get("state") == "finished":
            if os.path.isfile(os.path.join(state, "cells", cell, CELL_DONE)):
                have[cell] = FINISHED
        else:
            ck = carried(state, cell, c, c.get("step", 0))
            if os.path.isdir(ck) and intact(ck):
                have[cell] = c["step"]
    return have


def refuse_regress(run, state, finished, partial):
    """Fails when STATE holds a cell further on than the run does (saving would lose that progress)."""
    for cell, step in sorted(restorable(state).items()):
        now = FINISHED if cell in finished else partial[cell][0] if cell in partial else -1
        if now < step:
            held = "finished" if step == FINISHED else f"at step {step}"
            has = f"at step {now}" if now >= 0 else "not started"
            raise CarryError(f"{state} holds {cell} {held} but {run} has it {has}: restore it first "
                             f"(scripts/bench-carry.py restore {state} {run}), or save with --force to replace it")


def check(run, state):
    """Before a run: the regress guard (a missing RUN counts as empty) and whether git would commit a checkpoint."""
    finished, partial = cells_of(run) if os.path.isdir(run) else ([], {})
    refuse_regress(run, state, finished, partial)
    probe = os.path.join(state, "attempts", "cell", "token", "checkpoints", "step-0000000", "model.index")
    ignored = git_ignored(state, [probe])
    if ignored:
        raise CarryError(f"git would not commit a checkpoint saved under {state} (ignored by {ignored[0][1]}); "
                         f"keep checkpoints out of git and save the state to storage that outlives the machine")
    print(f"{state}: ready to carry {run}")


def save(run, state, commit, force=False, finished_only=False):
    if not os.path.isfile(os.path.join(run, SUITE_FILE)):
        raise CarryError(f"{run} holds no {SUITE_FILE}; give the --out of a bench run")
    finished, partial = cells_of(run)
    if not force:
        refuse_regress(run, state, finished, partial)
    left_out = sorted(partial) if finished_only else []
    if finished_only:
        partial = {}
    parent = os.path.dirname(os.path.abspath(state))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".carry-", dir=parent)
    os.chmod(tmp, 0o777 & ~umask())
    try:
        shutil.copy2(os.path.join(run, SUITE_FILE), os.path.join(tmp, SUITE_FILE))
        cells = {}
        wanted = curve_steps(run)
        for cell in finished:
            copy_cell(os.path.join(run, "cells", cell), os.path.join(tmp, "cells", cell), tensorboard=not finished_only)
            cells[cell] = {"state": "finished"}
        for cell, (step, marker, checkpoint) in sorted(partial.items()):
            token = os.path.basename(marker)[: -len(".json")]
            m = read_json(marker)
            if m.get("state") == "running":
                # The process ends with the machine: record it as interrupted, as a resumed shard would find it.
                m["state"] = "interrupted"
                m["ended_utc"] = m.get("heartbeat_utc", "")
            dest = os.path.join(tmp, "attempts", cell)
            os.makedirs(dest)
            with open(os.path.join(dest, token + ".json"), "w", encoding="utf-8") as f:
                json.dump(m, f, indent=2)
                f.write("\n")
            shutil.copytree(checkpoint, os.path.join(dest, token, "checkpoints", os.path.basename(checkpoint)))
            cells[cell] = {"state": "partial", "step": step, "attempt": token}
            curve = curve_checkpoints(run, cell, wanted, step)
            for k, path in sorted(curve.items()):
                shutil.copytree(path, os.path.join(dest, token, "checkpoints", os.path.basename(path)))
            if curve:
                cells[cell]["curve_steps"] = sorted(curve)
        record = {"commit": commit,
                  "saved_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "cells": cells}
        with open(os.path.join(tmp, CARRY_FILE), "w", encoding="utf-8") as f:
            json.dump(record, f, indent=2)
            f.write("\n")
        old = None
        if os.path.exists(state):
            old = tempfile.mkdtemp(prefix=".carry-old-", dir=parent)
            os.rmdir(old)
            os.rename(state, old)
        os.rename(tmp, state)
        tmp = None
        if old:
            shutil.rmtree(old)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    for cell, c in cells.items():
        print(f"{cell}: {c['state']}" + (f" at step {c['step']}" if "step" in c else ""))
    print(f"saved {len(finished)} finished and {len(partial)} partial cells to {state} (resume with commit {commit})"
          + (f"; left out {len(left_out)} unfinished: {', '.join(left_out)}" if left_out else ""))
    ignored = git_ignored(state)
    if ignored:
        path, rule = ignored[0]
        raise CarryError(f"git would not commit {len(ignored)} of the saved files (first: {path}, ignored by {rule});"
                         f" keep checkpoints out of git and save the state to storage that outlives the machine")


def git_ignored(state, paths=None):
    """(path, rule) of every file under STATE (or of PATHS, which need not exist) that git ignores; [] outside a git
    work tree or without git."""
    if paths is None:
        paths = [os.path.join(d, f) for d, _, fs in os.walk(state) for f in fs]
    where = state
    while not os.path.isdir(where):
        where = os.path.dirname(os.path.abspath(where))
    try:
        top = subprocess.run(["git", "-C", where, "rev-parse", "--show-toplevel"], capture_output=True, text=True)
        if top.returncode != 0 or not paths:
            return []
        # --no-index: files already tracked count too (a tracked checkpoint would still hide its newer copy).
        r = subprocess.run(["git", "-C", where, "check-ignore", "--no-index", "-v", "-z", "--stdin"],
                           input="\0".join(os.path.abspath(p) for p in paths) + "\0", capture_output=True, text=True)
    except OSError:
        return []
    fields = r.stdout.split("\0")
    # -v -z prints four fields per ignored path: source, line number, pattern, path.
    return [(fields[i + 3], f"{fields[i]}:{fields[i + 1]} '{fields[i + 2]}'")
            for i in range(0, len(fields) - 3, 4) if not fields[i + 2].startswith("!")]


def check_state(state, record):
    """Fails unless STATE holds everything its CARRY.json lists (a finished cell's record, a partial cell's checkpoint)."""
    for cell, c in sorted(record.get("cells", {}).items()):
        if c.get("state") == "finished":
            need = os.path.join(state, "cells", cell, CELL_DONE)
            if not os.path.isfile(need):
                raise CarryError(f"{state} lists {cell} as finished but lacks {need}; nothing restored")
        else:
            for k in c.get("curve_steps", []):
                ck = carried(state, cell, c, k)
                if not os.path.isdir(ck) or not intact(ck):
                    raise CarryError(f"{state} lists {cell}'s learning-curve checkpoint at step {k} but lacks {ck}; "
                                     f"nothing restored")
            ck = carried(state, cell, c, c.get("step", 0))
            if not os.path.isdir(ck) or not intact(ck):
                raise CarryError(f"{state} lists {cell} at step {c.get('step')} but lacks its checkpoint {ck} (was it "
                                 f"committed? git check-ignore -v shows why not); nothing restored")


def restore(state, run):
    record = read_json(os.path.join(state, CARRY_FILE))
    check_state(state, record)
    suite = os.path.join(run, SUITE_FILE)
    if os.path.exists(suite):
        with open(suite, "rb") as a, open(os.path.join(state, SUITE_FILE), "rb") as b:
            if a.read() != b.read():
                raise CarryError(f"{run} holds another suite than {state}; restore into a new directory")
    copied = 0
    for root, _, files in os.walk(state):
        rel = os.path.relpath(root, state)
        for name in files:
            if rel == "." and name == CARRY_FILE:
                continue
            dst = os.path.join(run, rel, name)
            if not os.path.exists(dst):
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copy2(os.path.join(root, name), dst)
                copied += 1
    print(f"restored {copied} files into {run}; resume from a checkout of commit {record['commit']} "
          f"(saved {record['saved_utc']})")


def umask():
    m = os.umask(0)
    os.umask(m)
    return m


def main(argv):
    p = argparse.ArgumentParser(prog="bench-carry.py", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("save")
    s.add_argument("run")
    s.add_argument("state")
    s.add_argument("--commit", required=True, help="the commit the run's code was built from")
    s.add_argument("--force", action="store_true", help="replace a STATE that holds cells further on than RUN")
    s.add_argument("--finished-only", action="store_true",
                   help="carry the finished cells only (no checkpoints at all: a state that git can hold)")
    lc = sub.add_parser("link-curve")
    lc.add_argument("run")
    c = sub.add_parser("check")
    c.add_argument("run")
    c.add_argument("state")
    r = sub.add_parser("restore")
    r.add_argument("state")
    r.add_argument("run")
    a = p.parse_args(argv)
    try:
        if a.cmd == "save":
            if not re.fullmatch(r"[0-9a-f]{7,40}", a.commit):
                p.error(f"--commit must be a git commit id, got '{a.commit}'")
            save(a.run, a.state, a.commit, a.force, a.finished_only)
        elif a.cmd == "link-curve":
            link_curve(a.run)
        elif a.cmd == "check":
            check(a.run, a.state)
        else:
            restore(a.state, a.run)
    except CarryError as e:
        print(f"bench-carry.py: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"bench-carry.py: {e.filename}: {e.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
