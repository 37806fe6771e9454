package dev.lddm.harness.sweep;

import dev.lddm.harness.suite.Cell;
import dev.lddm.harness.suite.Suite;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which cells of a suite one process runs. A cell's index is its position in {@link Cell#expand} (runs in file
 * order, then seeds, models, presets): it depends only on the suite's content, so every machine numbers the
 * cells alike. Shard {@code I/N} holds the cells whose index is {@code I} modulo {@code N}: with {@code N}
 * equal to the number of cells, shard {@code I} is cell {@code I}.
 */
public final class Selection {
  private Selection() {}

  /** A cell with its index in the suite. */
  public record Indexed(int index, Cell cell) {}

  private static final Pattern SHARD = Pattern.compile("([0-9]{1,9})/([0-9]{1,9})");

  /** Every cell of the suite with its index. */
  public static List<Indexed> all(Suite suite) {
    List<Cell> cells = Cell.expand(suite);
    List<Indexed> out = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      out.add(new Indexed(i, cells.get(i)));
    }
    return out;
  }

  /**
   * The cells with these ids, in the suite's order.
   *
   * @throws IllegalArgumentException for an unknown or repeated id (naming the known ones)
   */
  public static List<Indexed> byIds(Suite suite, List<String> ids) {
    Map<String, Indexed> known = new LinkedHashMap<>();
    for (Indexed c : all(suite)) {
      known.put(c.cell().id(), c);
    }
    Set<String> seen = new HashSet<>();
    for (String id : ids) {
      if (!known.containsKey(id)) {
        throw new IllegalArgumentException("--cell: unknown cell '" + id + "' of suite " + suite.name() + ". Known: "
            + String.join(", ", known.keySet()));
      }
      if (!seen.add(id)) {
        throw new IllegalArgumentException("--cell lists " + id + " twice");
      }
    }
    return known.values().stream().filter(c -> seen.contains(c.cell().id())).toList();
  }

  /**
   * The cells of shard {@code spec} ({@code I/N}).
   *
   * @throws IllegalArgumentException when the spec is malformed, {@code I >= N}, or {@code N} exceeds the cells
   */
  public static List<Indexed> byShard(Suite suite, String spec) {
    int[] in = parseShard(spec);
    List<Indexed> all = all(suite);
    if (in[1] > all.size()) {
      throw new IllegalArgumentException("--shard " + spec + ": suite " + suite.name() + " has " + all.size()
          + " cells; use N <= " + all.size() + " (N = " + all.size() + " runs one cell per shard)");
    }
    return all.stream().filter(c -> c.index() % in[1] == in[0]).toList();
  }

  /**
   * {@code I/N} as {@code {I, N}}.
   *
   * @throws IllegalArgumentException naming the form when it is not {@code I/N} with {@code 0 <= I < N}
   */
  public static int[] parseShard(String spec) {
    Matcher m = SHARD.matcher(spec == null ? "" : spec);
    if (!m.matches()) {
      throw new IllegalArgumentException("--shard must be I/N (shard I of N, 0 <= I < N, e.g. 0/4), got '" + spec + "'");
    }
    int i = Integer.parseInt(m.group(1));
    int n = Integer.parseInt(m.group(2));
    if (n < 1) {
      throw new IllegalArgumentException("--shard " + spec + ": N must be >= 1");
    }
    if (i >= n) {
      throw new IllegalArgumentException("--shard " + spec + ": I must be 0.." + (n - 1) + " (shards count from 0)");
    }
    return new int[] {i, n};
  }
}
