package dev.lddm.harness.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.harness.Main;
import dev.lddm.tasks.Verdict;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
  @TempDir Path dir;

  private Path file(String name, int n, int correctUpTo) throws Exception {
    List<Prediction> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean ok = i < correctUpTo;
      rows.add(new Prediction("countdown3", "test", i, "1,2,3," + i, ok ? "x" : "y",
          ok ? Verdict.CORRECT : Verdict.WRONG_VALUE, ok));
    }
    Path f = dir.resolve(name);
    PredictionsFile.write(f, rows);
    return f;
  }

  private int compare(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    lastOut = out.toString();
    lastErr = err.toString();
    return code;
  }

  private String lastOut;
  private String lastErr;

  @Test
  void roundTripsPredictions() throws Exception {
    Path f = file("a.csv", 5, 3);
    List<Prediction> rows = PredictionsFile.read(f);
    assertEquals(5, rows.size());
    assertEquals(3, rows.stream().filter(Prediction::correct).count());
  }

  @Test
  void identicalSetsPass() throws Exception {
    Path a = file("a.csv", 50, 30);
    assertEquals(0, compare("compare", a.toString(), a.toString()), lastErr);
    assertTrue(lastOut.contains("n=50 base_accuracy=0.6000 cand_accuracy=0.6000 delta=+0.0000 b01=0 b10=0 p=1"),
        lastOut);
  }

  @Test
  void significantDropFails() throws Exception {
    Path a = file("a.csv", 100, 90);
    Path b = file("b.csv", 100, 60);
    assertEquals(1, compare("compare", a.toString(), b.toString()), lastOut);
    assertTrue(lastOut.contains("b10=30"), lastOut);
    // The same drop is tolerated when max-drop is larger than it.
    assertEquals(0, compare("compare", a.toString(), b.toString(), "--max-drop", "0.5"), lastOut);
    // An improvement never fails.
    assertEquals(0, compare("compare", b.toString(), a.toString()), lastOut);
  }

  @Test
  void pairsArePooledAcrossSeeds() throws Exception {
    // Each seed alone: a 6-point drop, b01=0 b10=6, exact p = 2/2^6 = 0.03125; pooled over three seeds
    // b10=18, p = 2/2^18.
    Path a = file("a.csv", 100, 66);
    Path b = file("b.csv", 100, 60);
    assertEquals(1, compare("compare", a.toString(), b.toString(), a.toString(), b.toString(), a.toString(),
        b.toString()), lastOut);
    assertTrue(lastOut.contains("pair 3: n=100"), lastOut);
    assertTrue(lastOut.contains("pooled: n=300 base_accuracy=0.6600 cand_accuracy=0.6000 delta=-0.0600 b01=0 b10=18 p=7.62939e-06"),
        lastOut);
    // Seed-wise, the same drop is not significant at alpha 0.01; pooled it is.
    assertEquals(0, compare("compare", a.toString(), b.toString(), "--alpha", "0.01"), lastOut);
    assertEquals(1, compare("compare", a.toString(), b.toString(), a.toString(), b.toString(), "--alpha", "0.01"),
        lastOut);
    // An odd number of paths is a usage error.
    assertEquals(2, compare("compare", a.toString(), b.toString(), a.toString()), lastOut);
  }

  @Test
  void smallInsignificantDropPasses() throws Exception {
    Path a = file("a.csv", 100, 60);
    Path b = file("b.csv", 100, 58);
    assertEquals(0, compare("compare", a.toString(), b.toString()), lastOut);
  }

  @Test
  void mismatchedInstancesRefuseWithExit2() throws Exception {
    Path a = file("a.csv", 100, 60);
    Path b = file("b.csv", 97, 58);
    assertEquals(2, compare("compare", a.toString(), b.toString()));
    assertTrue(lastErr.contains("3 only in the baseline"), lastErr);
  }

  @Test
  void missingFileIsAOneLineError() {
    assertEquals(1, compare("compare", dir.resolve("nope.csv").toString(), dir.resolve("nope.csv").toString()));
    assertEquals(1, lastErr.lines().count(), lastErr);
  }
}
