package dev.lddm.model.graph;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.Precision;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A built graph with its session: either the training graph (model, MGDM loss, AdamW slots and the train
 * targets; for LDDM also the two-pass self-conditioning loss sharing variables and slots; for AR the causal
 * model with {@link NextTokenLoss}, fed {@link OpNames#TOKENS} = {@link OpNames#TARGETS} = the clean sequence
 * and {@link OpNames#LOSS_MASK} = the target positions, and no {@link OpNames#TIME_WEIGHT}) or the inference
 * graph (model only, plus the {@link OpNames#LATENT_IN} placeholder for LDDM and the {@link DecodeHeads} reductions
 * the fast decoder fetches). Training graphs run every forward pass as {@link Towers#COUNT} towers over halves of
 * the batch ({@link Towers}); inference graphs as one. Training graphs may carry {@link Dropout} (fed
 * {@link OpNames#DROPOUT_SEEDS} per step); inference graphs never do. All ops that are fed or fetched
 * are named with {@link OpNames}. Every variable, optimizer slots included, exists before the session is
 * created, so save/restore sees all of them.
 */
public final class ModelGraph implements AutoCloseable {
  /** Whether to build the optimizer. */
  public enum Mode { TRAINING, INFERENCE }

  private final ModelConfig config;
  private final Mode mode;
  private final Graph graph;
  private final Session session;
  private final Backbone.Weights weights;

  private ModelGraph(ModelConfig config, Mode mode, Graph graph, Session session, Backbone.Weights weights) {
    this.config = config;
    this.mode = mode;
    this.graph = graph;
    this.session = session;
    this.weights = weights;
  }

  /** The ConfigProto for given thread counts (0 = let TensorFlow choose). */
  public static ConfigProto sessionConfig(int intraOpThreads, int interOpThreads) {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOpThreads)
        .setInterOpParallelismThreads(interOpThreads)
        .build();
  }

  /**
   * {@code base} for a float32 inference session: the same threads, with Grappler's arithmetic optimizer off, so
   * that the GELU pattern of {@link Backbone#inferenceForward} reaches the remapper unchanged and is fused (the
   * arithmetic optimizer reorders its multiplications). Every other Grappler pass stays on. Decoding 1,000
   * Countdown-3 problems ({@code small}, T = 20, one thread) took ~7% less time with both (AMD Zen 5;
   * results/bench/2026-12-07-fused-gelu). bfloat16 sessions keep the default (their GELU is not fusable).
   */
  public static ConfigProto inferenceSessionConfig(ConfigProto base) {
    ConfigProto.Builder b = base.toBuilder();
    b.getGraphOptionsBuilder().getRewriteOptionsBuilder().setArithmeticOptimization(RewriterConfig.Toggle.OFF);
    return b.build();
  }

  /**
   * Builds the graph and opens a session. Variables are not initialised yet: call {@link #initialize()} or
   * {@link #restore(Path)}.
   *
   * @param seed the model seed (weights are a pure function of it)
   * @param weightDecay AdamW decoupled weight decay (training only)
   */
  public static ModelGraph build(ModelConfig c, Mode mode, long seed, float weightDecay, ConfigProto sessionConfig) {
    return build(c, mode, seed, weightDecay, Dropout.NONE, sessionConfig);
  }

  /**
   * As {@link #build(ModelConfig, Mode, long, float, ConfigProto)} with training dropout. With
   * {@link Dropout#active()} the training graph drops at GPT-2's sites in every forward pass (LDDM: both passes of
   * the self-conditioning step) and needs {@link OpNames#DROPOUT_SEEDS} fed with {@link Dropout#seeds} on every
   * run that computes a loss; with rate 0 the graph is the one without dropout, op for op. Inference graphs
   * ignore {@code dropout} (decoding never drops).
   *
   * @param dropout the rate and the static training batch its masks are shaped for
   */
  public static ModelGraph build(ModelConfig c, Mode mode, long seed, float weightDecay, Dropout dropout,
                                 ConfigProto sessionConfig) {
    return build(c, mode, seed, weightDecay, dropout, Towers.COUNT, sessionConfig);
  }

  /**
   * As {@link #build(ModelConfig, Mode, long, float, Dropout, ConfigProto)} with the training graph's forward passes
   * built as {@code towers} towers ({@link Towers}; every fed batch must have at least that many sequences; the
   * trainer uses {@link Towers#count} of its batch). Inference graphs ignore it (one tower).
   */
  public static ModelGraph build(ModelConfig c, Mode mode, long seed, float weightDecay, Dropout dropout, int towers,
                                 ConfigProto sessionConfig) {
    java.util.Objects.requireNonNull(dropout, "dropout");
    if (towers < 1) {
      throw new IllegalArgumentException("towers must be >= 1, got " + towers);
    }
    Graph g = new Graph();
    try {
      Ops tf = Ops.create(g);
      int l = c.seqLen();
      Operand<TInt32> tokens = tf.withName(OpNames.TOKENS).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, l)));
      Backbone.Weights w = Backbone.createWeights(tf, c, seed);
      if (mode == Mode.INFERENCE) {
        Operand<TFloat32> latentIn = null;
        if (c.kind().hasLatent()) {
          latentIn = tf.withName(OpNames.LATENT_IN).placeholder(TFloat32.class,
              Placeholder.shape(Shape.of(-1, l, c.dModel())));
        }
        Backbone.Output out = Backbone.inferenceForward(tf.withSubScope("fwd"), c, w, tokens, latentIn,
            FusedLayerNorm.available(sessionConfig));
        tf.withName(OpNames.LOGITS).identity(out.logits());
        if (c.kind().hasLatent()) {
          tf.withName(OpNames.LATENT_OUT).identity(out.latent());
        }
        DecodeHeads.build(tf, c, out.logits());
      } else {
        Operand<TInt32> targets = tf.withName(OpNames.TARGETS).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, l)));
        Operand<TFloat32> lossMask = tf.withName(OpNames.LOSS_MASK).placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(-1, l)));
        Dropout.Pass drop1 = null;
        Dropout.Pass drop2 = null;
        if (dropout.active()) {
          Operand<TInt64> seeds = tf.withName(OpNames.DROPOUT_SEEDS).placeholder(TInt64.class,
              Placeholder.shape(Shape.of(Dropout.sites(c), 2)));
          drop1 = new Dropout.Pass(dropout, c, seeds, 0);
          drop2 = c.kind().hasLatent() ? new Dropout.Pass(dropout, c, seeds, 1) : null;
        }
        if (c.kind().isAutoregressive()) {
          Backbone.Output out = Towers.forward(tf, "pass1", c, w, tokens, null, drop1, towers);
          tf.withName(OpNames.LOGITS).identity(out.logits());
          Operand<TFloat32> loss = tf.withName(OpNames.LOSS).identity(
              NextTokenLoss.build(tf, l, c.vocab(), out.logits(), targets, lossMask));
          new AdamW(g, tf, w.all(), w.decayed(), weightDecay).minimize(tf, loss, OpNames.TRAIN, OpNames.GRAD_NORM);
          Session s = new Session(g, sessionConfig);
          return new ModelGraph(c, mode, g, s, w);
        }
        Operand<TFloat32> timeWeight = tf.withName(OpNames.TIME_WEIGHT).placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(-1)));
        Backbone.Output pass1 = Towers.forward(tf, "pass1", c, w, tokens, null, drop1, towers);
        tf.withName(OpNames.LOGITS).identity(pass1.logits());
        Operand<TFloat32> loss = tf.withName(OpNames.LOSS).identity(
            DiffusionLoss.build(tf, c.vocab(), pass1.logits(), targets, lossMask, timeWeight));
        AdamW adam = new AdamW(g, tf, w.all(), w.decayed(), weightDecay);
        adam.minimize(tf, loss, OpNames.TRAIN, OpNames.GRAD_NORM);
        if (c.kind().hasLatent()) {
          tf.withName(OpNames.LATENT_PASS1).identity(pass1.latent());
          Backbone.Output pass2 = Towers.forward(tf, "pass2", c, w, tokens, tf.stopGradient(pass1.latent()), drop2,
              towers);
          tf.withName(OpNames.LOGITS_SC).identity(pass2.logits());
          Operand<TFloat32> lossSc = tf.withName(OpNames.LOSS_SC).identity(
              DiffusionLoss.build(tf, c.vocab(), pass2.logits(), targets, lossMask, timeWeight));
          adam.minimize(tf, lossSc, OpNames.TRAIN_SC, OpNames.GRAD_NORM_SC);
        }
      }
      boolean fusable = mode == Mode.INFERENCE && c.precision() == Precision.FP32;
      Session s = new Session(g, fusable ? inferenceSessionConfig(sessionConfig) : sessionConfig);
      return new ModelGraph(c, mode, g, s, w);
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  /** Runs the variable initialisers (fresh model). */
  public void initialize() {
    session.initialize();
  }

  /** Restores every variable of this graph from a checkpoint prefix (extra entries in the checkpoint are ignored). */
  public void restore(Path prefix) {
    session.restore(prefix.toString());
  }

  /** Saves every variable to a checkpoint prefix. */
  public void save(Path prefix) {
    session.save(prefix.toString());
  }

  public ModelConfig config() {
    return config;
  }

  public Mode mode() {
    return mode;
  }

  public Graph graph() {
    return graph;
  }

  public Session session() {
    return session;
  }

  /** The model variables (for tests and diagnostics). */
  public Backbone.Weights weights() {
    return weights;
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      graph.close();
    }
  }
}
