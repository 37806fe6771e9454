package dev.lddm.model.bench;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.Precision;
import dev.lddm.model.train.TrainListener;
import dev.lddm.model.train.TrainSpec;
import dev.lddm.model.train.Trainer;
import dev.lddm.tasks.Example;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures training speed (fwd + bwd + AdamW, one {@code Session.run} per step) through the real
 * {@link Trainer}: ms/step and positions/s over {@code measure} steps after {@code warmup} steps.
 *
 * <p>Usage: {@code TrainSpeed [kind=mgdm] [preset=small] [batch=64] [seqLen=64] [warmup=10] [measure=50]
 * [intra=1] [inter=1] [precision=fp32]}. Data: synthetic Countdown-4-shaped sequences (speed does not depend on content).
 */
public final class TrainSpeed {
  private TrainSpeed() {}

  public static void main(String[] args) throws Exception {
    ModelKind kind = ModelKind.parse(arg(args, 0, "mgdm"));
    String preset = arg(args, 1, "small");
    int batch = Integer.parseInt(arg(args, 2, "64"));
    int seqLen = Integer.parseInt(arg(args, 3, "64"));
    int warmup = Integer.parseInt(arg(args, 4, "10"));
    int measure = Integer.parseInt(arg(args, 5, "50"));
    int intra = Integer.parseInt(arg(args, 6, "1"));
    int inter = Integer.parseInt(arg(args, 7, "1"));
    Precision precision = Precision.parse(arg(args, 8, "fp32"));
    List<Example> data = syntheticCountdown4(512, 1);
    TrainSpec spec = new TrainSpec("countdown4-synthetic", kind, preset, warmup + measure, 0, batch, 3e-4, 1, 0, 0,
        ModelConfig.DEFAULT_SELF_COND_RATE, 0, intra, inter, precision);
    Path dir = Files.createTempDirectory("lddm-trainspeed");
    long[] times = new long[warmup + measure + 1];
    long[] cpu = new long[warmup + measure + 1];
    long start = System.nanoTime();
    Trainer.train(spec, data, seqLen, dir, false, new TrainListener() {
      @Override
      public void onStep(long step, long total, double loss, double tps, double el) {
        times[(int) step] = System.nanoTime();
        cpu[(int) step] = processCpuMillis();
      }
    });
    double ms = (times[warmup + measure] - times[warmup]) / 1e6 / measure;
    double cpuMs = (cpu[warmup + measure] - cpu[warmup]) / (double) measure;
    ModelConfig c = ModelConfig.preset(kind, preset, seqLen);
    System.out.printf(Locale.ROOT,
        "%s %s %s params=%d batch=%d L=%d threads=%d/%d: %.1f ms/step, %.0f positions/s over %d steps after %d warm-up"
            + " (first step incl. graph build: %.0f ms); process CPU %.1f ms/step, peak RSS %s, load average %s%n",
        kind.id(), preset, precision.id(), c.parameterCount(), batch, seqLen, intra, inter, ms, batch * seqLen / (ms / 1e3),
        measure, warmup, (times[1] - start) / 1e6, cpuMs, peakRss(), loadAverage());
  }

  /** User + system CPU time of this process (all threads, native included) from /proc; -1 elsewhere. */
  static long processCpuMillis() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // clock ticks of 10 ms (USER_HZ 100)
    } catch (Exception e) {
      return -1;
    }
  }

  /** This process's peak resident set size ({@code VmHWM} of /proc/self/status), e.g. {@code 812 MiB}; "?" elsewhere. */
  static String peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%d MiB", Math.round(kb / 1024.0));
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return "?";
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }

  private static String arg(String[] a, int i, String dflt) {
    return a.length > i ? a[i] : dflt;
  }

  /** Valid-arithmetic Countdown-4-shaped examples: {@code a,b,c,d,t} / {@code a+b=x,x+c=y,y+d=t}. */
  static List<Example> syntheticCountdown4(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Example> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int a = 1 + r.nextInt(99);
      int b = 1 + r.nextInt(99);
      int c = 1 + r.nextInt(99);
      int d = 1 + r.nextInt(99);
      int x = a + b;
      int y = x + c;
      int t = y + d;
      out.add(new Example(a + "," + b + "," + c + "," + d + "," + t,
          a + "+" + b + "=" + x + "," + x + "+" + c + "=" + y + "," + y + "+" + d + "=" + t));
    }
    return out;
  }
}
