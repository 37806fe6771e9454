package dev.lddm.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import org.junit.jupiter.api.Test;

class TrainingFlopsTest {
  /** small, B=64, L=64: 4 blocks of d=128, F=512 and the tied head over 31 ids, counted by hand. */
  @Test
  void smallMgdmStepIsCountedByHand() {
    ModelConfig small = ModelConfig.preset(ModelKind.MGDM, "small", 64);
    double n = 64 * 64;
    double block = 2 * n * 128 * 384 + 2 * n * 128 * 128 + 4 * n * 128 * 512 + 4 * 64.0 * 64 * 64 * 128;
    double forward = 4 * block + 2 * n * 128 * 31;
    assertEquals(forward, TrainingFlops.forward(small, 64));
    assertEquals(3 * forward, TrainingFlops.perStep(small, 64));
    assertEquals(21.04e9, TrainingFlops.perStep(small, 64), 0.005e9);
    assertEquals(3 * forward * 1000, TrainingFlops.total(small, 64, 1000));
  }

  /** AR costs MGDM's step; LDDM adds its forward-only first pass with the self-conditioning probability. */
  @Test
  void lddmAddsTheExpectedSelfConditioningPass() {
    ModelConfig mgdm = ModelConfig.preset(ModelKind.MGDM, "micro", 37);
    double f = TrainingFlops.forward(mgdm, 8);
    assertEquals(3 * f, TrainingFlops.perStep(ModelConfig.preset(ModelKind.AR, "micro", 37), 8));
    assertEquals(3.9 * f, TrainingFlops.perStep(ModelConfig.preset(ModelKind.LDDM, "micro", 37), 8), 1e-6 * f);
    assertEquals(3.5 * f, TrainingFlops.perStep(ModelConfig.preset(ModelKind.LDDM, "micro", 37, 0.5), 8), 1e-6 * f);
    assertEquals("batch must be >= 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> TrainingFlops.forward(mgdm, 0)).getMessage());
  }
}
