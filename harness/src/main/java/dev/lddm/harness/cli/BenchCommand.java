package dev.lddm.harness.cli;

import dev.lddm.harness.board.Leaderboard;
import dev.lddm.harness.board.LeaderboardRow;
import dev.lddm.harness.suite.Cell;
import dev.lddm.harness.suite.Suite;
import dev.lddm.harness.suite.SuiteRunner;
import dev.lddm.model.Devices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lddm bench --suite NAME [--out DIR] [--resume]}: runs a benchmark suite (built-in name or a JSON
 * file), cell by cell, and prints the leaderboard. A rerun with {@code --resume} skips finished cells and
 * resumes an interrupted one from its newest intact checkpoint. The suite is validated completely
 * ({@link Suite}) before anything is trained or written, with and without {@code --dry-run}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Run a benchmark suite (quick, cpu, cpu-steps, paper, or a suite .json) and write its leaderboard.")
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--suite", required = true, description = "quick, cpu, cpu-steps, paper, or a path to a suite .json file.")
  String suiteName;

  @Option(names = "--out", description = "Output directory (default: runs/<suite name>).")
  Path out;

  @Option(names = "--resume", description = "Continue a suite already started in --out.")
  boolean resume;

  @Option(names = "--dry-run", description = "List the cells and the ETA, then exit without training.")
  boolean dryRun;

  @Mixin ThreadsOption threads;

  @Override
  public Integer call() throws IOException {
    Suite suite = Suite.load(suiteName);
    Path dir = out == null ? Path.of("runs", suite.name()) : out;
    if (Files.exists(dir.resolve("suite.json")) && !resume) {
      throw new IllegalArgumentException(dir + " already holds a suite; pass --resume to continue it or choose another --out");
    }
    if (resume && Files.exists(dir.resolve("suite.json"))) {
      Suite previous = Suite.parse(Files.readString(dir.resolve("suite.json")), dir.resolve("suite.json").toString());
      if (!previous.equals(suite)) {
        throw new IllegalArgumentException(dir + " holds suite '" + previous.name()
            + "' with another configuration; use a new --out");
      }
    }
    var err = spec.commandLine().getErr();
    SuiteRunner runner = new SuiteRunner(suite, dir, err, threads.get());
    List<Cell> cells = runner.cells();
    // Probe for a GPU only when a GPU-sized preset is asked for: the probe opens a TensorFlow session with
    // default threading, and the first session fixes TensorFlow's process-wide thread pools (measured: a
    // suite that probed first trained with two threads despite --threads 1).
    boolean gpuSized = cells.stream().anyMatch(c -> c.preset().equals("tiny") || c.preset().equals("base"));
    if (gpuSized && !Devices.hasGpu()) {
      double total = cells.stream().mapToDouble(runner::estimatedTrainSeconds).sum();
      err.printf(Locale.ROOT, "lddm: suite %s is meant for a GPU and TensorFlow sees none; on this CPU its training "
          + "ETA is about %.1f days. Interrupt now (Ctrl-C) if that is not what you want.%n", suite.name(),
          total / 86400);
      err.flush();
    }
    if (dryRun) {
      var o = spec.commandLine().getOut();
      double total = 0;
      int done = 0;
      for (Cell c : cells) {
        boolean finished = resume && runner.isDone(c);
        double eta = finished ? 0 : runner.estimatedTrainSeconds(c);
        total += eta;
        done += finished ? 1 : 0;
        o.printf(Locale.ROOT, "%-28s %s  evaluates %s%n", c.id(),
            finished ? "done          " : "training ~" + SuiteRunner.duration(eta),
            c.evals().stream().map(e -> e.task() + "/" + e.split() + " x" + e.count()).toList());
      }
      o.printf(Locale.ROOT, "%d cells, %d done, training ETA %s%n", cells.size(), done, SuiteRunner.duration(total));
      o.flush();
      return 0;
    }
    List<LeaderboardRow> rows = runner.run();
    var o = spec.commandLine().getOut();
    o.print(Leaderboard.markdown("Suite " + suite.name(), rows));
    o.println();
    o.println("leaderboard: " + dir.resolve(Leaderboard.CSV_NAME));
    o.flush();
    return 0;
  }
}
