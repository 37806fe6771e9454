package dev.lddm.harness.sweep;

import dev.lddm.harness.UserDataException;
import dev.lddm.harness.board.LeaderboardRow;
import dev.lddm.harness.suite.Cell;
import dev.lddm.harness.suite.CellKey;
import dev.lddm.harness.suite.Suite;
import dev.lddm.harness.suite.SuiteRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code bench merge DIR}: the leaderboard ({@code leaderboard.csv}, {@code LEADERBOARD.md}, charts) of the
 * finished cells of a shared output directory, with the same code as a plain {@code bench} run uses after
 * each cell. Cells are merged only when they belong together: every finished cell is a cell of the
 * directory's suite, has a key, and all share one suite hash (that of {@code suite.json}), one code version
 * and one run configuration.
 */
public final class Merge {
  private Merge() {}

  /**
   * Checks the finished cells of {@code dir} and rebuilds its leaderboard; returns its rows, sorted.
   *
   * @throws IllegalArgumentException when {@code dir} holds no suite
   * @throws UserDataException naming the cells that do not belong together, or when no cell is finished
   */
  public static List<LeaderboardRow> merge(Path out, PrintWriter log) throws IOException {
    SharedDir dir = new SharedDir(out);
    Suite suite = dir.requireSuite("merge");
    Optional<String> refusal = refusal(dir, suite);
    if (refusal.isPresent()) {
      throw new UserDataException("bench merge: " + refusal.get());
    }
    List<String> finished = dir.finishedCellNames();
    if (finished.isEmpty()) {
      throw new UserDataException("bench merge: no cell of " + out + " is finished (see bench status " + out + ")");
    }
    List<String> missing = Cell.expand(suite).stream().map(Cell::id).filter(id -> !finished.contains(id)).toList();
    if (!missing.isEmpty()) {
      log.println("lddm: warning: " + missing.size() + " of " + (missing.size() + finished.size())
          + " cells are not finished and are not in the leaderboard: " + list(missing) + " (see bench status " + out + ")");
      log.flush();
    }
    return new SuiteRunner(suite, out, log, 1).rebuild();
  }

  /**
   * Why the finished cells of {@code dir} cannot be merged, if they cannot: a directory that is not a cell of
   * the suite, a cell without a key, or cells that differ in suite, code or configuration (each group named).
   */
  public static Optional<String> refusal(SharedDir dir, Suite suite) throws IOException {
    List<String> names = dir.finishedCellNames();
    List<String> known = Cell.expand(suite).stream().map(Cell::id).toList();
    List<String> strays = names.stream().filter(n -> !known.contains(n)).toList();
    if (!strays.isEmpty()) {
      return Optional.of("cells/" + list(strays) + " " + (strays.size() == 1 ? "is not a cell" : "are not cells")
          + " of suite " + suite.name() + " (" + dir.suiteFile() + "); move " + (strays.size() == 1 ? "it" : "them")
          + " out of " + dir.cellsDir());
    }
    List<CellKey> keys = new ArrayList<>();
    List<String> keyless = new ArrayList<>();
    for (String n : names) {
      dir.finishedKey(n).ifPresentOrElse(keys::add, () -> keyless.add(n));
    }
    if (!keyless.isEmpty()) {
      return Optional.of(list(keyless) + (keyless.size() == 1 ? " has" : " have") + " no key.json (finished by an "
          + "older harness), so they cannot be checked; run them again into a new --out");
    }
    String expected = CellKey.suiteHash(suite);
    List<String> otherSuite = keys.stream().filter(k -> !k.suiteHash().equals(expected)).map(CellKey::cell).toList();
    if (!otherSuite.isEmpty()) {
      return Optional.of("cells differ in suite: " + list(otherSuite) + " ran another version of the suite than "
          + dir.suiteFile() + " (suite hash " + expected + "); run them again with it");
    }
    Optional<String> code = differ(keys, "code", CellKey::code);
    if (code.isPresent()) {
      return code;
    }
    return differ(keys, "config", ShardRunner::settings);
  }

  /** When the keys fall into more than one group by {@code what}, a message naming each group's cells. */
  private static Optional<String> differ(List<CellKey> keys, String what, Function<CellKey, String> value) {
    Map<String, List<String>> groups = new TreeMap<>();
    for (CellKey k : keys) {
      groups.computeIfAbsent(value.apply(k), v -> new ArrayList<>()).add(k.cell());
    }
    if (groups.size() <= 1) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    for (var g : groups.entrySet()) {
      parts.add(g.getValue().size() + (g.getValue().size() == 1 ? " cell" : " cells") + " with " + what + " "
          + g.getKey() + " (" + list(g.getValue()) + ")");
    }
    return Optional.of("cells differ in " + what + ": " + String.join("; ", parts) + "; run the odd ones again with "
        + "the same " + (what.equals("code") ? "code" : "settings") + " (delete their cells/ID first) or merge them apart");
  }

  /** Up to five names, then {@code and N more}. */
  static String list(List<String> names) {
    if (names.size() <= 5) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
  }
}
