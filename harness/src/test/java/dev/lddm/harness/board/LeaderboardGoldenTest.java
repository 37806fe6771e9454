package dev.lddm.harness.board;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pins the leaderboard CSV format byte for byte, whatever the machine's locale. */
public class LeaderboardGoldenTest {
  public static List<LeaderboardRow> rows() {
    return List.of(
        new LeaderboardRow("lddm-small-s2", "countdown3", "test", "lddm", "small", 812_345, 2, "masked-only", 20,
            "latent", 500, 321, 330, 4321, 480.2, 12.5, 51234.0, "countdown3", "0.1.0", "abc123", false,
            "17.0.15", "2.18.0", "linux/amd64", 1, "cpu", "h1", "c1", "2026-11-28T10:00:00Z"),
        new LeaderboardRow("mgdm-small-s1", "countdown3", "test", "mgdm", "small", 800_000, 1, "masked-only", 20,
            "-", 500, 250, 260, 5000, 480.0, 11.0, 60000.0, "countdown3", "0.1.0", "abc123", true,
            "17.0.15", "2.18.0", "linux/amd64", 1, "cpu", "h2", "c2", "2026-11-28T09:00:00Z"),
        new LeaderboardRow("quote,run", "game24", "test", "mgdm", "small", 800_000, 1, "remask", 20,
            "-", 100, 0, 3, 5000, 480.0, 1.0, 60000.0, "countdown4", "0.1.0", "abc123", false,
            "17.0.15", "2.18.0", "linux/amd64", 1, "cpu", "bf16", "h3", "c3", "2026-11-28T09:00:00Z",
            "reverse=my-task.jar@0123456789abcdef", 1.052e17, "AMD EPYC (family 25 model 17; avx512_bf16)"));
  }

  /** Seeds of one configuration pool into one ranked line listing each seed's training steps. */
  @org.junit.jupiter.api.Test
  void markdownPoolsSeeds() {
    LeaderboardRow s1 = rows().get(1);
    LeaderboardRow s2 = new LeaderboardRow("mgdm-small-s2", "countdown3", "test", "mgdm", "small", 800_000, 2,
        "masked-only", 20, "-", 500, 150, 160, 4900, 480.0, 11.0, 60000.0, "countdown3", "0.1.0", "abc123", false,
        "17.0.15", "2.18.0", "linux/amd64", 1, "cpu", "h4", "c4", "2026-11-28T09:30:00Z");
    String md = Leaderboard.markdown("t", List.of(s2, rows().get(0), s1));
    // lddm 321/500 ranks above mgdm pooled (250 + 150)/1000.
    org.junit.jupiter.api.Assertions.assertTrue(md.contains(
        "| 1 | lddm | small | countdown3 | masked-only | 20 | latent | 2 | 4321 | 500 | 64.2% |"), md);
    org.junit.jupiter.api.Assertions.assertTrue(md.contains(
        "| 2 | mgdm | small | countdown3 | masked-only | 20 | - | 1,2 | 5000,4900 | 1000 | 40.0% | 37.0–43.1 | 42.0% |"),
        md);
  }

  /** A leaderboard written before the precision column existed reads as fp32 rows. */
  @org.junit.jupiter.api.Test
  void csvWithoutThePrecisionColumnReadsAsFp32(@TempDir Path dir) throws Exception {
    Path f = dir.resolve(Leaderboard.CSV_NAME);
    Leaderboard.writeCsv(f, rows());
    List<String> lines = Files.readAllLines(f);
    assertEquals("precision", lines.get(0).split(",")[31]);
    List<String> old = lines.stream().map(l -> l.replaceFirst(",(precision|fp32|bf16),(h\\d|config_hash),", ",$2,"))
        .toList();
    assertEquals(false, String.join("\n", old).contains("precision"));
    Files.write(f, old);
    List<LeaderboardRow> read = Leaderboard.readCsv(f);
    assertEquals(List.of("fp32", "fp32", "fp32"), read.stream().map(LeaderboardRow::precision).toList());
    assertEquals(rows().get(0), Leaderboard.sorted(read).get(0));
  }

  /** A leaderboard written before the task_source column existed reads as rows of built-in tasks. */
  @org.junit.jupiter.api.Test
  void csvWithoutTheTaskSourceColumnReadsAsBuiltIn(@TempDir Path dir) throws Exception {
    Path f = dir.resolve(Leaderboard.CSV_NAME);
    Leaderboard.writeCsv(f, rows().subList(0, 2));
    List<String> lines = Files.readAllLines(f);
    // (and before the cpu column, which came after it)
    List<String> old = lines.stream().map(l -> l.replaceFirst(",(task_source|built-in),(cpu)?$", "")).toList();
    assertEquals(false, String.join("\n", old).contains("task_source"));
    assertEquals(false, String.join("\n", old).contains("built-in"));
    Files.write(f, old);
    List<LeaderboardRow> read = Leaderboard.readCsv(f);
    assertEquals(List.of("built-in", "built-in"), read.stream().map(LeaderboardRow::taskSource).toList());
    assertEquals(Leaderboard.sorted(rows().subList(0, 2)), read);
  }

  /** A leaderboard written before the cpu column existed reads with an empty CPU, and rewrites it empty. */
  @org.junit.jupiter.api.Test
  void csvWithoutTheCpuColumnReadsAsUnknown(@TempDir Path dir) throws Exception {
    Path f = dir.resolve(Leaderboard.CSV_NAME);
    Leaderboard.writeCsv(f, rows());
    List<String> old = Files.readAllLines(f).stream().map(l -> l.replaceFirst(",(cpu|AMD EPYC \\(.*\\))?$", "")).toList();
    assertEquals(false, old.get(0).endsWith(",cpu") || String.join("\n", old).contains("EPYC"));
    Files.write(f, old);
    List<LeaderboardRow> read = Leaderboard.readCsv(f);
    assertEquals(List.of("", "", ""), read.stream().map(LeaderboardRow::cpu).toList());
  }

  /** The Markdown names plug-in tasks' jars only when a row has one. */
  @org.junit.jupiter.api.Test
  void markdownNamesPluginJars() {
    String note = "Tasks from plug-ins (jar @ SHA-256 of its bytes): reverse=my-task.jar@0123456789abcdef.";
    org.junit.jupiter.api.Assertions.assertTrue(Leaderboard.markdown("t", rows()).contains(note));
    assertEquals(false, Leaderboard.markdown("t", rows().subList(0, 2)).contains("plug-ins"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"de-DE", "ar-EG", "en-US"})
  void csvMatchesGoldenUnderLocale(String tag, @TempDir Path dir) throws Exception {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag(tag));
    try {
      Path f = dir.resolve(Leaderboard.CSV_NAME);
      Leaderboard.writeCsv(f, rows());
      String golden;
      try (InputStream in = getClass().getResourceAsStream("leaderboard-golden.csv")) {
        golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertEquals(golden, Files.readString(f));
      assertEquals(Leaderboard.sorted(rows()), Leaderboard.readCsv(f));
    } finally {
      Locale.setDefault(saved);
    }
  }
}
