package dev.lddm.harness.cli;

import dev.lddm.harness.board.Charts;
import dev.lddm.harness.diag.StepDiagnostics;
import dev.lddm.harness.run.EvalOptions;
import dev.lddm.harness.run.Evaluation;
import dev.lddm.harness.stats.Wilson;
import dev.lddm.model.decode.DecodeOptions;
import dev.lddm.model.decode.Decoder;
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
 * {@code lddm eval --run DIR [--task T] [--split test] [--count N] [--decode-steps T]
 * [--decoder remask|masked-only] [--seed S] [--precision fp32|bf16]}: writes {@code DIR/eval/<task>-<split>/predictions.csv} and
 * prints strict and lenient accuracy with Wilson 95% intervals. Evaluates the newest intact checkpoint (a
 * damaged newer one is skipped with a warning; {@code summary.json} names the one used).
 *
 * <p>Usage errors (exit 2), found before the model is loaded: an option that does nothing for the run's
 * model ({@link #NOT_FOR_AR} for the autoregressive baseline, {@link #NOT_WITHOUT_LATENT} for MGDM), a task
 * whose sequences are longer than the model's, a {@code --count} larger than the split.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Decode a split with a trained run and score it exactly.")
public final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--run", required = true, description = "Run directory (from `lddm train`).")
  Path run;

  @Option(names = "--task", description = "Evaluation task (default: the training task; e.g. game24 on a countdown4 run is zero-shot).")
  String task;

  @Option(names = "--split", defaultValue = "test", description = "train, val or test (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--count", defaultValue = "0", description = "First N instances (default: the whole split).")
  int count;

  @Option(names = "--decode-steps", defaultValue = "20", description = "Denoising steps T (default: ${DEFAULT-VALUE}).")
  int decodeSteps;

  @Option(names = "--decoder", defaultValue = "masked-only",
      description = "masked-only (Loopholing paper) or remask (MGDM original) (default: ${DEFAULT-VALUE}).")
  String decoder;

  @Option(names = "--seed", defaultValue = "1", description = "Decoding noise seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--batch", defaultValue = "256", description = "Decoding batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--latent", defaultValue = "on", description = "LDDM latent path: on or off (ablation: h = 0 at every step).")
  String latent;

  @Option(names = "--latent-reset", defaultValue = "0", description = "LDDM ablation: reset h to zero every K steps (0 = never).")
  int latentReset;

  @Mixin ThreadsOption threads;

  @Option(names = "--precision", description = "Decode in fp32 or bf16 (default: the precision the run was "
      + "trained in; another one is an ablation, written to its own eval folder).")
  String precision;

  @Option(names = "--checkpoints", paramLabel = "all|STEP,STEP...",
      description = "Evaluate these checkpoints (training steps, or all) instead of the newest: a learning curve, "
          + "written to <eval>-curve.csv and .png next to the evaluations.")
  String checkpoints;

  @Option(names = "--diagnostics", description = "Write per-step TPE, temporal KL, idle steps and oscillations to steps.csv.")
  boolean diagnostics;

  @Option(names = "--plot", description = "With --diagnostics: render steps.png (TPE, TKL, idle against step).")
  boolean plot;

  /** Options that change nothing for the autoregressive baseline: it decodes greedily, left to right. */
  static final List<String> NOT_FOR_AR =
      List.of("--decoder", "--decode-steps", "--seed", "--latent", "--latent-reset", "--diagnostics");
  /** Options that change nothing for a model without a latent path (MGDM). */
  static final List<String> NOT_WITHOUT_LATENT = List.of("--latent", "--latent-reset");

  @Override
  public Integer call() throws java.io.IOException {
    if (plot && !diagnostics) {
      throw new IllegalArgumentException("--plot needs --diagnostics");
    }
    boolean latentOn = switch (latent) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException("--latent must be one of: on, off; got '" + latent + "'");
    };
    DecodeOptions decode = new DecodeOptions(decodeSteps, Decoder.parse(decoder), seed, batch, latentOn, latentReset);
    EvalOptions o = new EvalOptions(task, split, count, decode, threads.get(),
        precision == null ? null : PrecisionOption.parse(precision));
    // Usage errors before the model is loaded: options that would do nothing for this model (and would
    // still name an eval folder and a summary as if they had), a task that does not fit, a count too large,
    // a checkpoint that does not exist.
    List<Long> steps = checkpoints == null ? java.util.Collections.singletonList(null) : checkpointSteps();
    Evaluation.Plan plan = null;
    for (Long step : steps) {
      plan = Evaluation.plan(run, o.atCheckpoint(step));
    }
    var parsed = spec.commandLine().getParseResult();
    if (plan.kind().isAutoregressive()) {
      for (String option : NOT_FOR_AR) {
        if (parsed.hasMatchedOption(option)) {
          throw new IllegalArgumentException(option + " does nothing for the autoregressive baseline (greedy "
              + "decoding); drop it");
        }
      }
    } else if (!plan.kind().hasLatent()) {
      for (String option : NOT_WITHOUT_LATENT) {
        if (parsed.hasMatchedOption(option)) {
          throw new IllegalArgumentException(option + " does nothing for " + plan.kind().id()
              + " (it has no latent path; lddm has); drop it");
        }
      }
    }
    List<Evaluation.Result> results = new java.util.ArrayList<>();
    for (Long step : steps) {
      results.add(evaluate(o.atCheckpoint(step)));
    }
    if (checkpoints != null) {
      writeCurve(o, results);
    }
    return 0;
  }

  /** The checkpoints {@code --checkpoints} names, ascending, or a one-line usage error. */
  private List<Long> checkpointSteps() {
    if (checkpoints.equals("all")) {
      List<Long> all = Evaluation.checkpointSteps(run);
      if (all.isEmpty()) {
        throw new dev.lddm.harness.UserDataException(run + ": no checkpoint (train it first)");
      }
      return all;
    }
    java.util.TreeSet<Long> steps = new java.util.TreeSet<>();
    for (String s : checkpoints.split(",", -1)) {
      if (!s.matches("[1-9][0-9]{0,17}")) {
        throw new IllegalArgumentException("--checkpoints must be all or training steps like 1000,2000; got '"
            + checkpoints + "'");
      }
      if (!steps.add(Long.parseLong(s))) {
        throw new IllegalArgumentException("--checkpoints lists step " + s + " twice");
      }
    }
    return List.copyOf(steps);
  }

  private void writeCurve(EvalOptions o, List<Evaluation.Result> results) throws java.io.IOException {
    Evaluation.Result first = results.get(0);
    java.nio.file.Path evalDir = first.dir().getParent();
    String base = o.dirName(first.task());
    int batch = dev.lddm.model.train.Checkpoints.readMeta(first.checkpoint()).train().batch();
    StringBuilder csv = new StringBuilder("train_steps,train_flops,n,correct,accuracy,ci95_low,ci95_high,checkpoint\n");
    List<double[]> points = new java.util.ArrayList<>();
    for (Evaluation.Result r : results) {
      Wilson w = Wilson.of95(r.correct(), r.n());
      double flops = dev.lddm.model.train.TrainingFlops.total(r.config(), batch, r.trainSteps());
      double acc = (double) r.correct() / Math.max(1, r.n());
      csv.append(String.format(Locale.ROOT, "%d,%.4e,%d,%d,%.4f,%.4f,%.4f,%s%n", r.trainSteps(), flops, r.n(),
          r.correct(), acc, w.low(), w.high(), r.checkpoint().getFileName()));
      points.add(new double[] {r.trainSteps(), acc, w.low(), w.high()});
    }
    java.nio.file.Path csvFile = evalDir.resolve(base + "-curve.csv");
    dev.lddm.harness.AtomicFiles.writeString(csvFile, csv.toString());
    java.nio.file.Path png = evalDir.resolve(base + "-curve.png");
    Charts.bands(png, first.task() + " " + first.split() + ": strict accuracy against training steps (Wilson 95%)",
        "training steps", "accuracy", java.util.Map.of(first.config().kind().id() + "/" + first.config().preset(),
            points));
    var out = spec.commandLine().getOut();
    out.println("learning curve: " + csvFile + ", " + png);
  }

  private Evaluation.Result evaluate(EvalOptions o) throws java.io.IOException {
    var err = spec.commandLine().getErr();
    StepDiagnostics diag = diagnostics ? new StepDiagnostics() : null;
    Evaluation.Result r = Evaluation.run(run, o, diag, w -> {
      err.println("lddm: warning: " + w);
      err.flush();
    });
    if (diag != null) {
      diag.write(r.dir().resolve("steps.csv"));
      if (plot) {
        String label = r.config().kind().id() + "/" + r.config().preset();
        Charts.stepCurves(r.dir().resolve("steps.png"), r.task() + " " + r.split() + ": decoding dynamics",
            java.util.Map.of(label, diag.rows()));
      }
    }
    Wilson strict = Wilson.of95(r.correct(), r.n());
    Wilson lenient = Wilson.of95(r.mgdmCorrect(), r.n());
    var out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%s %s (model trained on %s, %s, %d steps%s): n=%d%n", r.task(), r.split(), r.trainTask(),
        r.config().kind().id() + "/" + r.config().preset(), r.trainSteps(),
        r.config().precision() == dev.lddm.model.Precision.FP32 ? "" : ", " + r.config().precision().id(), r.n());
    out.printf(Locale.ROOT, "strict  accuracy %.4f  95%% CI [%.4f, %.4f]  (%d correct)%n",
        (double) r.correct() / Math.max(1, r.n()), strict.low(), strict.high(), r.correct());
    out.printf(Locale.ROOT, "lenient accuracy %.4f  95%% CI [%.4f, %.4f]  (MGDM's metric)%n",
        (double) r.mgdmCorrect() / Math.max(1, r.n()), lenient.low(), lenient.high());
    out.println("predictions: " + r.dir().resolve("predictions.csv"));
    return r;
  }
}
