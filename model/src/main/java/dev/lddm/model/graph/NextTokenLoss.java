package dev.lddm.model.graph;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The AR baseline's objective: standard next-token cross-entropy, averaged over the target positions,
 *
 * <pre>
 *   loss = sum_{j >= 1} m_j · -log softmax(logits[j-1])[x_j]  /  max(sum_{j >= 1} m_j, 1)
 * </pre>
 *
 * where {@code logits} are the AR model's unshifted logits ({@code logits[i]} predicts token {@code i+1}),
 * {@code x} is the clean sequence {@code input [SEP] output [EOS] [PAD]...} and {@code m_j = 1} exactly on the
 * target positions, from the first token after {@code [SEP]} through {@code [EOS]} (the trainer feeds it;
 * input, {@code [SEP]} and the padding after {@code [EOS]} carry no loss). Position 0 is never a target (it has
 * no left context); its mask entry is ignored. No focal or time reweighting. Cross-entropy is
 * {@code -sum(oneHot · logSoftmax)} because TF Java has no gradient for the sparse op; the shift is a gather
 * with constant indices (GatherV2 has a gradient).
 */
public final class NextTokenLoss {
  private NextTokenLoss() {}

  /**
   * The loss as a scalar.
   *
   * @param logits [B, L, V] unshifted AR logits
   * @param sequence [B, L] the clean sequence (the same ids the model was fed)
   * @param targetMask [B, L] 1 where token j is a target (the output part and {@code [EOS]}), else 0
   */
  public static Operand<TFloat32> build(Ops tf, int len, int vocab, Operand<TFloat32> logits,
                                        Operand<TInt32> sequence, Operand<TFloat32> targetMask) {
    int[] prev = new int[len];
    float[] notFirst = new float[len];
    for (int j = 1; j < len; j++) {
      prev[j] = j - 1;
      notFirst[j] = 1f;
    }
    // predictor[:, j] = logits[:, j-1] (j >= 1); column 0 is a placeholder that notFirst zeroes out.
    Operand<TFloat32> predictor = tf.gather(logits, tf.constant(prev), tf.constant(1));
    Operand<TFloat32> logp = tf.nn.logSoftmax(tf.reshape(predictor, tf.constant(new int[] {-1, vocab})));
    Operand<TFloat32> oneHot = tf.oneHot(tf.reshape(sequence, tf.constant(new int[] {-1})), tf.constant(vocab),
        tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> ce = tf.math.neg(tf.sum(tf.math.mul(oneHot, logp), tf.constant(1)));
    Operand<TFloat32> m = tf.reshape(tf.math.mul(targetMask, tf.constant(notFirst)), tf.constant(new int[] {-1}));
    Operand<TFloat32> total = tf.sum(tf.math.mul(ce, m), tf.constant(0));
    Operand<TFloat32> count = tf.math.maximum(tf.sum(m, tf.constant(0)), tf.constant(1f));
    return tf.math.div(total, count);
  }

  /**
   * The same loss in plain Java (double precision), used as a test reference.
   *
   * @param logits [B·L·V] unshifted AR logits, row-major
   * @param sequence [B·L] clean ids
   * @param targetMask [B·L]
   */
  public static double reference(float[] logits, int[] sequence, float[] targetMask, int batch, int len, int vocab) {
    double total = 0;
    double count = 0;
    for (int b = 0; b < batch; b++) {
      for (int j = 1; j < len; j++) {
        int p = b * len + j;
        if (targetMask[p] == 0f) {
          continue;
        }
        int base = (p - 1) * vocab;
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
          max = Math.max(max, logits[base + v]);
        }
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
          sum += Math.exp(logits[base + v] - max);
        }
        total += targetMask[p] * -(logits[base + sequence[p]] - max - Math.log(sum));
        count += targetMask[p];
      }
    }
    return total / Math.max(count, 1);
  }
}
