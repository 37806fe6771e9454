package dev.lddm.tasks.sudoku;

import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.Task;
import dev.lddm.tasks.Verdict;
import dev.lddm.tasks.Verification;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Sudoku 9x9 in MGDM's layout (Ye et al. 2024): input the 81 cells row by row with {@code 0} for a blank,
 * output the 81 digits of the solution, sequence length {@value #SEQUENCE_LENGTH} = 81 + {@code [SEP]} + 81
 * + {@code [EOS]}.
 *
 * <p>Data from {@link SudokuGenerator}: unique-solution puzzles with {@value #MIN_GIVENS} to
 * {@value #MAX_GIVENS} givens (uniform; the number of givens, {@link SudokuPuzzle#givens()}, is the
 * difficulty and can be read off the input), 100,000 train, 1,000 val and 1,000 test examples, test
 * solution grids never in train.
 *
 * <p>Verdicts, in this precedence: {@link Verdict#MALFORMED} (not 81 characters, or a cell that is not a
 * digit 1-9), {@link #CHANGED_GIVEN} (a given cell differs), {@link #WRONG_CELL} (a row, column or box
 * repeats a digit), else {@link Verdict#CORRECT}. The check is the rules themselves, not a comparison with
 * a stored solution, so it is exact for puzzles with several solutions too. No lenient metric: MGDM scores
 * Sudoku by exact match with the reference solution, which for a unique-solution puzzle is the strict
 * verdict.
 */
public final class SudokuTask implements Task<SudokuPuzzle> {
  /** Registry name. */
  public static final String NAME = "sudoku";
  /** MGDM's {@code cutoff_len} for Sudoku. */
  public static final int SEQUENCE_LENGTH = 164;
  /** The range of givens of generated puzzles. */
  public static final int MIN_GIVENS = 30;
  public static final int MAX_GIVENS = 36;

  /** A cell repeats a digit of its row, column or box (a given is kept, so a blank was filled wrong). */
  public static final Verdict WRONG_CELL = Verdict.of("WRONG_CELL");
  /** A given cell of the puzzle has another digit in the answer. */
  public static final Verdict CHANGED_GIVEN = Verdict.of("CHANGED_GIVEN");
  private static final List<Verdict> VERDICTS = List.of(Verdict.CORRECT, WRONG_CELL, CHANGED_GIVEN, Verdict.MALFORMED);

  private final SudokuGenerator generator = new SudokuGenerator(MIN_GIVENS, MAX_GIVENS,
      SudokuGenerator.DEFAULT_TRAIN_SIZE, SudokuGenerator.DEFAULT_VAL_SIZE, SudokuGenerator.DEFAULT_TEST_SIZE);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Sudoku 9x9 (MGDM): 81 digits, 0 = blank; unique solution, " + MIN_GIVENS + "-" + MAX_GIVENS
        + " givens; test grids never in train";
  }

  @Override
  public int sequenceLength() {
    return SEQUENCE_LENGTH;
  }

  @Override
  public int size(Split split) {
    return generator.size(split);
  }

  @Override
  public Stream<Example> examples(Split split, long seed) {
    return generator.examples(split, seed);
  }

  /**
   * Reads 81 digits, {@code 0} (or {@code .}) for a blank; any number of givens, as long as they do not
   * repeat a digit in a row, column or box.
   *
   * @throws IllegalArgumentException with a one-line reason
   */
  @Override
  public SudokuPuzzle parse(String input) {
    return SudokuPuzzle.parse(input);
  }

  /** The solution (the first found, for a puzzle with several), or empty when there is none. */
  @Override
  public Optional<String> solve(SudokuPuzzle puzzle) {
    int[] solution = SudokuSolver.solve(puzzle.toArray());
    return solution == null ? Optional.empty() : Optional.of(SudokuGenerator.text(solution));
  }

  /** CORRECT, WRONG_CELL, CHANGED_GIVEN, MALFORMED. */
  @Override
  public List<Verdict> verdicts() {
    return VERDICTS;
  }

  @Override
  public Verification verify(SudokuPuzzle puzzle, String answer) {
    if (answer == null || answer.length() != SudokuPuzzle.CELLS) {
      return Verification.of(Verdict.MALFORMED, "the answer has " + (answer == null ? 0 : answer.length())
          + " characters; a solution is 81 digits 1-9");
    }
    for (int i = 0; i < SudokuPuzzle.CELLS; i++) {
      char c = answer.charAt(i);
      if (c < '1' || c > '9') {
        return Verification.of(Verdict.MALFORMED, Grids.cell(i) + " is " + Grids.describe(c)
            + "; a solution has a digit 1-9 in every cell");
      }
    }
    for (int i = 0; i < SudokuPuzzle.CELLS; i++) {
      int given = puzzle.digit(i);
      if (given != 0 && answer.charAt(i) - '0' != given) {
        return Verification.of(CHANGED_GIVEN, Grids.cell(i) + " is given as " + given + ", the answer has "
            + answer.charAt(i));
      }
    }
    String repeat = Grids.firstRepeat(answer);
    return repeat == null ? Verification.correct() : Verification.of(WRONG_CELL, repeat);
  }

  /** The solution grid (the input itself when there is none): a test grid never recurs in train. */
  @Override
  public String leakKey(SudokuPuzzle puzzle) {
    return solve(puzzle).orElse(puzzle.toInput());
  }
}
