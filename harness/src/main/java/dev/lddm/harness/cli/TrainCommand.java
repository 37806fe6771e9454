package dev.lddm.harness.cli;

import dev.lddm.harness.run.ProgressListener;
import dev.lddm.harness.run.TrainOptions;
import dev.lddm.harness.run.Training;
import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.Precision;
import dev.lddm.model.PrecisionProbe;
import dev.lddm.model.graph.ModelGraph;
import dev.lddm.model.graph.Towers;
import dev.lddm.model.train.TrainResult;
import dev.lddm.model.train.TrainSpec;
import dev.lddm.model.train.Trainer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tensorflow.proto.ConfigProto;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lddm train --task T --model mgdm|lddm --preset P (--steps N | --minutes M) [--batch B] [--lr LR]
 * [--seed S] [--train-size N] [--precision fp32|bf16|auto] [--dropout P] --out DIR [--resume]}. {@code --resume}
 * continues the newest intact checkpoint
 * (a damaged newer one is skipped with a warning) and refuses, before any step, a run directory without a
 * checkpoint or any changed training setting (exit 2, naming the setting and both values).
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model; checkpoints under --out.")
public final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--task", required = true, description = "Training task (see `lddm tasks`).")
  String task;

  @Option(names = "--model", required = true, description = "Model: mgdm, lddm or ar.")
  String model;

  @Option(names = "--preset", required = true, description = "micro, small, tiny (MGDM 6M) or base (MGDM 85M).")
  String preset;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Budget budget;

  static final class Budget {
    @Option(names = "--steps", required = true, description = "Optimizer steps.")
    long steps;

    @Option(names = "--minutes", required = true, description = "Wall-clock budget in minutes.")
    double minutes;
  }

  @Option(names = "--batch", defaultValue = "64", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", description = "Peak learning rate (default: the preset's: micro and small 3e-4, tiny 1e-3 "
      + "as MGDM, base 3e-4).")
  Double lr;

  @Option(names = "--warmup-steps", defaultValue = "0", description = "Linear learning-rate warm-up steps before the "
      + "cosine decay (default: ${DEFAULT-VALUE}, MGDM's).")
  int warmupSteps;

  @Option(names = "--seed", defaultValue = "1", description = "Model seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--train-size", defaultValue = "0",
      description = "First N training examples (default: the whole train split, 220,000 for Countdown).")
  int trainSize;

  @Option(names = "--data-seed", defaultValue = "4", description = "Data generator seed (default: ${DEFAULT-VALUE}, MGDM's).")
  long dataSeed;

  @Option(names = "--checkpoint-every", defaultValue = "1000", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--self-cond-rate", defaultValue = "0.9",
      description = "LDDM self-conditioning probability per batch (default: ${DEFAULT-VALUE}).")
  double selfCondRate;

  @Mixin ThreadsOption threads;

  @Option(names = "--precision", defaultValue = "fp32",
      description = "fp32, bf16 (mixed precision: bf16 matrix products, fp32 weights, optimizer, LayerNorm, "
          + "softmax and loss), or auto (bf16 where this machine's bf16 MatMul is at least 1.3x its fp32 one, "
          + "measured in about a second; the choice is printed and recorded); part of the model (eval and "
          + "--resume use it) (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--dropout", defaultValue = "0",
      description = "GPT-2 dropout probability in [0, 1) on the embeddings, attention probabilities and residual "
          + "branches, as MGDM trains (0.1); training only, decoding never drops; deterministic from --seed and the "
          + "step; recorded in the checkpoints (--resume keeps it) (default: ${DEFAULT-VALUE} for now: per-preset "
          + "defaults await the recipe sweep).")
  double dropout;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (gpu fails fast when TensorFlow sees none).")
  String device;

  @Option(names = "--out", required = true, description = "Run directory.")
  Path out;

  @Option(names = "--resume", description = "Continue from the newest intact checkpoint in --out, with the same "
      + "training settings (threads may differ); refused when --out has no checkpoint.")
  boolean resume;

  @Override
  public Integer call() {
    DeviceCommand.require(device, sessionConfig());
    ModelKind kind = ModelKind.parse(model);
    if (!kind.hasLatent() && spec.commandLine().getParseResult().hasMatchedOption("--self-cond-rate")) {
      throw new IllegalArgumentException("--self-cond-rate does nothing for " + kind.id()
          + " (only lddm self-conditions); drop it");
    }
    double peak = lr != null ? lr : ModelConfig.defaultLearningRate(preset);
    TrainOptions o = new TrainOptions(task, kind, preset, budget.steps, budget.minutes, batch, peak,
        seed, trainSize, dataSeed, checkpointEvery, threads.get(), selfCondRate, resolvePrecision(),
        dropout, warmupSteps);
    TrainSpec trainSpec = o.spec();
    ModelConfig config = trainSpec.modelConfig(dev.lddm.tasks.TaskRegistry.get(task).sequenceLength());
    Trainer.Start start = resume ? Trainer.Start.RESUME : Trainer.Start.FRESH;
    // Every refusal (a changed setting on --resume, no checkpoint to resume, checkpoints without --resume)
    // comes before the banner, the training data and the run directory.
    Training.check(o, out, start);
    var err = spec.commandLine().getErr();
    err.printf(Locale.ROOT, "lddm: %s %s/%s%s%s (%,d parameters) on %s into %s%n", resume ? "resuming" : "training",
        o.kind().id(), preset, o.precision() == Precision.FP32 ? "" : " in " + o.precision().id(),
        o.dropout() == 0 ? "" : " with dropout " + BigDecimal.valueOf(o.dropout()).stripTrailingZeros().toPlainString(),
        config.parameterCount(), task, out);
    err.flush();
    TrainResult r;
    try (ProgressListener bar = new ProgressListener("train", budget.steps, budget.minutes * 60)) {
      r = Training.run(o, out, start, bar, w -> {
        err.println("lddm: warning: " + w);
        err.flush();
      });
    }
    spec.commandLine().getOut().printf(Locale.ROOT,
        "steps=%d loss=%.4f seconds=%.1f tokens_per_second=%.0f checkpoint=%s%n",
        r.steps(), r.finalLoss(), r.elapsedSeconds(), r.tokensPerSecond(), r.checkpoint());
    return 0;
  }

  /**
   * The threads of the training session, as {@link TrainOptions} sets them, for any session opened before it (the
   * device check, the precision probe): the first session of a process sizes TensorFlow's shared thread pools for
   * every later one, so a one-thread probe before a {@code --threads 2} training pinned it to one thread.
   */
  private ConfigProto sessionConfig() {
    int t = threads.get();
    return ModelGraph.sessionConfig(Towers.intraOpThreads(t), t);
  }

  /** {@code --precision}, with {@code auto} measured here (its choice printed, so a log says what ran). */
  private Precision resolvePrecision() {
    return PrecisionOption.parse(precision, true, () -> {
      PrecisionProbe.Result r = PrecisionProbe.run(sessionConfig());
      spec.commandLine().getErr().println("lddm: " + r.describe());
      return r.chosen();
    });
  }
}
