package dev.lddm.harness;

import dev.lddm.tasks.TaskRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which code defined a task, for provenance: the git commit covers the built-in tasks, but a task from a
 * plug-in jar ({@link TaskRegistry}) is code the commit does not name. A plug-in is recorded as
 * {@code name=<jar file name>@<sha256 of its bytes, 16 hex>} (a class directory: the hash of its files, as
 * {@link Provenance#hashTree}), so a result row says which build of the plug-in produced it.
 */
public final class TaskSource {
  /** The value for rows whose tasks are all built in (and for rows written before the column existed). */
  public static final String BUILT_IN = "built-in";

  private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

  private TaskSource() {}

  /**
   * {@value #BUILT_IN} when every named task is built in; otherwise the plug-in tasks among them as
   * {@code name=jar@hash}, in the given order, separated by {@code ;}. Unknown names count as built in (the
   * caller has already resolved them).
   */
  public static String of(List<String> taskNames) {
    Set<String> plugins = new LinkedHashSet<>();
    for (String name : taskNames) {
      TaskRegistry.standard().pluginOrigin(name).ifPresent(where -> plugins.add(name + "=" + describe(where)));
    }
    return plugins.isEmpty() ? BUILT_IN : plugins.stream().collect(Collectors.joining(";"));
  }

  private static String describe(String where) {
    return CACHE.computeIfAbsent(where, w -> {
      Path p = Path.of(w);
      try {
        String hash = Files.isDirectory(p) ? Provenance.hashTree(p, "") : Provenance.hashFile(p);
        return p.getFileName() + "@" + hash;
      } catch (IOException | RuntimeException e) {
        return w + "@unreadable";
      }
    });
  }
}
