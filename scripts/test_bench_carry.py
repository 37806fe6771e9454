"""Tests of scripts/bench-carry.py on hand-made suite directories (no JVM): python3 -m unittest discover -s scripts."""
import importlib.util
import io
import json
import os
import shutil
import subprocess
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

_spec = importlib.util.spec_from_file_location(
    "bench_carry", os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench-carry.py"))
carry = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(carry)


def write(path, text="x"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def checkpoint(attempt, step, complete=True):
    d = os.path.join(attempt, "checkpoints", f"step-{step:07d}")
    write(os.path.join(d, "config.json"), json.dumps({"step": step}))
    write(os.path.join(d, "model.index"))
    if complete:
        write(os.path.join(d, "model.data-00000-of-00001"), f"weights {step}")


def marker(run, cell, token, state="running"):
    write(os.path.join(run, "attempts", cell, token + ".json"),
          json.dumps({"cell": cell, "token": token, "state": state, "heartbeat_utc": "2026-12-02T05:00:00Z"}))
    return os.path.join(run, "attempts", cell, token)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def files(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)


def run_main(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = carry.main(list(argv))
        except SystemExit as e:
            code = e.code
    return code, out.getvalue(), err.getvalue()


class BenchCarryTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.run_dir = os.path.join(self.tmp.name, "run")
        self.state = os.path.join(self.tmp.name, "repo", "state")
        write(os.path.join(self.run_dir, "suite.json"), '{"name": "s"}')
        # A finished cell, with a checkpoint that is not carried.
        write(os.path.join(self.run_dir, "cells", "done-cell", "cell.json"), "{}")
        write(os.path.join(self.run_dir, "cells", "done-cell", "eval", "x", "predictions.csv"), "p")
        write(os.path.join(self.run_dir, "cells", "done-cell", "tensorboard", "events.out.tfevents.1.vm"), "e")
        checkpoint(os.path.join(self.run_dir, "cells", "done-cell"), 50)
        # An unfinished cell with two attempts: the second has the newest intact checkpoint (its step 30 is
        # incomplete and must be skipped), the first an older one.
        a = marker(self.run_dir, "part-cell", "h-1-aaaa", state="interrupted")
        checkpoint(a, 10)
        b = marker(self.run_dir, "part-cell", "h-2-bbbb")
        checkpoint(b, 10)
        checkpoint(b, 20)
        checkpoint(b, 30, complete=False)
        # A cell whose attempt never reached a checkpoint: nothing to carry.
        marker(self.run_dir, "fresh-cell", "h-3-cccc")

    def test_save_keeps_what_resuming_needs_and_nothing_else(self):
        code, out, _ = run_main("save", self.run_dir, self.state, "--commit", "897d8e5")
        self.assertEqual(0, code)
        self.assertEqual([
            "CARRY.json",
            "attempts/part-cell/h-2-bbbb.json",
            "attempts/part-cell/h-2-bbbb/checkpoints/step-0000020/config.json",
            "attempts/part-cell/h-2-bbbb/checkpoints/step-0000020/model.data-00000-of-00001",
            "attempts/part-cell/h-2-bbbb/checkpoints/step-0000020/model.index",
            "cells/done-cell/cell.json",
            "cells/done-cell/eval/x/predictions.csv",
            "cells/done-cell/tensorboard/events.out.tfevents.1.vm",
            "suite.json",
        ], files(self.state))
        record = json.loads(read(os.path.join(self.state, "CARRY.json")))
        self.assertEqual("897d8e5", record["commit"])
        self.assertEqual({"done-cell": {"state": "finished"},
                          "part-cell": {"state": "partial", "step": 20, "attempt": "h-2-bbbb"}}, record["cells"])
        m = json.loads(read(os.path.join(self.state, "attempts/part-cell/h-2-bbbb.json")))
        self.assertEqual("interrupted", m["state"])
        self.assertIn("part-cell: partial at step 20", out)

    def test_a_second_save_replaces_the_state_whole(self):
        run_main("save", self.run_dir, self.state, "--commit", "897d8e5")
        checkpoint(os.path.join(self.run_dir, "attempts", "part-cell", "h-1-aaaa"), 40)
        code, _, _ = run_main("save", self.run_dir, self.state, "--commit", "897d8e5")
        self.assertEqual(0, code)
        carried = [f for f in files(self.state) if f.startswith("attempts/")]
        self.assertEqual(["attempts/part-cell/h-1-aaaa.json",
                          "attempts/part-cell/h-1-aaaa/checkpoints/step-0000040/config.json",
                          "attempts/part-cell/h-1-aaaa/checkpoints/step-0000040/model.data-00000-of-00001",
                          "attempts/part-cell/h-1-aaaa/checkpoints/step-0000040/model.index"], carried)
        self.assertEqual([], [n for n in os.listdir(os.path.dirname(self.state)) if n != "state"])

    def test_restore_rebuilds_a_resumable_directory_without_overwriting(self):
        run_main("save", self.run_dir, self.state, "--commit", "897d8e5")
        target = os.path.join(self.tmp.name, "new-run")
        write(os.path.join(target, "suite.json"), '{"name": "s"}')
        write(os.path.join(target, "cells", "done-cell", "eval", "x", "predictions.csv"), "newer")
        code, out, _ = run_main("restore", self.state, target)
        self.assertEqual(0, code)
        self.assertIn("commit 897d8e5", out)
        self.assertEqual("newer", read(os.path.join(target, "cells/done-cell/eval/x/predictions.csv")))
        self.assertEqual("weights 20", read(os.path.join(
            target, "attempts/part-cell/h-2-bbbb/checkpoints/step-0000020/model.data-00000-of-00001")))
        self.assertFalse(os.path.exists(os.path.join(target, "CARRY.json")))

    def test_restore_refuses_another_suite(self):
        run_main("save", self.run_dir, self.state, "--commit", "897d8e5")
        target = os.path.join(self.tmp.name, "other")
        write(os.path.join(target, "suite.json"), '{"name": "other"}')
        code, _, err = run_main("restore", self.state, target)
        self.assertEqual(1, code)
        self.assertIn("holds another suite", err)
        self.assertEqual(["suite.json"], files(target))

    def test_bad_input_is_one_line_and_leaves_the_old_state(self):
        run_main("save", self.run_dir, self.state, "--commit", "897d8e5")
        before = files(self.state)
        code, _, err = run_main("save", os.path.join(self.tmp.name, "nothing"), self.state, "--commit", "897d8e5")
        self.assertEqual((1, 1), (code, len(err.strip().splitlines())))
        self.assertIn("holds no suite.json", err)
        self.assertEqual(before, files(self.state))
        code, _, err = run_main("save", self.run_dir, self.state, "--commit", "HEAD")
        self.assertEqual(2, code)
        self.assertIn("--commit must be a git commit id", err)
        code, _, err = run_main("restore", os.path.join(self.tmp.name, "nothing"), self.run_dir)
        self.assertEqual(1, code)
        self.assertIn("cannot read", err)

    def test_restore_refuses_a_state_without_its_checkpoints(self):
        # What a commit through `results/**/checkpoints/` in .gitignore leaves: the markers without the weights.
        run_main("save", self.run_dir, self.state, "--commit", "897d8e5")
        shutil.rmtree(os.path.join(self.state, "attempts", "part-cell", "h-2-bbbb", "checkpoints"))
        target = os.path.join(self.tmp.name, "new-run")
        code, _, err = run_main("restore", self.state, target)
        self.assertEqual((1, 1), (code, len(err.strip().splitlines())))
        self.assertIn("lists part-cell at step 20 but lacks its checkpoint", err)
        self.assertFalse(os.path.exists(target))

    @unittest.skipIf(shutil.which("git") is None, "needs git")
    def test_save_fails_when_git_would_not_commit_the_checkpoints(self):
        repo = os.path.dirname(self.state)
        os.makedirs(repo)
        subprocess.run(["git", "init", "-q", repo], check=True)
        write(os.path.join(repo, ".gitignore"), "target/\ncheckpoints/\n")
        code, out, err = run_main("save", self.run_dir, self.state, "--commit", "897d8e5")
        self.assertEqual((1, 1), (code, len(err.strip().splitlines())))
        self.assertIn("git would not commit 3 of the saved files", err)
        self.assertIn(".gitignore:2 'checkpoints/'", err)
        self.assertIn("saved 1 finished and 1 partial", out)
        # With an exception for carried checkpoints, the same save passes.
        write(os.path.join(repo, ".gitignore"), "checkpoints/\n!state/attempts/*/*/checkpoints/\n")
        code, _, err = run_main("save", self.run_dir, self.state, "--commit", "897d8e5")
        self.assertEqual((0, ""), (code, err))

    def test_finished_only_carries_no_checkpoint_and_git_can_hold_it(self):
        repo = os.path.dirname(self.state)
        os.makedirs(repo)
        subprocess.run(["git", "init", "-q", repo], check=True)
        write(os.path.join(repo, ".gitignore"), "checkpoints/\n")
        code, out, err = run_main("save", self.run_dir, self.state, "--commit", "897d8e5", "--finished-only")
        self.assertEqual((0, ""), (code, err))
        self.assertIn("saved 1 finished and 0 partial cells", out)
        self.assertIn("left out 1 unfinished: part-cell", out)  # fresh-cell has no checkpoint to leave out
        self.assertEqual(["CARRY.json", "cells/done-cell/cell.json", "cells/done-cell/eval/x/predictions.csv",
                          "suite.json"], files(self.state))
        self.assertEqual({"done-cell": {"state": "finished"}},
                         json.loads(read(os.path.join(self.state, "CARRY.json")))["cells"])
        # It restores into a new machine's directory, where the unfinished cells start over.
        fresh = os.path.join(self.tmp.name, "fresh")
        code, out, err = run_main("restore", self.state, fresh)
        self.assertEqual((0, ""), (code, err))
        self.assertEqual(["cells/done-cell/cell.json", "cells/done-cell/eval/x/predictions.csv", "suite.json"],
                         files(fresh))
        # A later save from a directory that lacks the carried cell would lose it: refused.
        shutil.rmtree(os.path.join(self.run_dir, "cells", "done-cell"))
        code, _, err = run_main("save", self.run_dir, self.state, "--commit", "897d8e5", "--finished-only")
        self.assertEqual(1, code)
        self.assertIn("holds done-cell finished", err)

    def test_learning_curve_checkpoints_are_carried(self):
        # A suite with a learning curve evaluates the checkpoints at eval_every's multiples when the cell finishes,
        # so a carried cell must keep them, whichever attempt wrote them.
        run = os.path.join(self.tmp.name, "curve-run")
        write(os.path.join(run, "suite.json"), json.dumps({"name": "c", "budget": {"steps": 20}, "eval_every": 5}))
        a = marker(run, "cell", "h-1-aaaa", state="interrupted")
        for step in (4, 5, 6):
            checkpoint(a, step)
        b = marker(run, "cell", "h-2-bbbb")
        for step in (6, 9, 10, 12):
            checkpoint(b, step)
        checkpoint(b, 15, complete=False)
        code, _, err = run_main("save", run, self.state, "--commit", "897d8e5")
        self.assertEqual((0, ""), (code, err))
        self.assertEqual(["attempts/cell/h-2-bbbb/checkpoints/step-0000005",
                          "attempts/cell/h-2-bbbb/checkpoints/step-0000010",
                          "attempts/cell/h-2-bbbb/checkpoints/step-0000012"],
                         sorted({os.path.dirname(f) for f in files(self.state) if "/checkpoints/" in f}))
        self.assertEqual("weights 5", read(os.path.join(
            self.state, "attempts/cell/h-2-bbbb/checkpoints/step-0000005/model.data-00000-of-00001")))
        record = json.loads(read(os.path.join(self.state, "CARRY.json")))
        self.assertEqual({"state": "partial", "step": 12, "attempt": "h-2-bbbb", "curve_steps": [5, 10]},
                         record["cells"]["cell"])
        target = os.path.join(self.tmp.name, "curve-restored")
        self.assertEqual(0, run_main("restore", self.state, target)[0])
        self.assertTrue(os.path.isfile(os.path.join(
            target, "attempts/cell/h-2-bbbb/checkpoints/step-0000010/model.data-00000-of-00001")))
        # A state missing a listed curve checkpoint is refused whole.
        shutil.rmtree(os.path.join(self.state, "attempts/cell/h-2-bbbb/checkpoints/step-0000005"))
        code, _, err = run_main("restore", self.state, os.path.join(self.tmp.name, "curve-again"))
        self.assertEqual(1, code)
        self.assertIn("learning-curve checkpoint at step 5", err)

    def test_link_curve_gives_a_resumed_attempt_the_earlier_curve_checkpoints(self):
        run = os.path.join(self.tmp.name, "curve-run")
        write(os.path.join(run, "suite.json"), json.dumps({"name": "c", "budget": {"steps": 20}, "eval_every": 5}))
        a = marker(run, "cell", "h-1-aaaa", state="interrupted")
        for step in (4, 5, 6):
            checkpoint(a, step)
        b = marker(run, "cell", "h-2-bbbb")      # resumed from a's step 6: only that one was seeded
        for step in (6, 9, 10, 11):
            checkpoint(b, step)
        code, out, err = run_main("link-curve", run)
        self.assertEqual((0, ""), (code, err))
        self.assertIn("linked 1 learning-curve", out)
        self.assertEqual("weights 5", read(os.path.join(b, "checkpoints/step-0000005/model.data-00000-of-00001")))
        # a is behind step 10: it is not given a checkpoint newer than its own newest.
        self.assertFalse(os.path.exists(os.path.join(a, "checkpoints/step-0000010")))
        self.assertEqual([], [n for n in os.listdir(os.path.join(b, "checkpoints")) if n.startswith(".")])
        self.assertIn("linked 0", run_main("link-curve", run)[1])

    def test_save_never_moves_a_state_backwards(self):
        # A new machine's run started without `restore`: saving it would replace the carried progress with nothing.
        run_main("save", self.run_dir, self.state, "--commit", "897d8e5")
        before = {f: read(os.path.join(self.state, f)) for f in files(self.state)}
        fresh = os.path.join(self.tmp.name, "fresh-run")
        write(os.path.join(fresh, "suite.json"), '{"name": "s"}')
        checkpoint(marker(fresh, "part-cell", "h-9-dddd"), 10)
        code, _, err = run_main("save", fresh, self.state, "--commit", "897d8e5")
        self.assertEqual((1, 1), (code, len(err.strip().splitlines())))
        self.assertIn("holds done-cell finished but", err)
        self.assertIn("restore it first", err)
        self.assertEqual(before, {f: read(os.path.join(self.state, f)) for f in files(self.state)})
        write(os.path.join(fresh, "cells", "done-cell", "cell.json"), "{}")
        code, _, err = run_main("save", fresh, self.state, "--commit", "897d8e5")
        self.assertEqual(1, code)
        self.assertIn("holds part-cell at step 20 but", err)
        self.assertIn("has it at step 10", err)
        code, _, err = run_main("save", fresh, self.state, "--commit", "897d8e5", "--force")
        self.assertEqual((0, ""), (code, err))
        self.assertEqual(10, json.loads(read(os.path.join(self.state, "CARRY.json")))["cells"]["part-cell"]["step"])

    def test_a_listed_cell_without_its_checkpoint_does_not_hold_a_save_back(self):
        # The state session 6 committed: markers listed at steps 11,000 and 9,000, their weights never committed.
        run_main("save", self.run_dir, self.state, "--commit", "897d8e5")
        shutil.rmtree(os.path.join(self.state, "attempts", "part-cell", "h-2-bbbb", "checkpoints"))
        shutil.rmtree(os.path.join(self.state, "cells", "done-cell"))
        fresh = os.path.join(self.tmp.name, "fresh-run")
        write(os.path.join(fresh, "suite.json"), '{"name": "s"}')
        code, _, err = run_main("save", fresh, self.state, "--commit", "e2c0fba")
        self.assertEqual((0, ""), (code, err))

    def test_check_before_a_run(self):
        missing = os.path.join(self.tmp.name, "not-yet")
        code, out, err = run_main("check", missing, self.state)
        self.assertEqual((0, ""), (code, err))
        self.assertIn("ready to carry", out)
        run_main("save", self.run_dir, self.state, "--commit", "897d8e5")
        code, _, err = run_main("check", missing, self.state)
        self.assertEqual((1, 1), (code, len(err.strip().splitlines())))
        self.assertIn("holds done-cell finished but", err)
        self.assertIn("not started", err)
        self.assertEqual(0, run_main("check", self.run_dir, self.state)[0])

    @unittest.skipIf(shutil.which("git") is None, "needs git")
    def test_check_names_a_gitignore_that_would_hide_checkpoints(self):
        repo = os.path.dirname(self.state)
        os.makedirs(repo)
        subprocess.run(["git", "init", "-q", repo], check=True)
        write(os.path.join(repo, ".gitignore"), "target/\ncheckpoints/\n")
        code, _, err = run_main("check", self.run_dir, self.state)
        self.assertEqual((1, 1), (code, len(err.strip().splitlines())))
        self.assertIn("git would not commit a checkpoint", err)
        self.assertIn(".gitignore:2 'checkpoints/'", err)

    @unittest.skipIf(shutil.which("git") is None, "needs git")
    def test_this_repository_keeps_carried_checkpoints_out_of_git(self):
        # Checkpoints (~9.6 MB for `small`) are generated, never committed: a state with them must go elsewhere.
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        if subprocess.run(["git", "-C", root, "rev-parse"], capture_output=True).returncode != 0:
            self.skipTest("not a git checkout")
        path = "results/cpu-long/state/attempts/cell/token/checkpoints/step-0011000/model.data-00000-of-00001"
        r = subprocess.run(["git", "-C", root, "check-ignore", "--no-index", "-q", path])
        self.assertEqual(0, r.returncode, f"{path} is not ignored by git")

if __name__ == "__main__":
    unittest.main()
