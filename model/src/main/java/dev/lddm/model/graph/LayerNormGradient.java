package dev.lddm.model.graph;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The hand-written gradient of {@link Backbone#layerNorm}, through a {@link Carrier} of
 * {@code [y, xhat, rstd, x, g, b]} in name scope {@code layer_norm} whose output 0 is {@code y = xhat·g + b}, with
 * {@code xhat = (x - mean)·rstd} and {@code rstd = 1/sqrt(var + eps)} per row, all computed on stopped copies of
 * {@code x}, {@code g} and {@code b}. The gradient is the textbook one, per row of {@code d} features:
 * <pre>
 *   dxhat = dy·g;   dx = rstd·(dxhat - mean(dxhat) - xhat·mean(dxhat·xhat));
 *   dg = sum over rows of dy·xhat;   db = sum over rows of dy
 * </pre>
 * eleven ops where differentiating the forward op by op takes about twice as many (the means' gradients broadcast
 * and tile, every broadcasting op adds {@code BroadcastGradientArgs}, {@code Sum} and {@code Reshape}).
 */
final class LayerNormGradient {
  /** The carrier's name scope. */
  static final String SCOPE = "layer_norm";

  private LayerNormGradient() {}

  /** The carrier: returns {@code y}, with the gradient above routed to {@code x}, {@code g} and {@code b}. */
  @SuppressWarnings("unchecked")
  static Operand<TFloat32> carry(Ops tf, Operand<TFloat32> y, Operand<TFloat32> xhat, Operand<TFloat32> rstd,
                                 Operand<TFloat32> x, Operand<TFloat32> g, Operand<TFloat32> b) {
    return (Operand<TFloat32>) (Operand<?>) Carrier.carry(tf, SCOPE, List.of(y, xhat, rstd, x, g, b));
  }

  @SuppressWarnings("unchecked")
  static List<Operand<?>> gradient(Ops tf, GraphOperation op, Output<?> grad) {
    Operand<TFloat32> dy = (Operand<TFloat32>) (Operand<?>) grad;
    Operand<TFloat32> xhat = (Operand<TFloat32>) (Operand<?>) op.input(1);
    Operand<TFloat32> rstd = (Operand<TFloat32>) (Operand<?>) op.input(2);
    Operand<TFloat32> g = (Operand<TFloat32>) (Operand<?>) op.input(4);
    Operand<TInt32> last = tf.constant(-1);
    Operand<TInt32> rows = tf.constant(0);
    Operand<TFloat32> dxhat = tf.math.mul(dy, g);
    Operand<TFloat32> m1 = tf.math.mean(dxhat, last, Mean.keepDims(true));
    Operand<TFloat32> m2 = tf.math.mean(tf.math.mul(dxhat, xhat), last, Mean.keepDims(true));
    Operand<TFloat32> dx = tf.math.mul(rstd, tf.math.sub(tf.math.sub(dxhat, m1), tf.math.mul(xhat, m2)));
    Operand<TFloat32> dg = tf.sum(tf.math.mul(dy, xhat), rows);
    Operand<TFloat32> db = tf.sum(dy, rows);
    return List.of(tf.zerosLike(op.input(0)), tf.zerosLike(xhat), tf.zerosLike(rstd), dx, dg, db);
  }
}
