package dev.lddm.model.graph;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * MGDM's training objective (HKUNLP/diffusion-vs-ar {@code src/llmtuner/tuner/mdm/trainer.py},
 * {@code inner_forward}, run with {@code --token_reweighting True --time_reweighting linear --alpha 0.25
 * --gamma 2 --diffusion_steps 20} as in {@code scripts/cd/train-mdm.sh}):
 *
 * <pre>
 *   ce_i  = -log p(x_i | z_t)                   on masked target positions, 0 elsewhere
 *   ce_i <- alpha · (1 - exp(-ce_i))^gamma · ce_i   (token reweighting, alpha 0.25, gamma 2)
 *   w     = T - t                                (linear time reweighting)
 *   loss  = sum_i ce_i · w / (number of masked positions)
 * </pre>
 *
 * Cross-entropy is {@code -sum(oneHot(x) · logSoftmax(logits))}: TF Java has no gradient for the sparse op.
 * The division guards against an all-unmasked batch with {@code max(count, 1)} (MGDM divides by zero there).
 */
public final class DiffusionLoss {
  /** Number of diffusion steps T (MGDM {@code --diffusion_steps 20}). */
  public static final int T = 20;
  /** Focal reweighting alpha. */
  public static final float ALPHA = 0.25f;
  /** Focal reweighting gamma (the graph implements gamma = 2 with a square). */
  public static final float GAMMA = 2f;

  private DiffusionLoss() {}

  /**
   * The loss as a scalar.
   *
   * @param logits [B, L, V] (already shifted)
   * @param targets [B, L] clean ids
   * @param lossMask [B, L] 1 on masked positions
   * @param timeWeight [B] the weight T - t of each sequence
   */
  public static Operand<TFloat32> build(Ops tf, int vocab, Operand<TFloat32> logits, Operand<TInt32> targets,
                                        Operand<TFloat32> lossMask, Operand<TFloat32> timeWeight) {
    Operand<TFloat32> logp = tf.nn.logSoftmax(tf.reshape(logits, tf.constant(new int[] {-1, vocab})));
    Operand<TFloat32> oneHot = tf.oneHot(tf.reshape(targets, tf.constant(new int[] {-1})), tf.constant(vocab),
        tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> ce = tf.math.neg(tf.sum(tf.math.mul(oneHot, logp), tf.constant(1)));
    Operand<TFloat32> focal = tf.math.mul(tf.constant(ALPHA),
        tf.math.mul(tf.math.square(tf.math.sub(tf.constant(1f), tf.math.exp(tf.math.neg(ce)))), ce));
    Operand<TFloat32> w = tf.reshape(tf.math.mul(lossMask, tf.expandDims(timeWeight, tf.constant(-1))),
        tf.constant(new int[] {-1}));
    Operand<TFloat32> total = tf.sum(tf.math.mul(focal, w), tf.constant(0));
    Operand<TFloat32> count = tf.math.maximum(tf.sum(tf.reshape(lossMask, tf.constant(new int[] {-1})), tf.constant(0)),
        tf.constant(1f));
    return tf.math.div(total, count);
  }

  /** The same loss in plain Java (double precision) for one sequence set; used as a test reference. */
  public static double reference(float[] logits, int[] targets, float[] lossMask, float[] timeWeight, int batch,
                                 int len, int vocab) {
    double total = 0;
    double count = 0;
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < len; i++) {
        int p = b * len + i;
        if (lossMask[p] == 0f) {
          continue;
        }
        count += lossMask[p];
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
          max = Math.max(max, logits[p * vocab + v]);
        }
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
          sum += Math.exp(logits[p * vocab + v] - max);
        }
        double ce = -(logits[p * vocab + targets[p]] - max - Math.log(sum));
        double focal = ALPHA * Math.pow(1 - Math.exp(-ce), GAMMA) * ce;
        total += focal * lossMask[p] * timeWeight[b];
      }
    }
    return total / Math.max(count, 1);
  }
}
