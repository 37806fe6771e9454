package dev.lddm.harness.run;

import dev.lddm.model.train.TrainListener;
import java.util.Locale;
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

  /**
   * @param totalSteps the step budget, or 0 when time-bounded
   * @param budgetSeconds the time budget when {@code totalSteps == 0}
   */
  public ProgressListener(String name, long totalSteps, double budgetSeconds) {
    this.timeBounded = totalSteps == 0;
    this.bar = new ProgressBarBuilder()
        .setTaskName(name)
        .setInitialMax(timeBounded ? Math.round(budgetSeconds) : totalSteps)
        .setUnit(timeBounded ? " s" : " steps", 1)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(INTERACTIVE ? 1000 : 30_000)
        .setConsumer(INTERACTIVE
            ? new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)
            // Logs (CI, nohup): one plain line per update instead of carriage-return redraws.
            : new me.tongfei.progressbar.DelegatingProgressBarConsumer(System.err::println, 120))
        .build();
  }

  @Override
  public void onStep(long step, long totalSteps, double loss, double tokensPerSecond, double elapsedSeconds) {
    bar.stepTo(timeBounded ? Math.min(bar.getMax(), Math.round(elapsedSeconds)) : step);
    bar.setExtraMessage(String.format(Locale.ROOT, "step %d loss %.4f %.0f tok/s", step, loss, tokensPerSecond));
  }

  @Override
  public void close() {
    bar.close();
  }
}
