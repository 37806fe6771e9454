package dev.lddm.tasks.countdown;

import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.pyrandom.PyRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A byte-exact Java port of Stream-of-Search's Countdown data generator (Gandhi et al. 2024,
 * {@code kanishkg/stream-of-search}, {@code src/countdown_generate.py} with {@code src/countdown.py},
 * {@code src/countdown_bfs.py}, {@code src/countdown_utils.py}, run with {@code --search random}), emitting
 * MGDM's data format (Ye et al. 2024): {@code {"input": "a,b,c,d,target", "output": "<solution steps>"}},
 * the steps of SoS's {@code solution} joined by commas.
 *
 * <p>With {@code numberCount = 4} and seed 4 the {@link Split#TRAIN} stream is MGDM's Countdown-4
 * training data, line for line, and {@link Split#TEST} is MGDM's 1,000-problem Countdown-4 test set.
 *
 * <p>The algorithm, all random draws made on one CPython-exact {@link PyRandom} seeded with the seed:
 *
 * <ol>
 *   <li>The targets 10..100 are shuffled; the first 9 ({@code len // 10}) are held out as test ("OOD")
 *       targets, the other 82 are training targets.
 *   <li>Splits are drawn one after the other from the same generator, in SoS's order: TRAIN
 *       ({@code trainSize} examples, training targets), TEST (SoS's {@code val_target} split:
 *       {@code testSize} examples on the held-out targets), VAL (SoS's {@code val} split: {@code valSize}
 *       examples on the training targets, each redrawn, new target included, while its solution equals
 *       the solution of some TRAIN example). The stream of a later split therefore first replays the
 *       earlier splits internally; that is exact and takes a few seconds at the default sizes.
 *   <li>Per example: {@code randint(n, n)} (SoS's start size; it draws even though the range is one
 *       value), the target {@code choice(targets)}, then numbers {@code randint(1, 99)} redrawn until
 *       the exhaustive depth-first search finds a solution (its first solution is the output), then the
 *       search-trace heuristics: {@code choice([sum, mult])}, {@code choice([dfs, bfs])}, and for bfs
 *       {@code choice([1..5])} as beam size and bfs's shuffles. The trace itself is not emitted.
 * </ol>
 *
 * <p>Determinism: the same constructor arguments, split and seed always give the same examples in the
 * same order, on every platform, identical to what the SoS script (under CPython 3) produces when run
 * with {@code --seed seed --min_range n --start_range n --max_target 100 --num_samples trainSize} and
 * 1000-example val splits. Because the held-out targets are disjoint from the training targets, no
 * (numbers, target) pair of TEST occurs in TRAIN. VAL uses training targets; SoS only guarantees that a
 * VAL example's solution differs from every TRAIN solution.
 *
 * <p>Instances are immutable and thread-safe; each stream owns its own generator state.
 */
public final class CountdownGenerator {
  /** Training examples per stream by default: the size of MGDM's Countdown training sets. */
  public static final int DEFAULT_TRAIN_SIZE = 220_000;
  /** Test examples by default: SoS's (and MGDM's) 1,000 held-out-target problems. */
  public static final int DEFAULT_TEST_SIZE = 1_000;
  /** Validation examples by default: SoS's {@code val} split, 1,000 problems on training targets. */
  public static final int DEFAULT_VAL_SIZE = 1_000;

  /** Smallest target (SoS's {@code CountDown.min_target}). */
  static final int MIN_TARGET = 10;
  /** Largest target (SoS's {@code --max_target}); numbers are drawn from 1 to this minus one. */
  static final int MAX_TARGET = 100;

  /**
   * Where the later splits start, per (number count, sizes, seed): the random state after the splits
   * before them (and TRAIN's solutions, which VAL needs). Replaying 220,000 TRAIN draws takes seconds;
   * with this, only the first request for a split pays it. A small, bounded memo: pure values, so the
   * output is the same with or without it.
   */
  private static final Map<List<Long>, Start> STARTS = Collections.synchronizedMap(
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Long>, Start> eldest) {
          return size() > 4;
        }
      });

  /** The random state at the start of a split, with TRAIN's solutions when the split is VAL. */
  private record Start(int[] state, Set<String> trainSolutions) {}

  private final int numberCount;
  private final int trainSize;
  private final int valSize;
  private final int testSize;

  /**
   * A generator for puzzles with {@code numberCount} numbers and the given split sizes.
   *
   * @param numberCount 3, 4 or 5
   * @throws IllegalArgumentException naming the parameter when {@code numberCount} is not 3..5 or a size
   *     is negative
   */
  public CountdownGenerator(int numberCount, int trainSize, int valSize, int testSize) {
    if (numberCount < 3 || numberCount > 5) {
      throw new IllegalArgumentException("numberCount must be 3, 4 or 5, got " + numberCount);
    }
    requireSize("trainSize", trainSize);
    requireSize("valSize", valSize);
    requireSize("testSize", testSize);
    this.numberCount = numberCount;
    this.trainSize = trainSize;
    this.valSize = valSize;
    this.testSize = testSize;
  }

  /**
   * A generator with the default sizes {@link #DEFAULT_TRAIN_SIZE}, {@link #DEFAULT_VAL_SIZE},
   * {@link #DEFAULT_TEST_SIZE}.
   *
   * @throws IllegalArgumentException when {@code numberCount} is not 3, 4 or 5
   */
  public CountdownGenerator(int numberCount) {
    this(numberCount, DEFAULT_TRAIN_SIZE, DEFAULT_VAL_SIZE, DEFAULT_TEST_SIZE);
  }

  private static void requireSize(String name, int size) {
    if (size < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + size);
    }
  }

  /** Numbers per puzzle. */
  public int numberCount() {
    return numberCount;
  }

  /** The number of examples {@link #examples} yields for {@code split}. */
  public int size(Split split) {
    return switch (split) {
      case TRAIN -> trainSize;
      case VAL -> valSize;
      case TEST -> testSize;
    };
  }

  /**
   * The examples of {@code split} for {@code seed}, lazily and in generation order; the stream is finite,
   * of {@link #size(Split)} elements. Same arguments, same examples. TEST and VAL streams replay the
   * splits drawn before them (see the class comment) when their first element is requested.
   *
   * @param seed the Python {@code random.seed} value (MGDM used 4); negative seeds act as their absolute
   *     value, as in CPython
   */
  public Stream<Example> examples(Split split, long seed) {
    int size = size(split);
    Spliterator<Example> spliterator =
        new Spliterators.AbstractSpliterator<Example>(size,
            Spliterator.ORDERED | Spliterator.SIZED | Spliterator.NONNULL | Spliterator.IMMUTABLE) {
          private Run run;
          private int produced;

          @Override
          public boolean tryAdvance(Consumer<? super Example> action) {
            if (produced >= size) {
              return false;
            }
            if (run == null) {
              run = new Run(seed);
              run.skipTo(split);
            }
            action.accept(run.next(split));
            produced++;
            return true;
          }
        };
    return StreamSupport.stream(spliterator, false);
  }

  /** One pass of the SoS script: the shared random state and the split bookkeeping. */
  private final class Run {
    final PyRandom rng;
    final int[] trainTargets;
    final int[] testTargets;
    final int[] nums = new int[numberCount];
    final SosSearch.Dfs dfs = new SosSearch.Dfs(numberCount);
    /** Solutions of TRAIN, only collected when VAL is wanted. */
    Set<String> trainSolutions;

    final long seed;

    Run(long seed) {
      this.seed = seed;
      rng = new PyRandom(seed);
      List<Integer> targets = new ArrayList<>();
      for (int t = MIN_TARGET; t <= MAX_TARGET; t++) {
        targets.add(t);
      }
      rng.shuffle(targets);
      int held = targets.size() / 10;
      testTargets = targets.subList(0, held).stream().mapToInt(Integer::intValue).toArray();
      trainTargets = targets.subList(held, targets.size()).stream().mapToInt(Integer::intValue).toArray();
    }

    void skipTo(Split split) {
      if (split == Split.TRAIN) {
        return;
      }
      List<Long> key = List.of((long) numberCount, (long) trainSize, (long) testSize, seed, (long) split.ordinal());
      Start start = STARTS.get(key);
      if (start == null) {
        replayTo(split);
        start = new Start(rng.stateWords(), trainSolutions == null ? null : Set.copyOf(trainSolutions));
        STARTS.put(key, start);
      }
      rng.setStateWords(start.state());
      trainSolutions = start.trainSolutions();
    }

    private void replayTo(Split split) {
      if (split == Split.VAL) {
        trainSolutions = new HashSet<>(trainSize * 2);
      }
      for (int i = 0; i < trainSize; i++) {
        Example e = next(Split.TRAIN);
        if (trainSolutions != null) {
          trainSolutions.add(e.output());
        }
      }
      if (split == Split.VAL) {
        for (int i = 0; i < testSize; i++) {
          next(Split.TEST);
        }
      }
    }

    /** One iteration of the SoS main loop for {@code split}. */
    Example next(Split split) {
      int[] targets = split == Split.TEST ? testTargets : trainTargets;
      rng.randint(numberCount, numberCount);
      int target = targets[rng.randbelow(targets.length)];
      List<String> solution = drawSolvable(target);
      if (split == Split.VAL) {
        while (trainSolutions.contains(String.join(",", solution))) {
          target = targets[rng.randbelow(targets.length)];
          solution = drawSolvable(target);
        }
      }
      SosSearch.Heuristic heuristic = rng.randbelow(2) == 0 ? SosSearch.Heuristic.SUM : SosSearch.Heuristic.MULT;
      boolean bfs = rng.randbelow(2) == 1;
      if (bfs) {
        int beamSize = 1 + rng.randbelow(5);
        SosSearch.consumeBfsDraws(rng, nums, target, beamSize, heuristic);
      }
      StringBuilder input = new StringBuilder();
      for (int v : nums) {
        input.append(v).append(',');
      }
      input.append(target);
      return new Example(input.toString(), String.join(",", solution));
    }

    /** {@code CountDown.generate(target)}: redraw the numbers until the target is reachable. */
    private List<String> drawSolvable(int target) {
      while (true) {
        for (int i = 0; i < numberCount; i++) {
          nums[i] = rng.randint(1, MAX_TARGET - 1);
        }
        List<String> solution = dfs.firstSolution(nums, target);
        if (solution != null) {
          return solution;
        }
      }
    }
  }
}
