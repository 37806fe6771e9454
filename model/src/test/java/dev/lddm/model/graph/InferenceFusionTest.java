package dev.lddm.model.graph;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.Precision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * The inference graph ({@link Backbone#inferenceForward}): the same function as the training graph's, with its GELU
 * fused into the MLP's first product by Grappler where TensorFlow runs oneDNN, and its LayerNorms as one fused
 * kernel each where TensorFlow has it ({@link FusedLayerNorm}).
 */
class InferenceFusionTest {
  private static final int L = 12;
  private static final int B = 4;

  private static int[] tokens() {
    return TestTokens.random(3, B * L);
  }

  private static Session.Runner feed(ModelGraph g, ModelConfig c, Tensor tok, Tensor zeros) {
    Session.Runner run = g.session().runner().feed(OpNames.TOKENS, tok);
    return g.mode() == ModelGraph.Mode.INFERENCE && c.kind().hasLatent() ? run.feed(OpNames.LATENT_IN, zeros) : run;
  }

  /** Logits of a fresh model (seed 5) through the given mode's graph; the training graph's first pass has h = 0. */
  private static float[] logits(ModelConfig c, ModelGraph.Mode mode) {
    try (ModelGraph g = ModelGraph.build(c, mode, 5, 0f, ModelGraph.sessionConfig(1, 1));
         Tensor tok = Tensors.ints(tokens(), B, L);
         Tensor zeros = Tensors.floats(new float[B * L * c.dModel()], B, L, c.dModel())) {
      g.initialize();
      try (Result res = feed(g, c, tok, zeros).fetch(OpNames.LOGITS).run()) {
        return Tensors.read(res.get(0));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void inferenceLogitsEqualTheTrainingGraphsUpToRounding(ModelKind kind) {
    ModelConfig c = ModelConfig.preset(kind, "micro", L);
    float[] train = logits(c, ModelGraph.Mode.TRAINING);
    float[] infer = logits(c, ModelGraph.Mode.INFERENCE);
    assertEquals(train.length, infer.length);
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < train.length; i++) {
      scale = Math.max(scale, Math.abs(train[i]));
      worst = Math.max(worst, Math.abs(train[i] - infer[i]));
    }
    assertTrue(scale > 0.1, "logits of a fresh model should not all be ~0: " + scale);
    // Float32 round-off of a 2-block network (oneDNN's tanh and LayerNorm in the fused kernels); a wrong constant or
    // a dropped term of the GELU, or another LayerNorm epsilon, moves the logits by orders of magnitude more.
    assertTrue(worst <= 1e-5 * scale, kind + ": max |inference - training| = " + worst + " of " + scale);
  }

  @Test
  void theGeluIsFusedIntoTheFirstMlpProductUnderOneDnn() {
    ModelConfig c = ModelConfig.preset(ModelKind.MGDM, "micro", L);
    List<NodeDef> nodes = partitionNodes(c);
    assumeTrue(nodes.stream().anyMatch(n -> n.getOp().startsWith("_Mkl")),
        "TensorFlow runs without oneDNN on this CPU: Grappler's CPU GELU fusion needs it");
    long fused = nodes.stream().filter(n -> fusedOps(n).contains("GeluApproximate")).count();
    assertEquals(c.layers(), fused, "one fused MatMul + BiasAdd + GELU per block");
    assertTrue(nodes.stream().noneMatch(n -> n.getOp().equals("Tanh")), "no unfused GELU left");
  }

  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void everyLayerNormIsOneFusedKernelWhereTensorFlowHasIt(ModelKind kind) {
    assumeTrue(FusedLayerNorm.probe(ModelGraph.sessionConfig(1, 1)) != FusedLayerNorm.Probe.NO_KERNEL,
        "this TensorFlow has no _MklLayerNorm kernel");
    ModelConfig c = ModelConfig.preset(kind, "micro", L);
    List<NodeDef> nodes = partitionNodes(c);
    // two per block, the final one, and LDDM's LN_h on the latent
    long expected = 2L * c.layers() + 1 + (kind.hasLatent() ? 1 : 0);
    assertEquals(expected, nodes.stream().filter(n -> n.getOp().equals(FusedLayerNorm.OP)).count());
    assertTrue(nodes.stream().noneMatch(n -> n.getOp().equals("Rsqrt")), "no composite LayerNorm left");
  }

  @Test
  void bfloat16InferenceKeepsTheTrainingGeluAndLayerNorm() {
    ModelConfig c = ModelConfig.preset(ModelKind.MGDM, "micro", L).withPrecision(Precision.BF16);
    List<NodeDef> nodes = partitionNodes(c);
    assertTrue(nodes.stream().noneMatch(n -> fusedOps(n).contains("GeluApproximate")));
    assertTrue(nodes.stream().noneMatch(n -> n.getOp().equals(FusedLayerNorm.OP)));
  }

  @Test
  void trainingGraphsHaveNoFusedLayerNorm() {
    ModelConfig c = ModelConfig.preset(ModelKind.LDDM, "micro", L);
    try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.TRAINING, 5, 0f, ModelGraph.sessionConfig(1, 1))) {
      g.graph().operations().forEachRemaining(op -> assertNotEquals(FusedLayerNorm.OP, op.type(), op.name()));
    }
  }

  /** The nodes TensorFlow ran for one inference step (after Grappler). */
  private static List<NodeDef> partitionNodes(ModelConfig c) {
    try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.INFERENCE, 5, 0f, ModelGraph.sessionConfig(1, 1));
         Tensor tok = Tensors.ints(tokens(), B, L);
         Tensor zeros = Tensors.floats(new float[B * L * c.dModel()], B, L, c.dModel())) {
      g.initialize();
      Session.Runner run = feed(g, c, tok, zeros).fetch(OpNames.LOGITS)
          .setOptions(RunOptions.newBuilder().setOutputPartitionGraphs(true).build());
      try (Result res = run.runAndFetchMetadata()) {
        RunMetadata md = res.getMetadata().orElseThrow();
        List<NodeDef> nodes = new ArrayList<>();
        md.getPartitionGraphsList().forEach(gd -> nodes.addAll(gd.getNodeList()));
        assertFalse(nodes.isEmpty());
        return nodes;
      }
    }
  }

  private static List<String> fusedOps(NodeDef n) {
    return n.getAttrMap().containsKey("fused_ops")
        ? n.getAttrMap().get("fused_ops").getList().getSList().stream().map(s -> s.toStringUtf8()).toList()
        : List.of();
  }
}
