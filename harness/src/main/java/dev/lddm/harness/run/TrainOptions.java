package dev.lddm.harness.run;

import dev.lddm.model.ModelKind;
import dev.lddm.model.Precision;
import dev.lddm.model.graph.Towers;
import dev.lddm.model.train.TrainSpec;
import java.util.Objects;

/**
 * What {@code lddm train} trains.
 *
 * @param task training task (registry name)
 * @param kind model kind
 * @param preset model preset
 * @param steps optimizer steps (0 = use {@code minutes})
 * @param minutes wall-clock budget (used when {@code steps == 0})
 * @param batch sequences per step
 * @param lr peak learning rate
 * @param seed model seed (weights, data order, noise)
 * @param trainSize training examples: the first N of the task's train split (0 = the whole split)
 * @param dataSeed generator seed of the training data (4 = MGDM's stream)
 * @param checkpointEvery steps between checkpoints (0 = only at the end)
 * @param threads TensorFlow threads, {@code --threads} (0 = TensorFlow's default, every core; see
 *     {@link Towers#intraOpThreads})
 * @param selfCondRate LDDM self-conditioning probability
 * @param precision the model's arithmetic (fp32 or bf16 mixed precision)
 * @param dropout GPT-2 dropout rate in [0, 1) at MGDM's sites, training only (0 = none)
 * @param warmupSteps linear learning-rate warm-up steps before the cosine decay (0 = none, MGDM's)
 */
public record TrainOptions(String task, ModelKind kind, String preset, long steps, double minutes, int batch, double lr,
                           long seed, int trainSize, long dataSeed, int checkpointEvery, int threads,
                           double selfCondRate, Precision precision, double dropout, int warmupSteps) {
  public TrainOptions {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(preset, "preset");
    Objects.requireNonNull(precision, "precision");
    // The command line's names for the model module's checks (TrainSpec repeats them).
    if (steps < 0) {
      throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
    }
    if (!(minutes >= 0) || Double.isInfinite(minutes)) {
      throw new IllegalArgumentException("--minutes must be > 0, got " + minutes);
    }
    if (steps == 0 && minutes == 0) {
      throw new IllegalArgumentException("--steps or --minutes must be > 0, got 0");
    }
    if (batch < 1) {
      throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
    }
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("--lr must be > 0, got " + lr);
    }
    if (checkpointEvery < 0) {
      throw new IllegalArgumentException("--checkpoint-every must be >= 0 (0 = only at the end), got "
          + checkpointEvery);
    }
    if (!(selfCondRate >= 0 && selfCondRate <= 1)) {
      throw new IllegalArgumentException("--self-cond-rate must be in [0, 1], got " + selfCondRate);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("--warmup-steps must be >= 0, got " + warmupSteps);
    }
    if (steps > 0 && warmupSteps >= steps) {
      throw new IllegalArgumentException("--warmup-steps " + warmupSteps + " must be below --steps " + steps);
    }
    if (trainSize < 0) {
      throw new IllegalArgumentException("--train-size must be >= 0, got " + trainSize);
    }
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be >= 0 (0 = all cores), got " + threads);
    }
  }

  /** The model module's spec (validates steps, minutes, batch, lr, rates). */
  public TrainSpec spec() {
    return new TrainSpec(task, kind, preset, steps, minutes, batch, lr, seed, checkpointEvery, warmupSteps,
        selfCondRate, 0, Towers.intraOpThreads(threads), threads, precision, dropout);
  }
}
