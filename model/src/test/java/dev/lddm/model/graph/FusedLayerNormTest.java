package dev.lddm.model.graph;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link FusedLayerNorm}: the same function as {@link Backbone#layerNormForward}, epsilon included. */
class FusedLayerNormTest {
  private static FusedLayerNorm.Probe probe() {
    return FusedLayerNorm.probe(ModelGraph.sessionConfig(1, 1));
  }

  @Test
  void theProbeAgreesWhereTheKernelRuns() {
    assumeTrue(probe() != FusedLayerNorm.Probe.NO_KERNEL, "this TensorFlow has no _MklLayerNorm kernel");
    assertEquals(FusedLayerNorm.Probe.AGREES, probe());
    assertTrue(FusedLayerNorm.available(ModelGraph.sessionConfig(1, 1)));
  }

  /**
   * Rows of standard deviation {@code sd} (their means multiples of it, so no cancellation): at 1e-3 (variance
   * 1e-6, below the 1e-5 epsilon) the epsilon dominates the output, so the op's default of 1e-3 or a dropped
   * epsilon would fail; at 1 and 100 the normalisation does.
   */
  @ParameterizedTest
  @ValueSource(doubles = {1e-3, 1e-2, 1, 100})
  void equalsTheCompositeUpToRoundOff(double sd) {
    assumeTrue(probe() != FusedLayerNorm.Probe.NO_KERNEL, "this TensorFlow has no _MklLayerNorm kernel");
    int n = 64;
    int d = 128;
    SplittableRandom r = new SplittableRandom(11);
    float[] x = new float[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (sd * (r.nextGaussian() + 0.5 * (i / d % 3))); // row means of 0, sd/2, sd
    }
    float[] g = new float[d];
    float[] b = new float[d];
    for (int j = 0; j < d; j++) {
      g[j] = (float) (1 + 0.2 * r.nextGaussian());
      b[j] = (float) (0.1 * r.nextGaussian());
    }
    float[][] out = FusedLayerNorm.outputs(ModelGraph.sessionConfig(1, 1), x, n, d, g, b);
    float[] fused = out[0];
    float[] plain = out[1];
    assertEquals(plain.length, fused.length);
    double worst = 0;
    double scale = 0;
    for (int i = 0; i < plain.length; i++) {
      worst = Math.max(worst, Math.abs(fused[i] - plain[i]));
      scale = Math.max(scale, Math.abs(plain[i]));
    }
    assertTrue(scale > 0.05, "outputs should not all be ~0: " + scale);
    assertTrue(worst <= 2e-6 * (1 + scale), "sd " + sd + ": max |fused - composite| = " + worst + " of " + scale);
  }
}
