package dev.lddm.model.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.Precision;
import dev.lddm.tasks.token.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

/** The dropout sites in the graph: present only in training graphs with a rate above 0, seeded per step. */
class DropoutTest {
  private static final int L = 12;
  private static final int B = 4;
  private static final String UNIFORM = "StatelessRandomUniform";

  private static long count(ModelGraph g, String type) {
    long n = 0;
    Iterator<GraphOperation> it = g.graph().operations();
    while (it.hasNext()) {
      if (it.next().type().equals(type)) {
        n++;
      }
    }
    return n;
  }

  /**
   * Every node as one line: name, op type, inputs and attributes (sorted), in graph order. The GraphDef's bytes
   * are not canonical (attribute maps serialise in any order), this is.
   */
  private static List<String> describe(ModelGraph g) {
    List<String> out = new ArrayList<>();
    for (NodeDef n : g.graph().toGraphDef().getNodeList()) {
      StringBuilder b = new StringBuilder(n.getName()).append(' ').append(n.getOp()).append(' ')
          .append(n.getInputList()).append(' ').append(n.getDevice());
      new TreeMap<>(n.getAttrMap()).forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
      out.add(b.toString());
    }
    return out;
  }

  private static ModelGraph training(ModelConfig c, double rate) {
    return ModelGraph.build(c, ModelGraph.Mode.TRAINING, 5, 0f, new Dropout(rate, B), ModelGraph.sessionConfig(1, 1));
  }

  /** Rate 0 builds the graph of the build without dropout, byte for byte (no extra op, same names). */
  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void rateZeroBuildsExactlyTheGraphWithoutDropout(ModelKind kind) {
    for (Precision p : Precision.values()) {
      ModelConfig c = ModelConfig.preset(kind, "micro", L).withPrecision(p);
      List<String> without;
      try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.TRAINING, 5, 0f, ModelGraph.sessionConfig(1, 1))) {
        without = describe(g);
        assertEquals(0, count(g, UNIFORM));
      }
      try (ModelGraph g = training(c, 0)) {
        assertEquals(without, describe(g), kind + " " + p);
        assertNull(g.graph().operation(OpNames.DROPOUT_SEEDS));
      }
      try (ModelGraph g = training(c, 0.1)) {
        assertNotEquals(without, describe(g), "the check is sensitive");
      }
    }
  }

  /** One mask per site and pass: 1 + 3 per block, twice for LDDM (both self-conditioning passes). */
  @ParameterizedTest
  @CsvSource({"MGDM, 7", "AR, 7", "LDDM, 14"})
  void trainingGraphHasOneMaskPerSite(ModelKind kind, int sites) {
    ModelConfig c = ModelConfig.preset(kind, "micro", L);
    assertEquals(2, c.layers());
    assertEquals(sites, Dropout.sites(c));
    try (ModelGraph g = training(c, 0.1)) {
      assertEquals(sites, count(g, UNIFORM));
      assertEquals(List.of((long) sites, 2L), shape(g.graph().operation(OpNames.DROPOUT_SEEDS)));
    }
  }

  private static List<Long> shape(GraphOperation op) {
    List<Long> out = new ArrayList<>();
    for (long d : op.output(0).shape().asArray()) {
      out.add(d);
    }
    return out;
  }

  /** Decoding never drops: the inference graph has no random op and no seed input whatever rate is asked for. */
  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void inferenceGraphNeverHasDropout(ModelKind kind) {
    ModelConfig c = ModelConfig.preset(kind, "micro", L);
    List<String> plain;
    try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.INFERENCE, 5, 0f, ModelGraph.sessionConfig(1, 1))) {
      plain = describe(g);
    }
    try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.INFERENCE, 5, 0f, new Dropout(0.1, B),
        ModelGraph.sessionConfig(1, 1))) {
      assertEquals(0, count(g, UNIFORM));
      assertNull(g.graph().operation(OpNames.DROPOUT_SEEDS));
      assertEquals(plain, describe(g));
    }
  }

  @Test
  void badRatesAreRejected() {
    assertEquals("dropout rate must be in [0, 1), got 1.0",
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1, 8)).getMessage());
    assertEquals("dropout rate must be in [0, 1), got -0.1",
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1, 8)).getMessage());
    assertEquals("dropout rate must be in [0, 1), got NaN",
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN, 8)).getMessage());
    assertEquals("dropout batch must be >= 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> new Dropout(0.1, 0)).getMessage());
  }

  /** Seeds are a pure function of (seed, step), differ between steps, seeds and sites. */
  @Test
  void seedsArePerStepAndPerSite() {
    ModelConfig c = ModelConfig.preset(ModelKind.LDDM, "micro", L);
    long[] a = Dropout.seeds(c, 1, 0);
    assertEquals(2 * 14, a.length);
    assertArrayEquals(a, Dropout.seeds(c, 1, 0));
    assertFalse(Arrays.equals(a, Dropout.seeds(c, 1, 1)));
    assertFalse(Arrays.equals(a, Dropout.seeds(c, 2, 0)));
    assertFalse(Arrays.equals(Dropout.seeds(c, 0, 1), Dropout.seeds(c, 1, 0)), "hashed, not seed + step");
    assertEquals(a.length, Arrays.stream(a).distinct().count(), "every site its own seed");
  }

  /**
   * With the same weights and batch, the loss is a function of the fed seeds: equal seeds give the same loss bit
   * for bit, other seeds another loss, and both differ from the loss without dropout.
   */
  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void lossDependsOnlyOnTheFedSeeds(ModelKind kind) {
    ModelConfig c = ModelConfig.preset(kind, "micro", L);
    float plain;
    try (ModelGraph g = training(c, 0)) {
      g.initialize();
      plain = loss(g, kind, null);
    }
    try (ModelGraph g = training(c, 0.1)) {
      g.initialize();
      float a = loss(g, kind, Dropout.seeds(c, 1, 0));
      float a2 = loss(g, kind, Dropout.seeds(c, 1, 0));
      float b = loss(g, kind, Dropout.seeds(c, 1, 1));
      assertEquals(a, a2, 0f, "same seeds, same masks");
      assertNotEquals(a, b, "other seeds, other masks");
      assertNotEquals(plain, a, "dropout is on");
    }
  }

  /**
   * Every variable gets a gradient through the dropout masks: a few AdamW steps with dropout 0.1 move every
   * variable (LDDM: the self-conditioning target, whose pass 2 reaches LN_h; AR and MGDM: the single pass).
   */
  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void everyVariableTrainsWithDropout(ModelKind kind) {
    ModelConfig c = ModelConfig.preset(kind, "micro", L);
    try (ModelGraph g = training(c, 0.1)) {
      g.initialize();
      List<Variable<TFloat32>> vars = g.weights().all();
      List<float[]> before = values(g.session(), vars);
      for (int step = 0; step < 3; step++) {
        try (Feeds f = new Feeds(kind, Dropout.seeds(c, 1, step), step + 1)) {
          f.feed(g.session().runner()).addTarget(kind.hasLatent() ? OpNames.TRAIN_SC : OpNames.TRAIN).run();
        }
      }
      List<float[]> after = values(g.session(), vars);
      for (int i = 0; i < vars.size(); i++) {
        assertFalse(Arrays.equals(before.get(i), after.get(i)),
            kind + ": variable " + vars.get(i).op().name() + " did not move (no gradient?)");
      }
    }
  }

  private static List<float[]> values(Session s, List<Variable<TFloat32>> vars) {
    Session.Runner r = s.runner();
    vars.forEach(r::fetch);
    List<float[]> out = new ArrayList<>();
    try (Result res = r.run()) {
      for (int i = 0; i < vars.size(); i++) {
        out.add(Tensors.read(res.get(i)));
      }
    }
    return out;
  }

  private static float loss(ModelGraph g, ModelKind kind, long[] seeds) {
    try (Feeds f = new Feeds(kind, seeds, 1);
         Result r = f.feed(g.session().runner()).fetch(kind.hasLatent() ? OpNames.LOSS_SC : OpNames.LOSS).run()) {
      return Tensors.readScalar(r.get(0));
    }
  }

  /** A fixed batch of B random sequences, half the positions after 4 masked (diffusion) or scored (AR). */
  private static final class Feeds implements AutoCloseable {
    final List<Tensor> all = new ArrayList<>();
    final Tensor tokens;
    final Tensor targets;
    final Tensor mask;
    final Tensor timeWeight;
    final Tensor seeds;
    final Tensor lr;
    final Tensor bc1;
    final Tensor bc2;

    Feeds(ModelKind kind, long[] dropoutSeeds, int k) {
      SplittableRandom r = new SplittableRandom(3);
      int[] tgt = new int[B * L];
      int[] tok = new int[B * L];
      float[] m = new float[B * L];
      for (int i = 0; i < tgt.length; i++) {
        tgt[i] = r.nextInt(Vocabulary.SIZE);
        tok[i] = tgt[i];
        if (i % L >= 4 && r.nextDouble() < 0.5) {
          m[i] = 1;
          tok[i] = kind.isAutoregressive() ? tgt[i] : Vocabulary.MASK;
        }
      }
      tokens = add(Tensors.ints(tok, B, L));
      targets = add(Tensors.ints(tgt, B, L));
      mask = add(Tensors.floats(m, B, L));
      timeWeight = kind.isAutoregressive() ? null : add(Tensors.floats(new float[] {20, 7, 3, 1}, B));
      seeds = dropoutSeeds == null ? null : add(Tensors.longs(dropoutSeeds, dropoutSeeds.length / 2, 2));
      lr = add(Tensors.scalar(3e-3f));
      bc1 = add(Tensors.scalar((float) (1 - Math.pow(AdamW.BETA1, k))));
      bc2 = add(Tensors.scalar((float) (1 - Math.pow(AdamW.BETA2, k))));
    }

    private Tensor add(Tensor t) {
      all.add(t);
      return t;
    }

    Session.Runner feed(Session.Runner r) {
      r.feed(OpNames.TOKENS, tokens).feed(OpNames.TARGETS, targets).feed(OpNames.LOSS_MASK, mask)
          .feed(OpNames.LR, lr).feed(OpNames.ADAM_BC1, bc1).feed(OpNames.ADAM_BC2, bc2);
      if (timeWeight != null) {
        r.feed(OpNames.TIME_WEIGHT, timeWeight);
      }
      if (seeds != null) {
        r.feed(OpNames.DROPOUT_SEEDS, seeds);
      }
      return r;
    }

    @Override
    public void close() {
      all.forEach(Tensor::close);
    }
  }
}
