package dev.lddm.model.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.tasks.token.Vocabulary;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** {@link DecodeHeads} against a plain-Java reference on rows with ties, zeros of both signs, infinities, NaN. */
class DecodeHeadsTest {
  private static final int B = 3;
  private static final int L = 8;
  private static final int V = Vocabulary.SIZE;

  /** Random logits [B, L, V]; positions 1..7 of the first sequence exercise ties and non-finite values. */
  private static float[] logits() {
    SplittableRandom r = new SplittableRandom(11);
    float[] z = new float[B * L * V];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (r.nextGaussian() * 4);
    }
    // row 1: a tie between ids 7 and 20 at the maximum; [MASK] larger still (must be skipped by best_token)
    fill(z, 1, 0.5f);
    z[V + 7] = 3f;
    z[V + 20] = 3f;
    z[V + Vocabulary.MASK] = 9f;
    // row 2: -0.0 then +0.0 as the largest (equal: the first wins)
    fill(z, 2, -1f);
    z[2 * V + 4] = -0f;
    z[2 * V + 5] = 0f;
    // row 3: every logit -inf except [MASK]: no best token
    fill(z, 3, Float.NEGATIVE_INFINITY);
    z[3 * V + Vocabulary.MASK] = 1f;
    // row 4: a NaN; row 5: +inf; row 6: one -inf among finite values
    z[4 * V + 9] = Float.NaN;
    z[5 * V + 2] = Float.POSITIVE_INFINITY;
    z[6 * V + 3] = Float.NEGATIVE_INFINITY;
    // row 7: all equal
    fill(z, 7, 2f);
    return z;
  }

  private static void fill(float[] z, int row, float value) {
    java.util.Arrays.fill(z, row * V, (row + 1) * V, value);
  }

  @Test
  void diffusionReductionsMatchTheJavaScan() {
    float[] z = logits();
    ModelConfig c = ModelConfig.preset(ModelKind.MGDM, "micro", L);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> in = tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, L, V)));
      DecodeHeads.build(tf, c, in);
      try (Tensor t = Tensors.floats(z, B, L, V);
           Result r = s.runner().feed("z", t).fetch(DecodeHeads.BEST_TOKEN).fetch(DecodeHeads.STATS).run()) {
        int[] best = ints(r.get(0));
        float[] stats = Tensors.read(r.get(1));
        for (int p = 0; p < B * L; p++) {
          int base = p * V;
          int arg = -1;
          double argLogit = Double.NEGATIVE_INFINITY;
          double max = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < V; k++) {
            max = Math.max(max, z[base + k]);
            if (k != Vocabulary.MASK && z[base + k] > argLogit) {
              argLogit = z[base + k];
              arg = k;
            }
          }
          int row = p < L ? p : -1; // the special rows are the first sequence's
          if (row == 4 || row == 5) {
            assertTrue(Float.isNaN(stats[3 * p + 2]), "row " + row + ": NaN or +inf makes the log-sum-exp NaN");
            continue;
          }
          if (row == 3) {
            assertEquals(Float.NEGATIVE_INFINITY, stats[3 * p], "no finite logit besides [MASK]: the decoder must"
                + " see a non-finite best logit (and then ignores best_token)");
            continue;
          }
          assertEquals(arg, best[p], "position " + p);
          assertEquals((float) argLogit, stats[3 * p], 0f, "position " + p);
          assertEquals((float) max, stats[3 * p + 1], 0f, "position " + p);
          double sum = 0;
          for (int k = 0; k < V; k++) {
            sum += Math.exp(z[base + k] - max);
          }
          assertEquals(Math.log(sum), stats[3 * p + 2], (V + 4) * 0x1p-24, "position " + p);
        }
        assertEquals(7, best[1]);
        assertEquals(4, best[2]);
        assertEquals(0, best[7]);
      }
    }
  }

  @Test
  void arNextTokenIsTheFirstLargestOrMinusOne() {
    float[] z = logits();
    ModelConfig c = ModelConfig.preset(ModelKind.AR, "micro", L);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> in = tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, L, V)));
      DecodeHeads.build(tf, c, in);
      try (Tensor t = Tensors.floats(z, B, L, V); Result r = s.runner().feed("z", t).fetch(DecodeHeads.NEXT_TOKEN).run()) {
        int[] next = ints(r.get(0));
        for (int p = 0; p < B * L; p++) {
          int row = p < L ? p : -1; // the special rows are the first sequence's
          if (row == 3 || row == 4 || row == 5 || row == 6) {
            assertEquals(-1, next[p], "row " + row + " holds a non-finite logit");
            continue;
          }
          int arg = 0;
          for (int k = 1; k < V; k++) {
            if (z[p * V + k] > z[p * V + arg]) {
              arg = k;
            }
          }
          assertEquals(arg, next[p], "position " + p);
        }
        assertEquals(Vocabulary.MASK, next[1], "AR reads the full vocabulary");
        assertEquals(4, next[2]);
      }
    }
  }

  private static int[] ints(Tensor t) {
    int[] out = new int[Math.toIntExact(t.shape().size())];
    ((TInt32) t).copyTo(DataBuffers.of(out, false, false));
    return out;
  }
}
