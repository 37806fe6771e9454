package dev.lddm.harness.cli;

import dev.lddm.harness.AtomicFiles;
import dev.lddm.harness.Csv;
import dev.lddm.harness.UserDataException;
import dev.lddm.harness.eval.Pairing;
import dev.lddm.harness.eval.Pairing.Pair;
import dev.lddm.harness.eval.PredictionsFile;
import dev.lddm.harness.stats.Newcombe;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lddm compare BASE CAND [BASE2 CAND2 ...] [--eval NAME]... [--max-drop D] [--alpha A] [--exact]
 * [--csv FILE|-]}: a paired comparison of two sets of predictions; the regression gate.
 *
 * <p><b>Evaluations.</b> Each BASE and CAND is resolved to named evaluations: a {@code predictions.csv}-style
 * file is one evaluation (named {@code .}); a directory (a run, a suite, an eval folder) holds one evaluation
 * per {@code predictions.csv} below it, named by its folder relative to the directory ({@code
 * eval/countdown3-test}, {@code cells/<cell>/eval/countdown3-test}, {@code .} for its own file). Directory
 * sides are paired by name; each matched pair of evaluations is one <em>stratum</em>; names on one side only
 * are listed ({@code not compared (only in CAND): ...}) and skipped. A file against a directory, or (with
 * {@code --eval}) two directories without a common name, are paired when each side holds exactly one
 * evaluation. {@code --eval NAME} (repeatable) keeps the evaluations whose folder name (last component) or
 * full name is NAME. Several BASE CAND pairs (one per training seed, say) add their strata.
 *
 * <p><b>Pairing.</b> Within a stratum instances are paired by (task, split, index), and every pair must have
 * the same {@code input}; duplicate keys, an empty side, different key sets or different inputs make the
 * comparison impossible (exit 2, one line counting the offending instances and showing the first).
 *
 * <p><b>Report.</b> Per stratum, and pooled over all strata on the summed 2x2 table: n, both accuracies,
 * {@code delta} (candidate minus baseline), its 95% interval (Newcombe's hybrid score interval for paired
 * proportions, {@link Newcombe}), the discordant counts {@code b01} (only the candidate right) and {@code
 * b10} (only the baseline right) and the exact McNemar p-value. {@code --csv FILE} also writes it as CSV
 * (one row per stratum, then {@code pooled}; atomically); {@code --csv -} prints the CSV instead of the
 * text report (notes and the verdict then go to stderr).
 *
 * <p><b>Exit codes.</b> 0 pass; 1 the candidate is significantly worse (pooled {@code p < alpha} and a pooled
 * accuracy drop larger than {@code max-drop}); 2 cannot compare (any input problem: a missing or malformed
 * file, no common evaluation, unpairable instances, a bad option). With {@code --exact} (for golden
 * predictions) the gate is instead: every paired instance has the same {@code prediction} and {@code
 * verdict}, else exit 1 after one {@code DIFF} line per differing instance (at most {@value #MAX_DIFFS}).
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
    customSynopsis = "lddm compare [OPTIONS] BASE CAND [BASE CAND]...",
    description = {
      "Paired comparison of two prediction sets: accuracies, delta (cand - base) with a 95%% Newcombe interval, "
          + "exact McNemar p; per evaluation and pooled.",
      "Each BASE/CAND is a predictions.csv file or a directory; a directory holds one evaluation per "
          + "predictions.csv below it, named by its folder (eval/countdown3-test, cells/<cell>/eval/<name>); "
          + "evaluations are paired by name.",
      "Instances are paired by task/split/index and must have the same input.",
      "Exit 0 pass, 1 candidate significantly worse (or, with --exact, any prediction differs), 2 cannot "
          + "compare."
    })
public final class CompareCommand implements Callable<Integer> {
  /** DIFF lines printed in {@code --exact} mode before "... and N more". */
  static final int MAX_DIFFS = 20;

  /** The columns of {@code --csv}. */
  public static final String[] CSV_HEADER = {
    "stratum", "base", "cand", "n", "base_correct", "cand_correct", "base_accuracy", "cand_accuracy", "delta",
    "ci95_low", "ci95_high", "b01", "b10", "p_value"
  };

  @Spec CommandSpec spec;

  @Parameters(arity = "2..*", paramLabel = "PATH",
      description = "Baseline then candidate: predictions.csv files or run/suite directories; more pairs (one "
          + "per seed, say) are pooled.")
  List<Path> paths;

  @Option(names = "--eval", paramLabel = "NAME",
      description = "Compare only the evaluations whose folder name (e.g. countdown3-test) or full name "
          + "(e.g. eval/countdown3-test) is NAME; repeatable.")
  List<String> evalNames = new ArrayList<>();

  @Option(names = "--max-drop", defaultValue = "0.01", paramLabel = "D",
      description = "Largest tolerated accuracy drop (default: ${DEFAULT-VALUE}).")
  double maxDrop;

  @Option(names = "--alpha", defaultValue = "0.05", paramLabel = "A", description = "Significance level (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--exact",
      description = "Require identical prediction and verdict for every paired instance (golden predictions); "
          + "exit 1 listing the differences.")
  boolean exact;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Also write the statistics as CSV (one row per evaluation, then pooled); '-' prints the CSV "
          + "instead of the text report.")
  String csv;

  /** One side of a BASE CAND pair: its argument and its evaluations by name. */
  private record Side(Path arg, boolean file, SortedMap<String, Path> evals) {}

  /** Two evaluations to pair: {@code id} names it in DIFF lines and the CSV, {@code label} in the report. */
  private record Stratum(String id, String label, Path baseFile, Path candFile) {}

  /** A stratum with its pairs and their 2x2 table. */
  private record Compared(Stratum stratum, List<Pair> pairs, Pairing table) {}

  @Override
  public Integer call() {
    try {
      return run();
    } catch (UserDataException e) {
      // compare's contract: every input problem is "cannot compare", exit 2.
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage(), e);
    }
  }

  private int run() {
    checkOptions();
    if (!evalNames.isEmpty() && paths.stream().allMatch(Files::isRegularFile)) {
      throw new IllegalArgumentException("--eval selects evaluations inside directories, but every BASE and CAND "
          + "is a file; drop --eval");
    }
    List<String> notes = new ArrayList<>();
    List<Stratum> strata = new ArrayList<>();
    int pairCount = paths.size() / 2;
    for (int i = 0; i < paths.size(); i += 2) {
      strata.addAll(match(i / 2 + 1, pairCount, paths.get(i), paths.get(i + 1), notes));
    }
    Path csvFile = csvFile(strata);
    List<Compared> compared = new ArrayList<>();
    for (Stratum s : strata) {
      List<Pair> pairs;
      try {
        pairs = Pairing.match(PredictionsFile.read(s.baseFile()), PredictionsFile.read(s.candFile()));
      } catch (Pairing.MismatchException e) {
        throw new IllegalArgumentException("cannot compare " + s.label() + ": " + e.getMessage(), e);
      }
      compared.add(new Compared(s, pairs, Pairing.of(pairs)));
    }
    Pairing pooled = Pairing.pooled(compared.stream().map(Compared::table).toList());

    boolean csvOnStdout = "-".equals(csv);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter report = csvOnStdout ? spec.commandLine().getErr() : out;
    if (csvFile != null) {
      writeCsv(csvFile, compared, pooled);
    }
    notes.forEach(report::println);
    if (csvOnStdout) {
      printCsv(out, compared, pooled);
    } else {
      for (Compared c : compared) {
        out.println(c.stratum().label() + ": " + line(c.table()));
      }
      if (compared.size() > 1) {
        out.printf(Locale.ROOT, "pooled (%d strata): %s%n", compared.size(), line(pooled));
      }
    }
    int code = exact ? exactGate(report, compared, pooled.n()) : dropGate(report, pooled);
    out.flush();
    report.flush();
    return code;
  }

  private void checkOptions() {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("--alpha must be in (0, 1), got " + alpha);
    }
    if (!(maxDrop >= 0 && maxDrop <= 1)) {
      throw new IllegalArgumentException("--max-drop must be in [0, 1], got " + maxDrop);
    }
    if (paths.size() % 2 != 0) {
      throw new IllegalArgumentException("compare takes BASE CAND pairs; got " + paths.size() + " paths");
    }
    var parsed = spec.commandLine().getParseResult();
    if (exact && (parsed.hasMatchedOption("--alpha") || parsed.hasMatchedOption("--max-drop"))) {
      throw new IllegalArgumentException("--alpha and --max-drop do nothing with --exact (it requires identical "
          + "predictions); drop them");
    }
    for (String name : evalNames) {
      if (normalize(name).isEmpty()) {
        throw new IllegalArgumentException("--eval needs an evaluation name (e.g. countdown3-test), got '" + name
            + "'");
      }
    }
    if (csv != null && csv.isBlank()) {
      throw new IllegalArgumentException("--csv needs a file name or '-', got '" + csv + "'");
    }
  }

  /** The strata of one BASE CAND pair; notes collect the evaluations left out. */
  private List<Stratum> match(int k, int pairCount, Path baseArg, Path candArg, List<String> notes) {
    Side baseAll = side(baseArg);
    Side candAll = side(candArg);
    Side base = baseAll;
    Side cand = candAll;
    String prefix = pairCount > 1 ? "pair" + k + ":" : "";
    if (!evalNames.isEmpty() && !(base.file() && cand.file())) {
      for (String name : evalNames) {
        boolean hit = !base.file() && !select(base, List.of(name)).evals().isEmpty()
            || !cand.file() && !select(cand, List.of(name)).evals().isEmpty();
        if (!hit) {
          throw new IllegalArgumentException("--eval " + name + " matches no evaluation: BASE " + baseArg + " "
              + holds(baseAll) + "; CAND " + candArg + " " + holds(candAll));
        }
      }
      base = select(base, evalNames);
      cand = select(cand, evalNames);
    }
    if (base.file() && cand.file()) {
      return List.of(new Stratum(prefix + ".", baseArg + " vs " + candArg, base.evals().get("."),
          cand.evals().get(".")));
    }
    if (base.file() || cand.file()) {
      Side dir = base.file() ? cand : base;
      if (dir.evals().size() != 1) {
        throw new IllegalArgumentException((base.file() ? "BASE " + baseArg : "CAND " + candArg)
            + " is one evaluation (a file) but " + (base.file() ? "CAND " + candArg : "BASE " + baseArg) + " "
            + holds(dir) + (evalNames.isEmpty() ? "" : " after --eval " + String.join(", ", evalNames))
            + "; pick one with --eval NAME");
      }
      String name = dir.evals().firstKey();
      String label = base.file() ? baseArg + " vs " + name + " in " + candArg : name + " in " + baseArg + " vs "
          + candArg;
      return List.of(new Stratum(prefix + name, label, base.evals().get(base.file() ? "." : name),
          cand.evals().get(cand.file() ? "." : name)));
    }
    Side b = base;
    Side c = cand;
    List<String> common = b.evals().keySet().stream().filter(c.evals()::containsKey).toList();
    if (common.isEmpty()) {
      if (!evalNames.isEmpty() && b.evals().size() == 1 && c.evals().size() == 1) {
        String bn = b.evals().firstKey();
        String cn = c.evals().firstKey();
        return List.of(new Stratum(prefix + bn + " vs " + cn, bn + " vs " + cn + " (" + baseArg + " vs " + candArg
            + ")", b.evals().get(bn), c.evals().get(cn)));
      }
      throw new IllegalArgumentException("no evaluation in common" + (evalNames.isEmpty() ? "" : " after --eval "
          + String.join(", ", evalNames)) + ": BASE " + baseArg + " " + holds(baseAll) + "; CAND " + candArg + " "
          + holds(candAll) + "; select one evaluation on each side with --eval NAME");
    }
    List<String> onlyBase = b.evals().keySet().stream().filter(n -> !c.evals().containsKey(n)).toList();
    List<String> onlyCand = c.evals().keySet().stream().filter(n -> !b.evals().containsKey(n)).toList();
    if (!onlyBase.isEmpty()) {
      notes.add("not compared (only in BASE): " + list(onlyBase) + " (in " + baseArg + ")");
    }
    if (!onlyCand.isEmpty()) {
      notes.add("not compared (only in CAND): " + list(onlyCand) + " (in " + candArg + ")");
    }
    List<Stratum> strata = new ArrayList<>();
    for (String name : common) {
      strata.add(new Stratum(prefix + name, name + " (" + baseArg + " vs " + candArg + ")", b.evals().get(name),
          c.evals().get(name)));
    }
    return strata;
  }

  private static Side side(Path arg) {
    return new Side(arg, Files.isRegularFile(arg), PredictionsFile.evaluations(arg));
  }

  /** The evaluations of a directory side whose full or folder name is one of {@code names}; files stay. */
  private static Side select(Side s, List<String> names) {
    if (s.file()) {
      return s;
    }
    SortedMap<String, Path> kept = new TreeMap<>();
    s.evals().forEach((name, file) -> {
      if (names.stream().anyMatch(q -> selects(normalize(q), name))) {
        kept.put(name, file);
      }
    });
    return new Side(s.arg(), false, kept);
  }

  private static boolean selects(String query, String name) {
    return name.equals(query) || name.substring(name.lastIndexOf('/') + 1).equals(query);
  }

  private static String normalize(String name) {
    String s = name.strip();
    while (s.endsWith("/") && s.length() > 1) {
      s = s.substring(0, s.length() - 1);
    }
    while (s.startsWith("./") && s.length() > 2) {
      s = s.substring(2);
    }
    return s;
  }

  /** "holds 2 evaluations (eval/a, eval/b)" or "is a file", for messages. */
  private static String holds(Side s) {
    if (s.file()) {
      return "is a file";
    }
    int n = s.evals().size();
    return "holds " + n + (n == 1 ? " evaluation (" : " evaluations (") + list(s.evals().keySet()) + ")";
  }

  private static String list(Collection<String> names) {
    List<String> all = List.copyOf(names);
    int shown = Math.min(all.size(), 10);
    return String.join(", ", all.subList(0, shown)) + (all.size() > shown ? ", ... and " + (all.size() - shown)
        + " more" : "");
  }

  /** The --csv target (null for none or stdout), checked before any output: no directory, no input. */
  private Path csvFile(List<Stratum> strata) {
    if (csv == null || csv.equals("-")) {
      return null;
    }
    Path f = Path.of(csv);
    if (Files.isDirectory(f)) {
      throw new IllegalArgumentException("--csv " + csv + " is a directory; name a file");
    }
    Path abs = f.toAbsolutePath().normalize();
    for (Stratum s : strata) {
      for (Path input : List.of(s.baseFile(), s.candFile())) {
        if (input.toAbsolutePath().normalize().equals(abs) || Files.exists(f) && sameFile(f, input)) {
          throw new IllegalArgumentException("--csv " + csv + " is one of the inputs; name another file");
        }
      }
    }
    return f;
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static String line(Pairing p) {
    Newcombe ci = p.ci95();
    return String.format(Locale.ROOT,
        "n=%d base_accuracy=%.4f cand_accuracy=%.4f delta=%+.4f ci95=[%+.4f, %+.4f] b01=%d b10=%d p=%.6g",
        p.n(), p.baseAccuracy(), p.candAccuracy(), p.delta() + 0.0, ci.low() + 0.0, ci.high() + 0.0, p.b01(),
        p.b10(), p.pValue());
  }

  private int dropGate(PrintWriter report, Pairing pooled) {
    boolean worse = pooled.pValue() < alpha && -pooled.delta() > maxDrop;
    report.println(worse
        ? String.format(Locale.ROOT, "FAIL: candidate is significantly worse (p < %s, drop > %s)", alpha, maxDrop)
        : "PASS: no significant drop");
    return worse ? 1 : 0;
  }

  private static int exactGate(PrintWriter report, List<Compared> compared, int total) {
    int differ = 0;
    for (Compared c : compared) {
      for (Pair p : c.pairs()) {
        if (p.base().prediction().equals(p.cand().prediction()) && p.base().verdict() == p.cand().verdict()) {
          continue;
        }
        if (++differ <= MAX_DIFFS) {
          report.println("DIFF " + c.stratum().id() + " " + p.base().key() + " input=" + Pairing.quoted(
              p.base().input()) + " base=" + Pairing.quoted(p.base().prediction()) + " (" + p.base().verdict()
              + ") cand=" + Pairing.quoted(p.cand().prediction()) + " (" + p.cand().verdict() + ")");
        }
      }
    }
    if (differ > MAX_DIFFS) {
      report.println("... and " + (differ - MAX_DIFFS) + " more");
    }
    if (differ > 0) {
      report.printf(Locale.ROOT, "FAIL: %d of %d predictions differ from the baseline%n", differ, total);
      return 1;
    }
    report.printf(Locale.ROOT, "EXACT: all %d predictions identical%n", total);
    return 0;
  }

  private static void writeCsv(Path file, List<Compared> compared, Pairing pooled) {
    try {
      AtomicFiles.write(file, w -> printRows(Csv.printer(w, CSV_HEADER), compared, pooled));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write --csv " + file + ": " + e.getMessage(), e);
    }
  }

  private static void printCsv(PrintWriter out, List<Compared> compared, Pairing pooled) {
    try {
      printRows(Csv.printer(out, CSV_HEADER), compared, pooled);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void printRows(CSVPrinter printer, List<Compared> compared, Pairing pooled) throws IOException {
    for (Compared c : compared) {
      printer.printRecord(row(c.stratum().id(), c.stratum().baseFile().toString(),
          c.stratum().candFile().toString(), c.table()));
    }
    printer.printRecord(row("pooled", "", "", pooled));
    printer.flush();
  }

  private static List<String> row(String stratum, String base, String cand, Pairing p) {
    Newcombe ci = p.ci95();
    return List.of(stratum, base, cand, Integer.toString(p.n()), Integer.toString(p.baseCorrect()),
        Integer.toString(p.candCorrect()), decimal(p.baseAccuracy()), decimal(p.candAccuracy()),
        decimal(p.delta()), decimal(ci.low()), decimal(ci.high()), Integer.toString(p.b01()),
        Integer.toString(p.b10()), String.format(Locale.ROOT, "%.6g", p.pValue()));
  }

  private static String decimal(double x) {
    return String.format(Locale.ROOT, "%.6f", x + 0.0);
  }
}
