package dev.lddm.tasks.game24;

import dev.lddm.tasks.arith.NumberPuzzle;
import dev.lddm.tasks.arith.Solver;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Solves all 1,820 Game-of-24 multisets (four numbers 1..13, repetition allowed) and counts how many are
 * solvable and how many of those need a non-integer intermediate (solvable over the rationals but with no
 * step trace whose intermediates are all non-negative integers). Expected: 1,362 and 16.
 *
 * <p>Run: {@code java -cp tasks/target/classes dev.lddm.tasks.game24.Census}.
 */
public final class Census {
  /** The census result; {@code needFractions} lists those puzzles ascending. */
  public record Result(int multisets, int solvable, List<List<Integer>> needFractions) {
    public Result {
      needFractions = List.copyOf(needFractions);
    }
  }

  private Census() {}

  /** Runs the census (deterministic). */
  public static Result run() {
    int multisets = 0;
    int solvable = 0;
    List<List<Integer>> needFractions = new ArrayList<>();
    for (int a = 1; a <= 13; a++) {
      for (int b = a; b <= 13; b++) {
        for (int c = b; c <= 13; c++) {
          for (int d = c; d <= 13; d++) {
            multisets++;
            NumberPuzzle p = new NumberPuzzle(List.of(a, b, c, d), 24);
            if (Solver.integerTrace(p).isPresent()) {
              solvable++;
            } else if (Solver.rationalExpression(p).isPresent()) {
              solvable++;
              needFractions.add(p.numbers());
            }
          }
        }
      }
    }
    return new Result(multisets, solvable, needFractions);
  }

  /** Prints the census and the time it took. */
  public static void main(String[] args) {
    long start = System.nanoTime();
    Result r = run();
    long elapsed = System.nanoTime() - start;
    System.out.printf(Locale.ROOT, "multisets %d, solvable %d, need fractions %d: %s%n",
        r.multisets(), r.solvable(), r.needFractions().size(), r.needFractions());
    System.out.printf(Locale.ROOT, "solved in %.1f ms%n", elapsed / 1e6);
  }
}
