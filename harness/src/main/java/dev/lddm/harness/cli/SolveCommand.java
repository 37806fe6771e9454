package dev.lddm.harness.cli;

import dev.lddm.harness.Csv;
import dev.lddm.harness.UserDataException;
import dev.lddm.tasks.Puzzle;
import dev.lddm.tasks.Task;
import dev.lddm.tasks.TaskRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lddm solve --task T}: reads one puzzle per line from stdin, in the task's input form (e.g.
 * {@code a,b,c,d,target} for Countdown, 81 digits for Sudoku), and writes CSV {@code input,solvable,answer}
 * (the input in the task's canonical form). Blank lines and a leading UTF-8 byte-order mark are skipped;
 * empty stdin gives just the header. A malformed line is reported on stderr with its line number and skipped;
 * the command then exits 1 after writing every other row.
 */
@Command(name = "solve", description = "Solve puzzles from stdin (one per line); CSV on stdout.",
    mixinStandardHelpOptions = true)
public final class SolveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--task", required = true, description = "Task name (see `lddm tasks`).")
  String task;

  @Override
  public Integer call() throws IOException {
    Task<?> t = TaskRegistry.get(task);
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    int bad = 0;
    BufferedReader in = new BufferedReader(Csv.withoutBom(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    CSVPrinter csv = Csv.printer(out, "input", "solvable", "answer"); // not closed: it would close stdout
    String line;
    int lineNo = 0;
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      try {
        solve(t, line.strip(), csv);
      } catch (IllegalArgumentException e) {
        err.println("lddm: line " + lineNo + ": " + e.getMessage());
        bad++;
        continue;
      }
      csv.flush();
    }
    if (bad > 0) {
      throw new UserDataException(bad + " malformed puzzle line(s) skipped");
    }
    return 0;
  }

  /** Parses (throwing {@link IllegalArgumentException} for a bad line), solves and prints one puzzle. */
  private static <P extends Puzzle> void solve(Task<P> t, String line, CSVPrinter csv) throws IOException {
    P p = t.parse(line);
    Optional<String> answer = t.solve(p);
    csv.printRecord(p.toInput(), answer.isPresent(), answer.orElse(""));
  }
}
