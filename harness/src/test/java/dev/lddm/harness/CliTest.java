package dev.lddm.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lddm.tasks.TaskRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The CLI contract: output shapes, exit codes and one-line usage errors. */
class CliTest {
  /** Result of one in-process run. */
  record Run(int code, String out, String err) {}

  static Run run(String stdin, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
      return new Run(code, out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  /** The registered task names as messages list them ({@code countdown3, countdown4, ...}), from the registry. */
  static String knownTasks() {
    return String.join(", ", TaskRegistry.standard().names());
  }

  @Test
  void tasksListsEveryTaskWithADescription() {
    Run r = run("", "tasks");
    assertEquals(0, r.code());
    List<String> lines = r.out().lines().toList();
    List<String> expected = TaskRegistry.standard().tasks().stream()
        .map(t -> String.format(Locale.ROOT, "%-12s %s", t.name(), t.description())).toList();
    assertEquals(expected, lines, "one line per registered task, sorted, no plug-ins here");
    assertTrue(lines.size() >= 1);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "generate --task countdown7 --split train --count 1 | Known: {tasks}",
        "generate --task countdown4 --split dev --count 1   | Known: train, val, test",
        "generate --task countdown4 --split train --count x | --count must be an integer, got 'x'",
        "verify --task nope --input 1,2,3 --answer 1         | Unknown task 'nope'",
        "frobnicate                                          | frobnicate",
        "eval --run no-such-run --threads -1                 | --threads must be >= 0, got -1",
        "train --task countdown3 --model mgdm --preset micro --steps 1 --out no-such-run --threads -2 | --threads must be >= 0, got -2",
      })
  void usageErrorsExit2WithOneLine(String args, String expected) {
    Run r = run("", args.strip().split(" +"));
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains(expected.strip().replace("{tasks}", knownTasks())), r.err());
  }

  @Test
  void generateIsDeterministicAndWritesAtomically(@TempDir Path dir) throws Exception {
    Run a = run("", "generate", "--task", "countdown3", "--split", "train", "--count", "5", "--seed", "7");
    Run b = run("", "generate", "--task", "countdown3", "--split", "train", "--count", "5", "--seed", "7");
    assertEquals(0, a.code(), a.err());
    assertEquals(a.out(), b.out());
    assertEquals(5, a.out().lines().count());
    assertTrue(a.out().startsWith("{\"input\": \""), a.out());
    Path file = dir.resolve("cd3.jsonl");
    Run c = run("", "generate", "--task", "countdown3", "--split", "train", "--count", "5", "--seed", "7",
        "--out", file.toString());
    assertEquals(0, c.code(), c.err());
    assertEquals(a.out(), Files.readString(file));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void verifySingleModeExitCodes() {
    Run ok = run("", "verify", "--task", "countdown4", "--input", "86,28,13,31,96",
        "--answer", "86+28=114,31-13=18,114-18=96");
    assertEquals(0, ok.code(), ok.err());
    assertEquals("CORRECT", ok.out().strip());
    Run bad = run("", "verify", "--task", "game24", "--input", "1,2,3,4,24", "--answer", "6+6+6+6");
    assertEquals(1, bad.code());
    assertTrue(bad.out().startsWith("WRONG_NUMBERS"), bad.out());
  }

  @Test
  void verifyBatchModeKeepsRowsInOrderAndQuotesTraces() {
    String stdin = "input,answer\n"
        + "\"86,28,13,31,96\",\"86+28=114,31-13=18,114-18=96\"\n"
        + "\"4,6,8,2,24\",\"4*6\"\n"
        + "\"not a puzzle\",\"1+1\"\n";
    Run r = run(stdin, "verify", "--task", "countdown4");
    assertEquals(0, r.code(), r.err());
    var lines = r.out().lines().toList();
    assertEquals("input,answer,verdict,detail", lines.get(0));
    assertEquals(4, lines.size(), r.out());
    assertTrue(lines.get(1).startsWith("\"86,28,13,31,96\",\"86+28=114,31-13=18,114-18=96\","), lines.get(1));
    assertTrue(lines.get(2).contains(",WRONG_NUMBERS,"), lines.get(2));
    assertTrue(lines.get(3).startsWith("not a puzzle,1+1,MALFORMED,"), lines.get(3));
  }

  @Test
  void solveWritesCsvAndReportsMalformedLines() {
    Run r = run("4,6,8,2,24\n1,1,1,1,24\nbad\n", "solve", "--task", "game24");
    assertEquals(1, r.code());
    var lines = r.out().lines().toList();
    assertEquals("input,solvable,answer", lines.get(0));
    assertTrue(lines.get(1).startsWith("\"4,6,8,2,24\",true,"), lines.get(1));
    assertEquals("\"1,1,1,1,24\",false,", lines.get(2));
    assertTrue(r.err().contains("line 3"), r.err());
  }

  /** Exactly one line on stderr, nothing on stdout. */
  private static void assertOnlyError(Run r, int code, String line) {
    assertEquals(code, r.code(), r.err());
    assertEquals(line + "\n", r.err());
    assertEquals("", r.out());
  }

  private static List<String> names(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "generate --task game24 --split test --count 3.5    | lddm: --count must be an integer, got '3.5'",
        "generate --task game24 --split test --count abc    | lddm: --count must be an integer, got 'abc'",
        "generate --task game24 --split test --count 1e3    | lddm: --count must be an integer, got '1e3'",
        "generate --task game24 --split test --count 99999999999 | lddm: --count must be an integer in -2147483648..2147483647, got '99999999999'",
        "generate --task game24 --split test --count -1     | lddm: --count must be >= 0, got -1",
        "generate --task game24 --split test --count 1 --seed 0.5 | lddm: --seed must be an integer, got '0.5'",
        "generate --task game24 --split test --count 200    | lddm: --count 200 exceeds the 100 examples of game24 test",
        "generate --task countdown3 --split val --count 1001 | lddm: --count 1001 exceeds the 1000 examples of countdown3 val",
        "generate --task countdown5 --split train --count 220001 | lddm: --count 220001 exceeds the 220000 examples of countdown5 train",
        "generate --task game24 --split dev --count 1       | lddm: Unknown split 'dev'. Known: train, val, test",
        "generate --task game25 --split test --count 1      | lddm: Unknown task 'game25'. Known: {tasks}",
        "generate --task game24 --split test --cont 1       | lddm: Unknown options: '--cont', '1'; did you mean --count? (see lddm generate --help)",
        "eval --run r --count 3.5                           | lddm: --count must be an integer, got '3.5'",
        "eval --run r --threads two                         | lddm: --threads must be an integer, got 'two'",
        "train --task countdown3 --model mgdm --preset micro --steps 2.5 --out r | lddm: --steps must be an integer, got '2.5'",
        "train --task countdown3 --model mgdm --preset micro --steps 2 --lr fast --out r | lddm: --lr must be a number, got 'fast'",
        "train --task countdown3 --model mgdm --preset micro --steps 2 --dropout abc --out r | lddm: --dropout must be a number, got 'abc'",
        "train --task countdown3 --model mgdm --preset micro --minutes 1e999 --out r | lddm: --minutes must be a finite number, got '1e999'",
        "compare a b --alpha NaN                            | lddm: --alpha must be a number, got 'NaN'",
        "solve --task nope                                  | lddm: Unknown task 'nope'. Known: {tasks}",
        "tasks extra                                        | lddm: Unmatched argument at index 1: 'extra' (see lddm tasks --help)",
        "verify --task game24 --input 1,2,3,4,24            | lddm: single mode needs both --input and --answer",
        "plot-steps a= --out x.png                          | lddm: expected LABEL=STEPS_CSV, got 'a='",
        "plot-steps a=x.csv a=y.csv --out x.png             | lddm: label 'a' is given twice; give each run its own label",
      })
  void badValuesExit2WithOneLineAndNoJavaInternals(String args, String expected) {
    Run r = run("", args.strip().split(" +"));
    assertOnlyError(r, 2, expected.strip().replace("{tasks}", knownTasks()));
  }

  @Test
  void noCommandListsTheCommands() {
    Run r = run("");
    assertOnlyError(r, 2, "lddm: Missing command. Known: tasks, generate, solve, verify, train, eval, export, bench, "
        + "compare, device, plot-steps");
  }

  @Test
  void generateRefusesADirectoryOutBeforeWritingAnything(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("keep.txt"), "keep");
    Run r = run("", "generate", "--task", "game24", "--split", "test", "--count", "2", "--out", dir.toString());
    assertOnlyError(r, 2, "lddm: --out " + dir + " is a directory; give a file path");
    assertEquals(List.of("keep.txt"), names(dir));
    Path parent = dir.getParent();
    try (var files = Files.list(parent)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file beside --out");
    }
  }

  @Test
  void generateRefusesAnOutInsideAFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "keep");
    Path out = file.resolve("sub/x.jsonl");
    Run r = run("", "generate", "--task", "game24", "--split", "test", "--count", "2", "--out", out.toString());
    assertOnlyError(r, 2, "lddm: --out " + out + ": " + file + " is not a directory; give a path inside a directory");
    assertEquals(List.of("file"), names(dir));
    assertEquals("keep", Files.readString(file));
  }

  @Test
  void generateChecksTheCountBeforeWritingStdoutOrOut(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("new/test.jsonl");
    Run r = run("", "generate", "--task", "game24", "--split", "test", "--count", "200", "--out", out.toString());
    assertOnlyError(r, 2, "lddm: --count 200 exceeds the 100 examples of game24 test");
    assertEquals(List.of(), names(dir), "neither the file nor its directory");
    Run all = run("", "generate", "--task", "game24", "--split", "test", "--count", "100");
    assertEquals(0, all.code(), all.err());
    assertEquals(100, all.out().lines().count());
  }

  @Test
  void generateOutHasTheUmaskPermissionsAndReplacesAnOldFile(@TempDir Path dir) throws Exception {
    assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "POSIX file system");
    Path reference = Files.createFile(dir.resolve("reference"));
    Path out = dir.resolve("test.jsonl");
    Files.writeString(out, "old\n");
    Run r = run("", "generate", "--task", "game24", "--split", "test", "--count", "3", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.out());
    assertEquals(3, Files.readString(out).lines().count());
    assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(out));
    assertEquals(List.of("reference", "test.jsonl"), names(dir));
  }

  static Stream<Arguments> badCsv() {
    return Stream.of(
        Arguments.of("", "lddm: stdin is empty; expected CSV with the header input,answer"),
        Arguments.of("a,b\n1,2\n", "lddm: stdin must be CSV with the header input,answer; got a,b"),
        Arguments.of(",\n", "lddm: stdin is not valid CSV: A header name is missing in [, ]"),
        Arguments.of("input,answer\n\"1,2",
            "lddm: stdin is not valid CSV: unbalanced quote: the quoted field starting on line 2 is never closed"),
        Arguments.of("input,answer\n\"1,2,3,4,24\"\n", "lddm: CSV line 2: expected 2 fields (input,answer), got 1"));
  }

  @ParameterizedTest
  @MethodSource("badCsv")
  void verifyBadCsvIsBadDataExit1(String stdin, String expected) {
    Run r = run(stdin, "verify", "--task", "game24");
    assertEquals(1, r.code(), r.err());
    assertEquals(expected + "\n", r.err());
    boolean headerOk = stdin.startsWith("input,answer");
    assertEquals(headerOk ? "input,answer,verdict,detail\n" : "", r.out(), "a bad header writes nothing");
  }

  @Test
  void verifyAcceptsAByteOrderMark() {
    Run r = run("\uFEFFinput,answer\n\"1,2,3,4,24\",1*2*3*4\n", "verify", "--task", "game24");
    assertEquals(0, r.code(), r.err());
    assertEquals("input,answer,verdict,detail\n\"1,2,3,4,24\",1*2*3*4,CORRECT,\n", r.out());
    assertEquals("", r.err());
  }

  @Test
  void solveAcceptsAByteOrderMarkAndEmptyStdin() {
    Run r = run("\uFEFF1,1,1,1,24\n", "solve", "--task", "game24");
    assertEquals(0, r.code(), r.err());
    assertEquals("input,solvable,answer\n\"1,1,1,1,24\",false,\n", r.out());
    Run empty = run("", "solve", "--task", "game24");
    assertEquals(0, empty.code(), empty.err());
    assertEquals("input,solvable,answer\n", empty.out());
  }

  @Test
  void plotStepsBadInputsExit1WithOneLineAndNoPng(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("steps.png");
    Path missing = dir.resolve("missing.csv");
    Run r = run("", "plot-steps", "a=" + missing, "--out", png.toString());
    assertOnlyError(r, 1, "lddm: cannot read steps file " + missing + ": no such file or directory");
    Path bad = Files.writeString(dir.resolve("bad.csv"),
        "step,sequences,tpe,tkl,idle,oscillations,oscillations_per_seq\n0,1,abc,0,0,0,0\n");
    r = run("", "plot-steps", "a=" + bad, "--out", png.toString());
    assertOnlyError(r, 1, "lddm: steps file " + bad + " row 1: column tpe must be a number, got 'abc'");
    Path narrow = Files.writeString(dir.resolve("narrow.csv"), "step,tpe\n");
    r = run("", "plot-steps", "a=" + narrow, "--out", png.toString());
    assertOnlyError(r, 1, "lddm: steps file " + narrow + " lacks the column(s) sequences,tkl,idle,oscillations,"
        + "oscillations_per_seq; expected the header step,sequences,tpe,tkl,idle,oscillations,oscillations_per_seq");
    r = run("", "plot-steps", "a=" + bad, "--out", dir.toString());
    assertOnlyError(r, 2, "lddm: --out " + dir + " is a directory; give a file path");
    assertEquals(List.of("bad.csv", "narrow.csv"), names(dir));
  }

  @Test
  void plotStepsReadsAByteOrderMarkAndWritesThePng(@TempDir Path dir) throws Exception {
    Path steps = Files.writeString(dir.resolve("steps.csv"), "\uFEFFstep,sequences,tpe,tkl,idle,oscillations,"
        + "oscillations_per_seq\n0,2,0.5,0,0,0,0\n1,2,0.25,0.1,0.5,1,0.5\n");
    Path png = dir.resolve("steps.png");
    Run r = run("", "plot-steps", "a=" + steps, "--out", png.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(png + "\n", r.out());
    assertEquals(List.of("steps.csv", "steps.png"), names(dir));
  }

  @Test
  void messagesFromLibrariesLoseTheirJavaInternals() {
    assertEquals("cannot read x.csv: 'abc' is not a number", Main.oneLine("cannot read x.csv: For input string: \"abc\""));
    assertEquals("'12' is not a number", Main.oneLine("For input string: \"12\" under radix 16"));
    assertEquals("bad row: unknown value 'MAYBE'", Main.oneLine("bad row: No enum constant dev.lddm.tasks.Verdict.MAYBE"));
    assertEquals("cannot read: no such file or directory: /x",
        Main.oneLine("cannot read: java.nio.file.NoSuchFileException: /x"));
    assertEquals("oops: boom", Main.oneLine("oops: java.lang.IllegalStateException: boom\n\tat a.b.C.d(C.java:1)"));
    assertEquals("error", Main.oneLine(null));
  }
}
