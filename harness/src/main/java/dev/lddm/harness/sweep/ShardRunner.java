package dev.lddm.harness.sweep;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.lddm.harness.IoErrors;
import dev.lddm.harness.run.SuiteProgress;
import dev.lddm.harness.suite.Cell;
import dev.lddm.harness.suite.CellKey;
import dev.lddm.harness.suite.Suite;
import dev.lddm.harness.suite.SuiteRunner;
import dev.lddm.model.train.Checkpoints;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs some cells of a suite ({@code bench --cell}/{@code --shard}) into an output directory that other
 * processes, on this machine or others, write at the same time ({@link SharedDir}). It never writes the
 * leaderboard: {@code bench merge} builds it from the finished cells.
 *
 * <p>Everything that can be checked is checked before any training: the directory's suite is this suite,
 * and every cell already finished there has this process's key (same code, same {@code --threads}), so
 * that what this process adds can be merged with them.
 */
public final class ShardRunner {
  /** Seconds between heartbeats of a running attempt. */
  static final int HEARTBEAT_SECONDS = 30;
  /** A running attempt without a heartbeat for this long is taken for lost (killed, node down). */
  public static final Duration STALE_AFTER = Duration.ofMinutes(5);

  private final Suite suite;
  private final SharedDir dir;
  private final List<Selection.Indexed> cells;
  private final String shard;
  private final SuiteRunner runner;
  private final PrintWriter log;
  private final Map<String, String> env;
  private final String host;
  /** Runs just before an attempt publishes its cell (tests make two attempts meet there). */
  private Runnable beforePublish = () -> { };

  /**
   * @param shard the {@code --shard} spec, or empty for {@code --cell}
   * @param env the environment (scheduler variables: {@code SLURM_*}, {@code JOB_COMPLETION_INDEX})
   */
  public ShardRunner(Suite suite, Path out, List<Selection.Indexed> cells, String shard, int threads,
                     PrintWriter log, Map<String, String> env) {
    this.suite = suite;
    this.dir = new SharedDir(out);
    this.cells = List.copyOf(cells);
    this.shard = shard;
    this.runner = new SuiteRunner(suite, out, log, threads);
    this.log = log;
    this.env = Map.copyOf(env);
    this.host = hostName();
  }

  /**
   * Checks, without writing, that this process may add to the directory.
   *
   * @throws IllegalArgumentException when the directory holds another suite, cells of other code or settings,
   *     or an unfinished plain {@code bench} run of a selected cell
   */
  public void check() throws IOException {
    dir.recordedSuite().ifPresent(previous -> {
      if (!previous.equals(suite)) {
        throw new IllegalArgumentException(dir.root() + " holds suite '" + previous.name()
            + "' with another configuration; use a new --out");
      }
    });
    List<String> odd = new ArrayList<>();
    String mine = null;
    for (Selection.Indexed c : Selection.all(suite)) {
      String id = c.cell().id();
      if (!dir.isFinished(id)) {
        continue;
      }
      CellKey mineKey = runner.key(c.cell());
      mine = describe(mineKey);
      Optional<CellKey> theirs = dir.finishedKey(id);
      if (theirs.isEmpty()) {
        odd.add(id + " (no key.json: an older harness)");
      } else if (!theirs.get().key().equals(mineKey.key()) || !theirs.get().code().equals(mineKey.code())
          || !theirs.get().config().equals(mineKey.config())) {
        odd.add(id + " (" + describe(theirs.get()) + ")");
      }
    }
    if (!odd.isEmpty()) {
      throw new IllegalArgumentException(dir.root() + " holds cells made by other code or settings, which would not "
          + "merge with this run's (" + mine + "): " + Merge.list(odd) + "; use a new --out, or the code and --threads "
          + "that made them");
    }
    for (Selection.Indexed c : cells) {
      Path d = dir.cellDir(c.cell().id());
      if (Files.exists(d) && !dir.isFinished(c.cell().id()) && !isEmptyDir(d)) {
        throw new IllegalArgumentException(d + " holds an unfinished plain bench run; finish it with bench --suite "
            + suite.name() + " --out " + dir.root() + " --resume, or delete it");
      }
    }
  }

  /** For tests: what to run just before each publish. */
  void beforePublish(Runnable hook) {
    this.beforePublish = hook;
  }

  /** {@code code ..., threads N}: a key's code and settings for messages. */
  static String describe(CellKey k) {
    return "code " + k.code() + ", " + settings(k);
  }

  /** A key's run settings for messages: {@code threads 1}. */
  static String settings(CellKey k) {
    return k.config().replaceAll("[{}\"]", "").replace(":", " ").replace(",", ", ");
  }

  /** Runs every selected cell that is not finished ({@link #check} first); returns how many this process finished. */
  public int run() throws IOException {
    check();
    Files.createDirectories(dir.root());
    dir.recordSuite(suite);
    int total = Selection.all(suite).size();
    double estimate = 0;
    double done = 0;
    for (Selection.Indexed c : cells) {
      double e = runner.estimatedTrainSeconds(c.cell());
      estimate += e;
      if (dir.isFinished(c.cell().id())) {
        done += e;
      }
    }
    log.printf(Locale.ROOT, "suite %s%s: %d of %d cells (%s) into %s%n", suite.name(),
        shard.isEmpty() ? "" : " shard " + shard, cells.size(), total,
        String.join(", ", cells.stream().map(c -> c.index() + " " + c.cell().id()).toList()), dir.root());
    log.flush();
    int finished = 0;
    try (SuiteProgress progress = new SuiteProgress("cells", estimate, done)) {
      for (Selection.Indexed c : cells) {
        String id = c.cell().id();
        if (dir.isFinished(id)) {
          log.printf(Locale.ROOT, "[cell %d] %s: already finished%n", c.index(), id);
          log.flush();
          continue;
        }
        double e = runner.estimatedTrainSeconds(c.cell());
        progress.startCell(e);
        if (runAttempt(c, total, progress)) {
          finished++;
        }
        progress.finishCell();
      }
    }
    return finished;
  }

  /** One attempt at a cell; returns whether this attempt published it. */
  private boolean runAttempt(Selection.Indexed c, int total, SuiteProgress progress) throws IOException {
    Cell cell = c.cell();
    String id = cell.id();
    CellKey key = runner.key(cell);
    Instant now = now();
    for (AttemptMarker m : dir.markers(id)) {
      if (m.state().equals("running") && m.key().equals(key.key()) && isLive(m, now, host)) {
        log.printf(Locale.ROOT, "lddm: warning: cell %s is also running on %s since %s%s; running it here too: the "
            + "first to finish is kept%n", id, m.host(), m.startedUtc(), m.scheduler().isEmpty() ? "" : " (" + m.scheduler() + ")");
      }
    }
    String token = SharedDir.newToken(host, ProcessHandle.current().pid());
    AttemptMarker marker = new AttemptMarker(id, c.index(), key.key(), token, host, ProcessHandle.current().pid(),
        now.toString(), now.toString(), "running", "", "", shard, scheduler(), schedulerLog());
    Path work = dir.workDir(id, token);
    try (Attempt attempt = new Attempt(dir.markerFile(id, token), marker)) {
      try {
        log.printf(Locale.ROOT, "[cell %d] %s: attempt %s on %s%n", c.index(), id, token, host);
        log.flush();
        Files.createDirectories(work);
        seed(id, key, token, work);
        runner.runCellInto(cell, work, c.index() + 1, total, progress,
            () -> Map.of(SharedDir.ATTEMPT_FILE, attemptRecord(marker)));
        beforePublish.run();
        Files.createDirectories(dir.cellsDir());
        Path target = dir.cellDir(id);
        try {
          Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          if (!dir.isFinished(id)) {
            throw new IOException("cannot publish cell " + id + " to " + target + ": " + IoErrors.reason(e), e);
          }
          SharedDir.deleteTree(work);
          attempt.end("duplicate", "");
          log.printf(Locale.ROOT, "[cell %d] %s: another attempt finished it first; this copy is discarded%n",
              c.index(), id);
          log.flush();
          return false;
        }
        attempt.end("done", "");
        removeEndedAttempts(id, token);
        log.printf(Locale.ROOT, "[cell %d] %s: finished%n", c.index(), id);
        log.flush();
        return true;
      } catch (IOException | RuntimeException | Error e) {
        attempt.end("failed", oneLine(e));
        throw e;
      }
    }
  }

  /**
   * Once the cell is published, the private directories of its attempts that ended without publishing it
   * (failed, interrupted: their processes are gone) only take space: their checkpoints were copied or linked
   * where they were needed. Their markers stay, for {@code bench status}. Running attempts are left alone.
   */
  private void removeEndedAttempts(String id, String token) {
    try {
      for (AttemptMarker m : dir.markers(id)) {
        if (!m.token().equals(token) && (m.state().equals("failed") || m.state().equals("interrupted"))) {
          SharedDir.deleteTree(dir.workDir(id, m.token()));
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // Best effort: what is left is visible in attempts/ and harmless.
    }
  }

  /** {@code attempt.json}: where and when the attempt that finished the cell ran. */
  private String attemptRecord(AttemptMarker m) {
    JsonObject o = new JsonObject();
    o.addProperty("token", m.token());
    o.addProperty("host", m.host());
    o.addProperty("pid", m.pid());
    o.addProperty("started_utc", m.startedUtc());
    o.addProperty("finished_utc", now().toString());
    o.addProperty("shard", m.shard());
    o.addProperty("scheduler", m.scheduler());
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n";
  }

  /**
   * Gives a retried cell the newest intact checkpoint of any earlier attempt with the same key (hard links,
   * or copies where links are not possible), so that training continues where it stopped, and the
   * learning-curve checkpoints below it ({@link Suite#curveSteps}) that any such attempt holds: the runner
   * evaluates those from the attempt's own directory when the cell finishes, and a cell resumed past one of
   * them would otherwise fail there. Checkpoint directories are complete once they exist and are never
   * rewritten, so a live attempt's are safe to share.
   */
  private void seed(String id, CellKey key, String token, Path work) {
    Checkpoints.Candidate best = null;
    String from = null;
    List<Path> others = new ArrayList<>();
    try {
      for (AttemptMarker m : dir.markers(id)) {
        if (m.token().equals(token) || !m.key().equals(key.key())) {
          continue;
        }
        Path other = dir.workDir(id, m.token());
        others.add(other);
        try {
          Optional<Checkpoints.Candidate> c = Checkpoints.newestReadable(other, new ArrayList<>());
          if (c.isPresent() && (best == null || c.get().meta().step() > best.meta().step())) {
            best = c.get();
            from = m.token();
          }
        } catch (IOException | UncheckedIOException e) {
          // No intact checkpoint there: try the others.
        }
      }
    } catch (IOException e) {
      warn("cannot read the earlier attempts of " + id + " (" + IoErrors.describe(e) + "); starting it over");
      return;
    }
    if (best == null) {
      return;
    }
    try {
      link(best.dir(), work);
    } catch (IOException | UncheckedIOException e) {
      warn("cannot take over " + best.dir() + " (" + e.getMessage() + "); starting " + id + " over");
      return;
    }
    log.printf(Locale.ROOT, "  %s: continuing from %s of attempt %s%n", id, best.dir().getFileName(), from);
    List<Long> curve = new ArrayList<>();
    for (long step : suite.curveSteps()) {
      if (step >= best.meta().step()) {
        break;
      }
      Optional<Path> have = others.stream().map(o -> Checkpoints.dir(o).resolve(Checkpoints.name(step)))
          .filter(ShardRunner::readable).findFirst();
      if (have.isEmpty()) {
        continue;
      }
      try {
        link(have.get(), work);
        curve.add(step);
      } catch (IOException | UncheckedIOException e) {
        warn("cannot take over " + have.get() + " (" + e.getMessage() + "); the learning curve of " + id
            + " will miss step " + step);
      }
    }
    if (!curve.isEmpty()) {
      log.printf(Locale.ROOT, "  %s: learning-curve checkpoints taken over: %s%n", id, curve);
    }
    log.flush();
  }

  private static boolean readable(Path ckpt) {
    try {
      Checkpoints.readMeta(ckpt);
      return true;
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  /** Links (or copies) checkpoint directory {@code ckpt} into {@code work}'s checkpoints, published whole. */
  private static void link(Path ckpt, Path work) throws IOException {
    Path target = Checkpoints.dir(work).resolve(ckpt.getFileName());
    Path tmp = Checkpoints.dir(work).resolve(".seed-" + ckpt.getFileName());
    try {
      Files.createDirectories(tmp);
      try (Stream<Path> files = Files.list(ckpt)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Path to = tmp.resolve(f.getFileName());
          try {
            Files.createLink(to, f);
          } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(f, to);
          }
        }
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UncheckedIOException e) {
      SharedDir.deleteTree(tmp);
      throw e;
    }
  }

  private void warn(String w) {
    log.println("lddm: warning: " + w);
    log.flush();
  }

  /**
   * Whether a running attempt still seems alive at {@code now}: a heartbeat within {@link #STALE_AFTER} and,
   * on this host, a live process.
   */
  static boolean isLive(AttemptMarker m, Instant now, String thisHost) {
    if (Duration.between(m.heartbeat(), now).compareTo(STALE_AFTER) > 0) {
      return false;
    }
    return !m.host().equals(thisHost) || ProcessHandle.of(m.pid()).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The scheduler's name for this task, from its environment. */
  private String scheduler() {
    String array = env.get("SLURM_ARRAY_JOB_ID");
    String task = env.get("SLURM_ARRAY_TASK_ID");
    if (array != null && task != null) {
      return "slurm " + array + "_" + task;
    }
    if (env.get("SLURM_JOB_ID") != null) {
      return "slurm " + env.get("SLURM_JOB_ID");
    }
    if (env.get("JOB_COMPLETION_INDEX") != null) {
      return "k8s index " + env.get("JOB_COMPLETION_INDEX") + (env.get("HOSTNAME") == null ? "" : " pod "
          + env.get("HOSTNAME"));
    }
    return "";
  }

  /** The Slurm log of this task when it is where the emitted script puts it ({@code logs/%x-%A_%a.out}). */
  private String schedulerLog() {
    String name = env.get("SLURM_JOB_NAME");
    String array = env.get("SLURM_ARRAY_JOB_ID");
    String task = env.get("SLURM_ARRAY_TASK_ID");
    if (name == null || array == null || task == null) {
      return "";
    }
    Path p = dir.logsDir().resolve(name + "-" + array + "_" + task + ".out");
    return Files.isRegularFile(p) ? p.toString() : "";
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  /** This machine's name: the kernel's, else Java's, else {@code unknown-host}. */
  static String hostName() {
    try {
      String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      if (!h.isEmpty()) {
        return h;
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: ask Java.
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      return "unknown-host";
    }
  }

  private static boolean isEmptyDir(Path d) throws IOException {
    if (!Files.isDirectory(d)) {
      return false;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.findAny().isEmpty();
    }
  }

  static String oneLine(Throwable e) {
    String m = e instanceof IOException io ? IoErrors.describe(io) : e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }

  /**
   * A running attempt's marker: written now, rewritten every {@link #HEARTBEAT_SECONDS}, and marked
   * {@code interrupted} by a shutdown hook if the process is stopped (SIGTERM from {@code scancel}, a time
   * limit, Ctrl-C) before the attempt ends.
   */
  static final class Attempt implements AutoCloseable {
    private final Path file;
    private AttemptMarker marker;
    private boolean ended;
    private final ScheduledExecutorService beat;
    private final Thread hook;

    Attempt(Path file, AttemptMarker marker) throws IOException {
      this.file = file;
      this.marker = marker;
      write();
      this.hook = new Thread(() -> end("interrupted", "the process was stopped before the cell finished"),
          "lddm-attempt-hook");
      Runtime.getRuntime().addShutdownHook(hook);
      this.beat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lddm-heartbeat");
        t.setDaemon(true);
        return t;
      });
      beat.scheduleAtFixedRate(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    private synchronized void heartbeat() {
      if (!ended) {
        marker = marker.with("running", now(), "");
        tryWrite();
      }
    }

    /** Records the end of the attempt (once; later calls do nothing). */
    synchronized void end(String state, String error) {
      if (ended) {
        return;
      }
      ended = true;
      marker = marker.with(state, now(), error);
      tryWrite();
    }

    private void write() throws IOException {
      dev.lddm.harness.AtomicFiles.write(file, w -> w.write(marker.toJson()));
    }

    private void tryWrite() {
      try {
        write();
      } catch (IOException | RuntimeException e) {
        // A lost heartbeat or end mark makes the attempt look stale later; nothing else depends on it.
      }
    }

    @Override
    public void close() {
      beat.shutdownNow();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs or has run.
      }
    }
  }
}
