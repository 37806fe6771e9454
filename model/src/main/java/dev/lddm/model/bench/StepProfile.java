package dev.lddm.model.bench;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.Precision;
import dev.lddm.model.graph.ModelGraph;
import dev.lddm.model.graph.OpNames;
import dev.lddm.model.graph.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.StepStats;
import org.tensorflow.proto.DeviceStepStats;

/**
 * Profiles one MGDM/LDDM training step with TensorFlow's step stats ({@code RunOptions.TraceLevel.FULL_TRACE}):
 * time per op type, per scope and the slowest nodes, averaged over traced steps, plus the untraced ms/step.
 *
 * <p>Usage: {@code StepProfile [kind=mgdm] [preset=small] [batch=64] [seqLen=64] [warmup=10] [measure=20]
 * [traced=5] [top=25] [precision=fp32]}. Feeds synthetic data (random ids, about half the positions masked).
 */
public final class StepProfile {
  private StepProfile() {}

  public static void main(String[] args) {
    ModelKind kind = ModelKind.parse(arg(args, 0, "mgdm"));
    String preset = arg(args, 1, "small");
    int b = Integer.parseInt(arg(args, 2, "64"));
    int l = Integer.parseInt(arg(args, 3, "64"));
    int warmup = Integer.parseInt(arg(args, 4, "10"));
    int measure = Integer.parseInt(arg(args, 5, "20"));
    int traced = Integer.parseInt(arg(args, 6, "5"));
    int top = Integer.parseInt(arg(args, 7, "25"));
    ModelConfig c = ModelConfig.preset(kind, preset, l).withPrecision(Precision.parse(arg(args, 8, "fp32")));
    try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.TRAINING, 1, 0f, ModelGraph.sessionConfig(1, 1))) {
      g.initialize();
      Session s = g.session();
      SplittableRandom r = new SplittableRandom(7);
      for (int i = 0; i < warmup; i++) {
        step(s, c, b, r, false, i + 1);
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < measure; i++) {
        step(s, c, b, r, false, warmup + i + 1);
      }
      double ms = (System.nanoTime() - t0) / 1e6 / measure;
      Map<String, Long> byType = new HashMap<>();
      Map<String, Long> byNode = new HashMap<>();
      Map<String, Integer> countByType = new HashMap<>();
      Map<String, Long> byScope = new HashMap<>();
      long totalWall = 0;
      for (int i = 0; i < traced; i++) {
        RunMetadata md = step(s, c, b, r, true, warmup + measure + i + 1);
        long minStart = Long.MAX_VALUE;
        long maxEnd = 0;
        StepStats ss = md.getStepStats();
        for (DeviceStepStats dev : ss.getDevStatsList()) {
          for (NodeExecStats n : dev.getNodeStatsList()) {
            long us = n.getOpEndRelMicros();
            minStart = Math.min(minStart, n.getAllStartMicros());
            maxEnd = Math.max(maxEnd, n.getAllStartMicros() + n.getAllEndRelMicros());
            String name = n.getNodeName();
            GraphOperation op = g.graph().operation(name);
            String type = op == null ? name : op.type();
            byType.merge(type, us, Long::sum);
            byNode.merge(name + " (" + type + ")", us, Long::sum);
            byScope.merge(scope(name), us, Long::sum);
            if (i == 0) {
              countByType.merge(type, 1, Integer::sum);
            }
          }
        }
        totalWall += maxEnd - minStart;
      }
      long sumOps = byType.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf(Locale.ROOT, "%s %s B=%d L=%d: untraced %.1f ms/step; traced: wall %.1f ms/step, sum of op"
              + " times %.1f ms/step, %d nodes/step; load average %s%n", kind.id(), preset, b, l, ms,
          totalWall / 1e3 / traced, sumOps / 1e3 / traced, countByType.values().stream().mapToInt(x -> x).sum(),
          TrainSpeed.loadAverage());
      System.out.println("-- by op type (ms/step, share, count) --");
      byType.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(top)
          .forEach(e -> System.out.printf(Locale.ROOT, "%8.2f  %5.1f%%  %4d  %s%n", e.getValue() / 1e3 / traced,
              100.0 * e.getValue() / sumOps, countByType.getOrDefault(e.getKey(), 0), e.getKey()));
      System.out.println("-- by scope (first name component; ms/step, share) --");
      byScope.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(top)
          .forEach(e -> System.out.printf(Locale.ROOT, "%8.2f  %5.1f%%  %s%n", e.getValue() / 1e3 / traced,
              100.0 * e.getValue() / sumOps, e.getKey()));
      System.out.println("-- slowest nodes (ms/step) --");
      byNode.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(top)
          .forEach(e -> System.out.printf(Locale.ROOT, "%8.2f  %s%n", e.getValue() / 1e3 / traced, e.getKey()));
    }
  }

  static RunMetadata step(Session s, ModelConfig c, int b, SplittableRandom r, boolean trace, long k) {
    int l = c.seqLen();
    int[] tokens = new int[b * l];
    int[] targets = new int[b * l];
    float[] mask = new float[b * l];
    float[] tw = new float[b];
    for (int i = 0; i < b * l; i++) {
      targets[i] = 4 + r.nextInt(c.vocab() - 4);
      boolean m = i % l >= 15 && r.nextBoolean();
      tokens[i] = m ? 3 : targets[i];
      mask[i] = m ? 1f : 0f;
    }
    for (int j = 0; j < b; j++) {
      tw[j] = 1 + r.nextInt(20);
    }
    List<Tensor> in = new ArrayList<>();
    try (Tensor tok = Tensors.ints(tokens, b, l);
         Tensor tgt = Tensors.ints(targets, b, l);
         Tensor msk = Tensors.floats(mask, b, l);
         Tensor t = Tensors.floats(tw, b);
         Tensor lr = Tensors.scalar(3e-4f);
         Tensor bc1 = Tensors.scalar((float) (1 - Math.pow(0.9, k)));
         Tensor bc2 = Tensors.scalar((float) (1 - Math.pow(0.999, k)))) {
      Session.Runner run = s.runner().feed(OpNames.TOKENS, tok).feed(OpNames.TARGETS, tgt)
          .feed(OpNames.LOSS_MASK, msk).feed(OpNames.TIME_WEIGHT, t).feed(OpNames.LR, lr)
          .feed(OpNames.ADAM_BC1, bc1).feed(OpNames.ADAM_BC2, bc2).fetch(OpNames.LOSS).addTarget(OpNames.TRAIN);
      if (trace) {
        run.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
        try (Result res = run.runAndFetchMetadata()) {
          return res.getMetadata().orElseThrow();
        }
      }
      try (Result res = run.run()) {
        return null;
      }
    }
  }

  /** The node's first name component ({@code pass1}, {@code gradients}, {@code optimizer}, ...), or "(root)". */
  static String scope(String node) {
    int slash = node.indexOf('/');
    return slash < 0 ? "(root)" : node.substring(0, slash);
  }

  private static String arg(String[] a, int i, String dflt) {
    return a.length > i ? a[i] : dflt;
  }
}
