package dev.lddm.tasks.arith;

import dev.lddm.tasks.Puzzle;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An arithmetic puzzle (Countdown, Game of 24): numbers to combine and the target to reach, written in
 * MGDM's input form {@code a,b,c,d,target}. Immutable; the number order is kept as given.
 */
public record NumberPuzzle(List<Integer> numbers, int target) implements Puzzle {
  /** Largest value accepted for a number or target; inputs are short decimal literals. */
  public static final int MAX_VALUE = 1_000_000;

  public NumberPuzzle {
    numbers = List.copyOf(numbers);
    if (numbers.size() < 2 || numbers.size() > 6) {
      throw new IllegalArgumentException("numbers must have 2..6 entries, got " + numbers.size());
    }
    for (int n : numbers) {
      if (n < 0 || n > MAX_VALUE) {
        throw new IllegalArgumentException("numbers must be in 0.." + MAX_VALUE + ", got " + n);
      }
    }
    if (target < 0 || target > MAX_VALUE) {
      throw new IllegalArgumentException("target must be in 0.." + MAX_VALUE + ", got " + target);
    }
  }

  /**
   * Parses MGDM's input form: comma-separated non-negative integers, the last one the target.
   * Whitespace around the numbers is ignored.
   *
   * @throws IllegalArgumentException with a one-line reason when the input is malformed
   */
  public static NumberPuzzle parse(String input) {
    if (input == null || input.isBlank()) {
      throw new IllegalArgumentException("empty puzzle; expected a,b,...,target");
    }
    String[] parts = input.split(",", -1);
    if (parts.length < 3 || parts.length > 7) {
      throw new IllegalArgumentException(
          "puzzle '" + abbreviate(input) + "' must have 2..6 numbers and a target, got "
              + parts.length + " fields");
    }
    List<Integer> values = new ArrayList<>(parts.length);
    for (String part : parts) {
      String p = part.strip();
      if (p.isEmpty() || p.length() > 7 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException(
            "puzzle '" + abbreviate(input) + "' has a field that is not a number 0.." + MAX_VALUE
                + ": '" + abbreviate(p) + "'");
      }
      values.add(Integer.parseInt(p));
    }
    int target = values.remove(values.size() - 1);
    return new NumberPuzzle(values, target);
  }

  /** MGDM's input form, {@code a,b,c,d,target}. */
  @Override
  public String toInput() {
    return numbers.stream().map(String::valueOf).collect(Collectors.joining(",")) + "," + target;
  }

  /**
   * The puzzle as a multiset: {@code a,b,...,target} with the numbers ascending. Two puzzles with the same
   * numbers in another order have the same key (Countdown's and Game of 24's {@code Task#leakKey}).
   */
  public String multisetKey() {
    return new NumberPuzzle(numbers.stream().sorted().toList(), target).toInput();
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
