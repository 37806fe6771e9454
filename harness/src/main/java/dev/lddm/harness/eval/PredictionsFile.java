package dev.lddm.harness.eval;

import dev.lddm.harness.AtomicFiles;
import dev.lddm.harness.Csv;
import dev.lddm.harness.UserDataException;
import dev.lddm.tasks.TaskRegistry;
import dev.lddm.tasks.Verdict;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/** Reads and writes {@code predictions.csv} (RFC 4180, {@code \n}, header {@link Prediction#HEADER}). */
public final class PredictionsFile {
  /** The file name inside an eval directory. */
  public static final String NAME = "predictions.csv";

  private PredictionsFile() {}

  /** Writes the rows atomically. */
  public static void write(Path file, List<Prediction> rows) throws IOException {
    AtomicFiles.write(file, w -> {
      CSVPrinter csv = Csv.printer(w, Prediction.HEADER);
      for (Prediction p : rows) {
        csv.printRecord(p.task(), p.split(), p.index(), p.input(), p.prediction(), p.verdict().name(),
            p.mgdmCorrect());
      }
      csv.flush();
    });
  }

  /**
   * Reads a predictions file.
   *
   * @throws UserDataException with a one-line reason naming the file (and the line, for a bad row) when the
   *     file is missing, unreadable, not a predictions file (a column of {@link Prediction#HEADER} missing
   *     or repeated), not valid CSV, or has a row with the wrong number of fields, an index that is not a
   *     non-negative integer, a verdict that is not one of its task's (any well-formed name for a task not
   *     registered here) or an {@code mgdm_correct} that is not true/false
   */
  public static List<Prediction> read(Path file) {
    List<Prediction> rows = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser parser = Csv.parse(r)) {
      List<String> header = parser.getHeaderNames();
      if (header.isEmpty()) {
        throw new UserDataException(file + ": not a predictions file (it is empty; expected the header "
            + String.join(",", Prediction.HEADER) + ")");
      }
      for (String column : Prediction.HEADER) {
        long count = header.stream().filter(column::equals).count();
        if (count != 1) {
          throw new UserDataException(file + ": not a predictions file (" + (count == 0 ? "no" : "repeated")
              + " column '" + column + "'; expected the header " + String.join(",", Prediction.HEADER) + ")");
        }
      }
      for (CSVRecord rec : parser) {
        String where = file + " line " + parser.getCurrentLineNumber() + ": ";
        if (rec.size() != header.size()) {
          throw new UserDataException(where + "has " + rec.size() + " fields, the header has " + header.size());
        }
        try {
          rows.add(new Prediction(rec.get("task"), rec.get("split"), index(rec.get("index")), rec.get("input"),
              rec.get("prediction"), verdict(rec.get("task"), rec.get("verdict")), bool(rec.get("mgdm_correct"))));
        } catch (IllegalArgumentException e) {
          throw new UserDataException(where + e.getMessage(), e);
        }
      }
    } catch (NoSuchFileException e) {
      throw new UserDataException(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new UserDataException(file + ": permission denied", e);
    } catch (java.io.UncheckedIOException e) {
      // Commons CSV reports a syntax error (an unbalanced quote, text after a closing quote) this way.
      throw new UserDataException(file + ": malformed CSV: " + message(e.getCause()), e);
    } catch (IOException e) {
      throw new UserDataException("cannot read " + file + ": " + message(e), e);
    }
    return rows;
  }

  private static int index(String s) {
    if (!s.matches("[0-9]+")) {
      throw new IllegalArgumentException("index " + Pairing.quoted(s) + " is not a non-negative integer");
    }
    if (s.length() > 10 || Long.parseLong(s) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("index " + s + " is too large (at most " + Integer.MAX_VALUE + ")");
    }
    return Integer.parseInt(s);
  }

  /**
   * The verdict of a row: one of its task's verdicts when the task is registered; for a task this class path
   * does not know (a plug-in not loaded here), any well-formed verdict name.
   */
  private static Verdict verdict(String task, String s) {
    List<Verdict> known;
    try {
      known = TaskRegistry.standard().find(task).map(t -> t.verdicts()).orElse(null);
    } catch (IllegalArgumentException e) {
      known = null; // plug-ins that do not load are reported by the commands that need them, not here
    }
    if (known != null) {
      for (Verdict v : known) {
        if (v.name().equals(s)) {
          return v;
        }
      }
      throw new IllegalArgumentException("verdict " + Pairing.quoted(s) + " is not one of "
          + String.join(", ", known.stream().map(Verdict::name).toList()));
    }
    if (!Verdict.isName(s)) {
      throw new IllegalArgumentException("verdict " + Pairing.quoted(s)
          + " is not a verdict name (upper-case letters, digits and _, e.g. CORRECT)");
    }
    return Verdict.of(s);
  }

  private static boolean bool(String s) {
    if (s.equalsIgnoreCase("true")) {
      return true;
    }
    if (s.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("mgdm_correct " + Pairing.quoted(s) + " is not true or false");
  }

  private static String message(Throwable e) {
    String m = e == null ? null : e.getMessage();
    return m == null || m.isBlank() ? String.valueOf(e) : m;
  }

  /**
   * The evaluations under a path, by name: a file is one evaluation named {@code "."}; a directory maps
   * every {@code predictions.csv} below it to the path of its folder relative to the directory, with
   * {@code /} separators ({@code "eval/countdown3-test"} in a run directory, {@code
   * "cells/<cell>/eval/countdown3-test"} in a suite directory, {@code "."} for the directory's own file).
   * Sorted by name, so the order is deterministic.
   *
   * @throws UserDataException when the path does not exist, cannot be listed, or a directory holds no
   *     {@code predictions.csv}
   */
  public static SortedMap<String, Path> evaluations(Path path) {
    if (Files.isRegularFile(path)) {
      return new TreeMap<>(Map.of(".", path));
    }
    if (!Files.isDirectory(path)) {
      throw new UserDataException(path + ": no such file or directory");
    }
    SortedMap<String, Path> found = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(path)) {
      walk.filter(p -> p.getFileName() != null && p.getFileName().toString().equals(NAME) && Files.isRegularFile(p))
          .forEach(p -> found.put(name(path.relativize(p.getParent())), p));
    } catch (IOException e) {
      throw new UserDataException("cannot list " + path + ": " + message(e), e);
    } catch (java.io.UncheckedIOException e) {
      throw new UserDataException("cannot list " + path + ": " + message(e.getCause()), e);
    }
    if (found.isEmpty()) {
      throw new UserDataException(path + ": no " + NAME + " below it");
    }
    return found;
  }

  private static String name(Path relative) {
    List<String> parts = new ArrayList<>();
    for (Path p : relative) {
      if (!p.toString().isEmpty()) {
        parts.add(p.toString());
      }
    }
    return parts.isEmpty() ? "." : String.join("/", parts);
  }
}
