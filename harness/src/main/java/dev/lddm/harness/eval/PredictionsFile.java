package dev.lddm.harness.eval;

import dev.lddm.harness.AtomicFiles;
import dev.lddm.harness.Csv;
import dev.lddm.harness.UserDataException;
import dev.lddm.tasks.Verdict;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
   * @throws UserDataException with a one-line reason when the file is missing or malformed
   */
  public static List<Prediction> read(Path file) {
    List<Prediction> rows = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser parser = Csv.READER.parse(r)) {
      for (String column : Prediction.HEADER) {
        if (!parser.getHeaderNames().contains(column)) {
          throw new UserDataException(file + ": not a predictions file (missing column '" + column + "')");
        }
      }
      for (CSVRecord rec : parser) {
        try {
          rows.add(new Prediction(rec.get("task"), rec.get("split"), Integer.parseInt(rec.get("index")),
              rec.get("input"), rec.get("prediction"), Verdict.valueOf(rec.get("verdict")),
              Boolean.parseBoolean(rec.get("mgdm_correct"))));
        } catch (IllegalArgumentException e) {
          throw new UserDataException(file + " line " + parser.getCurrentLineNumber() + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new UserDataException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return rows;
  }

  /**
   * All predictions under a path: the file itself, or every {@code predictions.csv} below a directory
   * (sorted by path, so the order is deterministic).
   */
  public static List<Path> find(Path path) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw new UserDataException(path + ": no such file or directory");
    }
    try (Stream<Path> walk = Files.walk(path)) {
      List<Path> found = walk.filter(p -> p.getFileName().toString().equals(NAME)).sorted().toList();
      if (found.isEmpty()) {
        throw new UserDataException(path + ": no " + NAME + " below it");
      }
      return found;
    } catch (IOException e) {
      throw new UserDataException("cannot list " + path + ": " + e.getMessage(), e);
    }
  }
}
