package dev.lddm.harness.suite;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import dev.lddm.harness.AtomicFiles;
import dev.lddm.harness.Provenance;
import dev.lddm.harness.UserDataException;
import dev.lddm.harness.board.Charts;
import dev.lddm.harness.board.DecodingDynamics;
import dev.lddm.harness.board.Leaderboard;
import dev.lddm.harness.board.LeaderboardRow;
import dev.lddm.harness.board.PairedComparisons;
import dev.lddm.harness.eval.Prediction;
import dev.lddm.harness.eval.PredictionsFile;
import dev.lddm.harness.diag.StepDiagnostics;
import dev.lddm.harness.run.EvalOptions;
import dev.lddm.harness.run.Evaluation;
import dev.lddm.harness.run.ProgressListener;
import dev.lddm.harness.run.SuiteProgress;
import dev.lddm.harness.run.TrainOptions;
import dev.lddm.harness.run.Training;
import dev.lddm.model.Devices;
import dev.lddm.model.ModelConfig;
import dev.lddm.model.Precision;
import dev.lddm.model.decode.DecodeOptions;
import dev.lddm.model.decode.Decoder;
import dev.lddm.model.train.TrainResult;
import dev.lddm.model.train.Trainer;
import dev.lddm.tasks.TaskRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Runs a suite into a directory, cell by cell. A cell (train + every evaluation) is recorded in
 * {@code cells/<id>/cell.json}, written atomically when the cell finishes, after its {@link CellKey}
 * ({@code key.json}: what its result depends on); a rerun skips recorded cells and
 * resumes an interrupted one from its newest intact checkpoint (a damaged newer one is skipped with a
 * warning in the log; a cell interrupted before its first checkpoint starts over). Cells checkpoint every
 * {@link Suite#checkpointInterval()} steps. After every cell the leaderboard
 * ({@code leaderboard.csv}, {@code LEADERBOARD.md}, charts) is rebuilt from all recorded cells, atomically,
 * so a {@code kill -9} at any moment leaves no torn or duplicated rows.
 */
public final class SuiteRunner {
  /** Name of a finished cell's record. */
  public static final String CELL_FILE = "cell.json";
  /** The decoder label of autoregressive rows. */
  public static final String GREEDY = "greedy";
  /** Per-step diagnostics beside each diffusion model's predictions. */
  public static final String STEPS_FILE = "steps.csv";
  /** Rough CPU throughput for ETAs of step-bounded cells, measured on this project's CI machine class. */
  static final double ASSUMED_GFLOPS = 60;

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private final Suite suite;
  private final Path out;
  private final PrintWriter log;
  private final int threads;

  public SuiteRunner(Suite suite, Path out, PrintWriter log, int threads) {
    this.suite = suite;
    this.out = out;
    this.log = log;
    this.threads = threads;
  }

  /** Every cell of the suite, in order (the suite itself was validated completely when it was built). */
  public List<Cell> cells() {
    return Cell.expand(suite);
  }

  /** Seconds a cell's training will take: the time budget, or a FLOP-based estimate for step budgets. */
  public double estimatedTrainSeconds(Cell c) {
    if (suite.budget().minutes() > 0) {
      return suite.budget().minutes() * 60;
    }
    ModelConfig cfg = ModelConfig.preset(c.kind(), c.preset(), TaskRegistry.get(c.task()).sequenceLength());
    double tokens = (double) suite.batch() * cfg.seqLen();
    double flopsPerStep = 6.0 * cfg.parameterCount() * tokens * (c.kind().hasLatent() ? 1.5 : 1.0);
    return suite.budget().steps() * flopsPerStep / (ASSUMED_GFLOPS * 1e9);
  }

  /** Runs every unfinished cell, then rebuilds the leaderboard; returns all rows. */
  public List<LeaderboardRow> run() throws IOException {
    List<Cell> cells = cells();
    Files.createDirectories(out);
    AtomicFiles.writeString(out.resolve("suite.json"), suite.toJson() + "\n");
    int done = 0;
    double remaining = 0;
    double finished = 0;
    for (Cell c : cells) {
      if (isDone(c)) {
        done++;
        finished += estimatedTrainSeconds(c);
      } else {
        remaining += estimatedTrainSeconds(c);
      }
    }
    log.printf(Locale.ROOT, "suite %s: %d cells, %d done, %d to run, ETA %s (training; evaluation extra)%n",
        suite.name(), cells.size(), done, cells.size() - done, duration(remaining));
    log.flush();
    try (SuiteProgress progress = new SuiteProgress("suite " + suite.name(), finished + remaining, finished)) {
      int index = 0;
      for (Cell c : cells) {
        index++;
        if (isDone(c)) {
          continue;
        }
        log.printf(Locale.ROOT, "[suite %d/%d] %s (ETA for the rest of the suite %s; load average %s)%n", index,
            cells.size(), c.id(), duration(remaining), loadAverage());
        log.flush();
        double estimate = estimatedTrainSeconds(c);
        progress.startCell(estimate);
        runCell(c, cellDir(c), index, cells.size(), progress, Map::of);
        progress.finishCell();
        remaining -= estimate;
        rebuild();
      }
    }
    return rebuild();
  }

  /** Whether the cell's record exists in the output directory (a rerun with --resume skips it). */
  public boolean isDone(Cell c) {
    return Files.isRegularFile(cellDir(c).resolve(CELL_FILE));
  }

  private Path cellDir(Cell c) {
    return out.resolve("cells").resolve(c.id());
  }

  /** The key of a cell run by this process's code with this runner's thread count. */
  public CellKey key(Cell c) {
    return CellKey.of(suite, c, CellKey.currentCode(), threads);
  }

  /**
   * Trains and evaluates one cell in {@code dir} (resuming from a checkpoint there), then writes
   * {@code extraFiles} (name to content, asked for when the cell is evaluated), {@link CellKey#FILE} and,
   * last, the done marker {@link #CELL_FILE}.
   * Used by sweeps that run a cell in a private directory and publish it when it is done; the leaderboard
   * is not touched.
   *
   * @param index the cell's 1-based position for the log, of {@code total}
   */
  public void runCellInto(Cell c, Path dir, int index, int total, SuiteProgress progress,
                          Supplier<Map<String, String>> extraFiles) throws IOException {
    runCell(c, dir, index, total, progress, extraFiles);
  }

  private TrainOptions trainOptions(Cell c) {
    return new TrainOptions(c.task(), c.kind(), c.preset(), suite.budget().steps(),
        suite.budget().minutes(), suite.batch(), suite.learningRate(c.preset()), c.seed(),
        suite.trainSize() == null ? 0 : suite.trainSize(), suite.dataSeed(), suite.checkpointInterval(), threads,
        ModelConfig.DEFAULT_SELF_COND_RATE, suite.modelPrecision(), suite.dropoutRate(), suite.warmupStepCount());
  }

  private void runCell(Cell c, Path dir, int index, int total, SuiteProgress progress,
                       Supplier<Map<String, String>> extraFiles) throws IOException {
    TrainOptions o = trainOptions(c);
    Provenance prov = Provenance.current(); // started_utc: when the cell started
    TrainResult trained;
    try (ProgressListener bar = new ProgressListener(String.format(Locale.ROOT, "cell %d/%d", index, total),
        suite.budget().steps(), suite.budget().minutes() * 60, progress::cellFraction)) {
      // A cell that was interrupted continues from its newest intact checkpoint; one interrupted before its
      // first checkpoint starts over.
      trained = Training.run(o, dir, Trainer.Start.RESUME_IF_PRESENT, bar, this::warn);
    }
    String checkpointHash = Provenance.hashTree(trained.checkpoint(), "model.");
    List<String> trainedOn = dev.lddm.model.train.Checkpoints.readMeta(trained.checkpoint()).cpus();
    String configHash = Provenance.hash(optionsJson(o) + suite.toJson());
    String tf = Devices.tensorflowVersion();
    List<LeaderboardRow> rows = new ArrayList<>();
    for (Suite.EvalSpec e : c.evals()) {
      // The AR baseline decodes greedily, left to right: decoder and step settings do not apply, so it is
      // evaluated once and labelled "greedy" with 0 denoising steps.
      boolean ar = c.kind().isAutoregressive();
      List<String> decoders = ar ? suite.decoders().subList(0, 1) : suite.decoders();
      List<Integer> stepCounts = ar ? suite.decodeSteps().subList(0, 1) : suite.decodeSteps();
      for (String decoderName : decoders) {
        for (int steps : stepCounts) {
          for (String variant : variants(c)) {
            DecodeOptions d = decode(decoderName, steps, variant);
            String decoderLabel = ar ? GREEDY : d.decoder().id();
            int stepsLabel = ar ? 0 : steps;
            // Decoding dynamics are a diffusion-model measure; the AR baseline decodes left to right.
            StepDiagnostics diag = ar ? null : new StepDiagnostics();
            Evaluation.Result r =
                Evaluation.run(dir, new EvalOptions(e.task(), e.split(), e.count(), d, threads), diag, this::warn);
            if (diag != null) {
              diag.write(r.dir().resolve(STEPS_FILE));
            }
            log.printf(Locale.ROOT, "  %s %s %s T=%d %s: %d/%d strict (%.1f%%), %d lenient%n", e.task(), e.split(),
                decoderLabel, stepsLabel, variant, r.correct(), r.n(), 100.0 * r.correct() / Math.max(1, r.n()),
                r.mgdmCorrect());
            log.flush();
            rows.add(row(c, r, decoderLabel, stepsLabel, variant, trained.steps(), trained.elapsedSeconds(),
                trained.tokensPerSecond(), prov, tf, configHash, checkpointHash, trainedOn));
          }
        }
      }
    }
    // The learning curve: earlier checkpoints, each with the first decoder and step count and no ablation.
    for (long step : suite.curveSteps()) {
      Path ckpt = dev.lddm.model.train.Checkpoints.dir(dir).resolve(dev.lddm.model.train.Checkpoints.name(step));
      dev.lddm.model.train.Checkpoints.Meta meta = dev.lddm.model.train.Checkpoints.readMeta(ckpt);
      String hash = Provenance.hashTree(ckpt, "model.");
      boolean ar = c.kind().isAutoregressive();
      DecodeOptions d = decode(suite.decoders().get(0), suite.decodeSteps().get(0), "-");
      for (Suite.EvalSpec e : c.evals()) {
        Evaluation.Result r = Evaluation.run(dir,
            new EvalOptions(e.task(), e.split(), e.count(), d, threads).atCheckpoint(step), null, this::warn);
        log.printf(Locale.ROOT, "  %s %s at step %d: %d/%d strict (%.1f%%)%n", e.task(), e.split(), step, r.correct(),
            r.n(), 100.0 * r.correct() / Math.max(1, r.n()));
        log.flush();
        rows.add(row(c, r, ar ? GREEDY : d.decoder().id(), ar ? 0 : d.steps(), "-", step, meta.elapsedSeconds(),
            trained.tokensPerSecond(), prov, tf, configHash, hash, meta.cpus()));
      }
    }
    log.printf(Locale.ROOT, "  cell %s done: %d steps, %.0f s training; load average %s%n", c.id(), trained.steps(),
        trained.elapsedSeconds(), loadAverage());
    log.flush();
    List<Map<String, String>> records = rows.stream().map(LeaderboardRow::columns).toList();
    for (var f : extraFiles.get().entrySet()) {
      AtomicFiles.writeString(dir.resolve(f.getKey()), f.getValue());
    }
    AtomicFiles.writeString(dir.resolve(CellKey.FILE), key(c).toJson());
    AtomicFiles.writeString(dir.resolve(CELL_FILE), GSON.toJson(records) + "\n");
  }

  private LeaderboardRow row(Cell c, Evaluation.Result r, String decoder, int decodeSteps, String variant,
                             long trainSteps, double trainSeconds, double tokensPerSecond, Provenance prov, String tf,
                             String configHash, String checkpointHash, List<String> trainedOn) {
    return new LeaderboardRow(c.id(), r.task(), r.split(), c.kind().id(), c.preset(), r.config().parameterCount(),
        c.seed(), decoder, decodeSteps, variant, r.n(), r.correct(), r.mgdmCorrect(), trainSteps, trainSeconds,
        r.seconds(), tokensPerSecond, c.task(), prov.harnessVersion(), prov.gitCommit(), prov.gitDirty(),
        prov.javaVersion(), tf, prov.osArch(), threads, "cpu", r.config().precision().id(), configHash,
        checkpointHash, prov.startedUtc(), dev.lddm.harness.TaskSource.of(List.of(r.task(), c.task())),
        dev.lddm.model.train.TrainingFlops.total(r.config(), suite.batch(), trainSteps),
        Provenance.cpuColumn(trainedOn, Provenance.cpu()));
  }

  /**
   * The training options as hashed into {@code config_hash}: without the precision when it is fp32 and without
   * the dropout when it is 0, so the hashes of such cells are those they had before these options existed.
   */
  static String optionsJson(TrainOptions o) {
    JsonObject j = GSON.toJsonTree(o).getAsJsonObject();
    if (o.precision() == Precision.FP32) {
      j.remove("precision");
    }
    if (o.dropout() == 0) {
      j.remove("dropout");
    }
    if (o.warmupSteps() == 0) {
      j.remove("warmupSteps");
    }
    return GSON.toJson(j);
  }

  private void warn(String warning) {
    log.println("lddm: warning: " + warning);
    log.flush();
  }

  /** The latent variants evaluated for a cell: always {@code -}; ablations only for models with a latent. */
  private List<String> variants(Cell c) {
    List<String> v = new ArrayList<>(List.of("-"));
    if (c.kind().hasLatent()) {
      v.addAll(suite.ablations());
    }
    return v;
  }

  static DecodeOptions decode(String decoder, int steps, String variant) {
    boolean latent = !variant.equals("latent-off");
    int reset = variant.startsWith("latent-reset-") ? Integer.parseInt(variant.substring("latent-reset-".length())) : 0;
    return new DecodeOptions(steps, Decoder.parse(decoder), 1, DecodeOptions.DEFAULT_BATCH, latent, reset);
  }

  /** Rebuilds leaderboard.csv, LEADERBOARD.md and charts from every recorded cell. */
  public List<LeaderboardRow> rebuild() throws IOException {
    List<LeaderboardRow> rows = readAll(out);
    Leaderboard.writeCsv(out.resolve(Leaderboard.CSV_NAME), rows);
    List<LeaderboardRow> sorted = Leaderboard.sorted(rows);
    PairedComparisons.Result paired = PairedComparisons.of(sorted, suite.models(),
        suite.decoders(), suite.decodeSteps(), this::predictions);
    List<DecodingDynamics.Line> dynamics = DecodingDynamics.of(Leaderboard.finalRows(sorted), this::diagnostics);
    AtomicFiles.writeString(out.resolve(Leaderboard.MD_NAME), Leaderboard.markdown("Suite " + suite.name(), sorted,
        PairedComparisons.markdown(paired) + DecodingDynamics.markdown(dynamics)));
    if (!rows.isEmpty()) {
      Charts.leaderboardCharts(out.resolve("charts"), rows);
      Charts.pairedCharts(out.resolve("charts"), paired);
      stepCharts(dynamics);
    }
    return Leaderboard.sorted(rows);
  }

  /**
   * A row's {@code predictions.csv} (a learning-curve row's from its checkpoint's eval directory), or empty when
   * the file is missing (e.g. a cell carried without its evaluations).
   */
  Optional<List<Prediction>> predictions(LeaderboardRow r, boolean finalModel) {
    Path f = evalDir(r, finalModel).resolve(PredictionsFile.NAME);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(PredictionsFile.read(f));
    } catch (UserDataException e) {
      warn("paired comparisons leave out " + f + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The directory of a row's evaluation (a learning-curve row's: its checkpoint's, unless {@code finalModel}). */
  private Path evalDir(LeaderboardRow r, boolean finalModel) {
    // The AR baseline was evaluated with the suite's first decoding (which it ignores), so its directory has that name.
    boolean greedy = r.decoder().equals(GREEDY);
    DecodeOptions d = decode(greedy ? suite.decoders().get(0) : r.decoder(),
        greedy ? suite.decodeSteps().get(0) : r.decodeSteps(), r.variant());
    EvalOptions o = new EvalOptions(r.task(), r.split(), r.n(), d, threads);
    return out.resolve("cells").resolve(r.runId()).resolve("eval")
        .resolve((finalModel ? o : o.atCheckpoint(r.trainSteps())).dirName(r.task()));
  }

  /** A final row's per-step diagnostics ({@code steps.csv} of its evaluation), or null without them. */
  private List<StepDiagnostics.Row> diagnostics(LeaderboardRow r) {
    if (r.decoder().equals(GREEDY)) {
      return null;
    }
    Path steps = evalDir(r, true).resolve(STEPS_FILE);
    if (!Files.isRegularFile(steps)) {
      return null;
    }
    try {
      return StepDiagnostics.read(steps);
    } catch (UserDataException e) {
      warn("decoding dynamics leave out " + steps + ": " + e.getMessage());
      return null;
    }
  }

  /**
   * One decoding-dynamics chart per (task, split): every decoding at the largest T (each model and decoder, and
   * the latent ablations), seeds pooled, one line each.
   */
  private void stepCharts(List<DecodingDynamics.Line> dynamics) throws IOException {
    for (var e : DecodingDynamics.atMostSteps(dynamics).entrySet()) {
      Map<String, List<StepDiagnostics.Row>> lines = new TreeMap<>();
      for (DecodingDynamics.Line l : e.getValue()) {
        lines.put(l.chartLabel(), l.rows());
      }
      String seeds = e.getValue().stream().flatMap(l -> l.seeds().stream()).distinct().sorted()
          .map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
      Charts.stepCurves(out.resolve("charts").resolve("steps-" + e.getKey() + ".png"),
          String.format(Locale.ROOT, "%s: decoding dynamics at T=%d (%s)", e.getKey(), e.getValue().get(0).steps(),
              seeds.contains(",") ? "seeds " + seeds + " pooled" : "seed " + seeds), lines);
    }
  }

  /** Every row of every recorded cell below {@code out}. */
  static List<LeaderboardRow> readAll(Path out) throws IOException {
    Path cells = out.resolve("cells");
    List<LeaderboardRow> rows = new ArrayList<>();
    if (!Files.isDirectory(cells)) {
      return rows;
    }
    try (var dirs = Files.list(cells)) {
      for (Path d : dirs.sorted().toList()) {
        Path f = d.resolve(CELL_FILE);
        if (!Files.isRegularFile(f)) {
          continue;
        }
        try {
          List<Map<String, String>> records =
              GSON.fromJson(Files.readString(f), new TypeToken<List<Map<String, String>>>() {}.getType());
          records.forEach(m -> rows.add(LeaderboardRow.fromColumns(m)));
        } catch (RuntimeException e) {
          throw new UserDataException(f + " is corrupt: " + e.getMessage(), e);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return rows;
  }

  /** The 1-minute load average (Linux), so a log shows what else ran beside a time-bounded cell. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** A human duration: {@code 1h05m}, or days beyond two days. */
  public static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s >= 86400 * 2) {
      return String.format(Locale.ROOT, "%.1f days", s / 86400.0);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
