package dev.lddm.harness.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.harness.board.Leaderboard;
import dev.lddm.harness.board.LeaderboardRow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A micro suite end to end: cells, leaderboard, and resuming after a cell lost its record. */
class SuiteRunnerTest {
  static final String SUITE = """
      {"name": "micro-test", "models": ["mgdm", "lddm"], "presets": ["micro"], "budget": {"steps": 12},
       "batch": 8, "lr": 0.001, "data_seed": 4, "train_size": 200, "decoders": ["masked-only"],
       "decode_steps": [5], "ablations": ["latent-off"],
       "runs": [{"task": "countdown3", "seeds": [1], "eval": [{"task": "countdown3", "split": "test", "count": 6}]}]}
      """;

  /** The columns that must not change between an uninterrupted and a resumed run (timings may). */
  static List<String> stable(List<LeaderboardRow> rows) {
    return rows.stream().map(r -> String.join(",", r.key(), Long.toString(r.params()), Integer.toString(r.n()),
        Integer.toString(r.correct()), Integer.toString(r.mgdmCorrect()), Long.toString(r.trainSteps()),
        r.checkpointHash())).toList();
  }

  @Test
  void runsEveryCellAndResumesWithoutDuplicates(@TempDir Path dir) throws Exception {
    Suite suite = Suite.parse(SUITE, "test");
    StringWriter log = new StringWriter();
    SuiteRunner runner = new SuiteRunner(suite, dir, new PrintWriter(log), 1);
    List<LeaderboardRow> first = runner.run();
    // mgdm: one row; lddm: the plain row and the latent-off ablation.
    assertEquals(3, first.size(), log.toString());
    assertEquals(first, Leaderboard.readCsv(dir.resolve(Leaderboard.CSV_NAME)));
    assertTrue(Files.isRegularFile(dir.resolve(Leaderboard.MD_NAME)));
    assertTrue(Files.isRegularFile(dir.resolve("charts/accuracy-countdown3-test.png")));
    assertTrue(Files.isRegularFile(dir.resolve("charts/steps-countdown3-test.png")));
    // Diagnostics of a real decode: one row per decoding step, finite, entropy and KL non-negative.
    var steps = dev.lddm.harness.diag.StepDiagnostics.read(
        dir.resolve("cells/countdown3-lddm-micro-s1/eval/countdown3-test-masked-only-T5/steps.csv"));
    assertEquals(5, steps.size());
    for (var r : steps) {
      assertTrue(Double.isFinite(r.tpe()) && r.tpe() >= 0, r.toString());
      assertTrue(Double.isFinite(r.tkl()) && r.tkl() >= 0, r.toString());
      assertTrue(r.idle() >= 0 && r.idle() <= 1 && r.oscillations() >= 0, r.toString());
      assertEquals(6, r.sequences());
    }

    // A dry run of the finished suite lists every cell as done and has nothing left to train.
    Path suiteFile = dir.resolve("suite-copy.json");
    Files.writeString(suiteFile, SUITE);
    StringWriter dry = new StringWriter();
    int code = dev.lddm.harness.Main.execute(new String[] {"bench", "--suite", suiteFile.toString(), "--out",
        dir.toString(), "--resume", "--dry-run"}, new PrintWriter(dry), new PrintWriter(new StringWriter()));
    assertEquals(0, code);
    assertTrue(dry.toString().contains("2 cells, 2 done, training ETA 0h00m"), dry.toString());

    // Lose the second cell's record and its last checkpoint, as a kill -9 mid-cell would.
    Path cell = dir.resolve("cells/countdown3-lddm-micro-s1");
    Files.delete(cell.resolve(SuiteRunner.CELL_FILE));
    List<LeaderboardRow> again = new SuiteRunner(suite, dir, new PrintWriter(log), 1).run();
    assertEquals(stable(first), stable(again));
    assertEquals(3, Leaderboard.readCsv(dir.resolve(Leaderboard.CSV_NAME)).size());

    // A finished suite reruns as a no-op.
    List<LeaderboardRow> third = new SuiteRunner(suite, dir, new PrintWriter(log), 1).run();
    assertEquals(again, third);
  }

  @Test
  void resumedTrainingGivesTheSameModel(@TempDir Path dir) throws Exception {
    Suite suite = Suite.parse(SUITE.replace("\"mgdm\", \"lddm\"", "\"mgdm\""), "test");
    List<LeaderboardRow> first = new SuiteRunner(suite, dir.resolve("a"), new PrintWriter(new StringWriter()), 1).run();
    // Second run: interrupted after its first checkpoint is simulated by deleting the final one.
    Path b = dir.resolve("b");
    new SuiteRunner(suite, b, new PrintWriter(new StringWriter()), 1).run();
    Path cell = b.resolve("cells/countdown3-mgdm-micro-s1");
    Files.delete(cell.resolve(SuiteRunner.CELL_FILE));
    try (Stream<Path> ckpts = Files.list(cell.resolve("checkpoints"))) {
      Path last = ckpts.max(Comparator.naturalOrder()).orElseThrow();
      try (Stream<Path> files = Files.walk(last)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    List<LeaderboardRow> resumed = new SuiteRunner(suite, b, new PrintWriter(new StringWriter()), 1).run();
    assertEquals(stable(first), stable(resumed));
  }
}
