package dev.lddm.tasks.game24;

import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.Task;
import dev.lddm.tasks.Verdict;
import dev.lddm.tasks.Verification;
import dev.lddm.tasks.arith.NumberPuzzle;
import dev.lddm.tasks.arith.Rules;
import dev.lddm.tasks.arith.Solver;
import dev.lddm.tasks.arith.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Game of 24: four numbers 1..13, reach 24 with {@code + - * /}, each number once, fractions allowed
 * ({@link Rules#RATIONAL}). Sequence length 64, as Countdown-4 (MGDM evaluates it zero-shot with the
 * Countdown-4 model).
 *
 * <p>Splits, all drawn from the 1,362 ranked puzzles ({@link RankedPuzzles}), inputs {@code a,b,c,d,24}
 * with the numbers ascending as in the list, outputs the {@link Solver}'s answer:
 *
 * <ul>
 *   <li>{@code test}: ranks 901-1000 in rank order, the slice used by Tree of Thoughts, MGDM and the
 *       Loopholing paper (its inputs equal MGDM's {@code tot24} test file). Independent of the seed.
 *   <li>{@code val}: of the other puzzles that have an integer step trace, those whose rank is a multiple
 *       of {@value #VAL_EVERY}, in rank order. Independent of the seed.
 *   <li>{@code train}: the remaining puzzles that have an integer step trace, shuffled by the seed.
 * </ul>
 *
 * The three splits are disjoint for every seed. Puzzles that need a fraction are only in {@code test}.
 */
public final class Game24Task implements Task<NumberPuzzle> {
  /** Registry name. */
  public static final String NAME = "game24";
  /** First and last rank of the standard test slice. */
  public static final int TEST_FIRST_RANK = 901;
  public static final int TEST_LAST_RANK = 1000;
  /** Every this-many-th rank (outside test) goes to validation. */
  public static final int VAL_EVERY = 25;
  private static final int TARGET = 24;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Game of 24: four numbers 1..13 to 24, fractions allowed; test = ToT ranks 901-1000";
  }

  @Override
  public int sequenceLength() {
    return 64;
  }

  /**
   * The split's size, the same for every seed: 100 for {@code test}; for {@code val} and {@code train} the
   * puzzles of the split that have an integer step trace. The traces of the 1,362 puzzles are solved once
   * per JVM (well under a second) and remembered.
   */
  @Override
  public int size(Split split) {
    if (split == Split.TEST) {
      return rows(split).size();
    }
    int n = 0;
    for (RankedPuzzles.Ranked row : rows(split)) {
      if (Traces.of(row).isPresent()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public Stream<Example> examples(Split split, long seed) {
    List<RankedPuzzles.Ranked> rows = rows(split);
    if (split == Split.TRAIN) {
      // Shuffled before dropping the puzzles without an integer trace: the order each seed gives is fixed.
      shuffle(rows, new SplittableRandom(mix(mix(NAME.hashCode()) ^ seed)));
    }
    List<Example> out = new ArrayList<>(rows.size());
    for (RankedPuzzles.Ranked row : rows) {
      NumberPuzzle p = new NumberPuzzle(row.numbers(), TARGET);
      Optional<String> trace = Traces.of(row);
      if (trace.isPresent()) {
        out.add(new Example(p.toInput(), trace.get()));
      } else if (split == Split.TEST) {
        out.add(new Example(p.toInput(), Solver.solve(p).orElseThrow(
            () -> new IllegalStateException("ranked puzzle " + row.rank() + " is unsolvable"))));
      }
    }
    return out.stream();
  }

  /** The ranked puzzles of a split, in rank order (a new, mutable list). */
  private static List<RankedPuzzles.Ranked> rows(Split split) {
    List<RankedPuzzles.Ranked> rows = new ArrayList<>();
    for (RankedPuzzles.Ranked row : RankedPuzzles.all()) {
      boolean test = row.rank() >= TEST_FIRST_RANK && row.rank() <= TEST_LAST_RANK;
      boolean val = !test && row.rank() % VAL_EVERY == 0;
      boolean wanted = switch (split) {
        case TEST -> test;
        case VAL -> val;
        case TRAIN -> !test && !val;
      };
      if (wanted) {
        rows.add(row);
      }
    }
    return rows;
  }

  /** The solver's integer step trace of every ranked puzzle, computed once (a pure function of the list). */
  private static final class Traces {
    static final List<Optional<String>> BY_RANK = RankedPuzzles.all().stream()
        .map(row -> Solver.integerTrace(new NumberPuzzle(row.numbers(), TARGET))).toList();

    static Optional<String> of(RankedPuzzles.Ranked row) {
      return BY_RANK.get(row.rank() - 1);
    }
  }

  @Override
  public NumberPuzzle parse(String input) {
    NumberPuzzle p = NumberPuzzle.parse(input);
    if (p.numbers().size() != 4) {
      throw new IllegalArgumentException(
          "game24 puzzle '" + input + "' must have 4 numbers, got " + p.numbers().size());
    }
    for (int n : p.numbers()) {
      if (n < 1 || n > 13) {
        throw new IllegalArgumentException("game24 numbers must be in 1..13, got " + n);
      }
    }
    if (p.target() != TARGET) {
      throw new IllegalArgumentException("game24 target must be 24, got " + p.target());
    }
    return p;
  }

  @Override
  public Optional<String> solve(NumberPuzzle puzzle) {
    return Solver.solve(puzzle);
  }

  /** {@link Verifier#VERDICTS}: CORRECT, WRONG_VALUE, WRONG_NUMBERS, INVALID_STEP, MALFORMED. */
  @Override
  public List<Verdict> verdicts() {
    return Verifier.VERDICTS;
  }

  @Override
  public Verification verify(NumberPuzzle puzzle, String answer) {
    return Verifier.verify(puzzle, answer, Rules.RATIONAL);
  }

  @Override
  public boolean lenientCorrect(NumberPuzzle puzzle, String answer) {
    return Verifier.lenientCorrect(puzzle, answer);
  }

  /** The numbers as a multiset plus the target: a reordered test puzzle is still a test puzzle. */
  @Override
  public String leakKey(NumberPuzzle puzzle) {
    return puzzle.multisetKey();
  }

  private static void shuffle(List<RankedPuzzles.Ranked> rows, SplittableRandom random) {
    for (int i = rows.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      rows.set(j, rows.set(i, rows.get(j)));
    }
  }

  /** SplitMix64's finaliser: spreads a seed so nearby seeds give unrelated streams. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
