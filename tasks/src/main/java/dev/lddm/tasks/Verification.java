package dev.lddm.tasks;

import static java.util.Objects.requireNonNull;

/**
 * A verdict with a short human-readable detail (empty for {@link Verdict#CORRECT}), e.g.
 * {@code WRONG_NUMBERS} with {@code number 6 is not in the puzzle}, or {@code WRONG_CELL} with
 * {@code row 3 has two 7s (r3c2, r3c8)}.
 */
public record Verification(Verdict verdict, String detail) {
  public Verification {
    requireNonNull(verdict, "verdict");
    requireNonNull(detail, "detail");
  }

  /** The correct verdict, no detail. */
  public static Verification correct() {
    return new Verification(Verdict.CORRECT, "");
  }

  /** A verdict with a detail. */
  public static Verification of(Verdict verdict, String detail) {
    return new Verification(verdict, detail);
  }

  /** Whether the verdict is {@link Verdict#CORRECT}. */
  public boolean isCorrect() {
    return verdict.isCorrect();
  }
}
