package dev.lddm.model.graph;

import dev.lddm.tasks.token.Vocabulary;
import java.util.SplittableRandom;

/** Token ids for graph tests. */
final class TestTokens {
  private TestTokens() {}

  /** {@code n} token ids drawn uniformly from the vocabulary with {@code seed}. */
  static int[] random(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = r.nextInt(Vocabulary.SIZE);
    }
    return t;
  }
}
