package dev.lddm.harness.sweep;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Slurm's array index lists: {@code 3,7-9} for the indexes 3, 7, 8 and 9. */
public final class ArraySpec {
  private ArraySpec() {}

  /**
   * The indexes (any order, repeats ignored) as a comma-separated list of single indexes and ranges {@code a-b}.
   *
   * @throws IllegalArgumentException for an empty collection or a negative index
   */
  public static String of(Collection<Integer> indexes) {
    if (indexes.isEmpty()) {
      throw new IllegalArgumentException("indexes must not be empty");
    }
    TreeSet<Integer> sorted = new TreeSet<>(indexes);
    if (sorted.first() < 0) {
      throw new IllegalArgumentException("indexes must be >= 0, got " + sorted.first());
    }
    List<String> parts = new ArrayList<>();
    Integer start = null;
    Integer prev = null;
    for (int i : sorted) {
      if (start == null) {
        start = i;
      } else if (i != prev + 1) {
        parts.add(range(start, prev));
        start = i;
      }
      prev = i;
    }
    parts.add(range(start, prev));
    return String.join(",", parts);
  }

  private static String range(int a, int b) {
    return a == b ? Integer.toString(a) : a + "-" + b;
  }
}
