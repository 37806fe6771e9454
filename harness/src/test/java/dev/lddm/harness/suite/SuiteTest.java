package dev.lddm.harness.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.tasks.TaskRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SuiteTest {
  /** The registered task names as messages list them, from the registry (no test lists them by hand). */
  private static final String KNOWN_TASKS = String.join(", ", TaskRegistry.standard().names());

  static final java.util.List<String> BUILT_IN = Suite.BUILT_IN;

  /** A valid suite; each bad case below changes one piece of it. */
  static final String BASE = """
      {"name": "t", "models": ["mgdm", "lddm"], "presets": ["micro"], "budget": {"steps": 2},
       "batch": 8, "lr": 0.001, "data_seed": 4, "decoders": ["masked-only"], "decode_steps": [5],
       "ablations": ["latent-off"],
       "runs": [{"task": "countdown3", "seeds": [1], "eval": [{"task": "countdown3", "split": "test", "count": 6}]}]}
      """;

  @ParameterizedTest
  @FieldSource("BUILT_IN")
  void builtInsParse(String name) throws Exception {
    Suite s = Suite.load(name);
    assertEquals(name, s.name());
    assertTrue(!s.runs().isEmpty());
  }

  /**
   * The canonical JSON of every built-in is byte for byte the {@code suite.json} committed with its results:
   * {@code bench --resume} on those directories keeps working (a new optional field must not change it).
   */
  @ParameterizedTest
  @ValueSource(strings = {"quick", "cpu", "cpu-steps", "sudoku"})
  void canonicalJsonMatchesTheCommittedResults(String name) throws Exception {
    Path committed = Path.of("..", "results", name, "suite.json");
    assertEquals(Files.readString(committed), Suite.load(name).toJson() + "\n");
    assertEquals(Suite.load(name), Suite.parse(Files.readString(committed), committed.toString()));
  }

  @Test
  void checkpointEveryIsOptionalAndItsDefaultIsTheSameSuite() {
    Suite omitted = Suite.parse(BASE, "test");
    Suite spelt = Suite.parse(BASE.replace("\"batch\": 8", "\"checkpoint_every\": 500, \"batch\": 8"), "test");
    Suite other = Suite.parse(BASE.replace("\"batch\": 8", "\"checkpoint_every\": 3, \"batch\": 8"), "test");
    assertEquals(500, omitted.checkpointInterval());
    assertEquals(omitted, spelt);
    assertEquals(omitted.toJson(), spelt.toJson());
    assertNull(spelt.checkpointEvery());
    assertEquals(3, other.checkpointInterval());
    assertTrue(other.toJson().contains("\"checkpoint_every\": 3"), other.toJson());
    assertEquals(0, Suite.parse(BASE.replace("\"batch\": 8", "\"checkpoint_every\": 0, \"batch\": 8"), "test")
        .checkpointInterval());
  }

  /** {@code lr} is optional (each preset's default); {@code warmup_steps} is optional (0 = absent). */
  @Test
  void lrDefaultsPerPresetAndWarmupIsOptional() {
    Suite explicit = Suite.parse(BASE, "test");
    assertEquals(0.001, explicit.learningRate("tiny"));
    Suite perPreset = Suite.parse(BASE.replace("\"lr\": 0.001, ", ""), "test");
    assertEquals(1e-3, perPreset.learningRate("tiny"));
    assertEquals(3e-4, perPreset.learningRate("base"));
    assertEquals(3e-4, perPreset.learningRate("micro"));
    assertEquals(1e-3, perPreset.learningRate("small"));
    assertTrue(!perPreset.toJson().contains("\"lr\""), perPreset.toJson());
    assertEquals(explicit, Suite.parse(BASE.replace("\"batch\": 8", "\"warmup_steps\": 0, \"batch\": 8"), "test"));
    assertEquals(0, explicit.warmupStepCount());
    Suite warm = Suite.parse(BASE.replace("\"steps\": 2}", "\"steps\": 200}, \"warmup_steps\": 50"), "test");
    assertEquals(50, warm.warmupStepCount());
    assertTrue(warm.toJson().contains("\"warmup_steps\": 50"), warm.toJson());
  }

  /** {@code eval_every} is optional (0 = absent); it lists the multiples below the budget. */
  @Test
  void evalEveryIsOptionalAndNamesTheCurveSteps() {
    Suite omitted = Suite.parse(BASE, "test");
    assertEquals(omitted, Suite.parse(BASE.replace("\"batch\": 8", "\"eval_every\": 0, \"batch\": 8"), "test"));
    assertEquals(java.util.List.of(), omitted.curveSteps());
    Suite curve = Suite.parse(BASE.replace("\"steps\": 2}", "\"steps\": 2500}, \"eval_every\": 1000"), "test");
    assertEquals(java.util.List.of(1000L, 2000L), curve.curveSteps());
    assertTrue(curve.toJson().contains("\"eval_every\": 1000"), curve.toJson());
    assertTrue(!omitted.toJson().contains("eval_every"), omitted.toJson());
  }

  /** {@code precision} is optional: fp32 spelt out is the same suite as none; bf16 is recorded. */
  @Test
  void precisionIsOptionalAndItsDefaultIsTheSameSuite() {
    Suite omitted = Suite.parse(BASE, "test");
    Suite spelt = Suite.parse(BASE.replace("\"batch\": 8", "\"precision\": \"FP32\", \"batch\": 8"), "test");
    Suite bf16 = Suite.parse(BASE.replace("\"batch\": 8", "\"precision\": \"BF16\", \"batch\": 8"), "test");
    assertEquals(dev.lddm.model.Precision.FP32, omitted.modelPrecision());
    assertEquals(omitted, spelt);
    assertEquals(omitted.toJson(), spelt.toJson());
    assertTrue(!omitted.toJson().contains("precision"), omitted.toJson());
    assertEquals(dev.lddm.model.Precision.BF16, bf16.modelPrecision());
    assertTrue(bf16.toJson().contains("\"precision\": \"bf16\""), bf16.toJson());
    assertEquals(bf16, Suite.parse(bf16.toJson(), "again"));
  }

  /**
   * {@code dropout} is optional: absent and 0 are the same suite with the same canonical JSON as before the field
   * existed (no "dropout" in it); 0.1 is recorded, round-trips and reaches every cell's training.
   */
  @Test
  void dropoutIsOptionalAndItsDefaultIsTheSameSuite() {
    Suite omitted = Suite.parse(BASE, "test");
    Suite zero = Suite.parse(BASE.replace("\"batch\": 8", "\"dropout\": 0, \"batch\": 8"), "test");
    Suite on = Suite.parse(BASE.replace("\"batch\": 8", "\"dropout\": 0.1, \"batch\": 8"), "test");
    assertEquals(0.0, omitted.dropoutRate());
    assertEquals(omitted, zero);
    assertEquals(omitted.toJson(), zero.toJson());
    assertNull(zero.dropout());
    assertTrue(!omitted.toJson().contains("dropout"), omitted.toJson());
    assertEquals(0.1, on.dropoutRate());
    assertTrue(on.toJson().contains("\"dropout\": 0.1"), on.toJson());
    assertEquals(on, Suite.parse(on.toJson(), "again"));
    assertTrue(!CellKey.of(omitted, Cell.expand(omitted).get(0), "c", 1).key()
        .equals(CellKey.of(on, Cell.expand(on).get(0), "c", 1).key()), "a dropout cell is another cell");
  }

  @Test
  void unknownSuiteNamesTheBuiltIns() {
    var e = assertThrows(IllegalArgumentException.class, () -> Suite.load("nope"));
    assertTrue(e.getMessage().contains("Known: quick, cpu, cpu-steps, cpu-long, paper, sudoku"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}                                                   | name",
        "{\"name\":\"x\",\"models\":[\"mgdm\"],\"presets\":[\"micro\"],\"budget\":{\"steps\":1,\"minutes\":1}} | exactly one",
        "not json at all                                      | suite test: not valid JSON",
        "[1, 2]                                               | suite test: a suite is a JSON object {...}, got [1,2]",
        "{\"name\":\"x\",\"ablation\":[]}                       | unknown field 'ablation'",
        "{\"runs\":[{\"task\":\"countdown3\",\"seed\":[1]}]}      | suite test: unknown field 'runs[0].seed'. Known: eval, seeds, task",
      })
  void badSuitesAreOneLineErrors(String json, String expected) {
    var e = assertThrows(IllegalArgumentException.class, () -> Suite.parse(json, "test"));
    assertTrue(e.getMessage().contains(expected.strip()), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }

  /** One change to {@link #BASE} and the exact one-line message it gives. */
  static Stream<Arguments> badFields() {
    return Stream.of(
        Arguments.of("\"decode_steps\": [5]", "\"decode_steps\": [0]", "decode_steps must be >= 1, got 0"),
        Arguments.of("\"decode_steps\": [5]", "\"decode_steps\": [5, 10, 5]", "decode_steps lists 5 twice"),
        Arguments.of("\"count\": 6", "\"count\": 1001",
            "runs[0].eval[0].count 1001 exceeds the 1000 examples of countdown3 test"),
        Arguments.of("\"count\": 6", "\"count\": 0", "runs[].eval[].count must be >= 1, got 0"),
        Arguments.of("\"seeds\": [1]", "\"seeds\": [1, 2, 1]", "runs[0].seeds lists 1 twice"),
        Arguments.of("[\"mgdm\", \"lddm\"]", "[\"mgdm\", \"lddm\", \"MGDM\"]", "models lists MGDM twice"),
        Arguments.of("[\"micro\"]", "[\"micro\", \"micro\"]", "presets lists micro twice"),
        Arguments.of("[\"masked-only\"]", "[\"masked-only\", \"remask\", \"masked-only\"]",
            "decoders lists masked-only twice"),
        Arguments.of("[\"latent-off\"]", "[\"latent-off\", \"latent-off\"]", "ablations lists latent-off twice"),
        Arguments.of("[\"mgdm\", \"lddm\"]", "[\"mgdm\", \"gpt\"]",
            "models: Unknown model kind 'gpt'. Known: mgdm, lddm, ar"),
        Arguments.of("[\"micro\"]", "[\"huge\"]", "presets: Unknown preset 'huge'. Known: base, micro, small, tiny"),
        Arguments.of("[\"masked-only\"]", "[\"greedy\"]",
            "decoders: Unknown decoder 'greedy'. Known: remask, masked-only"),
        Arguments.of("[\"latent-off\"]", "[\"latent-on\"]",
            "ablations: unknown ablation 'latent-on'. Known: latent-off, latent-reset-K (K >= 1)"),
        Arguments.of("{\"task\": \"countdown3\", \"seeds\"", "{\"task\": \"countdown7\", \"seeds\"",
            "runs[0].task: Unknown task 'countdown7'. Known: " + KNOWN_TASKS),
        Arguments.of("{\"task\": \"countdown3\", \"split\"", "{\"task\": \"chess\", \"split\"",
            "runs[0].eval[0].task: Unknown task 'chess'. Known: " + KNOWN_TASKS),
        Arguments.of("\"split\": \"test\"", "\"split\": \"dev\"",
            "runs[0].eval[0].split: Unknown split 'dev'. Known: train, val, test"),
        Arguments.of("{\"task\": \"countdown3\", \"split\"", "{\"task\": \"countdown5\", \"split\"",
            "runs[0].eval[0].task countdown5 needs sequence length 74; models trained on countdown3 have 37"),
        Arguments.of("{\"steps\": 2}", "{\"steps\": 2, \"step\": 3}", "unknown field 'budget.step'. Known: minutes, steps"),
        Arguments.of("\"count\": 6", "\"count\": 6, \"cout\": 1",
            "unknown field 'runs[0].eval[0].cout'. Known: count, split, task"),
        Arguments.of("\"batch\": 8", "\"batch\": \"8\"", "batch must be a whole number, got \"8\""),
        Arguments.of("\"count\": 6", "\"count\": 2.5", "runs[0].eval[0].count must be a whole number, got 2.5"),
        Arguments.of("\"seeds\": [1]", "\"seeds\": [1, null]", "runs[0].seeds[1] must be a whole number, got null"),
        Arguments.of("\"decode_steps\": [5]", "\"decode_steps\": 5", "decode_steps must be a list [...], got 5"),
        Arguments.of("\"batch\": 8", "\"batch\": 8, \"precision\": \"fp16\"",
            "precision: Unknown precision 'fp16'. Known: fp32, bf16"),
        Arguments.of("\"batch\": 8", "\"batch\": 8, \"precision\": 16",
            "precision must be a string, got 16"),
        Arguments.of("\"batch\": 8", "\"batch\": 8, \"dropout\": 1",
            "dropout must be in [0, 1) (omit it for none), got 1.0"),
        Arguments.of("\"batch\": 8", "\"batch\": 8, \"dropout\": -0.1",
            "dropout must be in [0, 1) (omit it for none), got -0.1"),
        Arguments.of("\"batch\": 8", "\"batch\": 8, \"dropout\": \"0.1\"",
            "dropout must be a number, got \"0.1\""),
        Arguments.of("\"batch\": 8", "\"batch\": 8, \"dropout\": [0.1]",
            "dropout must be a number, got [0.1]"),
        Arguments.of("\"batch\": 8", "\"batch\": 8, \"checkpoint_every\": -1",
            "checkpoint_every must be >= 0 (0 = only at the end), got -1"),
        Arguments.of("\"batch\": 8", "\"batch\": 8, \"warmup_steps\": -1", "warmup_steps must be >= 0, got -1"),
        Arguments.of("\"batch\": 8", "\"batch\": 8, \"warmup_steps\": 2", "warmup_steps 2 must be below budget.steps 2"),
        Arguments.of("\"lr\": 0.001", "\"lr\": 0", "lr must be > 0 (omit it for each preset's default), got 0.0"),
        Arguments.of("\"batch\": 8", "\"batch\": 8, \"eval_every\": -5",
            "eval_every must be >= 0 (0 = only the trained model), got -5"),
        Arguments.of("\"steps\": 2}", "\"minutes\": 3}, \"eval_every\": 500",
            "eval_every 500 needs a step budget (budget.steps); a wall-clock budget does not say which checkpoints exist"),
        Arguments.of("\"steps\": 2}", "\"steps\": 1000}, \"eval_every\": 1000",
            "eval_every 1000 must be below budget.steps 1000 (the trained model is always evaluated)"),
        Arguments.of("\"steps\": 2}", "\"steps\": 2000}, \"eval_every\": 750",
            "eval_every 750 must be a multiple of checkpoint_every 500 (only checkpoints can be evaluated); set "
                + "checkpoint_every to a divisor of it"),
        Arguments.of("\"steps\": 2}", "\"steps\": 2000}, \"checkpoint_every\": 0, \"eval_every\": 500",
            "eval_every 500 needs checkpoints, but checkpoint_every is 0 (only at the end); drop checkpoint_every or "
                + "set it to a divisor of 500"),
        Arguments.of("\"batch\": 8", "\"batch\": 8, \"train_size\": 300000",
            "train_size 300000 exceeds the 220000 examples of countdown3 train (runs[0])"),
        Arguments.of("[\"mgdm\", \"lddm\"]", "[\"mgdm\", \"ar\"]",
            "ablations [latent-off] do nothing: no model of this suite has a latent path (only lddm has); drop them "
                + "or add lddm to models"),
        Arguments.of("\"eval\": [{\"task\": \"countdown3\", \"split\": \"test\", \"count\": 6}]",
            "\"eval\": [{\"task\": \"countdown3\", \"split\": \"test\", \"count\": 6}, "
                + "{\"task\": \"countdown3\", \"split\": \"test\", \"count\": 9}]",
            "runs[0].eval lists countdown3/test twice"),
        Arguments.of("\"runs\": [{\"task\": \"countdown3\", \"seeds\": [1],",
            "\"runs\": [{\"task\": \"countdown3\", \"seeds\": [2], \"eval\": [{\"task\": \"countdown3\", "
                + "\"split\": \"val\", \"count\": 3}]}, {\"task\": \"countdown3\", \"seeds\": [2],",
            "runs[1] repeats countdown3 seed 2 of runs[0] (the same cells twice); merge the two runs"),
        Arguments.of("\"name\": \"t\"", "\"name\": \"../t\"",
            "name must be letters, digits, '.', '_' or '-' (it names the output directory runs/<name>), got '../t'"));
  }

  @ParameterizedTest
  @MethodSource("badFields")
  void everyBadFieldIsOneLineNamingItAndTheValue(String from, String to, String expected) {
    assertTrue(BASE.contains(from), from);
    String json = BASE.replace(from, to);
    var e = assertThrows(IllegalArgumentException.class, () -> Suite.parse(json, "my.json"));
    assertEquals("suite my.json: " + expected, e.getMessage());
  }

  @Test
  void autoregressiveOnlySuiteWithSeveralDecodersIsRefused() {
    String json = BASE.replace("[\"mgdm\", \"lddm\"]", "[\"ar\"]").replace("\"ablations\": [\"latent-off\"],", "")
        .replace("[\"masked-only\"]", "[\"masked-only\", \"remask\"]");
    var e = assertThrows(IllegalArgumentException.class, () -> Suite.parse(json, "my.json"));
    assertEquals("suite my.json: decoders [masked-only, remask] and decode_steps [5] do nothing for the "
        + "autoregressive baseline (greedy decoding); list one of each", e.getMessage());
  }
}
