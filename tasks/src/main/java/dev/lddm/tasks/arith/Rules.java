package dev.lddm.tasks.arith;

/** Which intermediate values an answer may produce. */
public enum Rules {
  /**
   * Countdown: every intermediate and the result is a non-negative integer, so {@code a-b} needs
   * {@code a >= b} and {@code a/b} must divide exactly.
   */
  COUNTDOWN,
  /** Game of 24: any exact rational intermediate (fractions, negatives); only division by zero is invalid. */
  RATIONAL
}
