package dev.lddm.model.graph;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.Seeds;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Training-time dropout at GPT-2's sites, as MGDM trains it: HKUNLP/diffusion-vs-ar's GPT-2 configs
 * ({@code model_config/config.json}, {@code model_config_tiny/config.json}) set
 * {@code embd_pdrop = attn_pdrop = resid_pdrop = 0.1}, and Hugging Face's GPT-2 drops (1) the sum of token and
 * position embeddings, (2) the attention probabilities after the softmax and (3) each residual branch (the attention
 * output projection and the MLP output projection) before it is added to the residual stream. The AR baseline uses
 * the same GPT-2 dropout. LDDM is MGDM's network plus the latent path, so the embedding site drops the whole input
 * {@code E(z_t) + P + LN_h(h_t)}; in its two-pass self-conditioning step both passes are training forwards with
 * dropout (ahn-ml/lddm {@code trainer_base.py}, {@code Diffusion.nll}: pass 1, {@code _, latent =
 * self.forward(xt, sigma, prev_latent=latent)}, runs in train mode inside the training step, and pass 2 gets
 * {@code latent.detach()}).
 *
 * <p>Inverted dropout: {@code y = x · [u >= p] / (1 - p)} with {@code u ~ U[0, 1)} from
 * {@code StatelessRandomUniform} over a constant shape (a shape computed from a tensor would put the random op on
 * a variable-to-loss path and TF Java's gradients would fail). The seeds are fed per step as an int64
 * {@code [sites, 2]} tensor ({@link OpNames#DROPOUT_SEEDS}, {@link #seeds}); each site reads its own row, so every
 * site, pass and step has an independent mask and the masks are a pure function of {@code (model seed, step)}.
 * Sites are numbered per pass: 0 the embeddings, then for block {@code i} {@code 1 + 3i} the attention
 * probabilities, {@code 2 + 3i} the attention output, {@code 3 + 3i} the MLP output; pass {@code k} (LDDM's
 * self-conditioning pass 2 is {@code k = 1}) adds {@code k · (1 + 3 · layers)}.
 *
 * <p>Only training graphs get dropout, and only with a rate above 0: a rate of 0 builds no op at all (the graph
 * is the one without dropout, op for op), and inference graphs never have it.
 *
 * @param rate the drop probability p, in [0, 1)
 * @param batch the training batch B, the static leading dimension of every mask (the trainer always feeds
 *     full batches)
 */
public record Dropout(double rate, int batch) {
  /** No dropout: the graph is built exactly as without the option. */
  public static final Dropout NONE = new Dropout(0, 1);

  /** MGDM's rate (GPT-2's {@code embd_pdrop}, {@code attn_pdrop}, {@code resid_pdrop}). */
  public static final double MGDM_RATE = 0.1;

  private static final long DROPOUT = 0xD809L;

  public Dropout {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("dropout batch must be >= 1, got " + batch);
    }
  }

  /** Whether any dropout op is built. */
  public boolean active() {
    return rate > 0;
  }

  /** Dropout sites of one forward pass: the embeddings and three per block. */
  public static int sitesPerPass(ModelConfig c) {
    return 1 + 3 * c.layers();
  }

  /** Forward passes of a training graph: two for LDDM (self-conditioning), else one. */
  public static int passes(ModelConfig c) {
    return c.kind().hasLatent() ? 2 : 1;
  }

  /** Rows of the fed seed tensor: every site of every pass. */
  public static int sites(ModelConfig c) {
    return passes(c) * sitesPerPass(c);
  }

  /**
   * The seeds of 0-based training step {@code step}, row-major {@code [sites(c), 2]}: row {@code s} is
   * {@code (mix(seed, DROPOUT, step, s, 1), mix(seed, DROPOUT, step, s, 2))}, hashed (never {@code seed + step}).
   */
  public static long[] seeds(ModelConfig c, long seed, long step) {
    int n = sites(c);
    long[] out = new long[2 * n];
    for (int s = 0; s < n; s++) {
      out[2 * s] = Seeds.mix(seed, DROPOUT, step, s, 1);
      out[2 * s + 1] = Seeds.mix(seed, DROPOUT, step, s, 2);
    }
    return out;
  }

  /**
   * The dropout of one forward pass in a graph: the rate, the static batch, the fed seeds and the pass index; in a
   * graph of {@link Towers}, the tower {@code tower} of {@code towers} whose slice of the batch this pass sees.
   * {@code null} where a builder takes a {@code Pass} means no dropout.
   */
  public record Pass(Dropout dropout, ModelConfig config, Operand<TInt64> seeds, int pass, int tower, int towers,
                     Map<Integer, Operand<TFloat32>> masks) {
    public Pass {
      if (towers < 1 || tower < 0 || tower >= towers) {
        throw new IllegalArgumentException("tower " + tower + " of " + towers);
      }
    }

    /** The whole batch's pass. */
    public Pass(Dropout dropout, ModelConfig config, Operand<TInt64> seeds, int pass) {
      this(dropout, config, seeds, pass, 0, 1, new HashMap<>());
    }

    /** This pass for tower {@code t} of {@code n} (from a whole-batch pass). */
    public Pass tower(int t, int n) {
      if (towers != 1) {
        throw new IllegalStateException("already the pass of tower " + tower + " of " + towers);
      }
      return new Pass(dropout, config, seeds, pass, t, n, masks);
    }

    /**
     * Site {@code site} of this pass (see the class comment) applied to {@code x}, whose whole-batch static shape is
     * {@code shape} (leading dimension a multiple of the batch). A tower draws the whole batch's mask and keeps its
     * own rows ({@link Towers#start}, {@link Towers#size}), so the masks do not depend on the tower count; the
     * towers of one pass share each site's draw ({@code masks}, keyed by site).
     */
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int site, long... shape) {
      long unit = shape[0] / dropout.batch();
      long[] mine = shape.clone();
      mine[0] = unit * Towers.size(dropout.batch(), tower, towers);
      boolean fits = x.shape().numDimensions() == mine.length;
      for (int i = 0; fits && i < mine.length; i++) {
        fits = x.shape().isUnknown() || x.shape().size(i) < 0 || x.shape().size(i) == mine[i];
      }
      if (!fits) {
        throw new IllegalStateException("dropout site " + site + ": a mask of shape " + java.util.Arrays.toString(mine)
            + " does not fit " + x.shape());
      }
      Operand<TFloat32> mask = masks.computeIfAbsent(site, k -> draw(tf, k, shape));
      if (towers > 1) {
        long[] begin = new long[shape.length];
        begin[0] = unit * Towers.start(dropout.batch(), tower, towers);
        mask = tf.slice(mask, tf.constant(begin), tf.constant(mine));
      }
      return tf.math.mul(x, mask);
    }

    /** The whole batch's scaled keep-mask of site {@code site}: {@code [u >= p] / (1 - p)}. */
    private Operand<TFloat32> draw(Ops tf, int site, long[] shape) {
      int row = pass * sitesPerPass(config) + site;
      Operand<TInt64> seed = tf.gather(seeds, tf.constant(row), tf.constant(0));
      Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.constant(shape), seed, TFloat32.class);
      float p = (float) dropout.rate();
      Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant(p)), TFloat32.class);
      return tf.math.mul(keep, tf.constant((float) (1.0 / (1.0 - dropout.rate()))));
    }

    /** Embedding site on {@code [B·L, d]}. */
    Operand<TFloat32> embeddings(Ops tf, Operand<TFloat32> x) {
      return apply(tf.withSubScope("dropout_embd"), x, 0, (long) dropout.batch() * config.seqLen(), config.dModel());
    }

    /** Attention-probability site of block {@code block} on {@code [B, H, L, L]}. */
    Operand<TFloat32> attention(Ops tf, Operand<TFloat32> probs, int block) {
      return apply(tf.withSubScope("dropout_attn"), probs, 1 + 3 * block, dropout.batch(), config.heads(),
          config.seqLen(), config.seqLen());
    }

    /** Residual site of block {@code block} on {@code [B·L, d]}: the MLP output if {@code mlp}, else the attention's. */
    Operand<TFloat32> residual(Ops tf, Operand<TFloat32> x, int block, boolean mlp) {
      return apply(tf.withSubScope(mlp ? "dropout_mlp" : "dropout_resid"), x, (mlp ? 3 : 2) + 3 * block,
          (long) dropout.batch() * config.seqLen(), config.dModel());
    }
  }
}
