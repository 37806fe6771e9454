package dev.lddm.harness.suite;

import dev.lddm.model.ModelKind;
import java.util.ArrayList;
import java.util.List;

/**
 * One trained model of a suite: (training task, model, preset, seed) with its evaluations. Its id names
 * its directory, {@code cells/<id>/}.
 */
public record Cell(String task, ModelKind kind, String preset, long seed, List<Suite.EvalSpec> evals) {
  public String id() {
    return task + "-" + kind.id() + "-" + preset + "-s" + seed;
  }

  /** Every cell of a suite, in the suite's order (runs, then seeds, then models, then presets). */
  public static List<Cell> expand(Suite s) {
    List<Cell> cells = new ArrayList<>();
    for (Suite.Run run : s.runs()) {
      for (long seed : run.seeds()) {
        for (String m : s.models()) {
          for (String preset : s.presets()) {
            cells.add(new Cell(run.task(), ModelKind.parse(m), preset, seed, run.eval()));
          }
        }
      }
    }
    return cells;
  }
}
