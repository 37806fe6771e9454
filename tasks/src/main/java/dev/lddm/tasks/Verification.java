package dev.lddm.tasks;

import static java.util.Objects.requireNonNull;

/** A verdict with a short human-readable detail (empty for {@link Verdict#CORRECT}). */
public record Verification(Verdict verdict, String detail) {
  public Verification {
    requireNonNull(verdict, "verdict");
    requireNonNull(detail, "detail");
  }

  public static Verification correct() {
    return new Verification(Verdict.CORRECT, "");
  }

  public static Verification of(Verdict verdict, String detail) {
    return new Verification(verdict, detail);
  }

  public boolean isCorrect() {
    return verdict == Verdict.CORRECT;
  }
}
