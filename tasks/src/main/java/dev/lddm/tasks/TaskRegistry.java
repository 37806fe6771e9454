package dev.lddm.tasks;

import dev.lddm.tasks.countdown.CountdownTask;
import dev.lddm.tasks.game24.Game24Task;
import dev.lddm.tasks.sudoku.SudokuTask;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The one place tasks are found, in a fixed order: first the built-in tasks listed below, then the
 * plug-ins on the class path, found with {@link ServiceLoader} (every jar's
 * {@code META-INF/services/dev.lddm.tasks.Task} names its task classes, each with a public no-argument
 * constructor). Names are unique: a plug-in that reuses a name is refused with an error naming both
 * classes, never silently shadowed. Adding a built-in task is one class plus one line in {@link #builtIns}
 * (walk-through in the README, "Adding a task"); {@code TaskContractTest} then holds it to the contract.
 *
 * <p>A registry is immutable; {@link #standard()} (what the command line uses) is loaded once.
 */
public final class TaskRegistry {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,39}");

  /** The built-in tasks, one line each, in any order (listings are sorted by name). */
  private static List<Task<?>> builtIns() {
    return List.of(
        new CountdownTask(3),
        new CountdownTask(4),
        new CountdownTask(5),
        new Game24Task(),
        new SudokuTask());
  }

  private static volatile TaskRegistry standard;

  private final SortedMap<String, Task<?>> tasks;
  private final Map<String, String> plugins;

  private TaskRegistry(SortedMap<String, Task<?>> tasks, Map<String, String> plugins) {
    this.tasks = Collections.unmodifiableSortedMap(tasks);
    this.plugins = Collections.unmodifiableMap(plugins);
  }

  /**
   * The built-in tasks plus the plug-ins visible to the thread's context class loader (the class path of
   * {@code scripts/lddm}), loaded on first use and kept. A failed load is not kept: the next call tries
   * again and reports the same error.
   *
   * @throws IllegalArgumentException (one line) when a plug-in cannot be loaded or reuses a task name
   */
  public static TaskRegistry standard() {
    TaskRegistry r = standard;
    if (r == null) {
      synchronized (TaskRegistry.class) {
        r = standard;
        if (r == null) {
          ClassLoader loader = Thread.currentThread().getContextClassLoader();
          r = load(loader == null ? TaskRegistry.class.getClassLoader() : loader);
          standard = r;
        }
      }
    }
    return r;
  }

  /**
   * The built-in tasks plus the plug-ins that {@code loader} sees, in that order.
   *
   * @throws IllegalArgumentException (one line) when a plug-in cannot be loaded (its class is missing, is
   *     not a {@link Task}, has no public no-argument constructor, or its constructor fails), has an
   *     invalid name or description, or reuses a task name
   */
  public static TaskRegistry load(ClassLoader loader) {
    SortedMap<String, Task<?>> tasks = new TreeMap<>();
    Map<String, String> plugins = new TreeMap<>();
    for (Task<?> task : builtIns()) {
      add(tasks, task, null);
    }
    @SuppressWarnings("rawtypes")
    Iterator<Task> it = ServiceLoader.load(Task.class, loader).iterator();
    while (true) {
      Task<?> task;
      try {
        if (!it.hasNext()) {
          break;
        }
        task = it.next();
      } catch (ServiceConfigurationError e) {
        throw new IllegalArgumentException("cannot load a task plug-in: " + firstLine(e.getMessage())
            + (e.getCause() == null ? "" : " (" + e.getCause().getClass().getSimpleName()
                + (e.getCause().getMessage() == null ? "" : ": " + firstLine(e.getCause().getMessage())) + ")"), e);
      }
      String where = origin(task);
      add(tasks, task, where);
      plugins.put(task.name(), where);
    }
    return new TaskRegistry(tasks, plugins);
  }

  private static void add(SortedMap<String, Task<?>> tasks, Task<?> task, String plugin) {
    String what = task.getClass().getName() + (plugin == null ? " (built in)" : " (plug-in from " + plugin + ")");
    String name = task.name();
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("task " + what + " has an invalid name "
          + (name == null ? "null" : "'" + name + "'")
          + "; a name is lower-case letters, digits, - and _, starting with a letter, at most 40 characters");
    }
    String description = task.description();
    if (description == null || description.isBlank() || description.contains("\n") || description.contains("\r")) {
      throw new IllegalArgumentException("task " + name + " of " + what + " needs a one-line description");
    }
    Task<?> before = tasks.putIfAbsent(name, task);
    if (before != null) {
      throw new IllegalArgumentException("two tasks are named '" + name + "': " + before.getClass().getName()
          + " and " + what + "; rename one, or take its jar off the class path");
    }
  }

  /** Where a plug-in class was loaded from (its jar or directory), or its class loader when unknown. */
  private static String origin(Task<?> task) {
    CodeSource source = task.getClass().getProtectionDomain().getCodeSource();
    URL url = source == null ? null : source.getLocation();
    if (url == null) {
      return String.valueOf(task.getClass().getClassLoader());
    }
    return "file".equals(url.getProtocol()) ? url.getPath() : url.toString();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The registered task names, sorted. */
  public SortedSet<String> names() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(tasks.keySet()));
  }

  /**
   * The task with this name.
   *
   * @throws IllegalArgumentException {@code Unknown task 'x'. Known: countdown3, ...}
   */
  public Task<?> task(String name) {
    Task<?> task = tasks.get(name);
    if (task == null) {
      throw new IllegalArgumentException(
          "Unknown task '" + name + "'. Known: " + String.join(", ", tasks.keySet()));
    }
    return task;
  }

  /** The task with this name, or empty. */
  public Optional<Task<?>> find(String name) {
    return Optional.ofNullable(tasks.get(name));
  }

  /** Where a plug-in task was loaded from (its jar), or empty for a built-in task or an unknown name. */
  public Optional<String> pluginOrigin(String name) {
    return Optional.ofNullable(plugins.get(name));
  }

  /** The registered tasks, in name order. */
  public List<Task<?>> tasks() {
    return new ArrayList<>(tasks.values());
  }

  /**
   * The task with this name in the {@link #standard()} registry.
   *
   * @throws IllegalArgumentException {@code Unknown task 'x'. Known: countdown3, ...}, or when the plug-ins
   *     cannot be loaded
   */
  public static Task<?> get(String name) {
    return standard().task(name);
  }
}
