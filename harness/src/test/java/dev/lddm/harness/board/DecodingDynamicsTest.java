package dev.lddm.harness.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.harness.diag.StepDiagnostics;
import dev.lddm.harness.diag.StepDiagnostics.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The leaderboard's decoding-dynamics section: seeds pooled per decoding, summed up in a few numbers. */
class DecodingDynamicsTest {
  private final List<LeaderboardRow> rows = new ArrayList<>();
  private final Map<String, List<Row>> steps = new HashMap<>();

  private void row(String model, long seed, String decoder, int t, String variant, List<Row> diagnostics) {
    LeaderboardRow r = new LeaderboardRow(model + "-s" + seed, "countdown3", "test", model, "small", 1000, seed,
        decoder, t, variant, 10, 5, 5, 100, 1, 1, 1, "countdown3", "0.1.0", "abc", false, "17", "2.18.0",
        "linux/amd64", 1, "cpu", "h", "c", "2026-12-03T00:00:00Z");
    rows.add(r);
    if (diagnostics != null) {
      steps.put(r.key(), diagnostics);
    }
  }

  private static Row step(int s, int sequences, double tpe, double tkl, double idle, long oscillations) {
    return new Row(s, sequences, tpe, tkl, idle, oscillations, (double) oscillations / sequences);
  }

  @Test
  void poolingWeighsEachRunBySequencesAndAddsOscillations() {
    List<Row> a = List.of(step(0, 10, 1.0, 0, 0, 0), step(1, 10, 0.5, 0.2, 0.4, 3));
    List<Row> b = List.of(step(0, 30, 0.6, 0, 0, 0), step(1, 30, 0.1, 0.4, 0.8, 1));
    List<Row> p = StepDiagnostics.pool(List.of(a, b));
    assertEquals(2, p.size());
    assertEquals(40, p.get(1).sequences());
    assertEquals((10 * 1.0 + 30 * 0.6) / 40, p.get(0).tpe(), 1e-12);
    assertEquals((10 * 0.5 + 30 * 0.1) / 40, p.get(1).tpe(), 1e-12);
    assertEquals((10 * 0.2 + 30 * 0.4) / 40, p.get(1).tkl(), 1e-12);
    assertEquals((10 * 0.4 + 30 * 0.8) / 40, p.get(1).idle(), 1e-12);
    assertEquals(4, p.get(1).oscillations());
    assertEquals(0.1, p.get(1).oscillationsPerSeq(), 1e-12);
    assertEquals(a, StepDiagnostics.pool(List.of(a)));
    assertThrows(IllegalArgumentException.class, () -> StepDiagnostics.pool(List.of()));
  }

  @Test
  void aSummaryAveragesTheLaterStepsForChangeAndCountsOscillationsOverTheDecoding() {
    StepDiagnostics.Summary s = StepDiagnostics.summarize(List.of(step(0, 4, 0.9, 0, 0, 0),
        step(1, 4, 0.6, 0.3, 0.25, 2), step(2, 4, 0.3, 0.1, 0.75, 6)));
    assertEquals(0.9, s.firstEntropy(), 1e-12);
    assertEquals(0.6, s.entropy(), 1e-12);
    assertEquals(0.2, s.temporalKl(), 1e-12);
    assertEquals(0.5, s.idle(), 1e-12);
    assertEquals(2.0, s.oscillationsPerSequence(), 1e-12);
    StepDiagnostics.Summary one = StepDiagnostics.summarize(List.of(step(0, 4, 0.9, 0, 0, 0)));
    assertTrue(Double.isNaN(one.temporalKl()) && Double.isNaN(one.idle()), one.toString());
    assertThrows(IllegalArgumentException.class, () -> StepDiagnostics.summarize(List.of()));
  }

  @Test
  void oneLinePerDecodingWithSeedsPooledAndTheChartAtTheLargestT() {
    row("mgdm", 1, "masked-only", 20, "-", List.of(step(0, 10, 0.8, 0, 0, 0), step(1, 10, 0.4, 0.1, 0.5, 2)));
    row("mgdm", 2, "masked-only", 20, "-", List.of(step(0, 10, 0.6, 0, 0, 0), step(1, 10, 0.2, 0.3, 0.7, 4)));
    row("lddm", 1, "masked-only", 20, "latent-off", List.of(step(0, 10, 0.9, 0, 0, 0), step(1, 10, 0.5, 0.2, 0.1, 0)));
    row("lddm", 1, "masked-only", 20, "-", List.of(step(0, 10, 0.7, 0, 0, 0), step(1, 10, 0.3, 0.2, 0.2, 1)));
    row("lddm", 1, "masked-only", 1, "-", List.of(step(0, 10, 0.7, 0, 0, 0)));
    row("ar", 1, "greedy", 0, "-", null);
    List<DecodingDynamics.Line> lines = DecodingDynamics.of(rows, r -> steps.get(r.key()));
    assertEquals(List.of("lddm/small/masked-only T=20 [1]", "lddm/small/masked-only latent-off T=20 [1]",
        "mgdm/small/masked-only T=20 [1, 2]", "lddm/small/masked-only T=1 [1]"),
        lines.stream().map(l -> l.chartLabel() + " T=" + l.steps() + " " + l.seeds()).toList());
    String md = DecodingDynamics.markdown(lines);
    assertTrue(md.contains("## Decoding dynamics: countdown3 (test)"), md);
    // seeds 1 and 2 pooled: entropy at step 0 (0.8 + 0.6) / 2, mean (0.7 + 0.3) / 2; KL 0.2, idle 0.6, 6 / 20 + 0.
    assertTrue(md.contains("| mgdm | small | countdown3 | masked-only | 20 | - | 1,2 | 0.700 | 0.500 | 0.2000 | 0.600 | 0.30 |"),
        md);
    assertTrue(md.contains("| lddm | small | countdown3 | masked-only | 1 | - | 1 | 0.700 | 0.700 | – | – | 0.00 |"), md);
    Map<String, List<DecodingDynamics.Line>> chart = DecodingDynamics.atMostSteps(lines);
    assertEquals(List.of("countdown3-test"), List.copyOf(chart.keySet()));
    assertEquals(3, chart.get("countdown3-test").size());
    assertTrue(chart.get("countdown3-test").stream().allMatch(l -> l.steps() == 20));
    assertEquals("", DecodingDynamics.markdown(List.of()));
    assertEquals("mgdm/small/masked-only (trained on countdown4)", new DecodingDynamics.Line("game24", "test", "mgdm",
        "small", "countdown4", "masked-only", 20, "-", List.of(1L), List.of()).chartLabel());
  }
}
