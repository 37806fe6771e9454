package dev.lddm.model.bench;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.Precision;
import dev.lddm.model.decode.DecodeOptions;
import dev.lddm.model.decode.Decoder;
import dev.lddm.model.decode.Sampler;
import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.Task;
import dev.lddm.tasks.TaskRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures decoding speed through the real {@link Sampler}: the first {@code count} problems of a task's test
 * split (MGDM's data seed 4, as {@code lddm eval}), decoded {@code rounds} times after a short warm-up; per
 * round the wall and process CPU seconds and a SHA-256 of the predictions (the same weights, options and
 * seed must always give the same hash).
 *
 * <p>Usage: {@code DecodeSpeed [key=value ...]} with {@code kind=mgdm|lddm|ar} (default mgdm),
 * {@code decoder=masked-only|remask}, {@code preset=small}, {@code task=countdown3}, {@code count=1000},
 * {@code steps=20}, {@code batch=256}, {@code threads=1} (as {@code lddm eval --threads N}: N runs decoding at
 * once, 1 intra-op and N inter-op threads; {@code intra=}, {@code inter=} and {@code workers=} override each for
 * A/B runs),
 * {@code rounds=1}, {@code seed=1} (decoding seed), {@code precision=fp32|bf16} (of a fresh model),
 * {@code run=DIR} (decode a trained run instead of a freshly
 * initialised model; speed does not depend on the weights), {@code write-inputs=FILE} (write the inputs, one
 * per line, and exit: the PyTorch reference decodes the same problems).
 */
public final class DecodeSpeed {
  /** The generator seed of {@code lddm eval}'s data (MGDM's). */
  static final long DATA_SEED = 4;

  private DecodeSpeed() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>(Map.of("kind", "mgdm", "decoder", "masked-only", "preset", "small",
        "task", "countdown3", "count", "1000", "steps", "20", "batch", "256", "threads", "1", "rounds", "1",
        "seed", "1"));
    a.put("precision", "fp32");
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("arguments are key=value, got '" + arg + "'");
      }
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Task<?> task = TaskRegistry.get(a.get("task"));
    int count = Integer.parseInt(a.get("count"));
    List<String> inputs = task.generate(Split.TEST, count, DATA_SEED).stream().map(Example::input).toList();
    if (a.containsKey("write-inputs")) {
      Files.write(Path.of(a.get("write-inputs")), inputs, StandardCharsets.UTF_8);
      return;
    }
    ModelKind kind = ModelKind.parse(a.get("kind"));
    int threads = Integer.parseInt(a.get("threads"));
    int intra = Integer.parseInt(a.getOrDefault("intra", "1"));
    int inter = Integer.parseInt(a.getOrDefault("inter", a.get("threads")));
    int workers = Integer.parseInt(a.getOrDefault("workers", a.get("threads")));
    DecodeOptions opts = new DecodeOptions(Integer.parseInt(a.get("steps")), Decoder.parse(a.get("decoder")),
        Long.parseLong(a.get("seed")), Integer.parseInt(a.get("batch")), true, 0);
    long t0 = System.nanoTime();
    try (Sampler s = a.containsKey("run") ? Sampler.load(Path.of(a.get("run")), intra, inter)
        : Sampler.initialized(ModelConfig.preset(kind, a.get("preset"), task.sequenceLength())
            .withPrecision(Precision.parse(a.get("precision"))), 1, intra, inter)) {
      s.setDecodeWorkers(workers);
      ModelConfig c = s.config();
      s.decode(inputs.subList(0, Math.min(16, inputs.size())), opts.withBatch(16));
      double setup = (System.nanoTime() - t0) / 1e9;
      String what = c.kind().isAutoregressive() ? "greedy" : opts.decoder().id();
      for (int r = 1; r <= Integer.parseInt(a.get("rounds")); r++) {
        long cpu0 = TrainSpeed.processCpuMillis();
        long w0 = System.nanoTime();
        List<String> out = s.decode(inputs, opts);
        double wall = (System.nanoTime() - w0) / 1e9;
        double cpu = (TrainSpeed.processCpuMillis() - cpu0) / 1e3;
        System.out.printf(Locale.ROOT,
            "ours %s %s %s%s n=%d T=%d batch=%d threads=%d (intra %d, inter %d, workers %d): %.2f s wall, %.2f s CPU"
                + " for %d problems (%.2f ms/problem); predictions sha256 %s; setup+warm-up %.1f s; load average %s%n",
            c.kind().id(), c.preset(), what, c.precision() == Precision.FP32 ? "" : " " + c.precision().id(),
            inputs.size(), opts.steps(), opts.batch(), threads, intra, inter, workers,
            wall, cpu, inputs.size(), wall * 1e3 / inputs.size(), sha256(out).substring(0, 16), setup,
            TrainSpeed.loadAverage());
      }
    }
  }

  static String sha256(List<String> lines) throws NoSuchAlgorithmException {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (String l : lines) {
      md.update(l.getBytes(StandardCharsets.UTF_8));
      md.update((byte) '\n');
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
