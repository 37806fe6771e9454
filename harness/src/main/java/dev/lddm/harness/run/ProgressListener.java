package dev.lddm.harness.run;

import dev.lddm.model.train.TrainListener;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar for training (on stderr): step, loss, tokens/s and ETA. Step-bounded runs count
 * steps; time-bounded runs count seconds of the budget. A resumed run's ETA comes from the steps this process
 * has taken, not from the checkpoint's: a linear extrapolation from the bar's start would count the resumed
 * steps as done in no time and promise minutes for hours of work.
 */
public final class ProgressListener implements TrainListener, AutoCloseable {
  /** Whether stderr is a terminal (a console exists): redraw in place, else print lines. */
  private static final boolean INTERACTIVE = System.console() != null;

  private final ProgressBar bar;
  private final boolean timeBounded;
  private final DoubleConsumer onFraction;
  private final long totalSteps;
  private final double budgetSeconds;
  /** The first step this process reported, its elapsed seconds, and the latest of both (read by the bar). */
  private volatile long firstStep = -1;
  private volatile double firstElapsed;
  private volatile long lastStep;
  private volatile double lastElapsed;

  /**
   * @param totalSteps the step budget, or 0 when time-bounded
   * @param budgetSeconds the time budget when {@code totalSteps == 0}
   */
  public ProgressListener(String name, long totalSteps, double budgetSeconds) {
    this(name, totalSteps, budgetSeconds, fraction -> { });
  }

  /**
   * As {@link #ProgressListener(String, long, double)}, also telling {@code onFraction} the fraction of the
   * budget spent (0..1) at every step, e.g. to drive a suite-level bar.
   */
  public ProgressListener(String name, long totalSteps, double budgetSeconds, DoubleConsumer onFraction) {
    this.timeBounded = totalSteps == 0;
    this.onFraction = onFraction;
    this.totalSteps = totalSteps;
    this.budgetSeconds = budgetSeconds;
    this.bar = builder(name, timeBounded ? Math.round(budgetSeconds) : totalSteps, timeBounded ? " s" : " steps")
        .setEtaFunction(state -> eta())
        .build();
  }

  /**
   * A bar builder with the house settings: ASCII; on a terminal, redrawn in place every second (several bars
   * stack, one line each); in logs (CI, nohup), one plain line per bar every 30 seconds.
   */
  static ProgressBarBuilder builder(String name, long max, String unit) {
    return new ProgressBarBuilder()
        .setTaskName(name)
        .setInitialMax(max)
        .setUnit(unit, 1)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(INTERACTIVE ? 1000 : 30_000)
        .setConsumer(INTERACTIVE
            ? new me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer(System.err)
            : new me.tongfei.progressbar.DelegatingProgressBarConsumer(System.err::println, 120));
  }

  @Override
  public void onStep(long step, long totalSteps, double loss, double tokensPerSecond, double elapsedSeconds) {
    if (firstStep < 0) {
      firstElapsed = elapsedSeconds;
      firstStep = step;
    }
    lastElapsed = elapsedSeconds;
    lastStep = step;
    bar.stepTo(timeBounded ? Math.min(bar.getMax(), Math.round(elapsedSeconds)) : step);
    onFraction.accept(Math.min(1.0, (double) bar.getCurrent() / Math.max(1, bar.getMax())));
    bar.setExtraMessage(String.format(Locale.ROOT, "step %d loss %.4f %.0f tok/s", step, loss, tokensPerSecond));
  }

  /** The time still to go, as far as this process has seen: empty until it has two steps to measure a rate. */
  Optional<Duration> eta() {
    long first = firstStep;
    if (first < 0) {
      return Optional.empty();
    }
    if (timeBounded) {
      return Optional.of(seconds(budgetSeconds - lastElapsed));
    }
    return remaining(first, firstElapsed, lastStep, lastElapsed, totalSteps);
  }

  /**
   * The linear estimate of the time to reach {@code total} steps from the rate between two observations
   * (step, elapsed seconds) of one process; empty when they do not span a step.
   */
  static Optional<Duration> remaining(long fromStep, double fromSeconds, long toStep, double toSeconds, long total) {
    if (toStep <= fromStep) {
      return Optional.empty();
    }
    double perStep = (toSeconds - fromSeconds) / (toStep - fromStep);
    return Optional.of(seconds(perStep * Math.max(0, total - toStep)));
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(Math.max(0, s) * 1000));
  }

  @Override
  public void close() {
    bar.close();
  }
}
