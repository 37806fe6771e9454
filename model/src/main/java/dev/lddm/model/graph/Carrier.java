package dev.lddm.model.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;

/**
 * Hand-written gradients for composite functions. TensorFlow Java can register a gradient only for an op type
 * that has none ({@code TensorFlow.registerCustomGradient}, process-wide, once per type), and a composite function
 * is not an op type, so a function's output passes through a <em>carrier</em>: an {@code IdentityN} (which has no
 * C++ gradient) built in the function's name scope, whose output 0 is the function's value and whose other inputs
 * are what its gradient needs (forward intermediates and the function's real inputs). The function computes its
 * forward on {@code stopGradient} copies of its inputs, and its {@link Rule} gives the real inputs their gradients
 * (the stopped intermediates get zeros, which nothing consumes). Every other {@code IdentityN} gets the identity's
 * gradient (each output's gradient to its input), which is what {@code IdentityN} means.
 *
 * <p>The rules: {@link GeluGradient} (scope {@code gelu}) and {@link LayerNormGradient} (scope {@code layer_norm}).
 * If the registration fails (a TensorFlow that registers its own {@code IdentityN} gradient, under which a carrier
 * would silently cut its inputs off), {@link #REGISTERED} is false and the functions build their plain composites,
 * whose gradients TensorFlow derives op by op.
 */
final class Carrier {
  /** A carrier's gradient: given the carrier op and the gradient of its outputs, the gradient of its inputs. */
  record Rule(int inputs, Gradient gradient) {}

  @FunctionalInterface
  interface Gradient {
    List<Operand<?>> of(Ops tf, GraphOperation op, Output<?> dy);
  }

  private static final Map<String, Rule> RULES = Map.of(
      GeluGradient.SCOPE, new Rule(4, GeluGradient::gradient),
      LayerNormGradient.SCOPE, new Rule(6, LayerNormGradient::gradient));

  /** Whether the carriers' gradient is registered in this process (attempted once, when the class loads). */
  static final boolean REGISTERED = TensorFlow.registerCustomGradient("IdentityN", Carrier::gradient);

  private Carrier() {}

  /** The carrier of {@code inputs} in name scope {@code scope}: returns its output 0 (the value of inputs[0]). */
  static Output<?> carry(Ops tf, String scope, List<Operand<?>> inputs) {
    if (RULES.get(scope) == null || RULES.get(scope).inputs() != inputs.size()) {
      throw new IllegalArgumentException("no carrier rule for scope " + scope + " with " + inputs.size() + " inputs");
    }
    return tf.withSubScope(scope).identityN(inputs).output().get(0);
  }

  /** The rule of a carrier op (an {@code IdentityN} directly under a rule's scope, with its arity), or null. */
  static Rule ruleOf(GraphOperation op) {
    String name = op.name();
    int slash = name.lastIndexOf('/');
    if (slash <= 0) {
      return null;
    }
    int parent = name.lastIndexOf('/', slash - 1);
    String scope = name.substring(parent + 1, slash).replaceFirst("_\\d+$", "");
    Rule r = RULES.get(scope);
    return r != null && r.inputs() == op.numInputs() ? r : null;
  }

  private static List<Operand<?>> gradient(Ops tf, GraphOperation op, List<Output<?>> grads) {
    Rule rule = ruleOf(op);
    if (rule != null) {
      return rule.gradient().of(tf, op, grads.get(0));
    }
    List<Operand<?>> out = new ArrayList<>();
    for (int i = 0; i < grads.size(); i++) {
      out.add(grads.get(i) != null ? grads.get(i) : tf.zerosLike(op.input(i)));
    }
    return out;
  }
}
