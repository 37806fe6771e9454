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

  /** The options hashed into config_hash: fp32 cells hash exactly what they hashed before precision existed. */
  @Test
  void configHashOfFp32CellsOmitsThePrecision() {
    var o = new dev.lddm.harness.run.TrainOptions("countdown3", dev.lddm.model.ModelKind.MGDM, "micro", 2, 0, 8, 3e-4,
        1, 0, 4, 500, 1, 0.9, dev.lddm.model.Precision.FP32, 0, 0);
    assertEquals("""
        {
          "task": "countdown3",
          "kind": "MGDM",
          "preset": "micro",
          "steps": 2,
          "minutes": 0.0,
          "batch": 8,
          "lr": 3.0E-4,
          "seed": 1,
          "trainSize": 0,
          "dataSeed": 4,
          "checkpointEvery": 500,
          "threads": 1,
          "selfCondRate": 0.9
        }""", SuiteRunner.optionsJson(o));
    var bf16 = new dev.lddm.harness.run.TrainOptions("countdown3", dev.lddm.model.ModelKind.MGDM, "micro", 2, 0, 8, 3e-4,
        1, 0, 4, 500, 1, 0.9, dev.lddm.model.Precision.BF16, 0, 0);
    assertTrue(SuiteRunner.optionsJson(bf16).endsWith("""
          "selfCondRate": 0.9,
          "precision": "BF16"
        }"""), SuiteRunner.optionsJson(bf16));
    var dropout = new dev.lddm.harness.run.TrainOptions("countdown3", dev.lddm.model.ModelKind.MGDM, "micro", 2, 0, 8,
        3e-4, 1, 0, 4, 500, 1, 0.9, dev.lddm.model.Precision.FP32, 0.1, 0);
    assertTrue(SuiteRunner.optionsJson(dropout).endsWith("""
          "selfCondRate": 0.9,
          "dropout": 0.1
        }"""), SuiteRunner.optionsJson(dropout));
    var warm = new dev.lddm.harness.run.TrainOptions("countdown3", dev.lddm.model.ModelKind.MGDM, "micro", 2000, 0, 8,
        3e-4, 1, 0, 4, 500, 1, 0.9, dev.lddm.model.Precision.FP32, 0, 100);
    assertTrue(SuiteRunner.optionsJson(warm).endsWith("""
          "selfCondRate": 0.9,
          "warmupSteps": 100
        }"""), SuiteRunner.optionsJson(warm));
  }

  /** A suite's {@code dropout} reaches every cell's training: its checkpoints record the rate. */
  @Test
  void suiteDropoutReachesTheCells(@TempDir Path dir) throws Exception {
    Suite suite = Suite.parse(SUITE.replace("\"mgdm\", \"lddm\"", "\"mgdm\"")
        .replace("\"ablations\": [\"latent-off\"]", "\"ablations\": [], \"dropout\": 0.1")
        .replace("\"steps\": 12", "\"steps\": 2"), "test");
    new SuiteRunner(suite, dir, new PrintWriter(new StringWriter()), 1).run();
    String config = Files.readString(
        dir.resolve("cells/countdown3-mgdm-micro-s1/checkpoints/step-0000002/config.json"));
    assertTrue(config.contains("\"dropout\": 0.1"), config);
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
    // The diagnostics of all three diffusion evaluations, summed up in the leaderboard.
    String md = Files.readString(dir.resolve(Leaderboard.MD_NAME));
    assertTrue(md.contains("## Decoding dynamics: countdown3 (test)"), md);
    assertEquals(3, md.lines().filter(l -> l.matches("\\| (mgdm|lddm) \\| micro \\| countdown3 \\| .*")).count(), md);
    // Every cell's training writes TensorBoard scalars, one event per step.
    for (String id : List.of("countdown3-mgdm-micro-s1", "countdown3-lddm-micro-s1")) {
      var events = dev.lddm.model.train.TensorBoardLog.read(onlyEventFile(dir.resolve("cells").resolve(id)));
      assertEquals(1 + 12, events.size(), id);
      assertEquals(12, events.get(12).getStep(), id);
    }
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
    onlyEventFile(cell); // the cell's resume had no step left to train: no second event file
  }

  private static Path onlyEventFile(Path cell) throws Exception {
    try (Stream<Path> s = Files.list(cell.resolve(dev.lddm.model.train.TensorBoardLog.DIR))) {
      List<Path> files = s.toList();
      assertEquals(1, files.size(), files.toString());
      return files.get(0);
    }
  }

  /**
   * {@code eval_every}: a row per (cell, checkpoint) with analytic FLOPs; the earlier checkpoints use the first
   * decoder without ablations; the ranking and its chart use the trained models only, and the learning curve
   * gets its own section and charts against steps and FLOPs.
   */
  @Test
  void evalEveryWritesALearningCurve(@TempDir Path dir) throws Exception {
    Suite suite = Suite.parse(SUITE.replace("\"ablations\": [\"latent-off\"]",
        "\"ablations\": [\"latent-off\"], \"checkpoint_every\": 4, \"eval_every\": 4"), "test");
    assertEquals(List.of(4L, 8L), suite.curveSteps());
    StringWriter log = new StringWriter();
    List<LeaderboardRow> rows = new SuiteRunner(suite, dir, new PrintWriter(log), 1).run();
    // mgdm: steps 4, 8, 12; lddm: 4, 8 and 12 plus latent-off at 12 only.
    assertEquals(List.of("lddm 12 -", "lddm 12 latent-off", "lddm 4 -", "lddm 8 -", "mgdm 12 -", "mgdm 4 -",
        "mgdm 8 -"), rows.stream().map(r -> r.model() + " " + r.trainSteps() + " " + r.variant()).sorted().toList());
    for (LeaderboardRow r : rows) {
      var config = dev.lddm.model.ModelConfig.preset(dev.lddm.model.ModelKind.parse(r.model()), "micro", 37);
      assertEquals(dev.lddm.model.train.TrainingFlops.total(config, 8, r.trainSteps()), r.trainFlops(),
          1e-4 * r.trainFlops(), r.toString());
      assertEquals(6, r.n());
    }
    // Earlier checkpoints are other models: their hashes differ from the trained model's.
    assertEquals(3, rows.stream().filter(r -> r.model().equals("mgdm")).map(LeaderboardRow::checkpointHash).distinct()
        .count());
    assertEquals(Leaderboard.sorted(rows), Leaderboard.readCsv(dir.resolve(Leaderboard.CSV_NAME)));
    assertTrue(Files.isRegularFile(dir.resolve(
        "cells/countdown3-mgdm-micro-s1/eval/countdown3-test-masked-only-T5-step-0000004/predictions.csv")));
    String md = Files.readString(dir.resolve(Leaderboard.MD_NAME));
    assertTrue(md.contains("## Learning curve: countdown3 (test)"), md);
    assertTrue(md.contains("| mgdm/micro/masked-only/T5 | 4 | "), md);
    assertTrue(md.contains("| mgdm/micro/masked-only/T5 | 12 | "), md);
    // The ranking lists each configuration once, at its trained model.
    assertEquals(1, md.lines().filter(l -> l.matches("\\| \\d+ \\| mgdm \\|.*")).count(), md);
    assertTrue(Files.isRegularFile(dir.resolve("charts/accuracy-vs-flops-countdown3-test.png")));
    assertTrue(Files.isRegularFile(dir.resolve("charts/accuracy-vs-steps-countdown3-test.png")));
    assertTrue(log.toString().contains("countdown3 test at step 4: "), log.toString());
    // Paired comparisons, from the cells' predictions: LDDM against MGDM at the trained models and at each curve
    // checkpoint, and LDDM's ablation against its plain decoding.
    assertTrue(md.contains("## Paired comparisons: countdown3 (test)"), md);
    for (String at : List.of("", "-step-0000004", "-step-0000008")) {
      var table = dev.lddm.harness.eval.Pairing.of(
          dev.lddm.harness.eval.PredictionsFile.read(dir.resolve(
              "cells/countdown3-mgdm-micro-s1/eval/countdown3-test-masked-only-T5" + at + "/predictions.csv")),
          dev.lddm.harness.eval.PredictionsFile.read(dir.resolve(
              "cells/countdown3-lddm-micro-s1/eval/countdown3-test-masked-only-T5" + at + "/predictions.csv")));
      String steps = at.isEmpty() ? "12" : Long.parseLong(at.substring(6)) + " (curve)";
      assertTrue(md.contains("| mgdm/micro | lddm/micro | masked-only T=5 | " + steps + " | 1 | 6 | "
          + String.format(java.util.Locale.ROOT, "%.1f%% | %.1f%% |", 100 * table.baseAccuracy(),
          100 * table.candAccuracy())), steps + "\n" + md);
    }
    assertTrue(md.contains("| lddm/micro | lddm/micro latent-off | masked-only T=5 | 12 | 1 | 6 | "), md);
  }

  @Test
  void resumedTrainingGivesTheSameModel(@TempDir Path dir) throws Exception {
    Suite suite = Suite.parse(SUITE.replace("\"mgdm\", \"lddm\"", "\"mgdm\"")
        .replace("\"ablations\": [\"latent-off\"]", "\"ablations\": []"), "test");
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

  /**
   * A cell interrupted before its first checkpoint (its directory exists, no checkpoint) starts over, and
   * {@code checkpoint_every} sets where cells checkpoint.
   */
  @Test
  void suiteCheckpointEveryAndACellInterruptedBeforeItsFirstCheckpoint(@TempDir Path dir) throws Exception {
    Suite suite = Suite.parse(SUITE.replace("\"mgdm\", \"lddm\"", "\"mgdm\"").replace("\"ablations\": [\"latent-off\"]",
        "\"ablations\": [], \"checkpoint_every\": 4"), "test");
    assertEquals(4, suite.checkpointInterval());
    List<LeaderboardRow> first = new SuiteRunner(suite, dir.resolve("a"), new PrintWriter(new StringWriter()), 1).run();
    Path cell = dir.resolve("a/cells/countdown3-mgdm-micro-s1");
    try (Stream<Path> ckpts = Files.list(cell.resolve("checkpoints"))) {
      assertEquals(List.of("step-0000004", "step-0000008", "step-0000012"),
          ckpts.map(p -> p.getFileName().toString()).sorted().toList());
    }
    // kill -9 before the first checkpoint: the cell directory holds nothing resumable.
    Path b = dir.resolve("b");
    Files.createDirectories(b.resolve("cells/countdown3-mgdm-micro-s1"));
    StringWriter log = new StringWriter();
    List<LeaderboardRow> again = new SuiteRunner(suite, b, new PrintWriter(log), 1).run();
    assertEquals(stable(first), stable(again));
    assertTrue(!log.toString().contains("warning"), log.toString());
  }

  /** A damaged newest checkpoint of an interrupted cell: the cell resumes from the older one, same model. */
  @Test
  void interruptedCellWithADamagedCheckpointResumesFromTheOlderOne(@TempDir Path dir) throws Exception {
    Suite suite = Suite.parse(SUITE.replace("\"mgdm\", \"lddm\"", "\"mgdm\"").replace("\"ablations\": [\"latent-off\"]",
        "\"ablations\": [], \"checkpoint_every\": 4"), "test");
    List<LeaderboardRow> first = new SuiteRunner(suite, dir, new PrintWriter(new StringWriter()), 1).run();
    Path cell = dir.resolve("cells/countdown3-mgdm-micro-s1");
    Files.delete(cell.resolve(SuiteRunner.CELL_FILE));
    Files.delete(cell.resolve("checkpoints/step-0000012/model.index"));
    Files.writeString(cell.resolve("checkpoints/step-0000008/config.json"), "{garbage");
    StringWriter log = new StringWriter();
    List<LeaderboardRow> resumed = new SuiteRunner(suite, dir, new PrintWriter(log), 1).run();
    assertEquals(stable(first), stable(resumed));
    List<String> warnings = log.toString().lines().filter(l -> l.startsWith("lddm: warning:")).toList();
    assertEquals(List.of(
        "lddm: warning: checkpoint " + cell.resolve("checkpoints/step-0000012") + ": missing model.index; skipped it, "
            + "resuming from step-0000004",
        "lddm: warning: checkpoint " + cell.resolve("checkpoints/step-0000008") + ": config.json is not valid JSON; "
            + "skipped it, resuming from step-0000004"), warnings);
  }

  /** Snapshot of a directory tree: every path with its size and modification time. */
  static List<String> tree(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.map(p -> {
        try {
          return root.relativize(p) + " " + (Files.isDirectory(p) ? "-" : Files.size(p)) + " "
              + Files.getLastModifiedTime(p).toMillis();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sorted().toList();
    }
  }

  /**
   * The committed results of the built-in suites still count as the same suite: a dry run with
   * {@code --resume} lists every cell as done, and writes nothing.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"quick, 3", "cpu, 12", "cpu-steps, 4", "sudoku, 3"})
  void dryRunResumeOnTheCommittedResultsReportsEveryCellDone(String name, int cells) throws Exception {
    Path results = Path.of("..", "results", name);
    List<String> before = tree(results);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = dev.lddm.harness.Main.execute(new String[] {"bench", "--suite", name, "--out", results.toString(),
        "--resume", "--dry-run"}, new PrintWriter(out), new PrintWriter(err));
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains(cells + " cells, " + cells + " done, training ETA 0h00m"), out.toString());
    assertEquals(before, tree(results));
  }

  /** A bad suite is refused completely before anything is written, in a dry run and a real run alike. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void badSuiteIsRefusedBeforeAnythingIsWritten(boolean dryRun, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("my.json");
    Files.writeString(file, SUITE.replace("\"decode_steps\": [5]", "\"decode_steps\": [0]"));
    Path out = dir.resolve("out");
    List<String> args = new java.util.ArrayList<>(List.of("bench", "--suite", file.toString(), "--out", out.toString()));
    if (dryRun) {
      args.add("--dry-run");
    }
    StringWriter err = new StringWriter();
    int code = dev.lddm.harness.Main.execute(args.toArray(String[]::new), new PrintWriter(new StringWriter()),
        new PrintWriter(err));
    assertEquals(2, code);
    assertEquals("lddm: suite " + file + ": decode_steps must be >= 1, got 0" + System.lineSeparator(), err.toString());
    assertTrue(!Files.exists(out));
  }
}
