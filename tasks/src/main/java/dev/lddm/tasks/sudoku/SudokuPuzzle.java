package dev.lddm.tasks.sudoku;

import dev.lddm.tasks.Puzzle;

/**
 * A 9x9 Sudoku puzzle: 81 cells row by row, {@code '1'..'9'} for a given, {@code '0'} for a blank
 * (MGDM's input form, e.g. {@code 530070000600195000...}). The givens never repeat a digit in a row,
 * column or box (no solution could keep them); whether the puzzle has one solution, several or none is
 * the solver's business.
 *
 * @param cells exactly 81 characters {@code '0'..'9'}
 */
public record SudokuPuzzle(String cells) implements Puzzle {
  /** Cells in a grid. */
  public static final int CELLS = 81;

  /**
   * @throws IllegalArgumentException (one line) when {@code cells} is not 81 digits or its givens repeat a
   *     digit in a row, column or box
   */
  public SudokuPuzzle {
    if (cells == null || cells.length() != CELLS) {
      throw new IllegalArgumentException("sudoku puzzle must have 81 digits (0 for a blank), got "
          + (cells == null ? "null" : cells.length() + " characters"));
    }
    for (int i = 0; i < CELLS; i++) {
      char c = cells.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("sudoku puzzle has " + Grids.describe(c) + " at " + Grids.cell(i)
            + "; expected digits 0-9 (0 for a blank)");
      }
    }
    String conflict = Grids.firstRepeat(cells);
    if (conflict != null) {
      throw new IllegalArgumentException("sudoku puzzle repeats a given: " + conflict);
    }
  }

  /**
   * Reads MGDM's input form: 81 digits, {@code 0} (or {@code .}) for a blank, nothing else.
   *
   * @throws IllegalArgumentException with a one-line reason
   */
  public static SudokuPuzzle parse(String input) {
    if (input == null || input.isEmpty()) {
      throw new IllegalArgumentException("empty sudoku puzzle; expected 81 digits, 0 for a blank");
    }
    if (input.length() != CELLS) {
      throw new IllegalArgumentException(
          "sudoku puzzle must have 81 digits (0 for a blank), got " + input.length() + " characters");
    }
    return new SudokuPuzzle(input.replace('.', '0'));
  }

  /** The number of givens (non-blank cells): the puzzle's difficulty knob (fewer is harder). */
  public int givens() {
    int n = 0;
    for (int i = 0; i < CELLS; i++) {
      if (cells.charAt(i) != '0') {
        n++;
      }
    }
    return n;
  }

  /** The digit of a cell, {@code 0} for a blank. */
  public int digit(int cell) {
    return cells.charAt(cell) - '0';
  }

  /** The cells as 81 ints {@code 0..9} (a new array). */
  public int[] toArray() {
    int[] a = new int[CELLS];
    for (int i = 0; i < CELLS; i++) {
      a[i] = cells.charAt(i) - '0';
    }
    return a;
  }

  @Override
  public String toInput() {
    return cells;
  }
}
