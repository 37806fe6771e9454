package dev.lddm.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.Task;
import dev.lddm.tasks.TaskRegistry;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task plug-ins: a task class compiled here into its own jar, with a {@code META-INF/services} entry, is
 * found by the registry after the built-in tasks, and every command takes it (run as a separate JVM with the
 * jar on the class path, as {@code LDDM_CLASSPATH} does for {@code scripts/lddm}).
 */
class PluginTest {
  /** A non-arithmetic task in a package of its own: reverse 1 to 10 digits. */
  private static final String REVERSE = """
      package org.example.reverse;

      import dev.lddm.tasks.*;
      import java.util.*;
      import java.util.stream.*;

      public final class ReverseTask implements Task<ReverseTask.Digits> {
        public record Digits(String digits) implements Puzzle {
          public Digits {
            if (digits == null || !digits.matches("[0-9]{1,10}")) {
              throw new IllegalArgumentException("reverse puzzle must be 1..10 digits, got "
                  + (digits == null ? "null" : digits.length() + " characters"));
            }
          }
          public String toInput() { return digits; }
        }
        static final Verdict WRONG_DIGIT = Verdict.of("WRONG_DIGIT");

        public String name() { return "reverse"; }
        public String description() { return "Reverse 1-10 digits (a plug-in)"; }
        public int sequenceLength() { return 22; }
        public int size(Split split) { return split == Split.TRAIN ? 2000 : 200; }
        public Stream<Example> examples(Split split, long seed) {
          return IntStream.range(0, size(split)).mapToObj(i -> {
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (split.ordinal() * 1_000_003L + i));
            while (true) {
              StringBuilder b = new StringBuilder();
              int n = 1 + rng.nextInt(10);
              for (int k = 0; k < n; k++) { b.append((char) ('0' + rng.nextInt(10))); }
              String in = b.toString();
              int part = Math.floorMod(in.hashCode(), 10);
              if ((part == 0 ? Split.TEST : part == 1 ? Split.VAL : Split.TRAIN) == split) {
                return new Example(in, new StringBuilder(in).reverse().toString());
              }
            }
          });
        }
        public Digits parse(String input) { return new Digits(input); }
        public Optional<String> solve(Digits p) { return Optional.of(new StringBuilder(p.digits()).reverse().toString()); }
        public List<Verdict> verdicts() { return List.of(Verdict.CORRECT, WRONG_DIGIT, Verdict.MALFORMED); }
        public Verification verify(Digits p, String answer) {
          String want = solve(p).get();
          if (answer == null || answer.length() != want.length() || !answer.matches("[0-9]*")) {
            return Verification.of(Verdict.MALFORMED, "the answer must be " + want.length() + " digits");
          }
          for (int i = 0; i < want.length(); i++) {
            if (answer.charAt(i) != want.charAt(i)) {
              return Verification.of(WRONG_DIGIT, "digit " + (i + 1) + " is " + answer.charAt(i) + ", not " + want.charAt(i));
            }
          }
          return Verification.correct();
        }
      }
      """;

  /** A plug-in that takes a built-in name. */
  private static final String CLASH = """
      package org.example.clash;

      public final class ClashTask implements dev.lddm.tasks.Task<dev.lddm.tasks.arith.NumberPuzzle> {
        private final dev.lddm.tasks.countdown.CountdownTask real = new dev.lddm.tasks.countdown.CountdownTask(3);
        public String name() { return "countdown3"; }
        public String description() { return "an impostor"; }
        public int sequenceLength() { return real.sequenceLength(); }
        public int size(dev.lddm.tasks.Split s) { return real.size(s); }
        public java.util.stream.Stream<dev.lddm.tasks.Example> examples(dev.lddm.tasks.Split s, long seed) { return real.examples(s, seed); }
        public dev.lddm.tasks.arith.NumberPuzzle parse(String in) { return real.parse(in); }
        public java.util.Optional<String> solve(dev.lddm.tasks.arith.NumberPuzzle p) { return real.solve(p); }
        public java.util.List<dev.lddm.tasks.Verdict> verdicts() { return real.verdicts(); }
        public dev.lddm.tasks.Verification verify(dev.lddm.tasks.arith.NumberPuzzle p, String a) { return real.verify(p, a); }
      }
      """;

  @TempDir static Path dir;
  private static Path reverseJar;
  private static Path clashJar;
  private static Path missingJar;

  @BeforeAll
  static void buildJars() throws IOException {
    reverseJar = jar("reverse", "org.example.reverse.ReverseTask", REVERSE);
    clashJar = jar("clash", "org.example.clash.ClashTask", CLASH);
    missingJar = jar("missing", "org.example.nowhere.NoSuchTask", null);
  }

  /** Compiles {@code source} (if any) and jars it with a services file naming {@code className}. */
  private static Path jar(String name, String className, String source) throws IOException {
    Path classes = Files.createDirectories(dir.resolve(name + "-classes"));
    if (source != null) {
      Path src = dir.resolve(name + "-src/" + className.replace('.', '/') + ".java");
      Files.createDirectories(src.getParent());
      Files.writeString(src, source);
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      int rc = javac.run(null, null, null, "--release", "17", "-proc:none", "-classpath",
          System.getProperty("java.class.path"), "-d", classes.toString(), src.toString());
      assertEquals(0, rc, "the plug-in compiles against the tasks API");
    }
    Path jar = dir.resolve(name + ".jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new JarEntry("META-INF/services/dev.lddm.tasks.Task"));
      j.write(("# a task plug-in\n" + className + "\n").getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
      List<Path> files;
      try (Stream<Path> walk = Files.walk(classes)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        j.write(Files.readAllBytes(f));
        j.closeEntry();
      }
    }
    return jar;
  }

  private static URLClassLoader loader(Path jar) throws IOException {
    return new URLClassLoader(new URL[] {jar.toUri().toURL()}, TaskRegistry.class.getClassLoader());
  }

  @Test
  void aPluginJarIsFoundAfterTheBuiltInTasks() throws Exception {
    try (URLClassLoader l = loader(reverseJar)) {
      TaskRegistry registry = TaskRegistry.load(l);
      List<String> builtIn = List.copyOf(TaskRegistry.standard().names());
      List<String> expected = new ArrayList<>(builtIn);
      expected.add("reverse");
      assertEquals(expected.stream().sorted().toList(), List.copyOf(registry.names()));
      assertEquals(reverseJar.toString(), registry.pluginOrigin("reverse").orElseThrow());
      builtIn.forEach(n -> assertTrue(registry.pluginOrigin(n).isEmpty(), n));
      Task<?> reverse = registry.task("reverse");
      assertEquals("org.example.reverse.ReverseTask", reverse.getClass().getName());
      Example first = reverse.generate(Split.TEST, 1, 4).get(0);
      assertEquals(new StringBuilder(first.input()).reverse().toString(), first.output());
      assertEquals("[CORRECT, WRONG_DIGIT, MALFORMED]", reverse.verdicts().toString());
    }
  }

  @Test
  void aPluginThatReusesANameOrCannotLoadIsRefusedInOneLine() throws Exception {
    try (URLClassLoader l = loader(clashJar)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskRegistry.load(l));
      assertEquals("two tasks are named 'countdown3': dev.lddm.tasks.countdown.CountdownTask and "
          + "org.example.clash.ClashTask (plug-in from " + clashJar + "); rename one, or take its jar off the "
          + "class path", e.getMessage());
    }
    try (URLClassLoader l = loader(missingJar)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskRegistry.load(l));
      assertEquals("cannot load a task plug-in: dev.lddm.tasks.Task: Provider org.example.nowhere.NoSuchTask not "
          + "found", e.getMessage());
    }
  }

  /** One run of {@code java -cp <this class path>:<jar> dev.lddm.harness.Main args}. */
  private static CliTest.Run lddm(Path jar, String stdin, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-cp",
        System.getProperty("java.class.path") + File.pathSeparator + jar, "dev.lddm.harness.Main"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "lddm " + String.join(" ", args) + " finished");
    return new CliTest.Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void everyCommandTakesAPluginTask() throws Exception {
    CliTest.Run tasks = lddm(reverseJar, "", "tasks");
    assertEquals(0, tasks.code(), tasks.err());
    assertTrue(tasks.out().contains("reverse      Reverse 1-10 digits (a plug-in) [plug-in: " + reverseJar + "]\n"),
        tasks.out());
    assertTrue(tasks.out().startsWith("countdown3   "), tasks.out());

    CliTest.Run gen = lddm(reverseJar, "", "generate", "--task", "reverse", "--split", "test", "--count", "2");
    assertEquals(0, gen.code(), gen.err());
    assertEquals(2, gen.out().lines().count(), gen.out());
    assertTrue(gen.out().startsWith("{\"input\": \""), gen.out());

    CliTest.Run ok = lddm(reverseJar, "", "verify", "--task", "reverse", "--input", "1234", "--answer", "4321");
    assertEquals(new CliTest.Run(0, "CORRECT\n", ""), ok);
    CliTest.Run wrong = lddm(reverseJar, "", "verify", "--task", "reverse", "--input", "1234", "--answer", "4312");
    assertEquals(new CliTest.Run(1, "WRONG_DIGIT: digit 3 is 1, not 2\n", ""), wrong);
    CliTest.Run batch = lddm(reverseJar, "input,answer\n12,21\n12,x\nabc,1\n", "verify", "--task", "reverse");
    assertEquals(new CliTest.Run(0, "input,answer,verdict,detail\n12,21,CORRECT,\n12,x,MALFORMED,the answer must be "
        + "2 digits\nabc,1,MALFORMED,\"puzzle: reverse puzzle must be 1..10 digits, got 3 characters\"\n", ""), batch);
    CliTest.Run solve = lddm(reverseJar, "907\n", "solve", "--task", "reverse");
    assertEquals(new CliTest.Run(0, "input,solvable,answer\n907,true,709\n", ""), solve);

    Path run = dir.resolve("run");
    CliTest.Run train = lddm(reverseJar, "", "train", "--task", "reverse", "--model", "mgdm", "--preset", "micro",
        "--steps", "2", "--batch", "4", "--train-size", "20", "--threads", "1", "--out", run.toString());
    assertEquals(0, train.code(), train.err());
    CliTest.Run eval = lddm(reverseJar, "", "eval", "--run", run.toString(), "--split", "test", "--count", "3",
        "--threads", "1", "--decode-steps", "2");
    assertEquals(0, eval.code(), eval.err());
    var evaluations = dev.lddm.harness.eval.PredictionsFile.evaluations(run);
    assertEquals(List.of("eval/reverse-test-masked-only-T2"), List.copyOf(evaluations.keySet()));
    List<String> predictions = Files.readAllLines(evaluations.get("eval/reverse-test-masked-only-T2"));
    assertEquals(4, predictions.size(), predictions.toString());
    assertTrue(predictions.get(1).startsWith("reverse,test,0,"), predictions.toString());
    // Provenance names the plug-in build: the jar's file name and the SHA-256 of its bytes.
    String source = "reverse=" + reverseJar.getFileName() + "@" + java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(reverseJar))).substring(0, 16);
    assertEquals(source, TrainEvalCliTest.summary(run, "reverse-test-masked-only-T2").get("task_source").getAsString());

    Path suite = dir.resolve("plugin-suite.json");
    Files.writeString(suite, """
        {"name": "plugin", "models": ["mgdm"], "presets": ["micro"], "budget": {"steps": 2}, "batch": 4,
         "lr": 0.001, "data_seed": 4, "train_size": 20, "decoders": ["masked-only"], "decode_steps": [2],
         "ablations": [],
         "runs": [{"task": "reverse", "seeds": [1], "eval": [{"task": "reverse", "split": "test", "count": 3}]}]}
        """);
    Path bench = dir.resolve("bench");
    CliTest.Run b = lddm(reverseJar, "", "bench", "--suite", suite.toString(), "--out", bench.toString(),
        "--threads", "1");
    assertEquals(0, b.code(), b.err());
    String board = Files.readString(bench.resolve("leaderboard.csv"));
    assertTrue(board.lines().skip(1).allMatch(l -> l.contains(",reverse,test,")), board);
    assertTrue(board.lines().findFirst().orElseThrow().endsWith(",started_utc,task_source,cpu"), board);
    assertTrue(board.lines().skip(1).allMatch(l -> l.contains("," + source + ",")), board);
    assertTrue(Files.readString(bench.resolve("LEADERBOARD.md")).contains(
        "Tasks from plug-ins (jar @ SHA-256 of its bytes): " + source + "."), "LEADERBOARD.md names the plug-in");

    // Without the jar the name is unknown, and the message lists the built-in tasks only.
    CliTest.Run without = lddm(dir.resolve("no-such.jar"), "", "generate", "--task", "reverse", "--split", "test",
        "--count", "1");
    assertEquals(new CliTest.Run(2, "", "lddm: Unknown task 'reverse'. Known: " + CliTest.knownTasks() + "\n"),
        without);
  }

  @Test
  void aClashingPluginStopsEveryCommandWithOneLineExit2() throws Exception {
    String clash = "lddm: two tasks are named 'countdown3': dev.lddm.tasks.countdown.CountdownTask and "
        + "org.example.clash.ClashTask (plug-in from " + clashJar + "); rename one, or take its jar off the class path\n";
    assertEquals(new CliTest.Run(2, "", clash), lddm(clashJar, "", "tasks"));
    Path never = dir.resolve("never.jsonl");
    assertEquals(new CliTest.Run(2, "", clash),
        lddm(clashJar, "", "generate", "--task", "game24", "--split", "test", "--count", "1", "--out", never.toString()));
    assertFalse(Files.exists(never), "nothing written");
    assertEquals(new CliTest.Run(2, "", "lddm: cannot load a task plug-in: dev.lddm.tasks.Task: Provider "
        + "org.example.nowhere.NoSuchTask not found\n"), lddm(missingJar, "", "tasks"));
  }
}
