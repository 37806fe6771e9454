package dev.lddm.model;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ModelConfigTest {
  /** MGDM's learning rates: 1e-3 for the tiny model (its README), 3e-4 otherwise. */
  @Test
  void presetsHaveDefaultLearningRates() {
    assertEquals(1e-3, ModelConfig.defaultLearningRate("tiny"));
    assertEquals(3e-4, ModelConfig.defaultLearningRate("base"));
    assertEquals(1e-3, ModelConfig.defaultLearningRate("small"));
    assertEquals(3e-4, ModelConfig.defaultLearningRate("micro"));
    assertEquals("Unknown preset 'huge'. Known: base, micro, small, tiny",
        assertThrows(IllegalArgumentException.class,
            () -> ModelConfig.defaultLearningRate("huge")).getMessage());
  }

  @Test
  void presetsHaveTheDocumentedShapes() {
    ModelConfig tiny = ModelConfig.preset(ModelKind.MGDM, "tiny", 64);
    assertEquals(3, tiny.layers());
    assertEquals(384, tiny.dModel());
    assertEquals(12, tiny.heads());
    assertEquals(1536, tiny.ffDim());
    assertEquals(31, tiny.vocab());
    ModelConfig base = ModelConfig.preset(ModelKind.LDDM, "base", 64);
    assertEquals(12, base.layers());
    assertEquals(768, base.dModel());
    assertEquals(0.9, base.selfCondRate());
    // MGDM's "6M" and "85M" models (GPT-2 params with 31 tokens; HF keeps 512 positions, we keep seqLen).
    assertTrue(tiny.parameterCount() > 5_000_000 && tiny.parameterCount() < 6_000_000, "" + tiny.parameterCount());
    assertTrue(base.parameterCount() > 84_000_000 && base.parameterCount() < 86_000_000, "" + base.parameterCount());
    assertEquals(ModelConfig.preset(ModelKind.MGDM, "small", 64).parameterCount() + 2 * 128,
        ModelConfig.preset(ModelKind.LDDM, "small", 64).parameterCount());
  }

  @Test
  void unknownPresetListsKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.preset(ModelKind.MGDM, "huge", 64));
    assertEquals("Unknown preset 'huge'. Known: base, micro, small, tiny", e.getMessage());
  }

  @Test
  void kindsParse() {
    assertEquals(ModelKind.LDDM, ModelKind.parse("lddm"));
    assertEquals(ModelKind.AR, ModelKind.parse("ar"));
    assertEquals(ModelKind.AR, ModelKind.parse("AR"));
    assertEquals(ModelKind.MGDM, ModelKind.parse("Mgdm"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelKind.parse("gpt"));
    assertEquals("Unknown model kind 'gpt'. Known: mgdm, lddm, ar", e.getMessage());
    assertTrue(ModelKind.AR.isAutoregressive() && !ModelKind.AR.hasLatent());
    assertFalse(ModelKind.MGDM.isAutoregressive() || ModelKind.LDDM.isAutoregressive());
    assertEquals(ModelConfig.preset(ModelKind.MGDM, "small", 64).parameterCount(),
        ModelConfig.preset(ModelKind.AR, "small", 64).parameterCount());
  }

  @Test
  void seedsMixIsNotAdditive() {
    assertNotEquals(Seeds.mix(0, 1), Seeds.mix(1, 0));
    assertEquals(Seeds.mix(3, 4), Seeds.mix(3, 4));
  }
}
