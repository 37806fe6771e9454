package dev.lddm.model.train;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;

/**
 * Analytic training compute, so runs can be compared at equal FLOPs rather than equal steps: LDDM's
 * self-conditioning pass makes its step dearer than MGDM's.
 *
 * <p>Matrix products only (a multiply-add is 2 FLOPs; element-wise work, softmax, LayerNorm and the
 * optimizer are not counted), with N = B·L tokens per batch:
 *
 * <pre>
 *   per block = 2·N·d·3d (QKV) + 2·N·d·d (attention out) + 2·2·N·d·F (MLP) + 2·2·B·L²·d (Q·Kᵀ and P·V)
 *   forward   = layers · block + 2·N·d·V (tied output head)
 *   MGDM, AR  = 3 · forward                      (backward: two products per forward product)
 *   LDDM      = 3 · forward + p · forward        (with probability p, the self-conditioning rate, a first
 *                                                 pass runs forward only, under stop-gradient)
 * </pre>
 *
 * The LDDM figure is the expectation over the per-batch self-conditioning coin. The same count as
 * {@code dev.lddm.model.bench.Utilisation} (for {@code small}, B=64, L=64: 21.04 GFLOP per MGDM step).
 */
public final class TrainingFlops {
  private TrainingFlops() {}

  /** Matrix FLOPs of one forward pass over a batch. */
  public static double forward(ModelConfig c, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    double n = (double) batch * c.seqLen();
    double d = c.dModel();
    double block = 2 * n * d * 3 * d + 2 * n * d * d + 2 * 2 * n * d * c.ffDim()
        + 2 * 2 * (double) batch * c.seqLen() * c.seqLen() * d;
    return c.layers() * block + 2 * n * d * c.vocab();
  }

  /** Expected matrix FLOPs of one optimizer step (see the class comment). */
  public static double perStep(ModelConfig c, int batch) {
    double f = forward(c, batch);
    return c.kind() == ModelKind.LDDM ? (3 + c.selfCondRate()) * f : 3 * f;
  }

  /** Expected matrix FLOPs of {@code steps} optimizer steps. */
  public static double total(ModelConfig c, int batch, long steps) {
    return perStep(c, batch) * steps;
  }
}
