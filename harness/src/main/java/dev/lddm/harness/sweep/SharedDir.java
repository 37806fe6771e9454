package dev.lddm.harness.sweep;

import dev.lddm.harness.AtomicFiles;
import dev.lddm.harness.UserDataException;
import dev.lddm.harness.suite.Cell;
import dev.lddm.harness.suite.CellKey;
import dev.lddm.harness.suite.Suite;
import dev.lddm.harness.suite.SuiteRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A suite's output directory as many processes on many machines share it:
 *
 * <pre>
 * DIR/suite.json                      the canonical suite; created once (link, never replaced), then compared
 * DIR/cells/ID/                       a finished cell: renamed into place whole, never written again
 * DIR/cells/ID/cell.json              its rows (the done marker), written last before the rename
 * DIR/cells/ID/key.json               its {@link CellKey}
 * DIR/cells/ID/attempt.json           where and when the attempt that finished it ran
 * DIR/attempts/ID/TOKEN.json          one attempt's marker: host, pid, start, heartbeat, state
 * DIR/attempts/ID/TOKEN/              that attempt's private run directory (checkpoints, evaluations)
 * DIR/logs/                           scheduler logs (the emitted Slurm script writes there)
 * </pre>
 *
 * An attempt trains and evaluates in its own directory and publishes it with one atomic rename onto
 * {@code cells/ID}: a reader sees no cell or a complete one, and of two attempts that finish the same cell
 * the first rename wins and the second is discarded. A retried cell continues from the newest checkpoint
 * of an earlier attempt with the same key; once it is published, the directories of its failed and
 * interrupted attempts are removed (their markers stay).
 */
public final class SharedDir {
  /** The suite file of an output directory. */
  public static final String SUITE_FILE = "suite.json";
  /** Where a finished cell records the attempt that made it. */
  public static final String ATTEMPT_FILE = "attempt.json";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path root;

  /** The layout below {@code root} (nothing is read or written until asked). */
  public SharedDir(Path root) {
    this.root = root;
  }

  /** The output directory. */
  public Path root() {
    return root;
  }

  /** {@code suite.json}. */
  public Path suiteFile() {
    return root.resolve(SUITE_FILE);
  }

  /** {@code cells/}: the finished cells. */
  public Path cellsDir() {
    return root.resolve("cells");
  }

  /** {@code cells/ID}: where a finished cell lives. */
  public Path cellDir(String id) {
    return cellsDir().resolve(id);
  }

  /** {@code attempts/ID}: the markers and private directories of a cell's attempts. */
  public Path attemptsDir(String id) {
    return root.resolve("attempts").resolve(id);
  }

  /** {@code logs/}: where the emitted Slurm script sends each task's output. */
  public Path logsDir() {
    return root.resolve("logs");
  }

  /** Whether the cell is finished (its done marker is in place). */
  public boolean isFinished(String id) {
    return Files.isRegularFile(cellDir(id).resolve(SuiteRunner.CELL_FILE));
  }

  /**
   * The suite recorded in this directory, if any.
   *
   * @throws UserDataException when {@code suite.json} exists but is not a suite
   */
  public Optional<Suite> recordedSuite() {
    Path f = suiteFile();
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Suite.parse(Files.readString(f), f.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new UserDataException(e.getMessage(), e);
    }
  }

  /**
   * The suite of an existing output directory, for {@code status} and {@code merge}.
   *
   * @throws IllegalArgumentException when the directory holds no suite (a wrong path)
   */
  public Suite requireSuite(String command) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("bench " + command + ": " + root + " is not a directory; give the --out of "
          + "a bench run");
    }
    return recordedSuite().orElseThrow(() -> new IllegalArgumentException("bench " + command + ": " + root
        + " holds no suite.json; give the --out of a bench run"));
  }

  /**
   * Records {@code suite} as this directory's suite, or checks that it is the one recorded. The file is created
   * with a hard link from a complete temporary file, which fails if another process created it first: then
   * the two are compared.
   *
   * @throws IllegalArgumentException when the directory holds another suite
   */
  public void recordSuite(Suite suite) throws IOException {
    Optional<Suite> existing = recordedSuite();
    if (existing.isEmpty()) {
      createIfAbsent(suiteFile(), suite.toJson() + "\n");
      existing = recordedSuite();
    }
    Suite previous = existing.orElseThrow();
    if (!previous.equals(suite)) {
      throw new IllegalArgumentException(root + " holds suite '" + previous.name()
          + "' with another configuration; use a new --out");
    }
  }

  /** The key of a finished cell ({@code cells/ID/key.json}), empty for a cell finished by an older harness. */
  public Optional<CellKey> finishedKey(String id) {
    Path f = cellDir(id).resolve(CellKey.FILE);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      CellKey k = CellKey.parse(Files.readString(f));
      if (!k.cell().equals(id)) {
        throw new IllegalArgumentException("it names cell " + k.cell());
      }
      return Optional.of(k);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new UserDataException(f + " is corrupt: " + e.getMessage(), e);
    }
  }

  /** The names of the directories below {@code cells/} that hold a done marker, sorted. */
  public List<String> finishedCellNames() throws IOException {
    if (!Files.isDirectory(cellsDir())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(cellsDir())) {
      return s.filter(p -> Files.isRegularFile(p.resolve(SuiteRunner.CELL_FILE)))
          .map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Every attempt marker of a cell, oldest start first; unreadable ones are skipped. */
  public List<AttemptMarker> markers(String id) throws IOException {
    Path d = attemptsDir(id);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    List<AttemptMarker> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(d)) {
      for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f))
          .sorted().toList()) {
        try {
          out.add(AttemptMarker.parse(Files.readString(p)));
        } catch (NoSuchFileException gone) {
          // Renamed or removed meanwhile.
        } catch (IllegalArgumentException | IOException e) {
          // A marker is rewritten atomically; an unreadable one is someone else's file: not an attempt.
        }
      }
    }
    out.sort(Comparator.comparing(AttemptMarker::startedUtc).thenComparing(AttemptMarker::token));
    return out;
  }

  /** The marker file of an attempt. */
  public Path markerFile(String id, String token) {
    return attemptsDir(id).resolve(token + ".json");
  }

  /** The private run directory of an attempt. */
  public Path workDir(String id, String token) {
    return attemptsDir(id).resolve(token);
  }

  /** A fresh attempt token: {@code HOST-PID-RANDOM}, safe as a file name. */
  static String newToken(String host, long pid) {
    byte[] bits = new byte[4];
    RANDOM.nextBytes(bits);
    return host.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + pid + "-" + HexFormat.of().formatHex(bits);
  }

  /**
   * Writes {@code text} to {@code target} only if no file is there: a complete temporary file is hard-linked
   * to the target (which fails when it exists), so readers never see it half-written and a concurrent
   * creator never overwrites. On file systems without hard links it falls back to a rename that checks first.
   *
   * @return whether this call created the file
   */
  static boolean createIfAbsent(Path target, String text) throws IOException {
    if (Files.exists(target)) {
      return false;
    }
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + newToken("new", ProcessHandle.current().pid())
        + ".tmp");
    AtomicFiles.writeString(tmp, text);
    try {
      try {
        Files.createLink(target, tmp);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException | FileSystemException e) {
        if (Files.exists(target)) {
          return false;
        }
        try {
          Files.move(tmp, target);
          return true;
        } catch (FileAlreadyExistsException raced) {
          return false;
        }
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads a small text file as UTF-8. */
  static String read(Path p) throws IOException {
    return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
  }

  /** Deletes a directory tree, best effort (an attempt's discarded copy). */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // Best effort: what is left is an orphaned attempt directory, visible and harmless.
    }
  }

  /** The cell of a suite with this id, if any. */
  static Optional<Cell> cellOf(Suite suite, String id) {
    return Cell.expand(suite).stream().filter(c -> c.id().equals(id)).findFirst();
  }
}
