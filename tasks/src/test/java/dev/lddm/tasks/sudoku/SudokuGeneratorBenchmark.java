package dev.lddm.tasks.sudoku;

import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;

/**
 * Manual timing tool (not a unit test). Usage:
 * {@code java -cp tasks/target/classes:tasks/target/test-classes
 * dev.lddm.tasks.sudoku.SudokuGeneratorBenchmark split seed count [minGivens maxGivens]}.
 * Prints puzzles per second of generation (one thread), then the solver's and the verifier's speed on the
 * generated puzzles, and the distribution of givens.
 */
public final class SudokuGeneratorBenchmark {
  private SudokuGeneratorBenchmark() {}

  /** Generates, solves and verifies; arguments as in the class comment. */
  public static void main(String[] args) {
    Split split = Split.parse(args[0]);
    long seed = Long.parseLong(args[1]);
    int count = Integer.parseInt(args[2]);
    int min = args.length > 3 ? Integer.parseInt(args[3]) : SudokuTask.MIN_GIVENS;
    int max = args.length > 4 ? Integer.parseInt(args[4]) : SudokuTask.MAX_GIVENS;
    SudokuGenerator gen = new SudokuGenerator(min, max, count, count, count);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long c0 = mx.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    List<Example> examples = gen.examples(split, seed).toList();
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
    System.out.printf(Locale.ROOT, "generate: %d %s puzzles (givens %d-%d, seed %d) in %.2f s wall, %.2f s CPU: "
        + "%.0f puzzles/s%n", count, split.id(), min, max, seed, wall, cpu, count / wall);

    int[] byGivens = new int[82];
    SudokuTask task = new SudokuTask();
    List<SudokuPuzzle> puzzles = examples.stream().map(e -> SudokuPuzzle.parse(e.input())).toList();
    puzzles.forEach(p -> byGivens[p.givens()]++);
    t0 = System.nanoTime();
    long nodes = 0;
    for (SudokuPuzzle p : puzzles) {
      SudokuSolver s = new SudokuSolver();
      s.load(p.toArray());
      if (s.countSolutionsForBenchmark(2) != 1) {
        throw new IllegalStateException("not unique: " + p.cells());
      }
      nodes += s.nodes();
    }
    double uniq = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    for (SudokuPuzzle p : puzzles) {
      task.solve(p).orElseThrow();
    }
    double solve = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    int correct = 0;
    for (int i = 0; i < puzzles.size(); i++) {
      correct += task.verify(puzzles.get(i), examples.get(i).output()).isCorrect() ? 1 : 0;
    }
    double verify = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "solve: %.1f us/puzzle (first solution); uniqueness proof (count to 2): "
        + "%.1f us/puzzle, %.1f search nodes/puzzle%n", 1e6 * solve / count, 1e6 * uniq / count,
        (double) nodes / count);
    System.out.printf(Locale.ROOT, "verify: %.2f us/answer, %d of %d reference answers CORRECT%n",
        1e6 * verify / count, correct, count);
    StringBuilder b = new StringBuilder("givens:");
    for (int g = 0; g < byGivens.length; g++) {
      if (byGivens[g] > 0) {
        b.append(' ').append(g).append('=').append(byGivens[g]);
      }
    }
    System.out.println(b);
  }
}
