package dev.lddm.model.train;

import java.nio.file.Path;

/** Progress callbacks from {@link Trainer#train}; called on the training thread. */
public interface TrainListener {
  /** A listener that ignores everything. */
  TrainListener NONE = (step, totalSteps, loss, tokensPerSecond, elapsedSeconds) -> {};

  /**
   * After each optimizer step.
   *
   * @param step number of completed steps (1-based)
   * @param totalSteps the target step count, or -1 when time-bounded
   * @param loss this step's loss (the self-conditioned pass-2 loss when LDDM chose self-conditioning)
   * @param tokensPerSecond sequence positions processed per second in this session (batch·L per step)
   * @param elapsedSeconds cumulative training wall time, over resumes
   */
  void onStep(long step, long totalSteps, double loss, double tokensPerSecond, double elapsedSeconds);

  /** After a checkpoint was written (atomically) to {@code dir}. */
  default void onCheckpoint(long step, Path dir) {}
}
