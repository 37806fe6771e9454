package dev.lddm.tasks.game24;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The 1,362 solvable Game-of-24 puzzles ranked easy to hard by human solving time (4nums.com, as used
 * by Tree of Thoughts), read from the bundled {@code tot-24-ranked.csv}.
 */
public final class RankedPuzzles {
  /** Resource name, relative to this class. */
  public static final String RESOURCE = "tot-24-ranked.csv";

  /** One ranked puzzle: its 1-based rank and its four numbers in the list's (ascending) order. */
  public record Ranked(int rank, List<Integer> numbers) {
    public Ranked {
      numbers = List.copyOf(numbers);
    }
  }

  private static final class Holder {
    static final List<Ranked> ALL = load();
  }

  private RankedPuzzles() {}

  /** All rows, in rank order. */
  public static List<Ranked> all() {
    return Holder.ALL;
  }

  private static List<Ranked> load() {
    InputStream in = RankedPuzzles.class.getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IllegalStateException("missing resource " + RESOURCE);
    }
    List<Ranked> rows = new ArrayList<>(1362);
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String header = r.readLine();
      if (header == null || !header.startsWith("Rank,Puzzles")) {
        throw new IllegalStateException(RESOURCE + ": unexpected header " + header);
      }
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split(",", -1);
        int rank = Integer.parseInt(fields[0].strip());
        List<Integer> numbers =
            Arrays.stream(fields[1].strip().split("\\s+")).map(Integer::valueOf).toList();
        if (rank != rows.size() + 1 || numbers.size() != 4) {
          throw new IllegalStateException(RESOURCE + ": bad row " + line);
        }
        rows.add(new Ranked(rank, numbers));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(rows);
  }
}
