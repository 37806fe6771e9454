package dev.lddm.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The CPU this process runs on, named for provenance: a checkpoint records the CPUs that trained it and a
 * leaderboard row the one that evaluated it. Machines of one name differ in what decides speed and rounding
 * (the bf16 instructions; a virtual machine may hide them: this project's VMs were seen as Zen 4 with
 * {@code avx512_bf16} and, after a migration, as {@code AMD EPYC (family 23 model 1)} with AVX2 only).
 */
public final class HostCpu {
  private static volatile String cpu;

  private HostCpu() {}

  /**
   * As {@code /proc/cpuinfo} names it, e.g. {@code AMD EPYC (family 25 model 17; avx512_bf16)}: the model name,
   * family and model, and the bf16 instructions present ({@code avx512_bf16}, {@code amx_bf16}), which decide
   * how fast each precision runs. Elsewhere (no {@code /proc/cpuinfo}) the JVM's architecture. No commas, so a
   * CSV cell needs no quotes.
   */
  public static String describe() {
    if (cpu == null) {
      cpu = describe(Path.of("/proc/cpuinfo"));
    }
    return cpu;
  }

  /** {@link #describe()} from a given {@code cpuinfo} file. */
  public static String describe(Path cpuinfo) {
    List<String> lines;
    try {
      lines = Files.readAllLines(cpuinfo, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
    String name = null;
    String family = null;
    String model = null;
    String flags = "";
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        if (name != null) {
          break; // the first processor's block is enough
        }
        continue;
      }
      String k = line.substring(0, colon).strip();
      String v = line.substring(colon + 1).strip().replace(',', ' ');
      switch (k) {
        case "model name" -> name = v;
        case "cpu family" -> family = v;
        case "model" -> model = v;
        case "flags" -> flags = " " + v + " ";
        default -> { }
      }
    }
    if (name == null) {
      return System.getProperty("os.arch");
    }
    StringBuilder b = new StringBuilder(name.replaceAll("\\s+", " "));
    List<String> detail = new ArrayList<>();
    if (family != null && model != null) {
      detail.add("family " + family + " model " + model);
    }
    String all = flags;
    List<String> bf16 = Stream.of("avx512_bf16", "amx_bf16").filter(f -> all.contains(" " + f + " ")).toList();
    detail.add(bf16.isEmpty() ? "no bf16 instructions" : String.join(" ", bf16));
    return b.append(" (").append(String.join("; ", detail)).append(')').toString();
  }
}
