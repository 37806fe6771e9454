package dev.lddm.model.graph;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The hand-written gradient of {@link Backbone#gelu}, through a {@link Carrier} of {@code [y, x^2, s, x]} in name
 * scope {@code gelu} whose output 0 is the GELU: the forward is computed on {@code stopGradient(x)}, and {@code x}
 * (the carrier's input 3) gets {@code dy·(s + y·(1 - s)·(c0 + 3·c1·x^2))}.
 */
final class GeluGradient {
  /** The carrier's name scope. */
  static final String SCOPE = "gelu";

  private GeluGradient() {}

  /** The carrier: returns {@code y}, with the gradient above routed to {@code x}. */
  @SuppressWarnings("unchecked")
  static Operand<TFloat32> carry(Ops tf, Operand<TFloat32> y, Operand<TFloat32> sq, Operand<TFloat32> s,
                                 Operand<TFloat32> x) {
    return (Operand<TFloat32>) (Operand<?>) Carrier.carry(tf, SCOPE, List.of(y, sq, s, x));
  }

  @SuppressWarnings("unchecked")
  static List<Operand<?>> gradient(Ops tf, GraphOperation op, Output<?> grad) {
    Operand<TFloat32> dy = (Operand<TFloat32>) (Operand<?>) grad;
    Operand<TFloat32> y = (Operand<TFloat32>) (Operand<?>) op.input(0);
    Operand<TFloat32> sq = (Operand<TFloat32>) (Operand<?>) op.input(1);
    Operand<TFloat32> s = (Operand<TFloat32>) (Operand<?>) op.input(2);
    Operand<TFloat32> du = tf.math.add(tf.math.mul(sq, tf.constant((float) (3 * Backbone.GELU_C1))),
        tf.constant((float) Backbone.GELU_C0));
    Operand<TFloat32> dydx = tf.math.add(s, tf.math.mul(tf.math.mul(y, tf.math.sub(tf.constant(1f), s)), du));
    return List.of(tf.zerosLike(y), tf.zerosLike(sq), tf.zerosLike(s), tf.math.mul(dy, dydx));
  }
}
