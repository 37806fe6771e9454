package dev.lddm.model.graph;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * AdamW (Loshchilov and Hutter; PyTorch {@code torch.optim.AdamW} semantics) with the learning rate and the
 * bias corrections fed per step, and global-norm gradient clipping:
 *
 * <pre>
 *   g <- g · min(1, clip / (||g||_2 + 1e-6))          (over all variables, as torch clip_grad_norm_)
 *   m <- b1·m + (1-b1)·g;  v <- b2·v + (1-b2)·g^2
 *   p <- p - lr·( (m/bc1) / (sqrt(v/bc2) + eps) + wd·p )   bc1 = 1-b1^k, bc2 = 1-b2^k (fed)
 * </pre>
 *
 * <p>The moment and parameter updates run as TensorFlow's fused {@code ApplyAdam} kernel (one pass over each
 * variable; the same function up to float rounding, with the bias corrections folded into its learning rate
 * and epsilon), the squared norm as one {@code L2Loss} per gradient; the decay, when on, is a separate
 * {@code p -= lr·wd·p} before it. {@code AdamWTest} checks three steps against a double-precision reference.
 *
 * Weight decay applies only to the variables passed as {@code decayed} (matrices and embeddings; HF Trainer
 * exempts biases and LayerNorms). The slots are created once in the constructor, so several loss functions
 * ({@link #minimize}) share them, and all of them exist before the first save.
 */
public final class AdamW {
  public static final float BETA1 = 0.9f;
  public static final float BETA2 = 0.999f;
  public static final float EPS = 1e-8f;
  public static final float CLIP_NORM = 1.0f;

  private final Graph graph;
  private final List<Variable<TFloat32>> vars;
  private final Set<Variable<TFloat32>> decayed;
  private final List<Variable<TFloat32>> m = new ArrayList<>();
  private final List<Variable<TFloat32>> v = new ArrayList<>();
  private final Operand<TFloat32> lr;
  private final Operand<TFloat32> bc1;
  private final Operand<TFloat32> bc2;
  private final float weightDecay;

  /** Creates the slots ({@code optimizer/m_i}, {@code optimizer/v_i}) and the fed scalars. */
  public AdamW(Graph graph, Ops tf, List<Variable<TFloat32>> vars, List<Variable<TFloat32>> decayed, float weightDecay) {
    this.graph = graph;
    this.vars = List.copyOf(vars);
    Map<Variable<TFloat32>, Boolean> dec = new IdentityHashMap<>();
    decayed.forEach(x -> dec.put(x, true));
    this.decayed = dec.keySet();
    this.weightDecay = weightDecay;
    Ops o = tf.withSubScope("optimizer");
    for (int i = 0; i < vars.size(); i++) {
      Variable<TFloat32> p = vars.get(i);
      m.add(o.withName("m_" + i).variable(o.zeros(o.constant(p.shape()), TFloat32.class)));
      v.add(o.withName("v_" + i).variable(o.zeros(o.constant(p.shape()), TFloat32.class)));
    }
    lr = tf.withName(OpNames.LR).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    bc1 = tf.withName(OpNames.ADAM_BC1).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    bc2 = tf.withName(OpNames.ADAM_BC2).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
  }

  /**
   * Adds one update step on {@code loss} to the graph.
   *
   * @param name the name of the grouping target op
   * @param normName the name of the fetched global gradient norm
   * @return the target op (run it to apply the step)
   */
  public Op minimize(Ops tf, Operand<TFloat32> loss, String name, String normName) {
    Output<?>[] xs = new Output<?>[vars.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = vars.get(i).asOutput();
    }
    Output<?>[] grads = graph.addGradients(loss.asOutput(), xs);
    // ||g||^2 = 2·sum of L2Loss (sum(g^2)/2): one reduction op per variable instead of Square, Reshape and Sum.
    List<Operand<TFloat32>> halfSquares = new ArrayList<>();
    for (Output<?> g : grads) {
      if (g != null) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> gf = (Operand<TFloat32>) g;
        halfSquares.add(tf.nn.l2Loss(gf));
      }
    }
    Operand<TFloat32> norm = tf.withName(normName).math.sqrt(
        tf.math.mul(tf.constant(2f), tf.math.addN(halfSquares)));
    Operand<TFloat32> scale = tf.math.minimum(tf.constant(1f),
        tf.math.div(tf.constant(CLIP_NORM), tf.math.add(norm, tf.constant(1e-6f))));
    // (m/bc1)/(sqrt(v/bc2) + eps) = m·(sqrt(bc2)/bc1)/(sqrt(v) + eps·sqrt(bc2)): ApplyAdam with both beta powers
    // 0 computes var -= m·lr'/(sqrt(v) + eps') in one pass, so the corrections go into lr' and eps'.
    Operand<TFloat32> sqrtBc2 = tf.math.sqrt(bc2);
    Operand<TFloat32> stepLr = tf.math.div(tf.math.mul(lr, sqrtBc2), bc1);
    Operand<TFloat32> stepEps = tf.math.mul(tf.constant(EPS), sqrtBc2);
    Operand<TFloat32> zero = tf.constant(0f);
    Operand<TFloat32> decayRate = weightDecay == 0f ? null : tf.math.mul(lr, tf.constant(weightDecay));
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < grads.length; i++) {
      if (grads[i] == null) {
        continue; // unreachable from this loss: not trained by it
      }
      @SuppressWarnings("unchecked")
      Operand<TFloat32> g = tf.math.mul((Operand<TFloat32>) grads[i], scale);
      Variable<TFloat32> p = vars.get(i);
      Ops t = tf;
      if (decayRate != null && decayed.contains(p)) {
        // Decoupled decay p -= lr·wd·p first (the Adam term does not depend on p, so the order is free), but only
        // once every gradient is computed (g depends on all of them through the clipping scale): the forward and
        // backward read p in place.
        Ops afterGradients = tf.withControlDependencies(List.of(g));
        t = tf.withControlDependencies(List.of(afterGradients.assignSub(p, afterGradients.math.mul(decayRate, p))));
      }
      updates.add(t.train.applyAdam(p, m.get(i), v.get(i), zero, zero, stepLr, tf.constant(BETA1),
          tf.constant(BETA2), stepEps, g));
    }
    return tf.withControlDependencies(updates).withName(name).noOp();
  }
}
