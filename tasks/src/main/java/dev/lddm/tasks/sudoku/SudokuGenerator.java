package dev.lddm.tasks.sudoku;

import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Seeded Sudoku puzzles with a unique solution and a controlled number of givens, in MGDM's data format:
 * {@code {"input": "<81 digits, 0 = blank>", "output": "<81 digits of the solution>"}}.
 *
 * <p>Example {@code i} of a split is a pure function of {@code (seed, split, i)}: a random generator seeded
 * by hashing the three draws the number of givens {@code g} (uniform in {@code minGivens..maxGivens}), then
 * full grids (depth-first fill with random candidate order) until one falls in the split's part of the
 * grid space (below), then blanks the cells of a random order one by one, keeping a cell only if blanking
 * it would allow a second solution, until {@code g} givens remain (if that order cannot get down to
 * {@code g}, a new grid is drawn). Every puzzle therefore has exactly one solution and exactly {@code g}
 * givens; the output is that solution.
 *
 * <p>Leak-free by construction: the grid space is partitioned by a fixed hash of the solution grid,
 * independent of the seed, into {@value #PARTS} parts: part 0 is {@link Split#TEST}, part 1
 * {@link Split#VAL}, the others {@link Split#TRAIN}. No test solution grid can occur in any training split,
 * whatever the two seeds, and no two splits share a puzzle.
 *
 * <p>Immutable and thread-safe; each example makes its own solver and generator.
 */
public final class SudokuGenerator {
  /** Training examples by default. */
  public static final int DEFAULT_TRAIN_SIZE = 100_000;
  /** Validation and test examples by default. */
  public static final int DEFAULT_VAL_SIZE = 1_000;
  public static final int DEFAULT_TEST_SIZE = 1_000;
  /** Parts of the grid space; see the class comment. */
  public static final int PARTS = 16;
  private static final long TAG = 0x5D0C_2B1E_0000_0009L;

  private final int minGivens;
  private final int maxGivens;
  private final int trainSize;
  private final int valSize;
  private final int testSize;

  /**
   * @param minGivens smallest number of givens, at least 22 (random digging seldom gets lower: at 22 most
   *     grids are redrawn and generation slows from thousands to tens of puzzles per second)
   * @param maxGivens largest number of givens, {@code minGivens..80}
   * @throws IllegalArgumentException for givens outside {@code 22..80} or {@code min > max}, or a
   *     non-positive size
   */
  public SudokuGenerator(int minGivens, int maxGivens, int trainSize, int valSize, int testSize) {
    if (minGivens < 22 || minGivens > 80) {
      throw new IllegalArgumentException("minGivens must be in 22..80, got " + minGivens);
    }
    if (maxGivens < minGivens || maxGivens > 80) {
      throw new IllegalArgumentException("maxGivens must be in " + minGivens + "..80, got " + maxGivens);
    }
    if (trainSize < 1 || valSize < 1 || testSize < 1) {
      throw new IllegalArgumentException("split sizes must be >= 1, got train " + trainSize + ", val " + valSize
          + ", test " + testSize);
    }
    this.minGivens = minGivens;
    this.maxGivens = maxGivens;
    this.trainSize = trainSize;
    this.valSize = valSize;
    this.testSize = testSize;
  }

  /** The examples of a split: exactly {@link #size} of them, lazily, in index order. */
  public Stream<Example> examples(Split split, long seed) {
    return IntStream.range(0, size(split)).mapToObj(i -> example(split, seed, i));
  }

  /** The size of a split (the same for every seed). */
  public int size(Split split) {
    return switch (split) {
      case TRAIN -> trainSize;
      case VAL -> valSize;
      case TEST -> testSize;
    };
  }

  /** Example {@code index} of a split: a pure function of its arguments. */
  public Example example(Split split, long seed, int index) {
    SplittableRandom rng = new SplittableRandom(mix(mix(mix(TAG ^ seed) ^ (split.ordinal() + 1)) ^ index));
    int givens = minGivens + rng.nextInt(maxGivens - minGivens + 1);
    SudokuSolver solver = new SudokuSolver();
    int[] empty = new int[81];
    while (true) {
      solver.load(empty);
      int[] grid = solver.randomSolution(rng);
      if (split(grid) != split) {
        continue;
      }
      int[] puzzle = dig(solver, grid, givens, rng);
      if (puzzle != null) {
        return new Example(text(puzzle), text(grid));
      }
    }
  }

  /** The split a solution grid belongs to (see the class comment). */
  public static Split split(int[] grid) {
    long h = 0x243F_6A88_85A3_08D3L;
    for (int d : grid) {
      h = mix(h ^ d);
    }
    int part = (int) Long.remainderUnsigned(h, PARTS);
    return part == 0 ? Split.TEST : part == 1 ? Split.VAL : Split.TRAIN;
  }

  /** Blanks cells in random order while the solution stays unique; null if {@code givens} is not reached. */
  private static int[] dig(SudokuSolver solver, int[] grid, int givens, SplittableRandom rng) {
    int[] order = new int[81];
    for (int i = 0; i < 81; i++) {
      order[i] = i;
    }
    for (int i = 80; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] puzzle = grid.clone();
    int left = 81;
    for (int k = 0; k < 81 && left > givens; k++) {
      int cell = order[k];
      int digit = puzzle[cell];
      puzzle[cell] = 0;
      solver.load(puzzle);
      if (solver.hasSolutionWithout(cell, digit)) {
        puzzle[cell] = digit;
      } else {
        left--;
      }
    }
    return left == givens ? puzzle : null;
  }

  static String text(int[] cells) {
    char[] c = new char[cells.length];
    for (int i = 0; i < cells.length; i++) {
      c[i] = (char) ('0' + cells[i]);
    }
    return new String(c);
  }

  /** SplitMix64's finaliser: spreads a value so nearby inputs give unrelated streams. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
