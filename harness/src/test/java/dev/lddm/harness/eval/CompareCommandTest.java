package dev.lddm.harness.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.harness.Main;
import dev.lddm.harness.UserDataException;
import dev.lddm.tasks.Verdict;
import dev.lddm.tasks.arith.Verifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code lddm compare}: pairing (keys and inputs), evaluations in run and suite directories, {@code --eval},
 * the Newcombe interval in the report, {@code --csv}, {@code --exact}, and exit 2 with one line for every
 * input problem.
 */
class CompareCommandTest {
  private static final String HEADER = String.join(",", Prediction.HEADER) + "\n";

  @TempDir Path dir;

  private String lastOut;
  private String lastErr;

  /** n rows of countdown3/test; the first {@code correctUpTo} are correct; input i is {@code input.apply(i)}. */
  private static List<Prediction> rows(int n, int correctUpTo, IntFunction<String> input) {
    List<Prediction> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean ok = i < correctUpTo;
      rows.add(new Prediction("countdown3", "test", i, input.apply(i), ok ? "x" : "y",
          ok ? Verdict.CORRECT : Verifier.WRONG_VALUE, ok));
    }
    return rows;
  }

  private static List<Prediction> rows(int n, int correctUpTo) {
    return rows(n, correctUpTo, i -> "1,2,3," + i);
  }

  private Path put(String relative, List<Prediction> rows) throws Exception {
    Path f = dir.resolve(relative);
    PredictionsFile.write(f, rows);
    return f;
  }

  private Path file(String name, int n, int correctUpTo) throws Exception {
    return put(name, rows(n, correctUpTo));
  }

  private Path text(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  private int compare(Object... args) {
    String[] a = new String[args.length + 1];
    a[0] = "compare";
    for (int i = 0; i < args.length; i++) {
      a[i + 1] = args[i].toString();
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(a, new PrintWriter(out), new PrintWriter(err));
    lastOut = out.toString();
    lastErr = err.toString();
    return code;
  }

  /** Asserts exit 2 with exactly one stderr line {@code lddm: <message>} and nothing on stdout. */
  private void assertCannotCompare(String message, Object... args) {
    assertEquals(2, compare(args), lastOut + lastErr);
    assertEquals("lddm: " + message + "\n", lastErr);
    assertEquals("", lastOut);
  }

  @Test
  void roundTripsPredictions() throws Exception {
    Path f = file("a.csv", 5, 3);
    List<Prediction> rows = PredictionsFile.read(f);
    assertEquals(rows(5, 3), rows);
  }

  // ---- the report: accuracies, delta, Newcombe interval, McNemar ----

  @Test
  void aPredictionsFileWithAByteOrderMarkIsRead() throws Exception {
    Path a = file("a.csv", 50, 30);
    Path bom = dir.resolve("bom.csv");
    Files.write(bom, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Files.readAllBytes(a)));
    assertEquals(0, compare(a, bom, "--exact"), lastErr);
    assertTrue(lastOut.endsWith("EXACT: all 50 predictions identical\n"), lastOut);
  }

  private static byte[] concat(byte[] x, byte[] y) {
    byte[] out = java.util.Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }

  @Test
  void identicalSetsPass() throws Exception {
    Path a = file("a.csv", 50, 30);
    assertEquals(0, compare(a, a), lastErr);
    assertEquals(a + " vs " + a + ": n=50 base_accuracy=0.6000 cand_accuracy=0.6000 delta=+0.0000 "
        + "ci95=[-0.0404, +0.0404] b01=0 b10=0 p=1.00000\nPASS: no significant drop\n", lastOut);
    assertEquals("", lastErr);
  }

  @Test
  void significantDropFails() throws Exception {
    Path a = file("a.csv", 100, 90);
    Path b = file("b.csv", 100, 60);
    assertEquals(1, compare(a, b), lastOut);
    assertEquals(a + " vs " + b + ": n=100 base_accuracy=0.9000 cand_accuracy=0.6000 delta=-0.3000 "
        + "ci95=[-0.3912, -0.2067] b01=0 b10=30 p=1.86265e-09\n"
        + "FAIL: candidate is significantly worse (p < 0.05, drop > 0.01)\n", lastOut);
    // The same drop is tolerated when max-drop is larger than it.
    assertEquals(0, compare(a, b, "--max-drop", "0.5"), lastOut);
    // An improvement never fails; its interval is the mirror image.
    assertEquals(0, compare(b, a), lastOut);
    assertTrue(lastOut.contains("delta=+0.3000 ci95=[+0.2067, +0.3912] b01=30 b10=0"), lastOut);
  }

  @Test
  void pairsArePooledAcrossSeeds() throws Exception {
    // Each seed alone: a 6-point drop, b01=0 b10=6, exact p = 2/2^6 = 0.03125; pooled over three seeds
    // b10=18, p = 2/2^18; the pooled interval is Newcombe's on the summed table (180, 0, 18, 102).
    Path a = file("a.csv", 100, 66);
    Path b = file("b.csv", 100, 60);
    assertEquals(1, compare(a, b, a, b, a, b), lastOut);
    String seed = a + " vs " + b + ": n=100 base_accuracy=0.6600 cand_accuracy=0.6000 delta=-0.0600 "
        + "ci95=[-0.1104, -0.0095] b01=0 b10=6 p=0.0312500\n";
    assertEquals(seed + seed + seed + "pooled (3 strata): n=300 base_accuracy=0.6600 cand_accuracy=0.6000 "
        + "delta=-0.0600 ci95=[-0.0877, -0.0323] b01=0 b10=18 p=7.62939e-06\n"
        + "FAIL: candidate is significantly worse (p < 0.05, drop > 0.01)\n", lastOut);
    // Seed-wise, the same drop is not significant at alpha 0.01; pooled it is.
    assertEquals(0, compare(a, b, "--alpha", "0.01"), lastOut);
    assertEquals(1, compare(a, b, a, b, "--alpha", "0.01"), lastOut);
  }

  @Test
  void smallInsignificantDropPasses() throws Exception {
    Path a = file("a.csv", 100, 60);
    Path b = file("b.csv", 100, 58);
    assertEquals(0, compare(a, b), lastOut);
    // The interval straddles 0: compatible with no change.
    assertTrue(lastOut.contains("delta=-0.0200 ci95=[-0.0538, +0.0138] b01=0 b10=2 p=0.500000"), lastOut);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "--alpha x      | --alpha must be a number, got 'x'",
    "--alpha 1      | --alpha must be in (0, 1), got 1.0",
    "--max-drop -1  | --max-drop must be in [0, 1], got -1.0",
    "--eval ''      | --eval needs an evaluation name (e.g. countdown3-test), got ''",
    "--csv ''       | --csv needs a file name or '-', got ''",
  })
  void badOptionsExit2(String option, String message) throws Exception {
    Path a = file("a.csv", 10, 5);
    List<Object> args = new ArrayList<>(List.of(a, a));
    for (String s : option.split(" ")) {
      args.add(s.equals("''") ? "" : s);
    }
    assertEquals(2, compare(args.toArray()), lastErr);
    assertEquals("lddm: " + message + "\n", lastErr);
  }

  /** The help renders (a bare '%' in a description makes picocli warn on System.err and print it raw). */
  @Test
  void helpDescribesEvaluationsAndExitCodes() {
    java.io.PrintStream saved = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, compare("--help"));
    } finally {
      System.setErr(saved);
    }
    assertEquals("", captured.toString(StandardCharsets.UTF_8) + lastErr);
    assertTrue(lastOut.startsWith("Usage: lddm compare [OPTIONS] BASE CAND [BASE CAND]...\n"), lastOut);
    for (String s : List.of("95% Newcombe interval", "--eval=NAME", "--exact", "--csv=FILE", "2 cannot")) {
      assertTrue(lastOut.contains(s), s + " in " + lastOut);
    }
  }

  @Test
  void oddNumberOfPathsExit2() throws Exception {
    Path a = file("a.csv", 10, 5);
    assertCannotCompare("compare takes BASE CAND pairs; got 3 paths", a, a, a);
  }

  // ---- pairing: keys, inputs, empty sets, duplicates ----

  /** The bug this fixes: 100 different problems were "paired" by index and reported as a significant drop. */
  @Test
  void filesWithDifferentInputsCannotBeCompared() throws Exception {
    Path a = put("a.csv", rows(100, 90, i -> "1,2,3," + i));
    Path b = put("b.csv", rows(100, 60, i -> "4,5,6," + i));
    assertCannotCompare("cannot compare " + a + " vs " + b + ": inputs differ for 100 of 100 instances (not the "
        + "same problems); first countdown3/test/0: base input \"1,2,3,0\", cand input \"4,5,6,0\"", a, b);
  }

  @Test
  void aSingleDifferentInputIsCountedAndShown() throws Exception {
    Path a = put("a.csv", rows(100, 60));
    Path b = put("b.csv", rows(100, 60, i -> i == 42 ? "1,2,3,42\n" : "1,2,3," + i));
    assertCannotCompare("cannot compare " + a + " vs " + b + ": inputs differ for 1 of 100 instances (not the "
        + "same problems); first countdown3/test/42: base input \"1,2,3,42\", cand input \"1,2,3,42\\n\"", a, b);
  }

  /** The other half of the bug: two header-only files compared as "n=0 ... PASS". */
  @Test
  void headerOnlyFilesHaveNoInstances() throws Exception {
    Path a = text("a.csv", HEADER);
    Path b = text("b.csv", HEADER);
    assertCannotCompare("cannot compare " + a + " vs " + b + ": no instances to compare (the baseline has 0 "
        + "predictions, the candidate 0)", a, b);
    Path c = file("c.csv", 10, 5);
    assertCannotCompare("cannot compare " + c + " vs " + b + ": no instances to compare (the baseline has 10 "
        + "predictions, the candidate 0)", c, b);
  }

  @Test
  void differentKeySetsShowTheFirstMissingKey() throws Exception {
    Path a = file("a.csv", 100, 60);
    Path b = file("b.csv", 97, 58);
    assertCannotCompare("cannot compare " + a + " vs " + b + ": instance sets differ: 3 only in the baseline "
        + "(first countdown3/test/97), 0 only in the candidate (of 100 and 97)", a, b);
    assertCannotCompare("cannot compare " + b + " vs " + a + ": instance sets differ: 0 only in the baseline, 3 "
        + "only in the candidate (first countdown3/test/97) (of 97 and 100)", b, a);
  }

  @Test
  void duplicateKeysInOneFileExit2() throws Exception {
    List<Prediction> dup = new ArrayList<>(rows(10, 5));
    dup.add(dup.get(5));
    Path a = file("a.csv", 10, 5);
    Path b = put("b.csv", dup);
    assertCannotCompare("cannot compare " + a + " vs " + b + ": the candidate has instance countdown3/test/5 more "
        + "than once", a, b);
  }

  // ---- evaluations in run and suite directories ----

  private Path run(String name, int correct, int latentOffCorrect) throws Exception {
    put(name + "/eval/countdown3-test/predictions.csv", rows(100, correct));
    put(name + "/eval/countdown3-test-latent-off/predictions.csv", rows(100, latentOffCorrect));
    return dir.resolve(name);
  }

  @Test
  void runDirectoriesArePairedByEvaluationAndPooled() throws Exception {
    Path a = run("runA", 66, 60);
    Path b = run("runB", 60, 60);
    assertEquals(1, compare(a, b), lastErr);
    assertEquals("eval/countdown3-test (" + a + " vs " + b + "): n=100 base_accuracy=0.6600 cand_accuracy=0.6000 "
        + "delta=-0.0600 ci95=[-0.1104, -0.0095] b01=0 b10=6 p=0.0312500\n"
        + "eval/countdown3-test-latent-off (" + a + " vs " + b + "): n=100 base_accuracy=0.6000 "
        + "cand_accuracy=0.6000 delta=+0.0000 ci95=[-0.0206, +0.0206] b01=0 b10=0 p=1.00000\n"
        + "pooled (2 strata): n=200 base_accuracy=0.6300 cand_accuracy=0.6000 delta=-0.0300 "
        + "ci95=[-0.0558, -0.0043] b01=0 b10=6 p=0.0312500\n"
        + "FAIL: candidate is significantly worse (p < 0.05, drop > 0.01)\n", lastOut);
    assertEquals("", lastErr);
    assertFalse(lastOut.contains("more than once"), lastOut);
  }

  @Test
  void evaluationsOnOneSideOnlyAreListedAndSkipped() throws Exception {
    Path a = run("runA", 60, 60);
    Path b = run("runB", 60, 60);
    put("runB/eval/game24-test/predictions.csv", rows(10, 1));
    put("runB/eval/countdown3-val/predictions.csv", rows(10, 1));
    assertEquals(0, compare(a, b), lastErr);
    List<String> lines = lastOut.lines().toList();
    assertEquals("not compared (only in CAND): eval/countdown3-val, eval/game24-test (in " + b + ")", lines.get(0));
    assertTrue(lines.get(1).startsWith("eval/countdown3-test (" + a + " vs " + b + "): n=100 "), lastOut);
    assertTrue(lines.get(3).startsWith("pooled (2 strata): n=200 "), lastOut);
    assertEquals(5, lines.size(), lastOut);
  }

  @Test
  void noCommonEvaluationExit2SuggestingEval() throws Exception {
    Path a = put("runA/eval/countdown3-test/predictions.csv", rows(100, 60)).getParent().getParent().getParent();
    Path c = put("runC/eval/countdown3-train/predictions.csv", rows(100, 60)).getParent().getParent().getParent();
    assertCannotCompare("no evaluation in common: BASE " + a + " holds 1 evaluation (eval/countdown3-test); CAND "
        + c + " holds 1 evaluation (eval/countdown3-train); select one evaluation on each side with --eval NAME",
        a, c);
    // Selecting one evaluation on each side pairs them, whatever their names (the inputs still must agree).
    assertEquals(0, compare(a, c, "--eval", "countdown3-test", "--eval", "countdown3-train"), lastErr);
    assertTrue(lastOut.startsWith("eval/countdown3-test vs eval/countdown3-train (" + a + " vs " + c + "): n=100 "),
        lastOut);
  }

  @Test
  void evalSelectsByFolderOrFullName() throws Exception {
    Path a = run("runA", 66, 60);
    Path b = run("runB", 60, 60);
    assertEquals(0, compare(a, b, "--eval", "countdown3-test-latent-off"), lastErr);
    assertEquals("eval/countdown3-test-latent-off (" + a + " vs " + b + "): n=100 base_accuracy=0.6000 "
        + "cand_accuracy=0.6000 delta=+0.0000 ci95=[-0.0206, +0.0206] b01=0 b10=0 p=1.00000\n"
        + "PASS: no significant drop\n", lastOut);
    assertEquals(1, compare(a, b, "--eval", "eval/countdown3-test/"), lastErr);
    assertTrue(lastOut.startsWith("eval/countdown3-test (" + a + " vs " + b + "): n=100 base_accuracy=0.6600"),
        lastOut);
    assertEquals(2, lastOut.lines().count(), lastOut);
    assertEquals(1, compare(a, b, "--eval", "countdown3-test", "--eval", "countdown3-test-latent-off"), lastErr);
    assertTrue(lastOut.contains("pooled (2 strata): n=200 "), lastOut);
  }

  @Test
  void evalMatchingNothingListsTheAvailableNames() throws Exception {
    Path a = run("runA", 60, 60);
    Path b = run("runB", 60, 60);
    assertCannotCompare("--eval game24-test matches no evaluation: BASE " + a + " holds 2 evaluations "
        + "(eval/countdown3-test, eval/countdown3-test-latent-off); CAND " + b + " holds 2 evaluations "
        + "(eval/countdown3-test, eval/countdown3-test-latent-off)", a, b, "--eval", "countdown3-test", "--eval",
        "game24-test");
    // A path component that is not the last one is not an evaluation name.
    assertEquals(2, compare(a, b, "--eval", "eval"), lastOut);
    Path f = file("a.csv", 100, 60);
    assertCannotCompare("--eval selects evaluations inside directories, but every BASE and CAND is a file; drop "
        + "--eval", f, f, "--eval", "countdown3-test");
  }

  @Test
  void suiteDirectoriesPairCellByCell() throws Exception {
    for (String suite : List.of("s1", "s2")) {
      put(suite + "/cells/mgdm-s1/eval/countdown3-test/predictions.csv", rows(100, 60));
      put(suite + "/cells/lddm-s1/eval/countdown3-test/predictions.csv", rows(100, suite.equals("s1") ? 60 : 70));
      put(suite + "/cells/lddm-s1/eval/countdown3-test-latent-off/predictions.csv", rows(100, 50));
    }
    Path s1 = dir.resolve("s1");
    Path s2 = dir.resolve("s2");
    assertEquals(0, compare(s1, s2, "--eval", "countdown3-test"), lastErr);
    List<String> lines = lastOut.lines().toList();
    assertEquals(4, lines.size(), lastOut);
    assertTrue(lines.get(0).startsWith("cells/lddm-s1/eval/countdown3-test (" + s1 + " vs " + s2 + "): n=100 "
        + "base_accuracy=0.6000 cand_accuracy=0.7000 "), lastOut);
    assertTrue(lines.get(1).startsWith("cells/mgdm-s1/eval/countdown3-test (" + s1 + " vs " + s2 + "): n=100 "
        + "base_accuracy=0.6000 cand_accuracy=0.6000 "), lastOut);
    assertTrue(lines.get(2).startsWith("pooled (2 strata): n=200 "), lastOut);
  }

  @Test
  void aFileAgainstADirectoryNeedsOneEvaluationThere() throws Exception {
    Path f = file("golden.csv", 100, 60);
    Path r = run("runB", 60, 60);
    assertCannotCompare("BASE " + f + " is one evaluation (a file) but CAND " + r + " holds 2 evaluations "
        + "(eval/countdown3-test, eval/countdown3-test-latent-off); pick one with --eval NAME", f, r);
    assertEquals(0, compare(f, r, "--eval", "countdown3-test"), lastErr);
    assertTrue(lastOut.startsWith(f + " vs eval/countdown3-test in " + r + ": n=100 "), lastOut);
    // A directory holding predictions.csv itself is the evaluation ".".
    Path d1 = put("d1/predictions.csv", rows(100, 60)).getParent();
    Path d2 = put("d2/predictions.csv", rows(100, 60)).getParent();
    assertEquals(0, compare(d1, d2), lastErr);
    assertTrue(lastOut.startsWith(". (" + d1 + " vs " + d2 + "): n=100 "), lastOut);
    assertEquals(0, compare(d1, f), lastErr);
    assertTrue(lastOut.startsWith(". in " + d1 + " vs " + f + ": n=100 "), lastOut);
  }

  // ---- --csv ----

  private static final String GOLDEN_HEAD =
      "stratum,base,cand,n,base_correct,cand_correct,base_accuracy,cand_accuracy,delta,ci95_low,ci95_high,b01,b10,"
          + "p_value\n";

  private String golden(Path a, Path b) {
    Path a1 = a.resolve("eval/countdown3-test/predictions.csv");
    Path b1 = b.resolve("eval/countdown3-test/predictions.csv");
    Path a2 = a.resolve("eval/countdown3-test-latent-off/predictions.csv");
    Path b2 = b.resolve("eval/countdown3-test-latent-off/predictions.csv");
    return GOLDEN_HEAD
        + "eval/countdown3-test," + a1 + "," + b1
        + ",100,66,60,0.660000,0.600000,-0.060000,-0.110436,-0.009461,0,6,0.0312500\n"
        + "eval/countdown3-test-latent-off," + a2 + "," + b2
        + ",100,60,60,0.600000,0.600000,0.000000,-0.020608,0.020608,0,0,1.00000\n"
        + "pooled,,,200,126,120,0.630000,0.600000,-0.030000,-0.055767,-0.004332,0,6,0.0312500\n";
  }

  @ParameterizedTest
  @ValueSource(strings = {"de-DE", "ar-EG", "en-US"})
  void csvFileMatchesGolden(String tag) throws Exception {
    Path a = run("runA", 66, 60);
    Path b = run("runB", 60, 60);
    Path out = dir.resolve("out/compare.csv");
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag(tag));
    try {
      assertEquals(1, compare(a, b, "--csv", out), lastErr);
    } finally {
      Locale.setDefault(saved);
    }
    assertEquals(golden(a, b), Files.readString(out));
    // The text report is still printed.
    assertTrue(lastOut.contains("pooled (2 strata): n=200 "), lastOut);
    try (var files = Files.list(out.getParent())) {
      assertEquals(List.of(out), files.toList(), "no temporary file left behind");
    }
  }

  @Test
  void csvDashPrintsOnlyCsvOnStdout() throws Exception {
    Path a = run("runA", 66, 60);
    Path b = run("runB", 60, 60);
    put("runB/eval/game24-test/predictions.csv", rows(10, 1));
    assertEquals(1, compare(a, b, "--csv", "-"), lastErr);
    assertEquals(golden(a, b), lastOut);
    assertEquals("not compared (only in CAND): eval/game24-test (in " + b + ")\n"
        + "FAIL: candidate is significantly worse (p < 0.05, drop > 0.01)\n", lastErr);
  }

  @Test
  void csvHasAPooledRowForOneStratum() throws Exception {
    Path a = file("a.csv", 100, 66);
    Path b = file("b.csv", 100, 60);
    assertEquals(1, compare(a, b, "--csv", "-"), lastErr);
    assertEquals(GOLDEN_HEAD
        + ".," + a + "," + b + ",100,66,60,0.660000,0.600000,-0.060000,-0.110436,-0.009461,0,6,0.0312500\n"
        + "pooled,,,100,66,60,0.660000,0.600000,-0.060000,-0.110436,-0.009461,0,6,0.0312500\n", lastOut);
  }

  @Test
  void csvNeverOverwritesAnInputOrWritesOnACheckFailure() throws Exception {
    Path a = file("a.csv", 100, 60);
    Path b = file("b.csv", 100, 60);
    String before = Files.readString(b);
    assertCannotCompare("--csv " + b + " is one of the inputs; name another file", a, b, "--csv", b);
    assertEquals(before, Files.readString(b));
    assertCannotCompare("--csv " + dir + " is a directory; name a file", a, b, "--csv", dir);
    Path c = put("c.csv", rows(100, 60, i -> "9," + i));
    Path out = dir.resolve("never.csv");
    assertEquals(2, compare(a, c, "--csv", out));
    assertFalse(Files.exists(out), "nothing written when the comparison is refused");
  }

  // ---- --exact ----

  @Test
  void exactPassesOnIdenticalPredictions() throws Exception {
    Path a = file("a.csv", 100, 60);
    Path b = put("b.csv", rows(100, 60));
    assertEquals(0, compare(a, b, "--exact"), lastErr);
    assertEquals(a + " vs " + b + ": n=100 base_accuracy=0.6000 cand_accuracy=0.6000 delta=+0.0000 "
        + "ci95=[-0.0206, +0.0206] b01=0 b10=0 p=1.00000\nEXACT: all 100 predictions identical\n", lastOut);
  }

  @Test
  void exactFailsListingEachDifference() throws Exception {
    Path a = file("a.csv", 100, 60);
    List<Prediction> cand = new ArrayList<>(rows(100, 60));
    // A changed answer with the same verdict, a changed verdict with the same answer, and a fixed answer.
    cand.set(3, new Prediction("countdown3", "test", 3, "1,2,3,3", "z", Verdict.CORRECT, true));
    cand.set(10, new Prediction("countdown3", "test", 10, "1,2,3,10", "x", Verdict.MALFORMED, false));
    cand.set(70, new Prediction("countdown3", "test", 70, "1,2,3,70", "x \"quoted\"", Verdict.CORRECT, true));
    Path b = put("b.csv", cand);
    assertEquals(1, compare(a, b, "--exact"), lastErr);
    List<String> lines = lastOut.lines().toList();
    assertEquals(List.of(
        "DIFF . countdown3/test/3 input=\"1,2,3,3\" base=\"x\" (CORRECT) cand=\"z\" (CORRECT)",
        "DIFF . countdown3/test/10 input=\"1,2,3,10\" base=\"x\" (CORRECT) cand=\"x\" (MALFORMED)",
        "DIFF . countdown3/test/70 input=\"1,2,3,70\" base=\"y\" (WRONG_VALUE) cand=\"x \\\"quoted\\\"\" (CORRECT)",
        "FAIL: 3 of 100 predictions differ from the baseline"), lines.subList(1, lines.size()));
    // Without --exact the same files pass the statistical gate (one regression, one improvement).
    assertEquals(0, compare(a, b), lastErr);
  }

  @Test
  void exactListsAtMostTwentyDifferences() throws Exception {
    Path a = run("runA", 60, 60);
    Path b = run("runB", 60, 35);
    assertEquals(1, compare(a, b, "--exact"), lastErr);
    List<String> lines = lastOut.lines().toList();
    assertEquals(3 + 20 + 2, lines.size(), lastOut);
    assertEquals("DIFF eval/countdown3-test-latent-off countdown3/test/35 input=\"1,2,3,35\" base=\"x\" (CORRECT) "
        + "cand=\"y\" (WRONG_VALUE)", lines.get(3));
    assertEquals("... and 5 more", lines.get(23));
    assertEquals("FAIL: 25 of 200 predictions differ from the baseline", lines.get(24));
  }

  @Test
  void exactStillRefusesUnpairableInputs() throws Exception {
    Path a = put("a.csv", rows(100, 60, i -> "1,2,3," + i));
    Path b = put("b.csv", rows(100, 60, i -> "4,5,6," + i));
    assertEquals(2, compare(a, b, "--exact"));
    assertTrue(lastErr.startsWith("lddm: cannot compare " + a + " vs " + b + ": inputs differ for 100 of 100"),
        lastErr);
    assertCannotCompare("--alpha and --max-drop do nothing with --exact (it requires identical predictions); "
        + "drop them", a, a, "--exact", "--alpha", "0.01");
  }

  // ---- reading errors: exit 2, one line, no Java internals ----

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "countdown3,test,0,\"1,2,3\",x,CORRECT,true\\ncountdown3,test,1,\"1,2,4\",x,FOO,true"
        + " | line 3: verdict \"FOO\" is not one of CORRECT, WRONG_VALUE, WRONG_NUMBERS, INVALID_STEP, MALFORMED",
    "countdown3,test,3.5,\"1,2,3\",x,CORRECT,true | line 2: index \"3.5\" is not a non-negative integer",
    "countdown3,test,-1,\"1,2,3\",x,CORRECT,true  | line 2: index \"-1\" is not a non-negative integer",
    "countdown3,test,99999999999,a,x,CORRECT,true | line 2: index 99999999999 is too large (at most 2147483647)",
    "countdown3,test,1,\"1,2,3\",x,correct,true   | line 2: verdict \"correct\" is not one of CORRECT, WRONG_VALUE, "
        + "WRONG_NUMBERS, INVALID_STEP, MALFORMED",
    "countdown3,test,1,\"1,2,3\",x,CORRECT,yes    | line 2: mgdm_correct \"yes\" is not true or false",
    "countdown3,test,1,\"1,2,3\",x,CORRECT        | line 2: has 6 fields, the header has 7",
    "countdown3,test,1,\"1,2,3\"x,x,CORRECT,true  | : malformed CSV: Invalid character between encapsulated token "
        + "and delimiter at line: 2, position: 81",
  })
  void malformedRowsExit2WithOneCleanLine(String body, String message) throws Exception {
    Path bad = text("bad.csv", HEADER + body.strip().replace("\\n", "\n") + "\n");
    Path good = file("good.csv", 2, 1);
    String expected = bad + (message.startsWith(":") ? "" : " ") + message;
    assertCannotCompare(expected, good, bad);
    // The shared reader keeps its contract: UserDataException (exit 1 elsewhere) with the same message.
    UserDataException e = assertThrows(UserDataException.class, () -> PredictionsFile.read(bad));
    assertEquals(expected, e.getMessage());
  }

  @Test
  void missingAndForeignFilesExit2WithOneLine() throws Exception {
    Path good = file("good.csv", 2, 1);
    Path missing = dir.resolve("nope.csv");
    assertCannotCompare(missing + ": no such file or directory", missing, good);
    Path empty = text("empty.csv", "");
    assertCannotCompare(empty + ": not a predictions file (it is empty; expected the header task,split,index,"
        + "input,prediction,verdict,mgdm_correct)", good, empty);
    Path board = text("leaderboard.csv", "run_id,task,split,n,correct\nr1,countdown3,test,10,5\n");
    assertCannotCompare(board + ": not a predictions file (no column 'index'; expected the header task,split,"
        + "index,input,prediction,verdict,mgdm_correct)", good, board);
    Path twice = text("twice.csv", "task,split,index,input,prediction,verdict,mgdm_correct,task\n");
    assertCannotCompare(twice + ": not a predictions file (repeated column 'task'; expected the header task,split,"
        + "index,input,prediction,verdict,mgdm_correct)", good, twice);
    Path unbalanced = text("unbalanced.csv", HEADER + "countdown3,test,0,\"1,2,3,x,CORRECT,true\n");
    assertCannotCompare(unbalanced + ": malformed CSV: (startline 2) EOF reached before encapsulated token "
        + "finished", good, unbalanced);
    Path emptyDir = Files.createDirectories(dir.resolve("empty-run/eval"));
    assertCannotCompare(emptyDir + ": no predictions.csv below it", emptyDir, good);
  }
}
