package dev.lddm.harness.cli;

import dev.lddm.harness.board.Leaderboard;
import dev.lddm.harness.suite.Cell;
import dev.lddm.harness.suite.CellKey;
import dev.lddm.harness.suite.Suite;
import dev.lddm.harness.suite.SuiteRunner;
import dev.lddm.harness.sweep.Emit;
import dev.lddm.harness.sweep.Merge;
import dev.lddm.harness.sweep.Selection;
import dev.lddm.harness.sweep.ShardRunner;
import dev.lddm.harness.sweep.SharedDir;
import dev.lddm.harness.sweep.SweepStatus;
import dev.lddm.model.Devices;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lddm bench --suite NAME [--out DIR] [--resume]}: runs a benchmark suite (built-in name or a JSON
 * file), cell by cell, and prints the leaderboard. A rerun with {@code --resume} skips finished cells and
 * resumes an interrupted one from its newest intact checkpoint. The suite is validated completely
 * ({@link Suite}) before anything is trained or written, with and without {@code --dry-run}.
 *
 * <p>Sweeps beyond one process ({@link dev.lddm.harness.sweep}): {@code --list-cells} numbers the cells;
 * {@code --cell ID} or {@code --shard I/N} runs some of them into a directory shared with other processes
 * (no leaderboard: {@code bench merge DIR} builds it); {@code bench status DIR} tells what is finished,
 * running, failed or missing; {@code --emit slurm|k8s} prints an sbatch array script or a Kubernetes Indexed
 * Job that runs the suite that way.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    subcommands = {BenchCommand.Status.class, BenchCommand.MergeCommand.class},
    description = {"Run a benchmark suite (quick, cpu, cpu-steps, cpu-long, paper, sudoku, or a suite .json) and write its leaderboard.",
        "Sweeps: --list-cells; --cell ID | --shard I/N into a shared --out; bench status DIR; bench merge DIR;"
            + " --emit slurm|k8s."})
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--suite", description = "quick, cpu, cpu-steps, cpu-long, paper, sudoku, or a path to a suite .json file.")
  String suiteName;

  @Option(names = "--out", description = "Output directory (default: runs/<suite name>).")
  Path out;

  @Option(names = "--resume", description = "Continue a suite already started in --out.")
  boolean resume;

  @Option(names = "--dry-run", description = "List the cells and the ETA, then exit without training.")
  boolean dryRun;

  @Option(names = "--list-cells", description = "List every cell with its index, id and key, then exit.")
  boolean listCells;

  @Option(names = "--cell", paramLabel = "ID", description = "Run only this cell (repeatable) into a shared --out;"
      + " no leaderboard (bench merge builds it).")
  List<String> cellIds;

  @Option(names = "--shard", paramLabel = "I/N", description = "Run only the cells whose index is I modulo N into a"
      + " shared --out; no leaderboard (bench merge builds it).")
  String shard;

  @Option(names = "--suite-hash", paramLabel = "HASH", description = "Refuse to run unless the suite's hash is HASH"
      + " (emitted scripts pin their suite so).")
  String suiteHash;

  @Option(names = "--emit", paramLabel = "slurm|k8s", description = "Print an sbatch array script (slurm) or a"
      + " Kubernetes Indexed Job (k8s) that runs the suite, then exit.")
  String emit;

  @Option(names = "--per-task", paramLabel = "K", description = "--emit: cells per array task (default 1).")
  Integer perTask;

  @Option(names = "--throttle", paramLabel = "M", description = "--emit: at most M tasks at once (slurm %%M,"
      + " k8s parallelism).")
  Integer throttle;

  @Option(names = "--partition", paramLabel = "P", description = "--emit slurm: the partition.")
  String partition;

  @Option(names = "--gpus-per-task", paramLabel = "G", description = "--emit: GPUs per task (default: 1 for the"
      + " GPU presets tiny and base, else 0).")
  Integer gpusPerTask;

  @Option(names = "--cpus-per-task", paramLabel = "C", description = "--emit: CPUs per task (default from the presets).")
  Integer cpusPerTask;

  @Option(names = "--mem", paramLabel = "GIB", description = "--emit: memory per task in GiB (default from the presets).")
  Integer memGib;

  @Option(names = "--time", paramLabel = "LIMIT", description = "--emit slurm: time limit per task (D-HH:MM:SS).")
  String time;

  @Option(names = "--image", paramLabel = "IMAGE", description = "--emit k8s: the container image (lddm built in it).")
  String image;

  @Option(names = "--pvc", paramLabel = "CLAIM", description = "--emit k8s: the ReadWriteMany volume claim for the"
      + " results (default lddm-runs).")
  String pvc;

  @Option(names = "--lddm", paramLabel = "CMD", description = "--emit: the command that runs lddm on a node (slurm"
      + " default: this installation's java command; k8s default: lddm).")
  String lddmCommand;

  @Mixin ThreadsOption threads;

  @Override
  public Integer call() throws IOException {
    if (suiteName == null) {
      throw new IllegalArgumentException("bench needs --suite NAME (" + String.join(", ", Suite.BUILT_IN)
          + ", or a suite .json file), or a command: status DIR, merge DIR");
    }
    checkModeOptions();
    int threadCount = threads.get();
    Suite suite = Suite.load(suiteName);
    if (suiteHash != null && !suiteHash.equals(CellKey.suiteHash(suite))) {
      throw new IllegalArgumentException("suite " + suiteName + " has changed since the script was emitted (its hash is "
          + CellKey.suiteHash(suite) + ", --suite-hash " + suiteHash + "); emit the script again");
    }
    if (listCells) {
      return listCells(suite, threadCount);
    }
    if (emit != null) {
      return emit(suite, threadCount);
    }
    List<Selection.Indexed> selected = cellIds != null ? Selection.byIds(suite, cellIds)
        : shard != null ? Selection.byShard(suite, shard) : null;
    Path dir = out == null ? Path.of("runs", suite.name()) : out;
    if (selected != null) {
      return runSelected(suite, dir, selected, threadCount);
    }
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
    SuiteRunner runner = new SuiteRunner(suite, dir, err, threadCount);
    List<Cell> cells = runner.cells();
    warnWithoutGpu(suite, runner, cells);
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
    runner.run();
    var o = spec.commandLine().getOut();
    o.print(java.nio.file.Files.readString(dir.resolve(Leaderboard.MD_NAME)));
    o.println();
    o.println("leaderboard: " + dir.resolve(Leaderboard.CSV_NAME));
    o.flush();
    return 0;
  }

  /**
   * Probes for a GPU only when a GPU-sized preset is asked for: the probe opens a TensorFlow session with
   * default threading, and the first session fixes TensorFlow's process-wide thread pools (measured: a suite
   * that probed first trained with two threads despite --threads 1).
   */
  private void warnWithoutGpu(Suite suite, SuiteRunner runner, List<Cell> cells) {
    var err = spec.commandLine().getErr();
    boolean gpuSized = cells.stream().anyMatch(c -> c.preset().equals("tiny") || c.preset().equals("base"));
    if (gpuSized && !Devices.hasGpu()) {
      double total = cells.stream().mapToDouble(runner::estimatedTrainSeconds).sum();
      err.printf(Locale.ROOT, "lddm: suite %s is meant for a GPU and TensorFlow sees none; on this CPU its training "
          + "ETA is about %.1f days. Interrupt now (Ctrl-C) if that is not what you want.%n", suite.name(),
          total / 86400);
      err.flush();
    }
  }

  /** Options that belong to one mode (list, emit, some cells, the whole suite) and do nothing in the others. */
  private void checkModeOptions() {
    Map<String, Boolean> emitOnly = new LinkedHashMap<>();
    emitOnly.put("--per-task", perTask != null);
    emitOnly.put("--throttle", throttle != null);
    emitOnly.put("--partition", partition != null);
    emitOnly.put("--gpus-per-task", gpusPerTask != null);
    emitOnly.put("--cpus-per-task", cpusPerTask != null);
    emitOnly.put("--mem", memGib != null);
    emitOnly.put("--time", time != null);
    emitOnly.put("--image", image != null);
    emitOnly.put("--pvc", pvc != null);
    emitOnly.put("--lddm", lddmCommand != null);
    boolean some = cellIds != null || shard != null;
    if (cellIds != null && shard != null) {
      throw new IllegalArgumentException("--cell and --shard both choose the cells to run; give one of them");
    }
    if (listCells) {
      refuse("--list-cells", Map.of("--out", out != null, "--resume", resume, "--dry-run", dryRun, "--cell",
          cellIds != null, "--shard", shard != null, "--emit", emit != null));
    }
    if (emit == null) {
      for (var e : emitOnly.entrySet()) {
        if (e.getValue()) {
          throw new IllegalArgumentException(e.getKey() + " does nothing without --emit slurm|k8s; drop it");
        }
      }
    } else {
      if (!emit.equals("slurm") && !emit.equals("k8s")) {
        throw new IllegalArgumentException("--emit: unknown scheduler '" + emit + "'. Known: slurm, k8s");
      }
      refuse("--emit", Map.of("--resume", resume, "--dry-run", dryRun, "--cell", cellIds != null, "--shard",
          shard != null, "--suite-hash", suiteHash != null));
      if (emit.equals("slurm")) {
        refuse("--emit slurm", Map.of("--image", image != null, "--pvc", pvc != null));
      } else {
        refuse("--emit k8s", Map.of("--partition", partition != null, "--time", time != null, "--out", out != null));
        if (image == null) {
          throw new IllegalArgumentException("--emit k8s needs --image IMAGE (a container image with lddm built in it)");
        }
      }
    }
    if (some && resume) {
      throw new IllegalArgumentException("--resume does nothing with --cell or --shard (a shared --out always "
          + "continues: finished cells are skipped, interrupted ones resume); drop it");
    }
  }

  private static void refuse(String mode, Map<String, Boolean> options) {
    for (String o : new java.util.TreeSet<>(options.keySet())) {
      if (options.get(o)) {
        throw new IllegalArgumentException(o + " does nothing with " + mode + "; drop it");
      }
    }
  }

  private int listCells(Suite suite, int threadCount) {
    var o = spec.commandLine().getOut();
    List<Selection.Indexed> cells = Selection.all(suite);
    String code = CellKey.currentCode();
    int width = cells.stream().mapToInt(c -> c.cell().id().length()).max().orElse(2);
    o.printf(Locale.ROOT, "%-5s  %-" + width + "s  %-16s  %s%n", "index", "id", "key", "evaluates");
    for (Selection.Indexed c : cells) {
      o.printf(Locale.ROOT, "%-5d  %-" + width + "s  %-16s  %s%n", c.index(), c.cell().id(),
          CellKey.of(suite, c.cell(), code, threadCount).key(), evaluates(c.cell()));
    }
    o.flush();
    return 0;
  }

  private static String evaluates(Cell c) {
    return c.evals().stream().map(e -> e.task() + "/" + e.split() + " x" + e.count()).collect(Collectors.joining(", "));
  }

  private int runSelected(Suite suite, Path dir, List<Selection.Indexed> selected, int threadCount) throws IOException {
    var o = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    ShardRunner shardRunner = new ShardRunner(suite, dir, selected, shard == null ? "" : shard, threadCount, err,
        System.getenv());
    shardRunner.check();
    SharedDir shared = new SharedDir(dir);
    if (dryRun) {
      SuiteRunner runner = new SuiteRunner(suite, dir, err, threadCount);
      for (Selection.Indexed c : selected) {
        boolean finished = shared.isFinished(c.cell().id());
        o.printf(Locale.ROOT, "%3d  %-28s %s  evaluates [%s]%n", c.index(), c.cell().id(),
            finished ? "finished      " : "training ~" + SuiteRunner.duration(runner.estimatedTrainSeconds(c.cell())),
            evaluates(c.cell()));
      }
      o.flush();
      return 0;
    }
    warnWithoutGpu(suite, new SuiteRunner(suite, dir, err, threadCount),
        selected.stream().map(Selection.Indexed::cell).toList());
    shardRunner.run();
    List<String> done = selected.stream().map(c -> c.cell().id()).filter(shared::isFinished).toList();
    o.printf(Locale.ROOT, "%d of %d cells finished in %s (%s); build the leaderboard with: lddm bench merge %s%n",
        done.size(), selected.size(), dir, String.join(", ", done), dir);
    o.flush();
    return 0;
  }

  private int emit(Suite suite, int threadCount) throws IOException {
    Emit.Resources d = Emit.defaults(suite, threadCount);
    for (var e : Map.of("--gpus-per-task", gpusPerTask == null ? 0 : gpusPerTask, "--throttle",
        throttle == null ? 1 : throttle, "--cpus-per-task", cpusPerTask == null ? 1 : cpusPerTask, "--mem",
        memGib == null ? 1 : memGib).entrySet()) {
      int min = e.getKey().equals("--gpus-per-task") ? 0 : 1;
      if (e.getValue() < min) {
        throw new IllegalArgumentException(e.getKey() + " must be >= " + min + ", got " + e.getValue());
      }
    }
    if (partition != null && !partition.matches("[A-Za-z0-9_.,-]+")) {
      throw new IllegalArgumentException("--partition must be a partition name (letters, digits, '_', '.', '-'), got '"
          + partition + "'");
    }
    if (time != null && !time.matches("([0-9]+-)?[0-9]+(:[0-9]{2}){0,2}")) {
      throw new IllegalArgumentException("--time must be a Slurm time limit (MINUTES, HH:MM:SS or D-HH:MM:SS), got '"
          + time + "'");
    }
    Emit.Resources r = new Emit.Resources(cpusPerTask == null ? d.cpus() : cpusPerTask,
        memGib == null ? d.memGiB() : memGib, gpusPerTask == null ? d.gpus() : gpusPerTask);
    boolean builtIn = Suite.BUILT_IN.contains(suiteName);
    String generatedBy = "Generated by lddm " + CellKey.currentCode();
    var o = spec.commandLine().getOut();
    if (emit.equals("slurm")) {
      Path dir = (out == null ? Path.of("runs", suite.name()) : out).toAbsolutePath().normalize();
      if (!dir.toString().matches("[^\\s%'\"\\\\]+")) {
        throw new IllegalArgumentException("--out " + dir + ": with --emit slurm it must have no spaces, quotes, "
            + "backslashes or '%' (sbatch reads it in #SBATCH --output); choose another directory");
      }
      String suiteArg = builtIn ? suiteName : Path.of(suiteName).toAbsolutePath().normalize().toString();
      Emit.Sweep s = new Emit.Sweep(suite, suiteArg, dir.toString(), lddmCommand == null ? javaCommand() : lddmCommand,
          threadCount, perTask == null ? 1 : perTask, throttle == null ? 0 : throttle, r);
      String script = Emit.slurm(s, partition == null ? "" : partition, time == null ? "" : time, generatedBy);
      try {
        Files.createDirectories(dir.resolve("logs"));
      } catch (IOException | SecurityException e) {
        spec.commandLine().getErr().println("lddm: warning: cannot create " + dir.resolve("logs") + " here; create it "
            + "before sbatch (Slurm does not create log directories)");
      }
      o.print(script);
    } else {
      String dir = "/lddm/runs/" + suite.name();
      Emit.Sweep s = new Emit.Sweep(suite, "/lddm/suite/suite.json", dir, lddmCommand == null ? "lddm" : lddmCommand,
          threadCount, perTask == null ? 1 : perTask, throttle == null ? 0 : throttle, r);
      o.print(Emit.kubernetes(s, image, pvc == null ? "lddm-runs" : pvc, generatedBy));
    }
    o.flush();
    return 0;
  }

  /** This installation's lddm as a node would run it: java with this process's class path (absolute). */
  private static String javaCommand() {
    String cp = java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.isEmpty()).map(e -> Path.of(e).toAbsolutePath().normalize().toString())
        .collect(Collectors.joining(File.pathSeparator));
    return "java ${LDDM_JAVA_OPTS:-} -cp " + sh(cp) + " dev.lddm.harness.Main";
  }

  private static String sh(String s) {
    return s.matches("[A-Za-z0-9_./:=@%+,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  /** {@code bench status DIR}: finished, running, failed and missing cells, and what to resubmit. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show which cells of a shared bench --out are finished, running, failed or missing.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand BenchCommand parent;

    @Parameters(index = "0", paramLabel = "DIR", description = "The --out of a bench run.")
    Path dir;

    @Option(names = "--shards", paramLabel = "N", description = "The array size the cells ran with (default: from the"
        + " attempts' --shard, else one cell per task).")
    Integer shards;

    @Override
    public Integer call() throws IOException {
      parent.refuseSuiteFor("status");
      if (shards != null && shards < 1) {
        throw new IllegalArgumentException("--shards must be >= 1, got " + shards);
      }
      SweepStatus.Report r = SweepStatus.of(dir, shards == null ? 0 : shards, Instant.now().truncatedTo(ChronoUnit.SECONDS));
      if (shards != null && shards > r.cells().size()) {
        throw new IllegalArgumentException("--shards " + shards + " exceeds the " + r.cells().size() + " cells of "
            + dir + "; use at most " + r.cells().size());
      }
      var o = spec.commandLine().getOut();
      o.print(r.render());
      o.flush();
      return 0;
    }
  }

  /** {@code bench merge DIR}: the leaderboard of the finished cells. */
  @Command(name = "merge", mixinStandardHelpOptions = true,
      description = "Build leaderboard.csv, LEADERBOARD.md and the charts of a shared bench --out from its finished cells.")
  static final class MergeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand BenchCommand parent;

    @Parameters(index = "0", paramLabel = "DIR", description = "The --out of a bench run.")
    Path dir;

    @Override
    public Integer call() throws IOException {
      parent.refuseSuiteFor("merge");
      Merge.merge(dir, spec.commandLine().getErr());
      var o = spec.commandLine().getOut();
      o.print(java.nio.file.Files.readString(dir.resolve(Leaderboard.MD_NAME)));
      o.println();
      o.println("leaderboard: " + dir.resolve(Leaderboard.CSV_NAME));
      o.flush();
      return 0;
    }
  }

  /** The subcommands take a directory, not bench's options. */
  private void refuseSuiteFor(String command) {
    List<String> given = new ArrayList<>();
    spec.commandLine().getParseResult().matchedOptions().forEach(opt -> given.add(opt.longestName()));
    if (!given.isEmpty()) {
      throw new IllegalArgumentException(String.join(", ", given) + " does nothing with bench " + command
          + " (it reads the suite from DIR/suite.json); drop it");
    }
  }
}
