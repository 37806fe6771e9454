package dev.lddm.tasks.sudoku;

import java.util.SplittableRandom;

/**
 * An exact Sudoku solver: depth-first search over bitmasks of the digits each row, column and box
 * already holds, always branching on the blank cell with the fewest candidates (MRV); a cell with one
 * candidate is filled without branching, a cell with none ends the branch. Complete: it finds every
 * solution if asked to count. Not thread-safe (one instance per thread; the static methods make their
 * own).
 */
public final class SudokuSolver {
  private static final int ALL = 0x1FF;

  private final int[] cells = new int[81];
  private final int[] rows = new int[9];
  private final int[] cols = new int[9];
  private final int[] boxes = new int[9];
  private int excludedCell = -1;
  private int excludedBit;
  private int limit;
  private int solutions;
  private int[] first;
  private SplittableRandom random;
  private long nodes;

  /** A solver with no state yet; {@link #load} a grid first. */
  SudokuSolver() {}

  /**
   * The first solution found of a puzzle (for a puzzle with a unique solution: the solution), or
   * {@code null} when it has none.
   *
   * @param givens 81 values {@code 0..9}, {@code 0} for a blank
   */
  public static int[] solve(int[] givens) {
    SudokuSolver s = new SudokuSolver();
    if (!s.load(givens)) {
      return null;
    }
    s.run(1, null);
    return s.first;
  }

  /**
   * The number of solutions, counted up to {@code limit} (so {@code countSolutions(p, 2) == 1} means
   * unique).
   */
  public static int countSolutions(int[] givens, int limit) {
    SudokuSolver s = new SudokuSolver();
    if (!s.load(givens)) {
      return 0;
    }
    s.run(limit, null);
    return s.solutions;
  }

  /** Counts the solutions of the loaded grid up to {@code limit} (for benchmarks; see {@link #nodes}). */
  int countSolutionsForBenchmark(int limit) {
    run(limit, null);
    return solutions;
  }

  /** Search nodes of the last run (a cost figure for benchmarks). */
  long nodes() {
    return nodes;
  }

  /**
   * Loads a grid; {@code false} when its givens already repeat a digit in a row, column or box (no
   * solution).
   */
  boolean load(int[] givens) {
    if (givens.length != 81) {
      throw new IllegalArgumentException("a grid has 81 cells, got " + givens.length);
    }
    java.util.Arrays.fill(rows, 0);
    java.util.Arrays.fill(cols, 0);
    java.util.Arrays.fill(boxes, 0);
    excludedCell = -1;
    excludedBit = 0;
    for (int i = 0; i < 81; i++) {
      int d = givens[i];
      if (d < 0 || d > 9) {
        throw new IllegalArgumentException("cell values must be 0..9, got " + d + " at " + Grids.cell(i));
      }
      cells[i] = d;
      if (d != 0) {
        int bit = 1 << (d - 1);
        if (((rows[Grids.ROW[i]] | cols[Grids.COL[i]] | boxes[Grids.BOX[i]]) & bit) != 0) {
          return false;
        }
        set(i, bit);
      }
    }
    return true;
  }

  /**
   * Whether the loaded grid has a solution in which blank cell {@code cell} is not {@code digit}: after a
   * cell of a unique-solution puzzle is blanked, the puzzle is still unique exactly when this is false.
   */
  boolean hasSolutionWithout(int cell, int digit) {
    excludedCell = cell;
    excludedBit = 1 << (digit - 1);
    run(1, null);
    excludedCell = -1;
    excludedBit = 0;
    return solutions > 0;
  }

  /** Fills the loaded grid (usually empty) with a random solution, trying candidates in random order. */
  int[] randomSolution(SplittableRandom rng) {
    run(1, rng);
    return first;
  }

  private void run(int limit, SplittableRandom rng) {
    this.limit = limit;
    this.solutions = 0;
    this.first = null;
    this.random = rng;
    this.nodes = 0;
    search();
  }

  private void set(int i, int bit) {
    rows[Grids.ROW[i]] |= bit;
    cols[Grids.COL[i]] |= bit;
    boxes[Grids.BOX[i]] |= bit;
  }

  private void clear(int i, int bit) {
    rows[Grids.ROW[i]] &= ~bit;
    cols[Grids.COL[i]] &= ~bit;
    boxes[Grids.BOX[i]] &= ~bit;
  }

  /** Returns true to stop (the limit of solutions is reached). */
  private boolean search() {
    nodes++;
    int best = -1;
    int bestCount = 10;
    int bestCandidates = 0;
    for (int i = 0; i < 81; i++) {
      if (cells[i] != 0) {
        continue;
      }
      int candidates = ~(rows[Grids.ROW[i]] | cols[Grids.COL[i]] | boxes[Grids.BOX[i]]) & ALL;
      if (i == excludedCell) {
        candidates &= ~excludedBit;
      }
      int n = Integer.bitCount(candidates);
      if (n < bestCount) {
        best = i;
        bestCount = n;
        bestCandidates = candidates;
        if (n <= 1) {
          break;
        }
      }
    }
    if (best < 0) {
      solutions++;
      if (first == null) {
        first = cells.clone();
      }
      return solutions >= limit;
    }
    if (bestCount == 0) {
      return false;
    }
    if (random != null && bestCount > 1) {
      return searchRandom(best, bestCandidates, bestCount);
    }
    while (bestCandidates != 0) {
      int bit = bestCandidates & -bestCandidates;
      bestCandidates ^= bit;
      if (place(best, bit)) {
        return true;
      }
    }
    return false;
  }

  private boolean searchRandom(int cell, int candidates, int count) {
    while (candidates != 0) {
      // The k-th set bit, k uniform over the remaining candidates.
      int k = random.nextInt(count--);
      int c = candidates;
      for (int j = 0; j < k; j++) {
        c &= c - 1;
      }
      int bit = c & -c;
      candidates ^= bit;
      if (place(cell, bit)) {
        return true;
      }
    }
    return false;
  }

  private boolean place(int cell, int bit) {
    cells[cell] = Integer.numberOfTrailingZeros(bit) + 1;
    set(cell, bit);
    boolean stop = search();
    clear(cell, bit);
    cells[cell] = 0;
    return stop;
  }
}
