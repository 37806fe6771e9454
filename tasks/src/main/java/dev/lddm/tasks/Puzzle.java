package dev.lddm.tasks;

/**
 * One instance of a task, as its {@link Task#parse} returns it: immutable, and written back in the task's
 * input form by {@link #toInput()}. What a puzzle holds is the task's business (numbers and a target for
 * Countdown, a grid for Sudoku); the harness only ever sees it through its task.
 */
public interface Puzzle {
  /**
   * The puzzle in its task's canonical input form: the string a model reads before {@code [SEP]}. For a
   * generated example, {@code task.parse(example.input()).toInput()} equals {@code example.input()}.
   */
  String toInput();
}
