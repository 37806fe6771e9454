package dev.lddm.harness.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

class SuiteTest {
  static final java.util.List<String> BUILT_IN = Suite.BUILT_IN;

  @ParameterizedTest
  @FieldSource("BUILT_IN")
  void builtInsParse(String name) throws Exception {
    Suite s = Suite.load(name);
    assertEquals(name, s.name());
    assertTrue(!s.runs().isEmpty());
  }

  @Test
  void unknownSuiteNamesTheBuiltIns() {
    var e = assertThrows(IllegalArgumentException.class, () -> Suite.load("nope"));
    assertTrue(e.getMessage().contains("Known: quick, cpu, cpu-steps, paper"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}                                                   | name",
        "{\"name\":\"x\",\"models\":[\"mgdm\"],\"presets\":[\"micro\"],\"budget\":{\"steps\":1,\"minutes\":1}} | exactly one",
        "not json at all                                      | not valid",
        "{\"name\":\"x\",\"ablation\":[]}                       | unknown field 'ablation'",
        "{\"runs\":[{\"task\":\"countdown3\",\"seed\":[1]}]}      | unknown field 'runs[].seed'",
      })
  void badSuitesAreOneLineErrors(String json, String expected) {
    var e = assertThrows(IllegalArgumentException.class, () -> Suite.parse(json, "test"));
    assertTrue(e.getMessage().contains(expected.strip()), e.getMessage());
  }
}
