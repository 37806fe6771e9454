package dev.lddm.harness;

import dev.lddm.harness.cli.BenchCommand;
import dev.lddm.harness.cli.CompareCommand;
import dev.lddm.harness.cli.DeviceCommand;
import dev.lddm.harness.cli.EvalCommand;
import dev.lddm.harness.cli.ExportCommand;
import dev.lddm.harness.cli.TrainCommand;
import dev.lddm.harness.cli.GenerateCommand;
import dev.lddm.harness.cli.PlotStepsCommand;
import dev.lddm.harness.cli.SolveCommand;
import dev.lddm.harness.cli.TasksCommand;
import dev.lddm.harness.cli.VerifyCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code scripts/lddm}. Exit codes: 0 success, 1 a negative result (a wrong answer in
 * single verify mode, a data error), 2 a usage error (one line naming the valid choices).
 */
@Command(
    name = "lddm",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Reasoning benchmarks for discrete diffusion language models (LDDM, MGDM).",
    subcommands = {
      TasksCommand.class,
      GenerateCommand.class,
      SolveCommand.class,
      VerifyCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      ExportCommand.class,
      BenchCommand.class,
      CompareCommand.class,
      DeviceCommand.class,
      PlotStepsCommand.class,
    })
public final class Main implements Runnable {
  /** Exit code of a usage error. */
  public static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command. Known: "
        + String.join(", ", spec.subcommands().keySet()));
  }

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams; returns the exit code. Used by tests. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          ex.getCommandLine().getErr().println("lddm: " + firstLine(ex.getMessage()));
          return USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof IllegalArgumentException) {
            commandLine.getErr().println("lddm: " + firstLine(ex.getMessage()));
            return USAGE;
          }
          if (ex instanceof UserDataException || ex instanceof java.io.UncheckedIOException) {
            commandLine.getErr().println("lddm: " + firstLine(ex.getMessage()));
            return 1;
          }
          throw ex;
        });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** Prints the harness version from the jar manifest (or "dev" when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"lddm " + HarnessVersion.get()};
    }
  }
}
