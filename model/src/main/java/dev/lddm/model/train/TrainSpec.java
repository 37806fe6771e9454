package dev.lddm.model.train;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.Seeds;
import java.util.Objects;

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
 * @param intraOpThreads TensorFlow intra-op threads (1 was fastest on this machine)
 * @param interOpThreads TensorFlow inter-op threads
 */
public record TrainSpec(String taskName, ModelKind kind, String preset, long steps, double minutes, int batch,
                        double lr, long seed, int checkpointEvery, int warmupSteps, double selfCondRate,
                        double weightDecay, int intraOpThreads, int interOpThreads) {
  /** MGDM's Countdown learning rate. */
  public static final double DEFAULT_LR = 3e-4;

  public TrainSpec {
    Objects.requireNonNull(taskName, "taskName");
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
        selfCondRate, weightDecay, intraOpThreads, interOpThreads);
  }

  public TrainSpec withCheckpointEvery(int every) {
    return new TrainSpec(taskName, kind, preset, steps, minutes, batch, lr, seed, every, warmupSteps,
        selfCondRate, weightDecay, intraOpThreads, interOpThreads);
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
