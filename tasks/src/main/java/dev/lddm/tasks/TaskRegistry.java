package dev.lddm.tasks;

import dev.lddm.tasks.countdown.CountdownTask;
import dev.lddm.tasks.game24.Game24Task;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The one place tasks are registered: a sorted map from short name to factory. Adding a task is one
 * class plus one {@code register} line below (walk-through in the README, "Adding a task"):
 *
 * <ol>
 *   <li>Write {@code dev.lddm.tasks.yourtask.YourTask implements Task} (plus a {@code package-info.java}):
 *       {@code size} (each split's exact size, cheap, the same for every seed), {@code examples}
 *       (deterministic per seed, exactly {@code size} examples, test disjoint from train), {@code parse} (throws
 *       {@code IllegalArgumentException} for puzzles that do not fit), {@code solve}, {@code verify} and
 *       {@code lenientCorrect} (usually delegating to {@link dev.lddm.tasks.arith.Solver} and
 *       {@link dev.lddm.tasks.arith.Verifier} with the right {@link dev.lddm.tasks.arith.Rules}).
 *   <li>Add {@code register("yourtask", YourTask::new);} to the static block.
 *   <li>Run {@code mvn -q -B -pl tasks test}: {@code TaskContractTest} picks the new task up automatically.
 * </ol>
 */
public final class TaskRegistry {
  private static final SortedMap<String, Supplier<Task>> TASKS = new TreeMap<>();

  static {
    // Register new tasks here: one line each.
    register("countdown3", () -> new CountdownTask(3));
    register("countdown4", () -> new CountdownTask(4));
    register("countdown5", () -> new CountdownTask(5));
    register("game24", Game24Task::new);
  }

  private TaskRegistry() {}

  private static void register(String name, Supplier<Task> factory) {
    if (TASKS.putIfAbsent(name, factory) != null) {
      throw new IllegalStateException("duplicate task name " + name);
    }
  }

  /** Registered task names, sorted. */
  public static SortedMap<String, Supplier<Task>> all() {
    return Collections.unmodifiableSortedMap(TASKS);
  }

  /**
   * The task with this name.
   *
   * @throws IllegalArgumentException {@code Unknown task 'x'. Known: countdown3, ...}
   */
  public static Task get(String name) {
    Supplier<Task> factory = TASKS.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "Unknown task '" + name + "'. Known: " + String.join(", ", TASKS.keySet()));
    }
    return factory.get();
  }
}
