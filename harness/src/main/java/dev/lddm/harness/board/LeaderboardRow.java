package dev.lddm.harness.board;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One leaderboard row: the score of one trained model on one evaluation, with everything needed to trace
 * it back (commit, config, seeds, versions, hashes). All numbers are formatted with {@link Locale#ROOT}.
 */
public record LeaderboardRow(
    String runId,
    String task,
    String split,
    String model,
    String preset,
    long params,
    long seed,
    String decoder,
    int decodeSteps,
    String variant,
    int n,
    int correct,
    int mgdmCorrect,
    long trainSteps,
    double trainSeconds,
    double evalSeconds,
    double tokensPerSecond,
    String trainTask,
    String harnessVersion,
    String gitCommit,
    boolean gitDirty,
    String javaVersion,
    String tfVersion,
    String osArch,
    int threads,
    String device,
    String precision,
    String configHash,
    String checkpointHash,
    String startedUtc,
    String taskSource,
    double trainFlops,
    String cpu) {

  /** The CSV columns, in file order. */
  public static final java.util.List<String> HEADER = java.util.List.of(
      "run_id", "task", "split", "model", "preset", "params", "seed", "decoder", "decode_steps", "variant",
      "n", "correct", "accuracy", "ci95_low", "ci95_high", "mgdm_correct", "mgdm_accuracy", "train_task",
      "train_steps", "train_flops", "train_seconds", "eval_seconds", "tokens_per_second", "harness_version", "git_commit",
      "git_dirty", "java_version", "tf_version", "os_arch", "threads", "device", "precision", "config_hash",
      "checkpoint_hash", "started_utc", "task_source", "cpu");

  /** The precision of rows written before the column existed. */
  public static final String DEFAULT_PRECISION = "fp32";

  public LeaderboardRow {
    requireNonNull(runId, "runId");
    requireNonNull(task, "task");
    precision = precision == null ? DEFAULT_PRECISION : precision;
    taskSource = taskSource == null ? dev.lddm.harness.TaskSource.BUILT_IN : taskSource;
    cpu = cpu == null ? "" : cpu;
    if (correct < 0 || correct > n || mgdmCorrect < 0 || mgdmCorrect > n) {
      throw new IllegalArgumentException("need 0 <= correct, mgdm_correct <= n, got " + correct + ", "
          + mgdmCorrect + " of " + n);
    }
  }

  /** A float32 row of a built-in task without FLOPs or CPU (rows before those columns existed). */
  public LeaderboardRow(String runId, String task, String split, String model, String preset, long params, long seed,
                        String decoder, int decodeSteps, String variant, int n, int correct, int mgdmCorrect,
                        long trainSteps, double trainSeconds, double evalSeconds, double tokensPerSecond,
                        String trainTask, String harnessVersion, String gitCommit, boolean gitDirty,
                        String javaVersion, String tfVersion, String osArch, int threads, String device,
                        String configHash, String checkpointHash, String startedUtc) {
    this(runId, task, split, model, preset, params, seed, decoder, decodeSteps, variant, n, correct, mgdmCorrect,
        trainSteps, trainSeconds, evalSeconds, tokensPerSecond, trainTask, harnessVersion, gitCommit, gitDirty,
        javaVersion, tfVersion, osArch, threads, device, DEFAULT_PRECISION, configHash, checkpointHash, startedUtc,
        dev.lddm.harness.TaskSource.BUILT_IN, Double.NaN, "");
  }

  public double accuracy() {
    return n == 0 ? 0 : (double) correct / n;
  }

  public double mgdmAccuracy() {
    return n == 0 ? 0 : (double) mgdmCorrect / n;
  }

  /**
   * The identity of a row: a suite never holds two rows with the same key. The precision is part of it only
   * when it is not the default; the training steps always are (a learning curve has a row per evaluated
   * checkpoint of a cell). Rows that differed before still sort in the same order.
   */
  public String key() {
    String k = String.join("|", task, split, model, preset, Long.toString(seed), decoder,
        Integer.toString(decodeSteps), variant, trainTask);
    return (precision.equals(DEFAULT_PRECISION) ? k : k + "|" + precision) + "|" + trainSteps;
  }

  /** The preset as shown in tables: {@code small}, or {@code small/bf16} for a non-default precision. */
  public String presetLabel() {
    return precision.equals(DEFAULT_PRECISION) ? preset : preset + "/" + precision;
  }

  /** Column name to formatted value, in file order. */
  public Map<String, String> columns() {
    var w = dev.lddm.harness.stats.Wilson.of95(correct, n);
    Map<String, String> m = new LinkedHashMap<>();
    m.put("run_id", runId);
    m.put("task", task);
    m.put("split", split);
    m.put("model", model);
    m.put("preset", preset);
    m.put("params", Long.toString(params));
    m.put("seed", Long.toString(seed));
    m.put("decoder", decoder);
    m.put("decode_steps", Integer.toString(decodeSteps));
    m.put("variant", variant);
    m.put("n", Integer.toString(n));
    m.put("correct", Integer.toString(correct));
    m.put("accuracy", fmt(accuracy()));
    m.put("ci95_low", fmt(w.low()));
    m.put("ci95_high", fmt(w.high()));
    m.put("mgdm_correct", Integer.toString(mgdmCorrect));
    m.put("mgdm_accuracy", fmt(mgdmAccuracy()));
    m.put("train_task", trainTask);
    m.put("train_steps", Long.toString(trainSteps));
    m.put("train_flops", Double.isNaN(trainFlops) ? "" : String.format(Locale.ROOT, "%.4e", trainFlops));
    m.put("train_seconds", String.format(Locale.ROOT, "%.1f", trainSeconds));
    m.put("eval_seconds", String.format(Locale.ROOT, "%.1f", evalSeconds));
    m.put("tokens_per_second", String.format(Locale.ROOT, "%.0f", tokensPerSecond));
    m.put("harness_version", harnessVersion);
    m.put("git_commit", gitCommit);
    m.put("git_dirty", Boolean.toString(gitDirty));
    m.put("java_version", javaVersion);
    m.put("tf_version", tfVersion);
    m.put("os_arch", osArch);
    m.put("threads", Integer.toString(threads));
    m.put("device", device);
    m.put("precision", precision);
    m.put("config_hash", configHash);
    m.put("checkpoint_hash", checkpointHash);
    m.put("started_utc", startedUtc);
    m.put("task_source", taskSource);
    m.put("cpu", cpu);
    if (!HEADER.equals(java.util.List.copyOf(m.keySet()))) {
      throw new IllegalStateException("columns() and HEADER disagree");
    }
    return m;
  }

  /**
   * Rebuilds a row from {@link #columns()}; derived columns (accuracy, interval) are recomputed. A row without
   * a {@code precision} (written before the column existed) is {@value #DEFAULT_PRECISION}, one without a
   * {@code task_source} is built in, one without {@code train_flops} has {@code NaN} (written empty), one without {@code cpu} an empty CPU.
   */
  public static LeaderboardRow fromColumns(Map<String, String> c) {
    return new LeaderboardRow(c.get("run_id"), c.get("task"), c.get("split"), c.get("model"), c.get("preset"),
        Long.parseLong(c.get("params")), Long.parseLong(c.get("seed")), c.get("decoder"),
        Integer.parseInt(c.get("decode_steps")), c.get("variant"), Integer.parseInt(c.get("n")),
        Integer.parseInt(c.get("correct")),
        Integer.parseInt(c.get("mgdm_correct")),
        Long.parseLong(c.get("train_steps")), Double.parseDouble(c.get("train_seconds")),
        Double.parseDouble(c.get("eval_seconds")), Double.parseDouble(c.get("tokens_per_second")),
        c.get("train_task"), c.get("harness_version"), c.get("git_commit"),
        Boolean.parseBoolean(c.get("git_dirty")), c.get("java_version"), c.get("tf_version"), c.get("os_arch"),
        Integer.parseInt(c.get("threads")), c.get("device"), c.get("precision"), c.get("config_hash"),
        c.get("checkpoint_hash"),
        c.get("started_utc"), c.get("task_source"),
        c.get("train_flops") == null || c.get("train_flops").isEmpty() ? Double.NaN
            : Double.parseDouble(c.get("train_flops")), c.get("cpu"));
  }

  private static String fmt(double x) {
    return String.format(Locale.ROOT, "%.4f", x);
  }
}
