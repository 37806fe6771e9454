package dev.lddm.harness.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepDiagnosticsTest {
  static float[] oneHotish(int v, int size) {
    float[] p = new float[size];
    java.util.Arrays.fill(p, 0.1f / (size - 1));
    p[v] = 0.9f;
    return p;
  }

  @Test
  void entropyKlIdleAndOscillationOnAHandMadeRun(@TempDir Path dir) throws Exception {
    StepDiagnostics d = new StepDiagnostics();
    int v = 4;
    float[] uniform = {0.25f, 0.25f, 0.25f, 0.25f};
    // Sequence 0, one position: uniform, then argmax 1, 2, 1 (returns to a value it left), 1 (idle).
    d.onStep(0, 0, new int[0], 0, new float[][] {uniform});
    d.onStep(1, 0, new int[0], 0, new float[][] {oneHotish(1, v)});
    d.onStep(2, 0, new int[0], 0, new float[][] {oneHotish(2, v)});
    d.onStep(3, 0, new int[0], 0, new float[][] {oneHotish(1, v)});
    d.onStep(4, 0, new int[0], 0, new float[][] {oneHotish(1, v)});
    List<StepDiagnostics.Row> rows = d.rows();
    assertEquals(5, rows.size());
    assertEquals(Math.log(4), rows.get(0).tpe(), 1e-6);
    assertEquals(0, rows.get(0).tkl());
    // argmax of the uniform step is 0; step 1 moves to 1 (left 0), step 2 to 2 (left 1), step 3 back to 1.
    assertEquals(0, rows.get(1).oscillations());
    assertEquals(0, rows.get(2).oscillations());
    assertEquals(1, rows.get(3).oscillations());
    assertEquals(0.0, rows.get(3).idle());
    assertEquals(1.0, rows.get(4).idle());
    assertEquals(0.0, rows.get(4).tkl(), 1e-7);
    assertTrue(rows.get(2).tkl() > 1.0, "moving 0.9 of the mass costs > 1 nat");
    for (StepDiagnostics.Row r : rows) {
      assertTrue(r.tpe() >= 0 && r.tkl() >= 0 && Double.isFinite(r.tkl()));
    }
    Path f = dir.resolve("steps.csv");
    d.write(f);
    List<StepDiagnostics.Row> back = StepDiagnostics.read(f);
    assertEquals(rows.size(), back.size());
    assertEquals(rows.get(3).oscillations(), back.get(3).oscillations());
  }

  @Test
  void zeroProbabilitiesKeepKlFinite() {
    StepDiagnostics d = new StepDiagnostics();
    d.onStep(0, 0, new int[0], 0, new float[][] {{1f, 0f}});
    d.onStep(1, 0, new int[0], 0, new float[][] {{0f, 1f}});
    assertTrue(Double.isFinite(d.rows().get(1).tkl()));
    assertTrue(d.rows().get(1).tkl() > 20);
  }
}
