package dev.lddm.harness.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.harness.board.Leaderboard;
import dev.lddm.harness.board.LeaderboardRow;
import dev.lddm.harness.suite.CellKey;
import dev.lddm.harness.suite.Suite;
import dev.lddm.harness.suite.SuiteRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cells run by shards into one shared directory, with real (micro) training: the merged leaderboard equals a
 * plain run's, status tells finished, running, lost, interrupted and missing cells apart, an interrupted cell
 * continues from an earlier attempt's checkpoint to the same result, and cells of other code are refused.
 */
class ShardRunTest {
  /** The columns that may differ between two runs of the same cells: timings and start times. */
  static final List<String> TIMING = List.of("train_seconds", "eval_seconds", "tokens_per_second", "started_utc");

  static List<Map<String, String>> comparable(List<LeaderboardRow> rows) {
    List<Map<String, String>> out = new ArrayList<>();
    for (LeaderboardRow r : Leaderboard.sorted(rows)) {
      Map<String, String> m = new LinkedHashMap<>(r.columns());
      TIMING.forEach(m::remove);
      out.add(m);
    }
    return out;
  }

  static SweepCliTest.Run run(String... args) {
    return SweepCliTest.run(args);
  }

  @Test
  void shardsMergeToThePlainRunsLeaderboardAndAnInterruptedCellResumes(@TempDir Path dir) throws Exception {
    Path f = SweepCliTest.suiteFile(dir, SweepCliTest.SUITE);
    Path plain = dir.resolve("plain");
    SweepCliTest.Run p = run("bench", "--suite", f.toString(), "--out", plain.toString());
    assertEquals(0, p.code(), p.err());
    List<LeaderboardRow> expected = Leaderboard.readCsv(plain.resolve(Leaderboard.CSV_NAME));
    assertEquals(3, expected.size());

    Path shared = dir.resolve("shared");
    SweepCliTest.Run s0 = run("bench", "--suite", f.toString(), "--out", shared.toString(), "--shard", "0/2");
    assertEquals(0, s0.code(), s0.err());
    assertEquals("2 of 2 cells finished in " + shared + " (countdown3-mgdm-micro-s1, countdown3-ar-micro-s1); build "
        + "the leaderboard with: lddm bench merge " + shared + "\n", s0.out());
    // A shard never writes the shared leaderboard: that is merge's job.
    for (String name : List.of(Leaderboard.CSV_NAME, Leaderboard.MD_NAME, "charts")) {
      assertTrue(!Files.exists(shared.resolve(name)), name);
    }
    SweepCliTest.Run st = run("bench", "status", shared.toString());
    assertEquals(0, st.code(), st.err());
    List<String> lines = st.out().lines().toList();
    assertEquals("suite micro-sweep in " + shared + ": 3 cells, 2 finished, 0 running, 0 failed, 1 missing", lines.get(0));
    assertTrue(lines.get(1).startsWith("  0  countdown3-mgdm-micro-s1  finished  on "), lines.get(1));
    assertEquals("  1  countdown3-lddm-micro-s1  missing", lines.get(2));
    assertEquals("resubmit the failed and missing cells: --array=1 (array tasks of --shard I/2, from the attempts' "
        + "--shard)", lines.get(4));
    SweepCliTest.Run s1 = run("bench", "--suite", f.toString(), "--out", shared.toString(), "--shard", "1/2");
    assertEquals(0, s1.code(), s1.err());

    SweepCliTest.Run m = run("bench", "merge", shared.toString());
    assertEquals(0, m.code(), m.err());
    assertEquals("", m.err());
    assertTrue(m.out().endsWith("leaderboard: " + shared.resolve(Leaderboard.CSV_NAME) + "\n"), m.out());
    assertEquals(comparable(expected), comparable(Leaderboard.readCsv(shared.resolve(Leaderboard.CSV_NAME))));
    assertEquals(Files.readString(plain.resolve(Leaderboard.MD_NAME)), Files.readString(shared.resolve(Leaderboard.MD_NAME)));
    assertTrue(Files.isRegularFile(shared.resolve("charts/accuracy-countdown3-test.png")));
    assertTrue(Files.isRegularFile(shared.resolve("charts/steps-countdown3-test.png")));
    assertTrue(run("bench", "status", shared.toString()).out().endsWith(
        "nothing to resubmit; build the leaderboard with: lddm bench merge " + shared + "\n"));

    // A retried or duplicated task of a finished cell changes nothing, byte for byte.
    List<String> before = tree(shared.resolve("cells"));
    SweepCliTest.Run again = run("bench", "--suite", f.toString(), "--out", shared.toString(), "--cell",
        "countdown3-lddm-micro-s1");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains("[cell 1] countdown3-lddm-micro-s1: already finished"), again.err());
    assertEquals(before, tree(shared.resolve("cells")));

    // A finished cell of other code: merge refuses, naming the groups, and so does a new shard, before training.
    SharedDir sd = new SharedDir(shared);
    String code = CellKey.currentCode();
    Path arKey = sd.cellDir("countdown3-ar-micro-s1").resolve(CellKey.FILE);
    String arKeyText = Files.readString(arKey);
    Files.writeString(arKey, arKeyText.replace("\"code\": \"" + code + "\"", "\"code\": \"0.0.9@old\""));
    SweepCliTest.Run refused = run("bench", "merge", shared.toString());
    assertEquals(1, refused.code(), refused.err());
    assertEquals("lddm: bench merge: cells differ in code: 1 cell with code 0.0.9@old (countdown3-ar-micro-s1); "
        + "2 cells with code " + code + " (countdown3-lddm-micro-s1, countdown3-mgdm-micro-s1); run the odd ones again "
        + "with the same code (delete their cells/ID first) or merge them apart\n", refused.err());
    SweepCliTest.Run refusedShard = run("bench", "--suite", f.toString(), "--out", shared.toString(), "--shard", "0/3");
    assertEquals(2, refusedShard.code(), refusedShard.err());
    assertEquals("lddm: " + shared + " holds cells made by other code or settings, which would not merge with this "
        + "run's (code " + code + ", threads 2): countdown3-ar-micro-s1 (code 0.0.9@old, threads 2); use a new --out, "
        + "or the code and --threads that made them\n", refusedShard.err());
    Files.writeString(arKey, arKeyText);

    // Make the lddm cell an attempt on another machine that was cancelled after its second checkpoint (step 8
    // of 12), the mgdm cell's attempt lost (no heartbeat for 10 minutes) and the ar cell's running elsewhere.
    String lddm = "countdown3-lddm-micro-s1";
    String key = sd.finishedKey(lddm).orElseThrow().key();
    String token = "otherhost-4242-0badc0de";
    Path work = sd.workDir(lddm, token);
    Files.move(sd.cellDir(lddm), work);
    for (String gone : List.of(SuiteRunner.CELL_FILE, CellKey.FILE, SharedDir.ATTEMPT_FILE)) {
      Files.delete(work.resolve(gone));
    }
    SharedDir.deleteTree(work.resolve("eval"));
    SharedDir.deleteTree(work.resolve("checkpoints/step-0000012"));
    SharedDir.deleteTree(sd.cellDir("countdown3-mgdm-micro-s1"));
    SharedDir.deleteTree(sd.cellDir("countdown3-ar-micro-s1"));
    Instant base = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(3600);
    Instant now = base.plusSeconds(3600);
    Files.writeString(sd.markerFile(lddm, token), new AttemptMarker(lddm, 1, key, token, "otherhost", 4242,
        base.toString(), base.plusSeconds(300).toString(), "interrupted", base.plusSeconds(300).toString(), "", "1/3",
        "slurm 7_1", "").toJson());
    String mgdm = "countdown3-mgdm-micro-s1";
    Files.writeString(sd.markerFile(mgdm, "otherhost-1-00000000"), new AttemptMarker(mgdm, 0, key,
        "otherhost-1-00000000", "otherhost", 1, base.toString(), now.minusSeconds(600).toString(), "running", "", "",
        "0/3", "slurm 7_0", "").toJson());
    String ar = "countdown3-ar-micro-s1";
    Files.writeString(sd.markerFile(ar, "otherhost-2-00000000"), new AttemptMarker(ar, 2, key,
        "otherhost-2-00000000", "otherhost", 2, now.minusSeconds(60).toString(), now.minusSeconds(40).toString(),
        "running", "", "", "2/3", "slurm 7_2", "").toJson());
    assertEquals("suite micro-sweep in " + shared + ": 3 cells, 0 finished, 1 running, 2 failed, 0 missing\n"
        + "  0  countdown3-mgdm-micro-s1  failed    lost: started on otherhost at " + base + " (slurm 7_0), no "
        + "heartbeat for 10m00s (killed, or its machine went down); 2 attempts\n"
        + "  1  countdown3-lddm-micro-s1  failed    interrupted on otherhost at " + base.plusSeconds(300)
        + " (slurm 7_1) (started " + base + "); 2 attempts\n"
        + "  2  countdown3-ar-micro-s1    running   on otherhost since " + now.minusSeconds(60) + " (slurm 7_2), "
        + "heartbeat 40s ago, no checkpoint yet\n"
        + "resubmit the failed and missing cells: --array=0-1\n", SweepStatus.of(shared, 0, now).render());
    assertEquals("resubmit the failed and missing cells: --array=0 (array tasks of --shard I/1, as given)",
        SweepStatus.of(shared, 1, now).render().lines().filter(l -> l.startsWith("resubmit")).findFirst().orElseThrow());

    // The resubmitted cell continues from the interrupted attempt's newest checkpoint, to the same result.
    SweepCliTest.Run resumed = run("bench", "--suite", f.toString(), "--out", shared.toString(), "--cell", lddm);
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.err().contains("  " + lddm + ": continuing from step-0000008 of attempt " + token), resumed.err());
    // The interrupted attempt's private directory went once the cell was published; its marker stays.
    assertTrue(!Files.exists(work), "interrupted attempt's directory removed");
    assertTrue(Files.isRegularFile(sd.markerFile(lddm, token)));
    StringWriter warnings = new StringWriter();
    List<LeaderboardRow> merged = Merge.merge(shared, new PrintWriter(warnings));
    assertEquals(comparable(expected).stream().filter(r -> r.get("run_id").equals(lddm)).toList(), comparable(merged));
    assertEquals("lddm: warning: 2 of 3 cells are not finished and are not in the leaderboard: countdown3-mgdm-micro-s1, "
        + "countdown3-ar-micro-s1 (see bench status " + shared + ")\n", warnings.toString());
  }

  /**
   * A cell with a learning curve, interrupted twice: the first attempt left the curve's step-4 checkpoint, the
   * second (seeded from it) step 8. The third continues from step 8 and takes step 4 over from the first, so the
   * curve it evaluates when it finishes is the uninterrupted run's, row for row.
   */
  @Test
  void aResumedCellTakesOverTheLearningCurvesCheckpointsOfEveryEarlierAttempt(@TempDir Path dir) throws Exception {
    String json = SweepCliTest.SUITE.replace("\"mgdm\", \"lddm\", \"ar\"", "\"mgdm\"")
        .replace("\"checkpoint_every\": 4,", "\"checkpoint_every\": 4, \"eval_every\": 4,");
    Path f = SweepCliTest.suiteFile(dir, json);
    Path shared = dir.resolve("shared");
    String id = "countdown3-mgdm-micro-s1";
    SweepCliTest.Run plain = run("bench", "--suite", f.toString(), "--out", shared.toString(), "--cell", id);
    assertEquals(0, plain.code(), plain.err());
    List<LeaderboardRow> expected = Merge.merge(shared, new PrintWriter(new StringWriter()));
    assertEquals(3, expected.size(), "final and two curve rows");

    SharedDir sd = new SharedDir(shared);
    String key = sd.finishedKey(id).orElseThrow().key();
    Path cell = sd.cellDir(id);
    Instant base = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(7200);
    List<String> tokens = List.of("otherhost-1-0000000a", "otherhost-2-0000000b");
    for (int i = 0; i < 2; i++) {
      String token = tokens.get(i);
      Path work = sd.workDir(id, token);
      Files.createDirectories(work.resolve("checkpoints"));
      String step = i == 0 ? "step-0000004" : "step-0000008";
      copyTree(cell.resolve("checkpoints").resolve(step), work.resolve("checkpoints").resolve(step));
      Instant at = base.plusSeconds(600L * i);
      Files.writeString(sd.markerFile(id, token), new AttemptMarker(id, 0, key, token, "otherhost", i + 1,
          at.toString(), at.plusSeconds(300).toString(), "interrupted", at.plusSeconds(300).toString(), "", "",
          "", "").toJson());
    }
    SharedDir.deleteTree(cell);

    SweepCliTest.Run resumed = run("bench", "--suite", f.toString(), "--out", shared.toString(), "--cell", id);
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.err().contains("  " + id + ": continuing from step-0000008 of attempt " + tokens.get(1)),
        resumed.err());
    assertTrue(resumed.err().contains("  " + id + ": learning-curve checkpoints taken over: [4]"), resumed.err());
    assertEquals(comparable(expected), comparable(Merge.merge(shared, new PrintWriter(new StringWriter()))));
  }

  private static void copyTree(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path p : files.toList()) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
  }

  /** Two attempts at one cell that both finish: the first rename wins, the second discards its copy. */
  @Test
  void twoAttemptsAtOneCellPublishItOnce(@TempDir Path dir) throws Exception {
    Suite suite = Suite.parse(SweepCliTest.SUITE.replace("\"mgdm\", \"lddm\", \"ar\"", "\"mgdm\""), "test");
    Path shared = dir.resolve("shared");
    List<Selection.Indexed> cell = Selection.byShard(suite, "0/1");
    CyclicBarrier meet = new CyclicBarrier(2);
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ShardRunner r = new ShardRunner(suite, shared, cell, "0/1", 1, new PrintWriter(new StringWriter()), Map.of());
      r.beforePublish(() -> {
        try {
          meet.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread t = new Thread(() -> {
        try {
          r.run();
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(List.of(), failures);
    SharedDir sd = new SharedDir(shared);
    String id = "countdown3-mgdm-micro-s1";
    assertEquals(List.of("done", "duplicate"), sd.markers(id).stream().map(AttemptMarker::state).sorted().toList());
    // The loser's private copy is gone; the winner's is the cell.
    try (Stream<Path> left = Files.list(sd.attemptsDir(id))) {
      assertEquals(2, left.filter(p -> p.toString().endsWith(".json")).count());
    }
    try (Stream<Path> left = Files.list(sd.attemptsDir(id))) {
      assertEquals(0, left.filter(Files::isDirectory).count());
    }
    String winner = sd.markers(id).stream().filter(m -> m.state().equals("done")).findFirst().orElseThrow().token();
    assertTrue(Files.readString(sd.cellDir(id).resolve(SharedDir.ATTEMPT_FILE)).contains("\"token\": \"" + winner + "\""));
    assertEquals(1, Leaderboard.sorted(Merge.merge(shared, new PrintWriter(new StringWriter())))
        .size());
  }

  /** Every path below {@code root} with its size and modification time. */
  static List<String> tree(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.map(p -> {
        try {
          return root.relativize(p) + " " + (Files.isDirectory(p) ? "-" : Files.size(p) + " "
              + dev.lddm.harness.Provenance.hash(Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1)))
              + " " + Files.getLastModifiedTime(p).toMillis();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sorted().toList();
    }
  }
}
