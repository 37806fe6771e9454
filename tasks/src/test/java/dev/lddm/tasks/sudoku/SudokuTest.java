package dev.lddm.tasks.sudoku;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.TaskRegistry;
import dev.lddm.tasks.Verdict;
import dev.lddm.tasks.Verification;
import dev.lddm.tasks.token.TokenFormat;
import dev.lddm.tasks.token.Vocabulary;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SudokuTest {
  /** The puzzle of Wikipedia's "Sudoku" article and its solution. */
  static final String PUZZLE = "530070000600195000098000060800060003400803001700020006060000280000419005000080079";
  static final String SOLUTION = "534678912672195348198342567859761423426853791713924856961537284287419635345286179";

  private final SudokuTask task = new SudokuTask();

  @Test
  void registeredWithMgdmsSequenceLength() {
    assertEquals("sudoku", TaskRegistry.get("sudoku").name());
    assertEquals(164, task.sequenceLength());
    assertEquals(100_000, task.size(Split.TRAIN));
    assertEquals(1_000, task.size(Split.VAL));
    assertEquals(1_000, task.size(Split.TEST));
    assertEquals("[CORRECT, WRONG_CELL, CHANGED_GIVEN, MALFORMED]", task.verdicts().toString());
  }

  @Test
  void solverSolvesCountsAndRefuses() {
    SudokuPuzzle p = task.parse(PUZZLE);
    assertEquals(30, p.givens());
    assertEquals(Optional.of(SOLUTION), task.solve(p));
    assertEquals(1, SudokuSolver.countSolutions(p.toArray(), 2));
    assertEquals(2, SudokuSolver.countSolutions(new int[81], 2), "the empty grid has many solutions");
    assertEquals(SOLUTION, SudokuGenerator.text(SudokuSolver.solve(task.parse(SOLUTION).toArray())));
    // No repeated given, yet no solution: r1c9 can be neither 1..8 (row) nor 9 (column).
    String stuck = "123456780" + "000000009" + "0".repeat(63);
    assertEquals(Optional.empty(), task.solve(task.parse(stuck)));
    assertNull(SudokuSolver.solve(task.parse(stuck).toArray()));
    assertEquals(0, SudokuSolver.countSolutions(task.parse(stuck).toArray(), 2));
  }

  @Test
  void generatedPuzzlesAreUniqueWithTheRecordedGivens() {
    Set<Integer> givens = new HashSet<>();
    for (Split split : Split.values()) {
      List<Example> examples = task.generate(split, 200, 4);
      for (int i = 0; i < examples.size(); i++) {
        Example ex = examples.get(i);
        SudokuPuzzle p = task.parse(ex.input());
        int g = p.givens();
        assertTrue(g >= SudokuTask.MIN_GIVENS && g <= SudokuTask.MAX_GIVENS, ex::toString);
        givens.add(g);
        assertEquals(1, SudokuSolver.countSolutions(p.toArray(), 2), ex::toString);
        assertEquals(ex.output(), task.solve(p).orElseThrow());
        for (int c = 0; c < 81; c++) {
          assertTrue(p.digit(c) == 0 || p.digit(c) == ex.output().charAt(c) - '0', "the givens are the solution's");
        }
        assertEquals(split, SudokuGenerator.split(task.parse(ex.output()).toArray()), "the grid is in its part");
        assertEquals(164, ex.input().length() + ex.output().length() + 2);
      }
    }
    assertEquals(Set.of(30, 31, 32, 33, 34, 35, 36), givens, "every number of givens occurs");
  }

  @Test
  void examplesArePureFunctionsOfSeedSplitAndIndex() {
    SudokuGenerator gen = new SudokuGenerator(30, 36, 100_000, 1_000, 1_000);
    List<Example> train = gen.examples(Split.TRAIN, 4).limit(5).toList();
    assertEquals(train.get(3), gen.example(Split.TRAIN, 4, 3));
    assertEquals(gen.example(Split.TRAIN, 4, 99_999), gen.example(Split.TRAIN, 4, 99_999));
    assertNotEquals(gen.example(Split.TRAIN, 4, 1), gen.example(Split.TRAIN, 5, 0), "not seed + index");
    assertNotEquals(gen.example(Split.TRAIN, 0, 1), gen.example(Split.TRAIN, 1, 0), "not seed + index");
    // Pinned: the data must not change under refactoring, JVM or platform.
    assertEquals(new Example(
        "500010003009300100000050072038005007050000096040100200105037000820560009003084021",
        "572816943489372165316459872938625417251748396647193258195237684824561739763984521"), train.get(0));
  }

  @Test
  void testGridsNeverOccurInTrainForAnySeeds() {
    Set<String> test = new HashSet<>();
    for (long seed : new long[] {4, 5}) {
      task.examples(Split.TEST, seed).limit(200).forEach(ex -> test.add(ex.output()));
    }
    for (long seed : new long[] {4, 5, 6}) {
      task.examples(Split.TRAIN, seed).limit(1_000).forEach(ex ->
          assertTrue(!test.contains(ex.output()) && SudokuGenerator.split(task.parse(ex.output()).toArray())
              == Split.TRAIN, ex::toString));
    }
  }

  @Test
  void sequencesSplitAtSepWithoutCommas() {
    Example ex = task.generate(Split.TEST, 1, 4).get(0);
    TokenFormat format = new TokenFormat(task.sequenceLength());
    int[] ids = format.encode(ex.input(), ex.output());
    assertEquals(164, ids.length);
    assertEquals(Vocabulary.SEP, ids[81]);
    assertEquals(Vocabulary.EOS, ids[163]);
    assertEquals(82, format.sourceLength(ex.input()));
    assertEquals(ex.input(), TokenFormat.decodeInput(ids));
    assertEquals(ex.output(), TokenFormat.decodeOutput(ids));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "534678912672195348198342567859761423426853791713924856961537284287419635345286179 | CORRECT       | ''",
    // Two blanks of row 1 swapped (r1c3 6, r1c4 4): the row is fine, column 3 repeats the 6.
    "536478912672195348198342567859761423426853791713924856961537284287419635345286179 | WRONG_CELL    | column 3 has two 6s (r1c3, r5c3)",
    "534678912672195348198342567859761423426853791713924856961537284287419635445286179 | WRONG_CELL    | row 9 has two 4s (r9c1, r9c2)",
    "634578912572196348198342567859761423426853791713924856961537284287419635345286179 | CHANGED_GIVEN | r1c1 is given as 5, the answer has 6",
    "53467891267219534819834256785976142342685379171392485696153728428741963534528617 | MALFORMED     | the answer has 80 characters; a solution is 81 digits 1-9",
    "5346789126721953481983425678597614234268537917139248569615372842874196353452861799 | MALFORMED | the answer has 82 characters; a solution is 81 digits 1-9",
    "''                                                                                 | MALFORMED     | the answer has 0 characters; a solution is 81 digits 1-9",
    "534678912672195348198342567859761423426853791713924856961537284287419635345286170 | MALFORMED     | r9c9 is '0'; a solution has a digit 1-9 in every cell",
    "534678912672195348198342567859761423426853791713924856961537284287419635x45286179 | MALFORMED     | r9c1 is 'x'; a solution has a digit 1-9 in every cell",
    "534678912672195348198342567859761423426853791713924856961537284287419635345286[MASK] | MALFORMED | the answer has 84 characters; a solution is 81 digits 1-9",
  })
  void verdictsNameTheFirstProblem(String answer, String verdict, String detail) {
    Verification v = task.verify(task.parse(PUZZLE), answer);
    assertEquals(new Verification(Verdict.of(verdict), detail), v);
  }

  @Test
  void boxRepeatsAreNamedWithTheirRowsAndColumns() {
    // A grid whose rows and columns are fine but whose boxes are not: row i is 1..9 shifted by i.
    StringBuilder latin = new StringBuilder();
    for (int r = 0; r < 9; r++) {
      for (int c = 0; c < 9; c++) {
        latin.append((char) ('1' + (r + c) % 9));
      }
    }
    Verification v = task.verify(task.parse("0".repeat(81)), latin.toString());
    assertEquals(new Verification(SudokuTask.WRONG_CELL, "box 1 (rows 1-3, columns 1-3) has two 2s (r1c2, r2c1)"), v);
  }

  @Test
  void hostileAnswersGetAVerdictNeverACrash() {
    SudokuPuzzle p = task.parse(PUZZLE);
    assertEquals("the answer has 10000 characters; a solution is 81 digits 1-9",
        task.verify(p, "1".repeat(10_000)).detail());
    assertEquals(Verdict.MALFORMED, task.verify(p, null).verdict());
    assertEquals("r1c1 is U+000A; a solution has a digit 1-9 in every cell",
        task.verify(p, "\n" + SOLUTION.substring(1)).detail());
    assertEquals(false, task.lenientCorrect(p, "x"));
    assertEquals(true, task.lenientCorrect(p, SOLUTION));
  }

  @Test
  void badPuzzlesAreRefusedInOneLine() {
    String r4c1Is5 = PUZZLE.substring(0, 27) + "5" + PUZZLE.substring(28);
    String[][] cases = {
      {"", "empty sudoku puzzle; expected 81 digits, 0 for a blank"},
      {"12345", "sudoku puzzle must have 81 digits (0 for a blank), got 5 characters"},
      {PUZZLE + "0", "sudoku puzzle must have 81 digits (0 for a blank), got 82 characters"},
      {PUZZLE.substring(0, 80) + "x", "sudoku puzzle has 'x' at r9c9; expected digits 0-9 (0 for a blank)"},
      {PUZZLE.substring(0, 40) + "\t" + PUZZLE.substring(41),
          "sudoku puzzle has U+0009 at r5c5; expected digits 0-9 (0 for a blank)"},
      {"55" + PUZZLE.substring(2), "sudoku puzzle repeats a given: row 1 has two 5s (r1c1, r1c2)"},
      {r4c1Is5, "sudoku puzzle repeats a given: column 1 has two 5s (r1c1, r4c1)"},
    };
    for (String[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> task.parse(c[0]));
      assertEquals(c[1], e.getMessage());
    }
  }

  @Test
  void dotsAreBlanksAndTenThousandCharactersAreRefused() {
    assertEquals(PUZZLE, task.parse(PUZZLE.replace('0', '.')).toInput());
    assertEquals("sudoku puzzle must have 81 digits (0 for a blank), got 10000 characters",
        assertThrows(IllegalArgumentException.class, () -> task.parse("1".repeat(10_000))).getMessage());
    assertArrayEquals(task.parse(PUZZLE).toArray(), SudokuPuzzle.parse(PUZZLE).toArray());
  }
}
