package dev.lddm.model.bench;

/** Step stats of one decoder run: DecodeRunProfile KIND BATCH L WARMUP [precision]; see README.md. */

import dev.lddm.model.*;
import dev.lddm.model.graph.*;
import java.util.*;
import org.tensorflow.*;
import org.tensorflow.proto.*;

public final class DecodeRunProfile {
  public static void main(String[] args) {
    ModelKind kind = ModelKind.parse(args[0]);
    int b = Integer.parseInt(args[1]);
    int l = Integer.parseInt(args[2]);
    int n = Integer.parseInt(args[3]);
    ModelConfig c = ModelConfig.preset(kind, "small", l).withPrecision(Precision.parse(args.length > 4 ? args[4] : "fp32"));
    try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.INFERENCE, 1, 0f, ModelGraph.sessionConfig(1, 1))) {
      g.initialize();
      Session s = g.session();
      SplittableRandom r = new SplittableRandom(7);
      int[] tokens = new int[b * l];
      for (int i = 0; i < b * l; i++) tokens[i] = (i % l >= 15 && r.nextBoolean()) ? 3 : 4 + r.nextInt(c.vocab() - 4);
      float[] lat = new float[b * l * c.dModel()];
      for (int it = 0; it < n + 5; it++) {
        long t0 = System.nanoTime();
        run(s, c, tokens, lat, b, l, false, g);
        if (it == n + 4) System.out.printf("untraced %.3f ms%n", (System.nanoTime() - t0) / 1e6);
      }
      long tt = 0; int m = 200;
      for (int it = 0; it < m; it++) { long t0 = System.nanoTime(); run(s, c, tokens, lat, b, l, false, g); tt += System.nanoTime() - t0; }
      System.out.printf("untraced mean %.3f ms/run%n", tt / 1e6 / m);
      Map<String, Long> byType = new HashMap<>();
      Map<String, Long> byNode = new HashMap<>();
      int traced = 20;
      for (int it = 0; it < traced; it++) {
        RunMetadata md = run(s, c, tokens, lat, b, l, true, g);
        for (DeviceStepStats dev : md.getStepStats().getDevStatsList())
          for (NodeExecStats ns : dev.getNodeStatsList()) {
            long us = ns.getOpEndRelMicros();
            String type = ns.getTimelineLabel().replaceAll("^[^=]*= *", "").replaceAll("\\(.*", "");
            byType.merge(type, us, Long::sum);
            byNode.merge(ns.getNodeName() + " " + ns.getTimelineLabel(), us, Long::sum);
          }
      }
      long sum = byType.values().stream().mapToLong(x -> x).sum();
      System.out.printf("sum of ops %.3f ms/run%n", sum / 1e3 / traced);
      byType.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(25)
          .forEach(e -> System.out.printf("%8.3f %5.1f%% %s%n", e.getValue() / 1e3 / traced, 100.0 * e.getValue() / sum, e.getKey()));
      byNode.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(40)
          .forEach(e -> System.out.printf("%8.3f %s%n", e.getValue() / 1e3 / traced, e.getKey().length() > 150 ? e.getKey().substring(0, 150) : e.getKey()));
    }
  }

  static RunMetadata run(Session s, ModelConfig c, int[] tokens, float[] lat, int b, int l, boolean trace, ModelGraph g) {
    try (Tensor tok = Tensors.ints(tokens, b, l)) {
      Session.Runner run = s.runner().feed(OpNames.TOKENS, tok).fetch(DecodeHeads.BEST_TOKEN).fetch(DecodeHeads.STATS).fetch(OpNames.LOGITS);
      Tensor h = null;
      if (c.kind().hasLatent()) {
        h = org.tensorflow.types.TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(b, l, c.dModel()), org.tensorflow.ndarray.buffer.DataBuffers.of(lat, true, false));
        run.feed(OpNames.LATENT_IN, h).fetch(OpNames.LATENT_OUT);
      }
      try {
        if (trace) {
          run.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
          try (Result res = run.runAndFetchMetadata()) { return res.getMetadata().orElseThrow(); }
        }
        try (Result res = run.run()) { return null; }
      } finally { if (h != null) h.close(); }
    }
  }
}
