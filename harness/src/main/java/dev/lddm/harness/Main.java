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
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code scripts/lddm}. Exit codes: 0 success; 1 ({@link #DATA}) a negative result (a wrong
 * answer in single verify mode) or bad data in a file or stdin, or a file that cannot be read or written;
 * 2 ({@link #USAGE}) a usage error. {@code compare} has its own meanings (0 pass, 1 significantly worse,
 * 2 cannot compare); {@code scripts/lddm} exits 3 when the build fails. Every error is one line on stderr
 * starting {@code lddm: }, without Java internals; {@code LDDM_DEBUG=1} adds the stack trace of an
 * internal error (a bug, exit 1).
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
  /** Exit code of a usage error: a bad option or value, an unknown name, an impossible setting. */
  public static final int USAGE = 2;
  /**
   * Exit code of bad data in a file or stdin (malformed CSV, missing header, corrupt checkpoint), of a
   * file that cannot be read or written, and of a negative result (a wrong answer in single verify mode).
   */
  public static final int DATA = 1;

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
    registerNumberConverters(cl);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          ex.getCommandLine().getErr().println("lddm: " + usageMessage(ex));
          return USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          var e = commandLine.getErr();
          if (ex instanceof IllegalArgumentException) {
            e.println("lddm: " + oneLine(ex.getMessage()));
            return USAGE;
          }
          if (ex instanceof UserDataException) {
            e.println("lddm: " + oneLine(ex.getMessage()));
            return DATA;
          }
          if (ex instanceof UncheckedIOException u) {
            boolean bare = String.valueOf(u.getCause()).equals(u.getMessage());
            e.println("lddm: " + (bare ? IoErrors.describe(u.getCause()) : oneLine(u.getMessage())));
            return DATA;
          }
          if (ex instanceof IOException io) {
            e.println("lddm: " + IoErrors.describe(io));
            return DATA;
          }
          e.println("lddm: internal error (a bug; LDDM_DEBUG=1 prints the stack trace): "
              + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + oneLine(ex.getMessage())));
          if (System.getenv("LDDM_DEBUG") != null) {
            ex.printStackTrace(e);
          }
          return DATA;
        });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * Strict decimal converters for every numeric option of every command, so a bad value reads
   * {@code --count must be an integer, got '3.5'} (see {@link #usageMessage}), never a Java message.
   */
  private static void registerNumberConverters(CommandLine cl) {
    CommandLine.ITypeConverter<Integer> ints = v -> (int) integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
    CommandLine.ITypeConverter<Long> longs = v -> integer(v, Long.MIN_VALUE, Long.MAX_VALUE);
    CommandLine.ITypeConverter<Double> doubles = Main::number;
    CommandLine.ITypeConverter<Float> floats = v -> {
      double d = number(v);
      if (Math.abs(d) > Float.MAX_VALUE) {
        throw new CommandLine.TypeConversionException("must be a number of at most " + Float.MAX_VALUE
            + " in size, got '" + v + "'");
      }
      return (float) d;
    };
    cl.registerConverter(Integer.class, ints).registerConverter(int.class, ints)
        .registerConverter(Long.class, longs).registerConverter(long.class, longs)
        .registerConverter(Double.class, doubles).registerConverter(double.class, doubles)
        .registerConverter(Float.class, floats).registerConverter(float.class, floats);
  }

  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?");

  private static long integer(String v, long min, long max) {
    if (!INTEGER.matcher(v).matches()) {
      throw new CommandLine.TypeConversionException("must be an integer, got '" + v + "'");
    }
    BigInteger b = new BigInteger(v);
    if (b.compareTo(BigInteger.valueOf(min)) < 0 || b.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new CommandLine.TypeConversionException(
          "must be an integer in " + min + ".." + max + ", got '" + v + "'");
    }
    return b.longValueExact();
  }

  private static double number(String v) {
    if (!DECIMAL.matcher(v).matches()) {
      throw new CommandLine.TypeConversionException("must be a number, got '" + v + "'");
    }
    double d = Double.parseDouble(v);
    if (Double.isInfinite(d)) {
      throw new CommandLine.TypeConversionException("must be a finite number, got '" + v + "'");
    }
    return d;
  }

  /** The one line (without "lddm: ") for a usage error found while parsing the command line. */
  static String usageMessage(CommandLine.ParameterException ex) {
    List<String> unmatched = ex.getCommandLine().getUnmatchedArguments();
    if (ex instanceof CommandLine.MissingParameterException && !unmatched.isEmpty()) {
      // picocli checks required options before unknown ones: report the typo, it is the likelier cause.
      ex = new CommandLine.UnmatchedArgumentException(ex.getCommandLine(), unmatched);
    }
    if (ex instanceof CommandLine.UnmatchedArgumentException u) {
      List<String> suggestions = u.getSuggestions();
      String name = ex.getCommandLine().getCommandSpec().qualifiedName();
      return oneLine(ex.getMessage())
          + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?")
          + " (see " + name + " --help)";
    }
    CommandLine.Model.ArgSpec arg = ex.getArgSpec();
    Throwable cause = ex.getCause();
    if (arg != null && cause != null && ex.getValue() != null) {
      String name = arg instanceof CommandLine.Model.OptionSpec o ? o.longestName() : arg.paramLabel();
      String detail = cause.getMessage() == null ? "" : oneLine(cause.getMessage());
      if (cause instanceof CommandLine.TypeConversionException && detail.startsWith("must be")) {
        return name + " " + detail;
      }
      return name + ": invalid value '" + ex.getValue() + "'" + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
    return oneLine(ex.getMessage());
  }

  private static final Pattern NUMBER_FORMAT = Pattern.compile("For input string: \"([^\"]*)\"( under radix \\d+)?");
  private static final Pattern NO_ENUM = Pattern.compile("No enum constant (?:[\\w$]+\\.)+([\\w$]*)");
  private static final Pattern JAVA_NO_FILE = Pattern.compile("java\\.nio\\.file\\.NoSuchFileException: ");
  private static final Pattern JAVA_DENIED = Pattern.compile("java\\.nio\\.file\\.AccessDeniedException: ");
  private static final Pattern JAVA_CLASS =
      Pattern.compile("\\b(?:java|javax|jdk|sun|org|com)\\.(?:[\\w$]+\\.)+[\\w$]*(?:Exception|Error): ?");

  /**
   * The first line of {@code message}, with the Java internals that library code puts in messages
   * rewritten as plain words: {@code For input string: "3.5"} becomes {@code '3.5' is not a number},
   * {@code No enum constant a.b.Verdict.X} becomes {@code unknown value 'X'}, exception class names go.
   * A safety net: commands should say what is wrong themselves.
   */
  static String oneLine(String message) {
    if (message == null || message.isBlank()) {
      return "error";
    }
    int nl = message.indexOf('\n');
    String line = (nl < 0 ? message : message.substring(0, nl)).strip();
    line = NUMBER_FORMAT.matcher(line).replaceAll(m -> Matcher.quoteReplacement("'" + m.group(1) + "' is not a number"));
    line = NO_ENUM.matcher(line).replaceAll(m -> Matcher.quoteReplacement("unknown value '" + m.group(1) + "'"));
    line = JAVA_NO_FILE.matcher(line).replaceAll("no such file or directory: ");
    line = JAVA_DENIED.matcher(line).replaceAll("permission denied: ");
    return JAVA_CLASS.matcher(line).replaceAll("");
  }

  /** Prints the harness version from the jar manifest (or "dev" when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"lddm " + HarnessVersion.get()};
    }
  }
}
