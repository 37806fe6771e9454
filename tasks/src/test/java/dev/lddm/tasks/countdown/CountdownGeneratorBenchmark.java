package dev.lddm.tasks.countdown;

import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Manual timing and dump tool (not a unit test). Usage:
 * {@code java -cp tasks/target/classes:tasks/target/test-classes
 * dev.lddm.tasks.countdown.CountdownGeneratorBenchmark numberCount split seed count [out.jsonl]}.
 * Prints the wall and thread-CPU time of generating {@code count} examples (stream creation included).
 */
public final class CountdownGeneratorBenchmark {
  private CountdownGeneratorBenchmark() {}

  /** Generates and times; arguments as in the class comment (trainSize is the 6th, for val/test). */
  public static void main(String[] args) throws IOException {
    int n = Integer.parseInt(args[0]);
    Split split = Split.parse(args[1]);
    long seed = Long.parseLong(args[2]);
    int count = Integer.parseInt(args[3]);
    CountdownGenerator gen = new CountdownGenerator(n, Math.max(count, CountdownGenerator.DEFAULT_TRAIN_SIZE),
        count, count);
    if (split != Split.TRAIN && args.length > 5) {
      gen = new CountdownGenerator(n, Integer.parseInt(args[5]), count, count);
    }
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long c0 = mx.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    if (args.length > 4) {
      try (BufferedWriter w = Files.newBufferedWriter(Path.of(args[4]), StandardCharsets.UTF_8)) {
        for (Example e : (Iterable<Example>) gen.examples(split, seed).limit(count)::iterator) {
          w.write(e.toJsonLine());
          w.write('\n');
        }
      }
    } else {
      long chars = gen.examples(split, seed).limit(count).mapToLong(e -> e.output().length()).sum();
      System.out.println("checksum " + chars);
    }
    System.out.printf("%d %s examples (n=%d, seed=%d) in %.2f s wall, %.2f s CPU of the generating thread%n",
        count, split.id(), n, seed, (System.nanoTime() - t0) / 1e9, (mx.getCurrentThreadCpuTime() - c0) / 1e9);
  }
}
