package dev.lddm.model.graph;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.Precision;
import dev.lddm.model.Seeds;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * MGDM's denoiser: GPT-2 blocks with the causal mask removed, one static builder per block. The AR baseline
 * ({@link dev.lddm.model.ModelKind#AR}) is the same network with GPT-2's causal mask kept and no logit shift.
 *
 * <p>Follows HKUNLP/diffusion-vs-ar {@code src/llmtuner/tuner/mdm/model.py} (GPT2 transformer, {@code
 * attn.bias.fill_(True)} removes the causal mask, {@code inputs_embeds} without a timestep input, tied
 * {@code lm_head}) and {@code trainer.py} ({@code logits = cat([logits[:,0:1], logits[:,:-1]], 1)}: the
 * prediction for position i is read from position i-1, position 0 from itself). Model configs
 * {@code model_config/config.json} and {@code model_config_tiny/config.json}: {@code activation_function: gelu_new} (GELU, tanh approximation:
 * used here to match MGDM exactly), {@code layer_norm_epsilon: 1e-5}, {@code initializer_range: 0.02}.
 * Initialisation as Hugging Face GPT-2: weights and embeddings N(0, 0.02), the two residual output
 * projections N(0, 0.02/sqrt(2·layers)), biases 0, LayerNorm gain 1 / bias 0. Dropout (MGDM's GPT-2 config:
 * {@code embd_pdrop = attn_pdrop = resid_pdrop = 0.1}) is optional and training-only ({@link Dropout}): the
 * builders take a {@link Dropout.Pass}, and {@code null} (inference, or a rate of 0) builds no dropout op.
 *
 * <p>Loopholing (arXiv 2510.19304, Eq. for the fusion): {@code e_t = E(z_t) + LN_h(h_t)} plus positions,
 * with {@code LN_h}'s gain and bias initialised to zero so an untrained LDDM computes exactly MGDM's
 * function; the latent output is the last block's output before the final LayerNorm.
 *
 * <p>Precision ({@link ModelConfig#precision()}): with {@link Precision#BF16} every dense product (the QKV,
 * attention-output and two MLP projections, and the tied head) takes bfloat16 operands (weights are cast from
 * their float32 masters at each use; the Cast's gradient brings the weight gradients back to float32) and its
 * result is cast to float32 before the bias is added. Everything else is float32: bias adds, the residual stream,
 * LayerNorm, the attention products, scaling, mask and softmax, the GELU and the logits. Measured on an Intel
 * Xeon with AMX (results/bench/2026-12-02-einsum): oneDNN runs a bfloat16 {@code MatMul} on AMX, but a bfloat16
 * {@code MatMul + BiasAdd}, which Grappler fuses, on a slower non-AMX kernel; the attention's batched products
 * (256 matrices of 64×32) run no faster in bfloat16 than in float32 and would pay casts; TensorFlow's CPU
 * kernels for bfloat16 element-wise ops ({@code Sigmoid}, {@code BiasAddGrad}) are several times slower than
 * the float32 ones.
 *
 * <p>In bfloat16 graphs the attention's two batched products are {@code Einsum} ops rather than
 * {@code BatchMatMulV3}: TensorFlow runs {@code Einsum} (and the {@code Einsum} ops of its gradient) through one
 * oneDNN batched matmul, but {@code BatchMatMulV3} (and the gradient of every {@code BatchMatMul} version)
 * through one small GEMM call per matrix. The bf16 step is ~9% faster with it on AMD Zen 4 and part of a 15% gain
 * on the AMX Xeon. In float32 it is no consistent gain (6% faster on the Xeon, 5% slower on Zen 4, same
 * folder), so with {@link Precision#FP32} the graph stays the original float32 graph, op for op.
 */
public final class Backbone {
  /** GPT-2's LayerNorm epsilon. */
  public static final float LN_EPS = 1e-5f;
  /** Std of the normal initialiser (GPT-2 initializer_range). */
  public static final float INIT_STD = 0.02f;

  private Backbone() {}

  /** A LayerNorm's gain and bias, each [d]. */
  public record Norm(Variable<TFloat32> gain, Variable<TFloat32> bias) {}

  /** A dense layer y = x·W + b, W [in, out] (GPT-2's Conv1D layout). */
  public record Dense(Variable<TFloat32> w, Variable<TFloat32> b) {}

  /** The weights of one transformer block. */
  public record Block(Norm ln1, Dense qkv, Dense attnOut, Norm ln2, Dense fc, Dense mlpOut) {}

  /**
   * All model variables.
   *
   * @param latentNorm {@code LN_h} of LDDM; {@code null} for MGDM (no extra variables)
   */
  public record Weights(Variable<TFloat32> wte, Variable<TFloat32> wpe, List<Block> blocks, Norm lnF,
                        Norm latentNorm) {
    /** Every variable in a fixed order (the order of the optimizer slots). */
    public List<Variable<TFloat32>> all() {
      List<Variable<TFloat32>> v = new ArrayList<>();
      v.add(wte);
      v.add(wpe);
      for (Block b : blocks) {
        v.addAll(List.of(b.ln1.gain, b.ln1.bias, b.qkv.w, b.qkv.b, b.attnOut.w, b.attnOut.b,
            b.ln2.gain, b.ln2.bias, b.fc.w, b.fc.b, b.mlpOut.w, b.mlpOut.b));
      }
      v.add(lnF.gain);
      v.add(lnF.bias);
      if (latentNorm != null) {
        v.add(latentNorm.gain);
        v.add(latentNorm.bias);
      }
      return v;
    }

    /** The weight matrices and embeddings (the variables weight decay applies to, as in HF Trainer). */
    public List<Variable<TFloat32>> decayed() {
      List<Variable<TFloat32>> v = new ArrayList<>(List.of(wte, wpe));
      for (Block b : blocks) {
        v.addAll(List.of(b.qkv.w, b.attnOut.w, b.fc.w, b.mlpOut.w));
      }
      return v;
    }
  }

  /** The outputs of one forward pass. */
  public record Output(Operand<TFloat32> logits, Operand<TFloat32> latent) {}

  /**
   * Creates every model variable under scope {@code model/}, initialised from stateless random ops whose
   * seeds are derived from {@code (seed, variable name)}: the same seed always gives the same weights.
   */
  public static Weights createWeights(Ops tf, ModelConfig c, long seed) {
    Ops m = tf.withSubScope("model");
    int d = c.dModel();
    float projStd = (float) (INIT_STD / Math.sqrt(2.0 * c.layers()));
    Variable<TFloat32> wte = normal(m, "wte", seed, INIT_STD, c.vocab(), d);
    Variable<TFloat32> wpe = normal(m, "wpe", seed, INIT_STD, c.seqLen(), d);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < c.layers(); i++) {
      Ops b = m.withSubScope("h" + i);
      String p = "h" + i + "/";
      blocks.add(new Block(
          norm(b, "ln_1", d, 1f),
          dense(b, p, "attn_qkv", seed, INIT_STD, d, 3 * d),
          dense(b, p, "attn_out", seed, projStd, d, d),
          norm(b, "ln_2", d, 1f),
          dense(b, p, "mlp_fc", seed, INIT_STD, d, c.ffDim()),
          dense(b, p, "mlp_out", seed, projStd, c.ffDim(), d)));
    }
    Norm lnF = norm(m, "ln_f", d, 1f);
    Norm lnH = c.kind().hasLatent() ? norm(m, "ln_h", d, 0f) : null;
    return new Weights(wte, wpe, List.copyOf(blocks), lnF, lnH);
  }

  private static Variable<TFloat32> normal(Ops tf, String name, long seed, float std, long... shape) {
    long s = Seeds.hash(name);
    Operand<TFloat32> init = tf.math.mul(
        tf.random.statelessRandomNormal(tf.constant(shape),
            tf.constant(new long[] {Seeds.mix(seed, s, 1), Seeds.mix(seed, s, 2)})),
        tf.constant(std));
    return tf.withName(name).variable(init);
  }

  private static Norm norm(Ops tf, String name, int d, float gain) {
    Variable<TFloat32> g = tf.withName(name + "_g").variable(tf.fill(tf.constant(new int[] {d}), tf.constant(gain)));
    Variable<TFloat32> b = tf.withName(name + "_b").variable(tf.fill(tf.constant(new int[] {d}), tf.constant(0f)));
    return new Norm(g, b);
  }

  private static Dense dense(Ops tf, String prefix, String name, long seed, float std, int in, int out) {
    Operand<TFloat32> init = tf.math.mul(
        tf.random.statelessRandomNormal(tf.constant(new long[] {in, out}),
            tf.constant(new long[] {Seeds.mix(seed, Seeds.hash(prefix + name), 1),
                Seeds.mix(seed, Seeds.hash(prefix + name), 2)})),
        tf.constant(std));
    Variable<TFloat32> w = tf.withName(name + "_w").variable(init);
    Variable<TFloat32> b = tf.withName(name + "_b").variable(tf.fill(tf.constant(new int[] {out}), tf.constant(0f)));
    return new Dense(w, b);
  }

  /**
   * {@code LN(x) = (x - mean) / sqrt(var + eps) · g + b} over the last axis of a 2-D [N, d] input.
   *
   * <p>Its gradient is written by hand ({@link LayerNormGradient}): the forward runs on stopped copies of
   * {@code x}, {@code g} and {@code b}, and a carrier routes the textbook gradient to them. The forward values are
   * bit for bit the same either way.
   */
  public static Operand<TFloat32> layerNorm(Ops tf, Operand<TFloat32> x, Norm n) {
    if (!Carrier.REGISTERED) {
      return layerNormForward(tf, x, n.gain(), n.bias())[0];
    }
    Operand<TFloat32>[] f = layerNormForward(tf, tf.stopGradient(x), tf.stopGradient(n.gain()),
        tf.stopGradient(n.bias()));
    return LayerNormGradient.carry(tf, f[0], f[1], f[2], x, n.gain(), n.bias());
  }

  /**
   * Which fused forms an inference graph uses ({@link #inferenceForward}); training graphs use {@link #NONE}.
   *
   * @param gelu the GELU as {@link #geluFusable}
   * @param layerNorm every LayerNorm as one {@link FusedLayerNorm}
   */
  private record Fusions(boolean gelu, boolean layerNorm) {
    static final Fusions NONE = new Fusions(false, false);
  }

  /** {@link #layerNorm}; with {@code f.layerNorm()} as one fused kernel ({@link FusedLayerNorm}, no gradient). */
  private static Operand<TFloat32> layerNorm(Ops tf, Operand<TFloat32> x, Norm n, Fusions f) {
    return f.layerNorm() ? FusedLayerNorm.build(tf, x, n.gain(), n.bias()) : layerNorm(tf, x, n);
  }

  /** {@code [y, xhat, rstd]} of {@link #layerNorm}'s forward. */
  @SuppressWarnings("unchecked")
  static Operand<TFloat32>[] layerNormForward(Ops tf, Operand<TFloat32> x, Operand<TFloat32> gain,
                                               Operand<TFloat32> bias) {
    Operand<TInt32> last = tf.constant(-1);
    Operand<TFloat32> mean = tf.math.mean(x, last, Mean.keepDims(true));
    Operand<TFloat32> centred = tf.math.sub(x, mean);
    Operand<TFloat32> var = tf.math.mean(tf.math.square(centred), last, Mean.keepDims(true));
    Operand<TFloat32> rstd = tf.math.rsqrt(tf.math.add(var, tf.constant(LN_EPS)));
    Operand<TFloat32> normed = tf.math.mul(centred, rstd);
    return new Operand[] {tf.math.add(tf.math.mul(normed, gain), bias), normed, rstd};
  }

  /**
   * {@code y = x·W + b} for a 2-D [N, in] input. {@code BiasAdd} rather than a broadcasting {@code Add}: the same
   * sums, but its gradient is one {@code BiasAddGrad} instead of {@code BroadcastGradientArgs + Sum + Reshape},
   * and Grappler can fuse MatMul + BiasAdd (see results/bench/README.md).
   */
  public static Operand<TFloat32> dense(Ops tf, Operand<TFloat32> x, Dense layer) {
    return tf.nn.biasAdd(tf.linalg.matMul(x, layer.w()), layer.b());
  }

  /**
   * {@code y = x·W + b} with the product's operands in {@code type} (the input and the float32 weights are cast
   * to it; no op for float32) and the bias added in float32 to the product cast back to float32. For float32 this
   * is {@link #dense(Ops, Operand, Dense)} op for op.
   */
  static <T extends TNumber> Operand<TFloat32> dense(Ops tf, Operand<TFloat32> x, Dense layer, Class<T> type) {
    return tf.nn.biasAdd(f32(tf, tf.linalg.matMul(as(tf, x, type), as(tf, layer.w(), type))), layer.b());
  }

  /** {@code Einsum(equation, x, y)}: not in TensorFlow Java's generated ops, so built by name. */
  static Operand<TFloat32> einsum(Ops tf, String equation, Operand<TFloat32> x, Operand<TFloat32> y) {
    return tf.scope().opBuilder("Einsum", "Einsum")
        .addInputList(new org.tensorflow.Output<?>[] {x.asOutput(), y.asOutput()})
        .setAttr("equation", equation)
        .build()
        .output(0);
  }

  /**
   * GPT-2's {@code gelu_new}, {@code 0.5·x·(1 + tanh(sqrt(2/pi)·(x + 0.044715·x^3)))}, computed as the same
   * function in fewer ops: {@code x·sigmoid(x·(c0 + c1·x^2))} with {@code c0 = 2·sqrt(2/pi)} and
   * {@code c1 = 0.044715·c0} (since {@code 0.5·(1 + tanh(z)) = sigmoid(2z)}). Six forward ops instead of nine;
   * the results differ from the tanh form only in rounding (a few ulps).
   *
   * <p>Its gradient is written by hand ({@link GeluGradient}): {@code dy·(s + y·(1 - s)·(c0 + 3·c1·x^2))} with
   * {@code s} and {@code y} the forward's sigmoid and output, seven element-wise ops where differentiating the
   * forward op by op takes about eleven on the [B·L, 4·d] hidden tensor (fwd+bwd of one GELU on [4096, 512]
   * ~20% faster, results/bench/2026-12-02-zen4-b). The forward values are bit for bit the same either way.
   */
  public static Operand<TFloat32> gelu(Ops tf, Operand<TFloat32> x) {
    if (!Carrier.REGISTERED) {
      return geluForward(tf, x)[0];
    }
    // The forward on a stopped copy of x, so autodiff stops there; the carrier passes y on and routes the
    // gradient to x through GeluGradient.
    Operand<TFloat32>[] f = geluForward(tf, tf.stopGradient(x));
    return GeluGradient.carry(tf, f[0], f[1], f[2], x);
  }

  /** {@code [y, x^2, sigmoid(u)]} of {@link #gelu}'s forward on {@code x}. */
  @SuppressWarnings("unchecked")
  private static Operand<TFloat32>[] geluForward(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> sq = tf.math.square(x);
    Operand<TFloat32> u = tf.math.mul(x, tf.math.add(tf.math.mul(sq, tf.constant((float) GELU_C1)),
        tf.constant((float) GELU_C0)));
    Operand<TFloat32> s = tf.math.sigmoid(u);
    return new Operand[] {tf.math.mul(x, s), sq, s};
  }

  /** {@code sqrt(2/pi)} of {@code gelu_new}, doubled: the sigmoid form's linear coefficient. */
  static final double GELU_C0 = 2 * Math.sqrt(2.0 / Math.PI);
  /** The sigmoid form's cubic coefficient, {@code 0.044715·GELU_C0}. */
  static final double GELU_C1 = 0.044715 * GELU_C0;

  /** The compute type of a config's matrix products. */
  static Class<? extends TNumber> computeType(ModelConfig c) {
    return c.precision() == Precision.BF16 ? TBfloat16.class : TFloat32.class;
  }

  /** {@code x} as {@code type}: itself for float32, else a Cast. */
  @SuppressWarnings("unchecked")
  static <T extends TNumber> Operand<T> as(Ops tf, Operand<TFloat32> x, Class<T> type) {
    return type == TFloat32.class ? (Operand<T>) x : tf.dtypes.cast(x, type);
  }

  /** {@code x} as float32: itself when it is float32, else a Cast. */
  @SuppressWarnings("unchecked")
  static <T extends TNumber> Operand<TFloat32> f32(Ops tf, Operand<T> x) {
    return x.type() == TFloat32.class ? (Operand<TFloat32>) x : tf.dtypes.cast(x, TFloat32.class);
  }

  /** The tied output head {@code h·E^T} in {@code type}, returned as float32. */
  private static <T extends TNumber> Operand<TFloat32> head(Ops tf, Operand<TFloat32> h, Operand<TFloat32> wte,
                                                            Class<T> type) {
    return f32(tf, tf.linalg.matMul(as(tf, h, type), as(tf, wte, type), MatMul.transposeB(true)));
  }

  /** Additive attention bias of masked-out (future) key positions in the causal mask. */
  public static final float CAUSAL_MASK_VALUE = -1e9f;

  /**
   * Multi-head self-attention {@code softmax(Q·K^T / sqrt(dh) + M)·V} then the output projection. Input and
   * output are [B·L, d]. MGDM/LDDM: no mask ({@code M = 0}, every position attends to every position,
   * padding included; the graph has no mask op at all). AR ({@link dev.lddm.model.ModelKind#isAutoregressive}):
   * GPT-2's causal mask, {@code M[i][j] = 0} for {@code j <= i} and {@link #CAUSAL_MASK_VALUE} for
   * {@code j > i}, so the softmax weight of a future position is exactly 0.
   */
  public static Operand<TFloat32> attention(Ops tf, ModelConfig c, Operand<TFloat32> x, Block w) {
    return attention(tf, c, x, w, computeType(c), null, 0);
  }

  /**
   * {@link #attention(Ops, ModelConfig, Operand, Block)} with its two dense products' operands in {@code type};
   * with {@code drop} (training) GPT-2's {@code attn_dropout} on the probabilities after the softmax and
   * {@code resid_dropout} on the output projection.
   */
  private static <T extends TNumber> Operand<TFloat32> attention(Ops tf, ModelConfig c, Operand<TFloat32> x,
                                                                 Block w, Class<T> type, Dropout.Pass drop,
                                                                 int block) {
    int l = c.seqLen();
    int h = c.heads();
    int dh = c.headDim();
    Operand<TFloat32> qkv = dense(tf, x, w.qkv(), type);
    // One transpose of [B, L, 3, H, dh] to [3, B, H, L, dh], then a split along the (contiguous) first axis: the
    // same q, k, v bit for bit as splitting the columns and transposing each third, in one pass over the [B·L, 3d]
    // product instead of two (results/bench/2026-12-07-fused-layernorm).
    Operand<TFloat32> heads = tf.linalg.transpose(tf.reshape(qkv, tf.constant(new int[] {-1, l, 3, h, dh})),
        tf.constant(new int[] {2, 0, 3, 1, 4}));
    List<org.tensorflow.Output<TFloat32>> parts = tf.split(tf.constant(0), heads, 3L).output();
    Operand<TInt32> headShape = tf.constant(new int[] {-1, h, l, dh});
    Operand<TFloat32> q = tf.reshape(parts.get(0), headShape);
    Operand<TFloat32> k = tf.reshape(parts.get(1), headShape);
    Operand<TFloat32> v = tf.reshape(parts.get(2), headShape);
    boolean viaEinsum = type != TFloat32.class;
    Operand<TFloat32> scores = tf.math.mul(viaEinsum ? einsum(tf, "bhqd,bhkd->bhqk", q, k)
            : tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)),
        tf.constant((float) (1.0 / Math.sqrt(dh))));
    if (c.kind().isAutoregressive()) {
      scores = tf.math.add(scores, tf.constant(causalMask(l)));
    }
    Operand<TFloat32> p = tf.nn.softmax(scores);
    if (drop != null) {
      p = drop.attention(tf, p, block);
    }
    Operand<TFloat32> o = viaEinsum ? einsum(tf, "bhqk,bhkd->bhqd", p, v) : tf.train.batchMatMul(p, v, TFloat32.class);
    Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(o, tf.constant(new int[] {0, 2, 1, 3})),
        tf.constant(new int[] {-1, c.dModel()}));
    Operand<TFloat32> out = dense(tf, merged, w.attnOut(), type);
    return drop == null ? out : drop.residual(tf, out, block, false);
  }

  /** The [L, L] additive causal mask: 0 on and below the diagonal, {@link #CAUSAL_MASK_VALUE} above. */
  static float[][] causalMask(int l) {
    float[][] m = new float[l][l];
    for (int i = 0; i < l; i++) {
      for (int j = i + 1; j < l; j++) {
        m[i][j] = CAUSAL_MASK_VALUE;
      }
    }
    return m;
  }

  /** GPT-2 MLP: {@code W_out·gelu(W_fc·x)}, on [B·L, d]. */
  public static Operand<TFloat32> mlp(Ops tf, Operand<TFloat32> x, Block w) {
    return mlp(tf, x, w, TFloat32.class);
  }

  /**
   * {@link #mlp(Ops, Operand, Block)} with both products' operands in {@code type} and the GELU in float32
   * (TensorFlow's CPU kernels for bfloat16 {@code Sigmoid} are several times slower than the float32 ones).
   */
  static <T extends TNumber> Operand<TFloat32> mlp(Ops tf, Operand<TFloat32> x, Block w, Class<T> type) {
    return mlp(tf, x, w, type, false);
  }

  /**
   * {@link #mlp(Ops, Operand, Block, Class)}; with {@code fusable} (float32 inference graphs) the GELU is built
   * as {@link #geluFusable}, which Grappler fuses into the preceding product.
   */
  private static <T extends TNumber> Operand<TFloat32> mlp(Ops tf, Operand<TFloat32> x, Block w, Class<T> type,
                                                           boolean fusable) {
    Operand<TFloat32> h = dense(tf, x, w.fc(), type);
    return dense(tf, fusable && type == TFloat32.class ? geluFusable(tf, h) : gelu(tf, h), w.mlpOut(), type);
  }

  /**
   * GPT-2's {@code gelu_new} for inference graphs, written as the op pattern that TensorFlow 2.18's Grappler
   * remapper ({@code remapper.cc}, {@code FindMatMulBiasAddAndGelu}, oneDNN CPU builds) fuses with the preceding
   * {@code MatMul + BiasAdd} into one {@code _FusedMatMul} with {@code fused_ops = [BiasAdd, GeluApproximate]}:
   * {@code x·((1 + tanh(sqrt(2/pi)·(x + (0.044715·x)·x^2)))·0.5)} with {@code AddV2} adds and {@code Square}.
   * oneDNN then computes the GELU in registers as the product's post-op instead of six passes over the [B·L, 4·d]
   * hidden tensor. Same function, different rounding (oneDNN's tanh): logits differ from {@link #gelu}'s graph by
   * float32 round-off. The pattern only survives when the session's arithmetic optimizer is off
   * ({@link ModelGraph#inferenceSessionConfig}): it rewrites {@code x·(a·0.5)} into {@code a·(x·0.5)}, which the
   * remapper does not match. Not differentiable by design (no hand-written gradient): training graphs use
   * {@link #gelu}.
   */
  static Operand<TFloat32> geluFusable(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> cube = tf.math.mul(tf.math.mul(tf.constant(0.044715f), x), tf.math.square(x));
    Operand<TFloat32> t = tf.math.tanh(tf.math.mul(addV2(tf, x, cube), tf.constant((float) Math.sqrt(2.0 / Math.PI))));
    return tf.math.mul(x, tf.math.mul(addV2(tf, t, tf.constant(1f)), tf.constant(0.5f)));
  }

  /** {@code AddV2(x, y)}: TensorFlow Java generates only {@code Add}, which the remapper's GELU pattern refuses. */
  static Operand<TFloat32> addV2(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y) {
    return tf.scope().opBuilder("AddV2", "AddV2")
        .addInput(x.asOutput())
        .addInput(y.asOutput())
        .build()
        .output(0);
  }

  /** One pre-LayerNorm block: {@code x += attn(LN_1(x)); x += mlp(LN_2(x))}, on [B·L, d]. */
  public static Operand<TFloat32> block(Ops tf, ModelConfig c, Operand<TFloat32> x, Block w) {
    return block(tf, c, x, w, null, 0);
  }

  /**
   * {@link #block(Ops, ModelConfig, Operand, Block)}; with {@code drop} (training) GPT-2's dropout on the
   * attention probabilities and on both residual branches before they are added: {@code x += drop(attn(LN_1(x)));
   * x += drop(mlp(LN_2(x)))}.
   *
   * @param index the block's index (it numbers the dropout sites)
   */
  static Operand<TFloat32> block(Ops tf, ModelConfig c, Operand<TFloat32> x, Block w, Dropout.Pass drop, int index) {
    return block(tf, c, x, w, drop, index, Fusions.NONE);
  }

  /** {@link #block(Ops, ModelConfig, Operand, Block, Dropout.Pass, int)} with the fused forms {@code f}. */
  private static Operand<TFloat32> block(Ops tf, ModelConfig c, Operand<TFloat32> x, Block w, Dropout.Pass drop,
                                         int index, Fusions f) {
    Operand<TFloat32> a = tf.math.add(x, attention(tf, c, layerNorm(tf, x, w.ln1(), f), w, computeType(c),
        drop, index));
    Operand<TFloat32> m = mlp(tf, layerNorm(tf, a, w.ln2(), f), w, computeType(c), f.gelu());
    if (drop != null) {
      m = drop.residual(tf, m, index, true);
    }
    return tf.math.add(a, m);
  }

  /**
   * Input embedding: {@code E(z) + P} for MGDM, {@code E(z) + (P + LN_h(h))} for LDDM (the latent term
   * is added to the positions first so that, with h = 0, the sum equals an MGDM network whose positions are
   * {@code P + beta_h} bit for bit). Returns [B·L, d].
   *
   * @param latent [B, L, d] or {@code null} (MGDM)
   */
  public static Operand<TFloat32> embed(Ops tf, ModelConfig c, Weights w, Operand<TInt32> tokens,
                                        Operand<TFloat32> latent) {
    return embed(tf, c, w, tokens, latent, Fusions.NONE);
  }

  /** {@link #embed(Ops, ModelConfig, Weights, Operand, Operand)} with the fused forms {@code f}. */
  private static Operand<TFloat32> embed(Ops tf, ModelConfig c, Weights w, Operand<TInt32> tokens,
                                         Operand<TFloat32> latent, Fusions f) {
    int d = c.dModel();
    Operand<TFloat32> tok = tf.gather(w.wte(), tokens, tf.constant(0)); // [B, L, d]
    Operand<TFloat32> pos = w.wpe(); // [L, d]
    if (latent != null) {
      if (w.latentNorm() == null) {
        throw new IllegalStateException("latent input given but the weights have no LN_h");
      }
      Operand<TFloat32> h2 = tf.reshape(latent, tf.constant(new int[] {-1, d}));
      Operand<TFloat32> lnh = tf.reshape(layerNorm(tf, h2, w.latentNorm(), f),
          tf.constant(new int[] {-1, c.seqLen(), d}));
      pos = tf.math.add(pos, lnh); // [B, L, d]
    }
    return tf.reshape(tf.math.add(tok, pos), tf.constant(new int[] {-1, d}));
  }

  /**
   * The whole network: embedding (with the optional latent fusion), the blocks, the final LayerNorm,
   * MGDM's one-position shift and the tied output head {@code logits = LN_f(x)·E^T}.
   *
   * <p>Logit positions: MGDM/LDDM shift by one ({@code logits[i]} is read from the state at {@code i-1},
   * {@code logits[0]} from position 0) and {@code logits[i]} is the prediction for token {@code i}. AR does
   * not shift: as in GPT-2, {@code logits[i]} is computed from tokens {@code 0..i} (causal mask) and is the
   * prediction for token {@code i+1}; {@code logits[L-1]} predicts nothing.
   *
   * @param latent [B, L, d] latent input, or {@code null} to build without the fusion (MGDM, AR)
   * @return logits [B, L, V] and the latent [B, L, d] (last block output before {@code LN_f})
   */
  public static Output forward(Ops tf, ModelConfig c, Weights w, Operand<TInt32> tokens, Operand<TFloat32> latent) {
    return forward(tf, c, w, tokens, latent, null);
  }

  /**
   * {@link #forward(Ops, ModelConfig, Weights, Operand, Operand)} with training dropout: {@code drop == null}
   * builds exactly that graph; otherwise GPT-2's {@code embd_pdrop} on the input embedding (after the latent
   * fusion) and {@code attn_pdrop}/{@code resid_pdrop} in every block ({@link Dropout}).
   */
  public static Output forward(Ops tf, ModelConfig c, Weights w, Operand<TInt32> tokens, Operand<TFloat32> latent,
                               Dropout.Pass drop) {
    return forward(tf, c, w, tokens, latent, drop, Fusions.NONE);
  }

  /**
   * {@link #forward(Ops, ModelConfig, Weights, Operand, Operand)} for inference graphs: the same network with its
   * GELUs in the form Grappler fuses into the MLP's first product ({@link #geluFusable}) and its LayerNorms as one
   * fused kernel each ({@link FusedLayerNorm}, when {@code fusedLayerNorm}: where this TensorFlow has it); float32
   * only, a bfloat16 graph is built as for training. Run it in a session with
   * {@link ModelGraph#inferenceSessionConfig}. Not for gradients.
   */
  public static Output inferenceForward(Ops tf, ModelConfig c, Weights w, Operand<TInt32> tokens,
                                        Operand<TFloat32> latent, boolean fusedLayerNorm) {
    boolean fp32 = c.precision() == Precision.FP32;
    return forward(tf, c, w, tokens, latent, null, new Fusions(fp32, fp32 && fusedLayerNorm));
  }

  private static Output forward(Ops tf, ModelConfig c, Weights w, Operand<TInt32> tokens, Operand<TFloat32> latent,
                                Dropout.Pass drop, Fusions f) {
    int d = c.dModel();
    int l = c.seqLen();
    Operand<TFloat32> x = embed(tf, c, w, tokens, latent, f);
    if (drop != null) {
      x = drop.embeddings(tf, x);
    }
    for (int i = 0; i < w.blocks().size(); i++) {
      x = block(tf.withSubScope("block" + i), c, x, w.blocks().get(i), drop, i, f);
    }
    Operand<TFloat32> latentOut = tf.reshape(x, tf.constant(new int[] {-1, l, d}));
    Operand<TFloat32> hf = tf.reshape(layerNorm(tf, x, w.lnF(), f), tf.constant(new int[] {-1, l, d}));
    Operand<TFloat32> shifted = hf;
    if (!c.kind().isAutoregressive()) {
      int[] shift = new int[l];
      for (int i = 1; i < l; i++) {
        shift[i] = i - 1;
      }
      shifted = tf.gather(hf, tf.constant(shift), tf.constant(1));
    }
    Operand<TFloat32> logits2d = head(tf, tf.reshape(shifted, tf.constant(new int[] {-1, d})), w.wte(),
        computeType(c));
    Operand<TFloat32> logits = tf.reshape(logits2d, tf.constant(new int[] {-1, l, c.vocab()}));
    return new Output(logits, latentOut);
  }
}
