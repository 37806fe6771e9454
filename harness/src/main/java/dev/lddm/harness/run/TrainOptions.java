package dev.lddm.harness.run;

import dev.lddm.model.ModelKind;
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
 * @param threads TensorFlow intra-op threads (inter-op is 1)
 * @param selfCondRate LDDM self-conditioning probability
 */
public record TrainOptions(String task, ModelKind kind, String preset, long steps, double minutes, int batch, double lr,
                           long seed, int trainSize, long dataSeed, int checkpointEvery, int threads,
                           double selfCondRate) {
  public TrainOptions {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(preset, "preset");
    if (trainSize < 0) {
      throw new IllegalArgumentException("--train-size must be >= 0, got " + trainSize);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
  }

  /** The model module's spec (validates steps, minutes, batch, lr, rates). */
  public TrainSpec spec() {
    return new TrainSpec(task, kind, preset, steps, minutes, batch, lr, seed, checkpointEvery, 0, selfCondRate, 0,
        threads, 1);
  }
}
