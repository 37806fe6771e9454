package dev.lddm.model.graph;

import dev.lddm.model.ModelConfig;
import dev.lddm.tasks.token.Vocabulary;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.ReduceMin;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Inference-only reductions of the logits, so that the fast decoder fetches [B, L] values instead of the
 * logits [B, L, V] ({@code dev.lddm.model.decode.Sampler}). Every token id here is exact (comparisons only, ties
 * to the lowest id, as a left-to-right Java scan with {@code >}); the log-sum-exp is float32 and only used to
 * rank positions where its rounding provably cannot matter (the decoder checks a margin, see the sampler).
 *
 * <p>Diffusion models (MGDM, LDDM): {@link #BEST_TOKEN} and {@link #STATS}. AR: {@link #NEXT_TOKEN}.
 */
public final class DecodeHeads {
  private DecodeHeads() {}

  /**
   * Fetched int32 [B, L] (diffusion): per position the lowest id {@code k != [MASK]} with the largest logit.
   * Meaningful only when the three {@link #STATS} are finite (a NaN row may give any id, or {@code V}).
   */
  public static final String BEST_TOKEN = "decode/best_token";
  /**
   * Fetched float32 [B, L, 3] (diffusion): per position {@code (z[best], max_k z[k], log sum_k exp(z[k] - max))}.
   * The first two are exact logits ({@code -inf} when every logit besides {@code [MASK]} is); the log-sum-exp is
   * float32, NaN when a logit is NaN or {@code +inf}.
   */
  public static final String STATS = "decode/stats";
  /**
   * Fetched int32 [B, L] (AR): per position the lowest id with the largest logit over the full vocabulary;
   * {@code -1} when the row holds a NaN or infinite logit (the decoder then reads the logits).
   */
  public static final String NEXT_TOKEN = "decode/next_token";

  /** Adds the named reductions of {@code logits} [B, L, V] for the model kind of {@code c}. */
  public static void build(Ops tf, ModelConfig c, Operand<TFloat32> logits) {
    Ops d = tf.withSubScope("decode");
    int v = c.vocab();
    Operand<TInt32> last = d.constant(-1);
    Operand<TInt32> ids = d.constant(iota(v));
    if (c.kind().isAutoregressive()) {
      Operand<TFloat32> max = d.reduceMax(logits, last, ReduceMax.keepDims(true));
      Operand<TInt32> first = firstIndexOf(d, logits, max, ids, v);
      // z * 0 is 0 for a finite logit and NaN for NaN or an infinity: the row sum is finite iff every logit is.
      Operand<TFloat32> probe = d.sum(d.math.mul(logits, d.constant(0f)), last, Sum.keepDims(false));
      Operand<TInt32> finite = d.dtypes.cast(d.math.isFinite(probe), TInt32.class);
      // finite ? first : -1, in exact int arithmetic
      d.withName("next_token").math.sub(d.math.mul(d.math.add(first, d.constant(1)), finite), d.constant(1));
      return;
    }
    float[] maskBias = new float[v];
    maskBias[Vocabulary.MASK] = Float.NEGATIVE_INFINITY;
    Operand<TFloat32> noMask = d.math.add(logits, d.constant(maskBias));
    Operand<TFloat32> best = d.reduceMax(noMask, last, ReduceMax.keepDims(true));
    d.withName("best_token").identity(firstIndexOf(d, noMask, best, ids, v));
    Operand<TFloat32> max = d.reduceMax(logits, last, ReduceMax.keepDims(true));
    Operand<TFloat32> lse = d.math.log(d.sum(d.math.exp(d.math.sub(logits, max)), last, Sum.keepDims(true)));
    d.withName("stats").concat(List.of(best, max, lse), last);
  }

  /** The lowest index k with {@code z[k] == target} along the last axis, else {@code v}: [B, L] int32. */
  private static Operand<TInt32> firstIndexOf(Ops d, Operand<TFloat32> z, Operand<TFloat32> target,
                                              Operand<TInt32> ids, int v) {
    Operand<TInt32> hit = d.dtypes.cast(d.math.equal(z, target), TInt32.class);
    // hit ? k : v  ==  v + hit * (k - v)
    Operand<TInt32> cand = d.math.add(d.constant(v), d.math.mul(hit, d.math.sub(ids, d.constant(v))));
    return d.reduceMin(cand, d.constant(-1), ReduceMin.keepDims(false));
  }

  private static int[] iota(int v) {
    int[] a = new int[v];
    for (int i = 0; i < v; i++) {
      a[i] = i;
    }
    return a;
  }
}
