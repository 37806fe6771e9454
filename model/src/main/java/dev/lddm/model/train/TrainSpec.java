package dev.lddm.model.train;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.Precision;
import dev.lddm.model.Seeds;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * What to train and how. Recorded verbatim in every checkpoint's {@code config.json}.
 *
 * @param taskName task name, recorded for provenance (the data itself is passed to {@link Trainer#train})
 * @param kind MGDM, LDDM or AR
 * @param preset model preset ({@link ModelConfig#preset})
 * @param steps total optimizer steps; 0 = time-bounded by {@code minutes}
 * @param minutes wall-time budget in minutes (used when {@code steps == 0}); cumulative over resumes
 * @param batch sequences per step
 * @param lr peak learning rate (MGDM Countdown: 3e-4)
 * @param seed model/data/noise seed: weights, data order, masks and self-conditioning choices are pure
 *     functions of it (and of the step)
 * @param checkpointEvery save every N steps (0 = only at the end)
 * @param warmupSteps linear warm-up steps; then cosine decay to 0 at {@code steps} (constant after warm-up
 *     in time-bounded mode, where the total is unknown)
 * @param selfCondRate LDDM self-conditioning probability per batch (ignored by MGDM)
 * @param weightDecay AdamW decoupled weight decay (MGDM default 0)
 * @param intraOpThreads TensorFlow intra-op threads (1 and 2 give bit-identical steps; the CLI default is 2)
 * @param interOpThreads TensorFlow inter-op threads
 * @param precision the model's arithmetic ({@link Precision}); {@code null} (a checkpoint written before the
 *     field existed) means {@link Precision#FP32}
 * @param dropout GPT-2 dropout rate in [0, 1) at MGDM's sites (embeddings, attention probabilities, residual
 *     branches; {@link dev.lddm.model.graph.Dropout}), training only; 0 (also a checkpoint written before the
 *     field existed) = none, the graph without dropout op for op. MGDM trains with 0.1.
 */
public record TrainSpec(String taskName, ModelKind kind, String preset, long steps, double minutes, int batch,
                        double lr, long seed, int checkpointEvery, int warmupSteps, double selfCondRate,
                        double weightDecay, int intraOpThreads, int interOpThreads, Precision precision,
                        double dropout) {
  /** MGDM's Countdown learning rate. */
  public static final double DEFAULT_LR = 3e-4;

  public TrainSpec {
    Objects.requireNonNull(taskName, "taskName");
    precision = precision == null ? Precision.FP32 : precision;
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(preset, "preset");
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    if (!(minutes >= 0) || Double.isInfinite(minutes)) {
      throw new IllegalArgumentException("minutes must be finite and >= 0, got " + minutes);
    }
    if (steps == 0 && minutes == 0) {
      throw new IllegalArgumentException("either steps or minutes must be > 0");
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("lr must be > 0, got " + lr);
    }
    if (checkpointEvery < 0) {
      throw new IllegalArgumentException("checkpointEvery must be >= 0, got " + checkpointEvery);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
    }
    if (!(selfCondRate >= 0 && selfCondRate <= 1)) {
      throw new IllegalArgumentException("selfCondRate must be in [0, 1], got " + selfCondRate);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
    }
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be >= 0 (0 = TensorFlow default), got "
          + intraOpThreads + "/" + interOpThreads);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
  }

  /** A float32 spec. */
  public TrainSpec(String taskName, ModelKind kind, String preset, long steps, double minutes, int batch, double lr,
                   long seed, int checkpointEvery, int warmupSteps, double selfCondRate, double weightDecay,
                   int intraOpThreads, int interOpThreads) {
    this(taskName, kind, preset, steps, minutes, batch, lr, seed, checkpointEvery, warmupSteps, selfCondRate,
        weightDecay, intraOpThreads, interOpThreads, Precision.FP32, 0);
  }

  /** A spec without dropout. */
  public TrainSpec(String taskName, ModelKind kind, String preset, long steps, double minutes, int batch, double lr,
                   long seed, int checkpointEvery, int warmupSteps, double selfCondRate, double weightDecay,
                   int intraOpThreads, int interOpThreads, Precision precision) {
    this(taskName, kind, preset, steps, minutes, batch, lr, seed, checkpointEvery, warmupSteps, selfCondRate,
        weightDecay, intraOpThreads, interOpThreads, precision, 0);
  }

  /**
   * A spec with the defaults: lr 3e-4, seed {@link Seeds#DEFAULT_SEED}, checkpoint every 1000 steps, no
   * warm-up, self-conditioning 0.9, no weight decay, 1/1 threads.
   */
  public static TrainSpec of(String taskName, ModelKind kind, String preset, long steps, double minutes, int batch) {
    return new TrainSpec(taskName, kind, preset, steps, minutes, batch, DEFAULT_LR, Seeds.DEFAULT_SEED, 1000, 0,
        ModelConfig.DEFAULT_SELF_COND_RATE, 0, 1, 1);
  }

  public TrainSpec withSeed(long newSeed) {
    return new TrainSpec(taskName, kind, preset, steps, minutes, batch, lr, newSeed, checkpointEvery, warmupSteps,
        selfCondRate, weightDecay, intraOpThreads, interOpThreads, precision, dropout);
  }

  public TrainSpec withCheckpointEvery(int every) {
    return new TrainSpec(taskName, kind, preset, steps, minutes, batch, lr, seed, every, warmupSteps,
        selfCondRate, weightDecay, intraOpThreads, interOpThreads, precision, dropout);
  }

  public TrainSpec withPrecision(Precision p) {
    return new TrainSpec(taskName, kind, preset, steps, minutes, batch, lr, seed, checkpointEvery, warmupSteps,
        selfCondRate, weightDecay, intraOpThreads, interOpThreads, Objects.requireNonNull(p, "precision"), dropout);
  }

  /** This spec with dropout rate {@code rate} (see {@link #dropout()}). */
  public TrainSpec withDropout(double rate) {
    return new TrainSpec(taskName, kind, preset, steps, minutes, batch, lr, seed, checkpointEvery, warmupSteps,
        selfCondRate, weightDecay, intraOpThreads, interOpThreads, precision, rate);
  }

  /** The model config this spec trains for a task of sequence length {@code seqLen}. */
  public ModelConfig modelConfig(int seqLen) {
    return ModelConfig.preset(kind, preset, seqLen, selfCondRate).withPrecision(precision);
  }

  /**
   * The first setting that differs between this spec and {@code trained}, the spec a run was trained with,
   * as {@code "--lr 0.0003, not 0.001"} (the run's value first), or empty when a run trained with
   * {@code trained} can be continued with this spec. Every setting that changes what a step computes or
   * when training stops counts: task, model, preset, budget (steps or minutes), batch, lr, seed, warm-up,
   * weight decay, precision, dropout and, for models with a latent, the self-conditioning rate (MGDM and AR draw but ignore it).
   * Thread counts and the checkpoint interval may differ: they change neither the steps nor the losses
   * (threads are recorded per checkpoint in {@code provenance.json}).
   */
  public Optional<String> resumeMismatch(TrainSpec trained) {
    Objects.requireNonNull(trained, "trained");
    if (!trained.taskName.equals(taskName)) {
      return Optional.of("--task " + trained.taskName + ", not " + taskName);
    }
    if (trained.kind != kind) {
      return Optional.of("--model " + trained.kind.id() + ", not " + kind.id());
    }
    if (!trained.preset.equals(preset)) {
      return Optional.of("--preset " + trained.preset + ", not " + preset);
    }
    if (trained.timeBounded() != timeBounded()) {
      return Optional.of(budget(trained) + ", not " + budget(this));
    }
    if (trained.steps != steps) {
      return Optional.of("--steps " + trained.steps + ", not " + steps);
    }
    if (timeBounded() && trained.minutes != minutes) {
      return Optional.of("--minutes " + plain(trained.minutes) + ", not " + plain(minutes));
    }
    if (trained.batch != batch) {
      return Optional.of("--batch " + trained.batch + ", not " + batch);
    }
    if (trained.lr != lr) {
      return Optional.of("--lr " + plain(trained.lr) + ", not " + plain(lr));
    }
    if (trained.seed != seed) {
      return Optional.of("--seed " + trained.seed + ", not " + seed);
    }
    if (trained.warmupSteps != warmupSteps) {
      return Optional.of("--warmup-steps " + trained.warmupSteps + ", not " + warmupSteps);
    }
    if (trained.weightDecay != weightDecay) {
      return Optional.of("weight decay " + plain(trained.weightDecay) + ", not " + plain(weightDecay));
    }
    if (trained.precision != precision) {
      return Optional.of("--precision " + trained.precision.id() + ", not " + precision.id());
    }
    if (trained.dropout != dropout) {
      return Optional.of("--dropout " + plain(trained.dropout) + ", not " + plain(dropout));
    }
    if (kind.hasLatent() && trained.selfCondRate != selfCondRate) {
      return Optional.of("--self-cond-rate " + plain(trained.selfCondRate) + ", not " + plain(selfCondRate));
    }
    return Optional.empty();
  }

  private static String budget(TrainSpec s) {
    return s.timeBounded() ? "--minutes " + plain(s.minutes) : "--steps " + s.steps;
  }

  /** A number as a user types it: {@code 0.0003}, {@code 8}, {@code 0.9} (no exponent, no trailing zeros). */
  static String plain(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /** Whether training stops on wall time rather than a step count. */
  public boolean timeBounded() {
    return steps == 0;
  }

  /**
   * The learning rate of 0-based step {@code step}: linear warm-up {@code lr·(step+1)/warmup}, then cosine
   * decay {@code lr·0.5·(1 + cos(pi·progress))} to 0 at {@code steps} (Hugging Face's
   * {@code cosine} schedule, except warm-up starts at lr/warmup instead of 0); constant after warm-up when
   * time-bounded.
   */
  public double learningRate(long step) {
    if (step < warmupSteps) {
      return lr * (step + 1) / warmupSteps;
    }
    if (timeBounded()) {
      return lr;
    }
    double progress = (double) (step - warmupSteps) / Math.max(1, steps - warmupSteps);
    return lr * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
  }
}
