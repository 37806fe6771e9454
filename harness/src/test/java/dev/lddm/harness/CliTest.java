package dev.lddm.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  @Test
  void tasksListsEveryTaskWithADescription() {
    Run r = run("", "tasks");
    assertEquals(0, r.code());
    for (String name : new String[] {"countdown3", "countdown4", "countdown5", "game24"}) {
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith(name + " ") && l.length() > name.length() + 5),
          r.out());
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "generate --task countdown7 --split train --count 1 | Known: countdown3, countdown4, countdown5, game24",
        "generate --task countdown4 --split dev --count 1   | Known: train, val, test",
        "generate --task countdown4 --split train --count x | --count",
        "verify --task nope --input 1,2,3 --answer 1         | Unknown task 'nope'",
        "frobnicate                                          | frobnicate",
        "eval --run no-such-run --threads -1                 | --threads must be >= 0, got -1",
        "train --task countdown3 --model mgdm --preset micro --steps 1 --out no-such-run --threads -2 | --threads must be >= 0, got -2",
      })
  void usageErrorsExit2WithOneLine(String args, String expected) {
    Run r = run("", args.strip().split(" +"));
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains(expected.strip()), r.err());
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
}
