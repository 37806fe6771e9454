package dev.lddm.model.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.Tensor;

class GraphSmokeTest {
  @TempDir Path dir;

  @Test
  void trainStepRunsAndRestoreKeepsValues() throws Exception {
    for (ModelKind kind : ModelKind.values()) {
      ModelConfig c = ModelConfig.preset(kind, "micro", 8);
      int b = 2;
      int[] toks = new int[b * 8];
      float[] mask = new float[b * 8];
      for (int i = 0; i < toks.length; i++) {
        toks[i] = 5 + i % 10;
        mask[i] = i % 3 == 0 ? 1 : 0;
      }
      float before;
      Path prefix = dir.resolve(kind.id()).resolve("ckpt");
      Files.createDirectories(prefix.getParent());
      try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.TRAINING, 1, 0f, ModelGraph.sessionConfig(1, 1))) {
        g.initialize();
        try (Tensor t = Tensors.ints(toks, b, 8); Tensor y = Tensors.ints(toks, b, 8); Tensor m = Tensors.floats(mask, b, 8);
             Tensor w = Tensors.floats(new float[] {20, 10}, b); Tensor lr = Tensors.scalar(1e-3f);
             Tensor b1 = Tensors.scalar(0.1f); Tensor b2 = Tensors.scalar(0.001f)) {
          for (String target : kind.hasLatent() ? new String[] {OpNames.TRAIN, OpNames.TRAIN_SC} : new String[] {OpNames.TRAIN}) {
            var train = g.session().runner();
            if (!kind.isAutoregressive()) {
              train.feed(OpNames.TIME_WEIGHT, w); // the AR graph has no time weights
            }
            try (Result r = train.feed(OpNames.TOKENS, t).feed(OpNames.TARGETS, y).feed(OpNames.LOSS_MASK, m)
                .feed(OpNames.LR, lr).feed(OpNames.ADAM_BC1, b1).feed(OpNames.ADAM_BC2, b2)
                .fetch(OpNames.LOSS).addTarget(target).run()) {
              assertTrue(Tensors.readScalar(r.get(0)) > 0);
            }
          }
          try (Result r = g.session().runner().feed(OpNames.TOKENS, t).fetch(OpNames.LOGITS).run()) {
            before = Tensors.read(r.get(0))[3];
          }
        }
        g.save(prefix);
      }
      try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.INFERENCE, 99, 0f, ModelGraph.sessionConfig(1, 1))) {
        g.restore(prefix);
        var runner = g.session().runner();
        try (Tensor t = Tensors.ints(toks, b, 8);
             Tensor h = Tensors.floats(new float[b * 8 * c.dModel()], b, 8, c.dModel())) {
          runner.feed(OpNames.TOKENS, t);
          if (kind.hasLatent()) {
            runner.feed(OpNames.LATENT_IN, h);
          }
          try (Result r = runner.fetch(OpNames.LOGITS).run()) {
            // The training graph computes in Towers (half batches), the inference graph in one: float rounding apart.
            assertEquals(before, Tensors.read(r.get(0))[3], 1e-5f * Math.abs(before), kind.id());
          }
        }
      }
    }
  }
}
