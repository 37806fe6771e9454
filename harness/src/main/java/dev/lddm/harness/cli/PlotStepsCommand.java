package dev.lddm.harness.cli;

import dev.lddm.harness.AtomicFiles;
import dev.lddm.harness.board.Charts;
import dev.lddm.harness.diag.StepDiagnostics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lddm plot-steps LABEL=steps.csv... --out PNG}: compare decoding dynamics of several runs. The
 * arguments and every input file are checked before the PNG is written (atomically).
 */
@Command(name = "plot-steps", mixinStandardHelpOptions = true,
    description = "Plot TPE, temporal KL and idle steps of several steps.csv files, one line per run.")
public final class PlotStepsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "LABEL=STEPS_CSV", description = "e.g. mgdm=runs/a/eval/countdown3-test/steps.csv")
  List<String> inputs;

  @Option(names = "--out", required = true, description = "PNG to write.")
  Path out;

  @Option(names = "--title", defaultValue = "Decoding dynamics", description = "Chart title.")
  String title;

  @Override
  public Integer call() throws IOException {
    AtomicFiles.requireWritableFile("--out", out);
    Map<String, Path> files = new LinkedHashMap<>();
    for (String in : inputs) {
      int eq = in.indexOf('=');
      if (eq <= 0 || eq == in.length() - 1) {
        throw new IllegalArgumentException("expected LABEL=STEPS_CSV, got '" + in + "'");
      }
      String label = in.substring(0, eq);
      if (files.put(label, Path.of(in.substring(eq + 1))) != null) {
        throw new IllegalArgumentException("label '" + label + "' is given twice; give each run its own label");
      }
    }
    Map<String, List<StepDiagnostics.Row>> runs = new LinkedHashMap<>();
    files.forEach((label, file) -> runs.put(label, StepDiagnostics.read(file)));
    Charts.stepCurves(out, title, runs);
    spec.commandLine().getOut().println(out);
    return 0;
  }
}
