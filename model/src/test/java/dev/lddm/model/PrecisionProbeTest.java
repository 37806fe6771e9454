package dev.lddm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrecisionProbeTest {
  /** bf16 is chosen only with the margin: a tie, or a bf16 slower than fp32 (Intel without AMX), keeps fp32. */
  @Test
  void choosesBf16OnlyWhenItsMatMulIsClearlyFaster() {
    assertEquals(Precision.BF16, PrecisionProbe.choose(108, 205)); // Zen 4, measured
    assertEquals(Precision.BF16, PrecisionProbe.choose(100, 130));
    assertEquals(Precision.FP32, PrecisionProbe.choose(100, 129.9));
    assertEquals(Precision.FP32, PrecisionProbe.choose(100, 100));
    assertEquals(Precision.FP32, PrecisionProbe.choose(158, 78)); // Intel family 6 model 207, measured
  }

  /** The probe measures both products on this machine and reports the choice its figures imply. */
  @Test
  void measuresBothPrecisionsAndReportsItsChoice() {
    PrecisionProbe.Result r = PrecisionProbe.run(dev.lddm.model.graph.ModelGraph.sessionConfig(1, 1));
    assertTrue(r.fp32Gflops() > 0 && r.bf16Gflops() > 0, r.describe());
    assertEquals(PrecisionProbe.choose(r.fp32Gflops(), r.bf16Gflops()), r.chosen());
    assertTrue(r.describe().startsWith("--precision auto chose " + r.chosen().id() + " (MatMul bf16 "), r.describe());
  }
}
