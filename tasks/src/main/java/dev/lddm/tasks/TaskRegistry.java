package dev.lddm.tasks;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The one place tasks are registered: a sorted map from short name to factory. Adding a task is one
 * class plus one {@code register} line below.
 */
public final class TaskRegistry {
  private static final SortedMap<String, Supplier<Task>> TASKS = new TreeMap<>();

  static {
    // Register new tasks here: one line each.
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
