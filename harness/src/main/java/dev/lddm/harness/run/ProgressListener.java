package dev.lddm.harness.run;

import dev.lddm.model.train.TrainListener;
import java.util.Locale;
import java.util.function.DoubleConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar for training (on stderr): step, loss, tokens/s and ETA. Step-bounded runs count
 * steps; time-bounded runs count seconds of the budget.
 */
public final class ProgressListener implements TrainListener, AutoCloseable {
  /** Whether stderr is a terminal (a console exists): redraw in place, else print lines. */
  private static final boolean INTERACTIVE = System.console() != null;

  private final ProgressBar bar;
  private final boolean timeBounded;
  private final DoubleConsumer onFraction;

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
    this.bar = builder(name, timeBounded ? Math.round(budgetSeconds) : totalSteps, timeBounded ? " s" : " steps")
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
    bar.stepTo(timeBounded ? Math.min(bar.getMax(), Math.round(elapsedSeconds)) : step);
    onFraction.accept(Math.min(1.0, (double) bar.getCurrent() / Math.max(1, bar.getMax())));
    bar.setExtraMessage(String.format(Locale.ROOT, "step %d loss %.4f %.0f tok/s", step, loss, tokensPerSecond));
  }

  @Override
  public void close() {
    bar.close();
  }
}
