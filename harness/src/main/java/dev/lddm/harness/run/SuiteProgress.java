package dev.lddm.harness.run;

import java.time.Duration;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;

/**
 * The suite-level progress bar, counted in estimated training seconds so that cells of different budgets
 * weigh what they cost. Its ETA is the estimate still to spend (exact for wall-clock budgets; evaluation
 * time is not included), not a linear extrapolation, which would count skipped cells as instant.
 */
public final class SuiteProgress implements AutoCloseable {
  private final ProgressBar bar;
  private double finishedSeconds;
  private double cellSeconds;

  /**
   * @param totalSeconds estimated training seconds of every cell of the suite
   * @param doneSeconds estimated training seconds of the cells already finished (a resumed suite)
   */
  public SuiteProgress(String name, double totalSeconds, double doneSeconds) {
    long max = Math.max(1, Math.round(totalSeconds));
    this.bar = ProgressListener.builder(name, max, " s")
        .startsFrom(Math.round(doneSeconds), Duration.ZERO)
        .setEtaFunction(state -> Optional.of(Duration.ofSeconds(Math.max(0, state.getMax() - state.getCurrent()))))
        .build();
    this.finishedSeconds = doneSeconds;
  }

  /** A cell whose training is estimated at {@code estimatedSeconds} starts. */
  public void startCell(double estimatedSeconds) {
    cellSeconds = estimatedSeconds;
  }

  /** The current cell has spent {@code fraction} (0..1) of its budget. */
  public void cellFraction(double fraction) {
    bar.stepTo(Math.round(finishedSeconds + fraction * cellSeconds));
  }

  /** The current cell is finished (trained and evaluated). */
  public void finishCell() {
    finishedSeconds += cellSeconds;
    cellSeconds = 0;
    bar.stepTo(Math.round(finishedSeconds));
  }

  @Override
  public void close() {
    bar.close();
  }
}
