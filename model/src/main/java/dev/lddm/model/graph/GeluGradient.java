package dev.lddm.model.graph;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The hand-written gradient of {@link Backbone#gelu}. TensorFlow Java can register a gradient only for an op type
 * that has none ({@code TensorFlow.registerCustomGradient}, process-wide), and a composite function is not an op
 * type, so the GELU's output passes through a <em>carrier</em>: an {@code IdentityN} (which has no C++ gradient)
 * of {@code [y, x^2, s, x]}, built in a name scope {@code gelu}, whose output 0 is the GELU. The forward itself is
 * computed on {@code stopGradient(x)}, and this gradient gives {@code x} (the carrier's input 3)
 * {@code dy·(s + y·(1 - s)·(c0 + 3·c1·x^2))} and the stopped forward values zeros. Every other {@code IdentityN}
 * gets the identity's gradient (each output's gradient to its input), which is what {@code IdentityN} means.
 *
 * <p>If the registration fails (a TensorFlow that registers its own {@code IdentityN} gradient, under which the
 * carrier would silently cut {@code x} off), {@link #REGISTERED} is false and {@link Backbone#gelu} builds the plain
 * composite, whose gradient TensorFlow derives op by op.
 */
final class GeluGradient {
  /** The carrier's name scope: the gradient applies only to {@code IdentityN} ops under it. */
  static final String SCOPE = "gelu";

  /** Whether the gradient is registered in this process (attempted once, when the class loads). */
  static final boolean REGISTERED = TensorFlow.registerCustomGradient("IdentityN", GeluGradient::gradient);

  private GeluGradient() {}

  /** The carrier: returns {@code y}, with the gradient above routed to {@code x}. */
  @SuppressWarnings("unchecked")
  static Operand<TFloat32> carry(Ops tf, Operand<TFloat32> y, Operand<TFloat32> sq, Operand<TFloat32> s,
                                 Operand<TFloat32> x) {
    return (Operand<TFloat32>) (Operand<?>) tf.withSubScope(SCOPE).identityN(List.of(y, sq, s, x)).output().get(0);
  }

  static boolean isCarrier(GraphOperation op) {
    String name = op.name();
    int slash = name.lastIndexOf('/');
    int parent = name.lastIndexOf('/', slash - 1);
    return op.numInputs() == 4 && slash > 0 && name.substring(parent + 1, slash).matches(SCOPE + "(_\\d+)?");
  }

  @SuppressWarnings("unchecked")
  private static List<Operand<?>> gradient(Ops tf, GraphOperation op, List<Output<?>> grads) {
    if (!isCarrier(op)) {
      List<Operand<?>> out = new ArrayList<>();
      for (int i = 0; i < grads.size(); i++) {
        out.add(grads.get(i) != null ? grads.get(i) : tf.zerosLike(op.input(i)));
      }
      return out;
    }
    Operand<TFloat32> dy = (Operand<TFloat32>) (Operand<?>) grads.get(0);
    Operand<TFloat32> y = (Operand<TFloat32>) (Operand<?>) op.input(0);
    Operand<TFloat32> sq = (Operand<TFloat32>) (Operand<?>) op.input(1);
    Operand<TFloat32> s = (Operand<TFloat32>) (Operand<?>) op.input(2);
    Operand<TFloat32> du = tf.math.add(tf.math.mul(sq, tf.constant((float) (3 * Backbone.GELU_C1))),
        tf.constant((float) Backbone.GELU_C0));
    Operand<TFloat32> dydx = tf.math.add(s, tf.math.mul(tf.math.mul(y, tf.math.sub(tf.constant(1f), s)), du));
    return List.of(tf.zerosLike(y), tf.zerosLike(sq), tf.zerosLike(s), tf.math.mul(dy, dydx));
  }
}
