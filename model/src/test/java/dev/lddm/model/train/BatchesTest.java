package dev.lddm.model.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.lddm.model.Fixtures;
import dev.lddm.model.ModelKind;
import dev.lddm.tasks.Example;
import dev.lddm.tasks.token.TokenFormat;
import dev.lddm.tasks.token.Vocabulary;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchesTest {
  private static final int L = Fixtures.SEQ_LEN;
  private static final int B = 5;

  /**
   * AR batches: the clean sequence as tokens and targets, the loss only on the output and {@code [EOS]}, and
   * the same data order as the diffusion batches of the same seed (only the noise differs).
   */
  @Test
  void arBatchesAreCleanSequencesWithLossOnTheOutputOnly() {
    Batches ar = new Batches(Fixtures.COUNTDOWN3, L, B, 7, ModelKind.AR, 0.9);
    Batches mgdm = new Batches(Fixtures.COUNTDOWN3, L, B, 7, 0.9);
    assertEquals(mgdm.fingerprint(), ar.fingerprint());
    TokenFormat f = new TokenFormat(L);
    for (long step : new long[] {0, 1, 2, 9}) {
      Batches.Batch a = ar.make(step);
      Batches.Batch d = mgdm.make(step);
      assertArrayEquals(d.targets(), a.targets(), "same order as the diffusion batches");
      assertArrayEquals(a.targets(), a.tokens(), "AR sees the clean sequence");
      assertFalse(a.selfCond());
      assertEquals(0, a.timeWeight().length);
      int loss = 0;
      for (int j = 0; j < B; j++) {
        int[] row = Arrays.copyOfRange(a.tokens(), j * L, (j + 1) * L);
        Example e = Fixtures.COUNTDOWN3.stream()
            .filter(x -> Arrays.equals(f.encode(x.input(), x.output()), row)).findFirst().orElseThrow();
        int src = e.input().length() + 1;
        int eos = src + e.output().length();
        assertEquals(Vocabulary.EOS, row[eos]);
        for (int i = 0; i < L; i++) {
          float expected = i >= src && i <= eos ? 1f : 0f;
          assertEquals(expected, a.lossMask()[j * L + i], "example " + e.input() + " position " + i);
        }
        loss += eos - src + 1;
      }
      assertEquals(loss, a.masked());
      assertArrayEquals(a.tokens(), new Batches(Fixtures.COUNTDOWN3, L, B, 7, ModelKind.AR, 0.9).make(step).tokens(),
          "a pure function of (seed, step)");
    }
  }
}
