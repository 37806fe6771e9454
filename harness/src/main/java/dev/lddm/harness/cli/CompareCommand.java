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
 * {@code lddm compare BASE CAND [BASE2 CAND2 ...] [--max-drop D] [--alpha A]}: a paired comparison with the
 * exact McNemar test; the regression gate. Several BASE/CAND pairs (e.g. one per training seed) are compared
 * one by one and pooled (stratified: instances are paired within each pair only); the gate uses the pooled
 * result. Exit 1 when the candidate is significantly worse ({@code p < alpha} and the
 * accuracy drop exceeds {@code max-drop}), 2 when the instance sets differ, else 0.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Paired comparison of two prediction sets (exact McNemar); exits 1 on a significant drop.")
public final class CompareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "2..*", paramLabel = "BASE CAND",
      description = "Baseline then candidate: predictions.csv files or run directories; more pairs (one per "
          + "seed, say) are pooled.")
  List<Path> paths;

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
    if (paths.size() % 2 != 0) {
      throw new IllegalArgumentException("compare takes BASE CAND pairs; got " + paths.size() + " paths");
    }
    var out = spec.commandLine().getOut();
    List<Pairing> pairs = new ArrayList<>();
    for (int i = 0; i < paths.size(); i += 2) {
      pairs.add(Pairing.of(load(paths.get(i)), load(paths.get(i + 1))));
    }
    Pairing p = pairs.size() == 1 ? pairs.get(0) : Pairing.pooled(pairs);
    if (pairs.size() > 1) {
      for (int i = 0; i < pairs.size(); i++) {
        out.printf(Locale.ROOT, "pair %d: %s%n", i + 1, line(pairs.get(i)));
      }
      out.print("pooled: ");
    }
    out.println(line(p));
    boolean worse = p.pValue() < alpha && -p.delta() > maxDrop;
    out.println(worse
        ? String.format(Locale.ROOT, "FAIL: candidate is significantly worse (p < %s, drop > %s)", alpha, maxDrop)
        : "PASS: no significant drop");
    out.flush();
    return worse ? 1 : 0;
  }

  private static String line(Pairing p) {
    return String.format(Locale.ROOT, "n=%d base_accuracy=%.4f cand_accuracy=%.4f delta=%+.4f b01=%d b10=%d p=%.6g",
        p.n(), p.baseAccuracy(), p.candAccuracy(), p.delta(), p.b01(), p.b10(), p.pValue());
  }

  private static List<Prediction> load(Path path) {
    List<Prediction> all = new ArrayList<>();
    for (Path f : PredictionsFile.find(path)) {
      all.addAll(PredictionsFile.read(f));
    }
    return all;
  }
}
