package dev.lddm.harness.eval;

import static java.util.Objects.requireNonNull;

import dev.lddm.tasks.Verdict;

/**
 * One row of {@code predictions.csv}: the model's answer to one instance, with the strict verdict from
 * the task's verifier (a verdict name such as {@code CORRECT} or {@code WRONG_NUMBERS}) and its lenient
 * metric (MGDM's, for Countdown; the strict verdict for tasks without one).
 */
public record Prediction(
    String task, String split, int index, String input, String prediction, Verdict verdict, boolean mgdmCorrect) {
  /** The file's columns, in order. */
  public static final String[] HEADER = {
    "task", "split", "index", "input", "prediction", "verdict", "mgdm_correct"
  };

  public Prediction {
    requireNonNull(task, "task");
    requireNonNull(split, "split");
    requireNonNull(input, "input");
    requireNonNull(prediction, "prediction");
    requireNonNull(verdict, "verdict");
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, got " + index);
    }
  }

  /** Strictly correct. */
  public boolean correct() {
    return verdict.isCorrect();
  }

  /** The pairing key used by {@code compare}. */
  public String key() {
    return task + "/" + split + "/" + index;
  }
}
