package dev.lddm.harness.cli;

import dev.lddm.harness.eval.Pairing;
import dev.lddm.harness.eval.Prediction;
import dev.lddm.harness.eval.PredictionsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lddm compare BASE CAND [--max-drop D] [--alpha A]}: a paired comparison with the exact McNemar
 * test; the regression gate. Exit 1 when the candidate is significantly worse ({@code p < alpha} and the
 * accuracy drop exceeds {@code max-drop}), 2 when the instance sets differ, else 0.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Paired comparison of two prediction sets (exact McNemar); exits 1 on a significant drop.")
public final class CompareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BASE", description = "Baseline predictions.csv, or a run/suite directory.")
  Path base;

  @Parameters(index = "1", paramLabel = "CAND", description = "Candidate predictions.csv, or a run/suite directory.")
  Path cand;

  @Option(names = "--max-drop", defaultValue = "0.01",
      description = "Largest tolerated accuracy drop (default: ${DEFAULT-VALUE}).")
  double maxDrop;

  @Option(names = "--alpha", defaultValue = "0.05", description = "Significance level (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Override
  public Integer call() {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("--alpha must be in (0, 1), got " + alpha);
    }
    if (!(maxDrop >= 0 && maxDrop <= 1)) {
      throw new IllegalArgumentException("--max-drop must be in [0, 1], got " + maxDrop);
    }
    Pairing p = Pairing.of(load(base), load(cand));
    boolean worse = p.pValue() < alpha && -p.delta() > maxDrop;
    var out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "n=%d base_accuracy=%.4f cand_accuracy=%.4f delta=%+.4f b01=%d b10=%d p=%.6g%n",
        p.n(), p.baseAccuracy(), p.candAccuracy(), p.delta(), p.b01(), p.b10(), p.pValue());
    out.println(worse
        ? String.format(Locale.ROOT, "FAIL: candidate is significantly worse (p < %s, drop > %s)", alpha, maxDrop)
        : "PASS: no significant drop");
    out.flush();
    return worse ? 1 : 0;
  }

  private static List<Prediction> load(Path path) {
    List<Prediction> all = new ArrayList<>();
    for (Path f : PredictionsFile.find(path)) {
      all.addAll(PredictionsFile.read(f));
    }
    return all;
  }
}
