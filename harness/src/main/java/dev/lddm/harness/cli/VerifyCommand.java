package dev.lddm.harness.cli;

import dev.lddm.harness.Csv;
import dev.lddm.harness.UserDataException;
import dev.lddm.tasks.Puzzle;
import dev.lddm.tasks.Task;
import dev.lddm.tasks.TaskRegistry;
import dev.lddm.tasks.Verdict;
import dev.lddm.tasks.Verification;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lddm verify --task T}: batch mode reads CSV {@code input,answer} from stdin and writes
 * {@code input,answer,verdict,detail}, one row per input row, in order, exit 0 (a leading UTF-8
 * byte-order mark is skipped; a missing header, an unbalanced quote or a row of the wrong width is bad
 * data: one line on stderr, exit 1). Single mode ({@code --input X --answer Y}) prints the verdict and
 * exits 0 when CORRECT, 1 otherwise. Verdicts are the task's ({@link Task#verdicts()}).
 */
@Command(name = "verify", description = "Verify answers exactly (CSV on stdin, or --input/--answer).",
    mixinStandardHelpOptions = true)
public final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--task", required = true, description = "Task name (see `lddm tasks`).")
  String task;

  @Option(names = "--input", description = "Single mode: the puzzle in the task's input form, e.g. 4,6,8,2,24.")
  String input;

  @Option(names = "--answer", description = "Single mode: the answer in the task's output form (e.g. a step trace).")
  String answer;

  @Override
  public Integer call() throws IOException {
    Task<?> t = TaskRegistry.get(task);
    if ((input == null) != (answer == null)) {
      throw new IllegalArgumentException("single mode needs both --input and --answer");
    }
    if (input != null) {
      Verification v = verify(t, input, answer);
      var out = spec.commandLine().getOut();
      out.println(v.detail().isEmpty() ? v.verdict().name() : v.verdict().name() + ": " + v.detail());
      out.flush();
      return v.isCorrect() ? 0 : 1;
    }
    Reader in = new InputStreamReader(System.in, StandardCharsets.UTF_8);
    try (CSVParser parser = parseStdin(in)) {
      List<String> header = parser.getHeaderNames();
      if (header.isEmpty()) {
        throw new UserDataException("stdin is empty; expected CSV with the header input,answer");
      }
      if (!header.contains("input") || !header.contains("answer")) {
        throw new UserDataException("stdin must be CSV with the header input,answer; got " + String.join(",", header));
      }
      // Not closed: it would close stdout. Created after the header check: a bad header writes nothing.
      CSVPrinter csv = Csv.printer(spec.commandLine().getOut(), "input", "answer", "verdict", "detail");
      csv.flush();
      for (CSVRecord row : parser) {
        if (!row.isConsistent()) {
          throw new UserDataException("CSV line " + parser.getCurrentLineNumber()
              + ": expected " + header.size() + " fields (" + String.join(",", header) + "), got " + row.size());
        }
        String in1 = row.get("input");
        String ans = row.get("answer");
        Verification v = verify(t, in1, ans);
        csv.printRecord(in1, ans, v.verdict().name(), v.detail());
        csv.flush();
      }
    } catch (UncheckedIOException e) {
      throw new UserDataException("stdin is not valid CSV: " + Csv.describeError(e), e);
    }
    return 0;
  }

  /** The CSV parser on stdin; a malformed header (duplicate or empty names) is bad data, exit 1. */
  private static CSVParser parseStdin(Reader in) {
    try {
      return Csv.parse(in);
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      throw new UserDataException("stdin is not valid CSV: " + Csv.describeError(e), e);
    }
  }

  /** The verdict on one row; a malformed puzzle is a MALFORMED verdict, not an error. */
  static <P extends Puzzle> Verification verify(Task<P> t, String puzzle, String answer) {
    try {
      return t.verify(t.parse(puzzle), answer);
    } catch (IllegalArgumentException e) {
      return Verification.of(Verdict.MALFORMED, "puzzle: " + e.getMessage());
    }
  }
}
