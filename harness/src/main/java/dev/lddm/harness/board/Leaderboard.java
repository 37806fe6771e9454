package dev.lddm.harness.board;

import dev.lddm.harness.AtomicFiles;
import dev.lddm.harness.Csv;
import dev.lddm.harness.UserDataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code leaderboard.csv} (Commons CSV, RFC 4180, {@code \n}, {@link Locale#ROOT}) and its Markdown
 * rendering {@code LEADERBOARD.md}. Rows are sorted by their {@link LeaderboardRow#key()} so the same
 * results always give the same bytes whatever order the cells finished in.
 */
public final class Leaderboard {
  public static final String CSV_NAME = "leaderboard.csv";
  public static final String MD_NAME = "LEADERBOARD.md";

  private Leaderboard() {}

  /** Writes the rows atomically, sorted by key. */
  public static void writeCsv(Path file, List<LeaderboardRow> rows) throws IOException {
    List<LeaderboardRow> sorted = sorted(rows);
    AtomicFiles.write(file, w -> {
      CSVPrinter csv = Csv.printer(w, LeaderboardRow.HEADER.toArray(String[]::new));
      for (LeaderboardRow r : sorted) {
        csv.printRecord(r.columns().values());
      }
      csv.flush();
    });
  }

  /** Reads a leaderboard written by {@link #writeCsv}. */
  public static List<LeaderboardRow> readCsv(Path file) {
    List<LeaderboardRow> rows = new ArrayList<>();
    try (CSVParser parser = Csv.parse(file)) {
      for (CSVRecord rec : parser) {
        rows.add(LeaderboardRow.fromColumns(rec.toMap()));
      }
    } catch (IOException | RuntimeException e) {
      throw new UserDataException("cannot read leaderboard " + file + ": " + e.getMessage(), e);
    }
    return rows;
  }

  /** Rows sorted by key. */
  public static List<LeaderboardRow> sorted(List<LeaderboardRow> rows) {
    return rows.stream().sorted(Comparator.comparing(LeaderboardRow::key)).toList();
  }

  /**
   * Markdown: per (task, split), models ranked by pooled strict accuracy over seeds, one line per (model,
   * preset, training task, decoder, T, variant) with its Wilson 95% interval and each seed's training steps.
   */
  public static String markdown(String title, List<LeaderboardRow> rows) {
    StringBuilder b = new StringBuilder("# ").append(title).append("\n\n");
    b.append("Strict accuracy (exact verifier) with Wilson 95% intervals; `mgdm` is MGDM's lenient metric; `T` is the")
        .append(" number of denoising steps (0: the autoregressive baseline decodes left to right); `train steps` lists")
        .append(" each seed's optimizer steps.\n");
    Map<String, List<LeaderboardRow>> byTask = new TreeMap<>();
    for (LeaderboardRow r : rows) {
      byTask.computeIfAbsent(r.task() + " (" + r.split() + ")", k -> new ArrayList<>()).add(r);
    }
    for (var e : byTask.entrySet()) {
      b.append("\n## ").append(e.getKey()).append("\n\n");
      b.append("| rank | model | preset | train task | decoder | T | variant | seeds | train steps | n | strict | 95% CI"
          + " | mgdm |\n");
      b.append("|---:|---|---|---|---|---:|---|---|---|---:|---:|---|---:|\n");
      Map<String, List<LeaderboardRow>> groups = e.getValue().stream().collect(Collectors.groupingBy(
          r -> String.join("|", r.model(), r.presetLabel(), r.trainTask(), r.decoder(),
              Integer.toString(r.decodeSteps()), r.variant()), TreeMap::new, Collectors.toList()));
      List<List<LeaderboardRow>> ranked = new ArrayList<>(groups.values());
      ranked.sort(Comparator.comparingDouble((List<LeaderboardRow> g) -> -pooledAccuracy(g))
          .thenComparing(g -> g.get(0).key()));
      int rank = 0;
      for (List<LeaderboardRow> g : ranked) {
        rank++;
        LeaderboardRow f = g.get(0);
        int n = g.stream().mapToInt(LeaderboardRow::n).sum();
        int correct = g.stream().mapToInt(LeaderboardRow::correct).sum();
        int mgdm = g.stream().mapToInt(LeaderboardRow::mgdmCorrect).sum();
        var w = dev.lddm.harness.stats.Wilson.of95(correct, n);
        List<LeaderboardRow> bySeed = g.stream().sorted(Comparator.comparingLong(LeaderboardRow::seed)).toList();
        b.append(String.format(Locale.ROOT,
            "| %d | %s | %s | %s | %s | %d | %s | %s | %s | %d | %.1f%% | %.1f–%.1f | %.1f%% |%n",
            rank, f.model(), f.presetLabel(), f.trainTask(), f.decoder(), f.decodeSteps(), f.variant(),
            bySeed.stream().map(r -> Long.toString(r.seed())).collect(Collectors.joining(",")),
            bySeed.stream().map(r -> Long.toString(r.trainSteps())).collect(Collectors.joining(",")),
            n, 100.0 * correct / Math.max(1, n), 100 * w.low(), 100 * w.high(), 100.0 * mgdm / Math.max(1, n)));
      }
    }
    List<String> plugins = rows.stream().map(LeaderboardRow::taskSource)
        .filter(s -> !s.equals(dev.lddm.harness.TaskSource.BUILT_IN)).distinct().sorted().toList();
    if (!plugins.isEmpty()) {
      b.append("\nTasks from plug-ins (jar @ SHA-256 of its bytes): ").append(String.join("; ", plugins)).append(".\n");
    }
    b.append("\nSeeds are pooled per row (n = instances × seeds; the interval treats them as independent although")
        .append(" the instances repeat across seeds, so it is somewhat narrow); per-seed rows are in")
        .append(" `leaderboard.csv`. Compare two models across seeds with")
        .append(" `lddm compare BASE1 CAND1 BASE2 CAND2 ...` (paired, exact McNemar).\n");
    return b.toString();
  }

  private static double pooledAccuracy(List<LeaderboardRow> g) {
    int n = g.stream().mapToInt(LeaderboardRow::n).sum();
    return n == 0 ? 0 : (double) g.stream().mapToInt(LeaderboardRow::correct).sum() / n;
  }
}
