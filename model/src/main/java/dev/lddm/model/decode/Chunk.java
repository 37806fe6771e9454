package dev.lddm.model.decode;

import dev.lddm.model.Seeds;
import dev.lddm.tasks.token.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The decoding state of one chunk of inputs (at most {@link DecodeOptions#batch()}): the sequences
 * {@code x} [b·L] ({@code input [SEP]} then {@code [MASK]}; {@code [PAD]} for an input that does not fit), the
 * first target position of each, whether it fits, and its noise generator {@code mix(seed, DECODE, index)}.
 */
final class Chunk {
  private static final long DECODE = 0xDEC0DEL;

  final int b;
  final int l;
  final int offset;
  final int[] x;
  final int[] src;
  final boolean[] ok;
  final SplittableRandom[] rng;

  private Chunk(int b, int l, int offset) {
    this.b = b;
    this.l = l;
    this.offset = offset;
    this.x = new int[b * l];
    this.src = new int[b];
    this.ok = new boolean[b];
    this.rng = new SplittableRandom[b];
  }

  /** The initial state of {@code inputs}, which start at index {@code offset} of the caller's list. */
  static Chunk of(List<String> inputs, int offset, long seed, int l) {
    Chunk c = new Chunk(inputs.size(), l, offset);
    for (int j = 0; j < c.b; j++) {
      c.rng[j] = new SplittableRandom(Seeds.mix(seed, DECODE, offset + j));
      String in = inputs.get(j);
      c.ok[j] = in != null && in.length() + 1 < l && in.chars().allMatch(ch -> Vocabulary.idOf((char) ch) >= 0);
      c.src[j] = c.ok[j] ? in.length() + 1 : l;
      for (int i = 0; i < l; i++) {
        if (!c.ok[j]) {
          c.x[j * l + i] = Vocabulary.PAD;
        } else if (i < in.length()) {
          c.x[j * l + i] = Vocabulary.idOf(in.charAt(i));
        } else if (i == in.length()) {
          c.x[j * l + i] = Vocabulary.SEP;
        } else {
          c.x[j * l + i] = Vocabulary.MASK;
        }
      }
    }
    return c;
  }

  /** AR: replaces the target positions ({@code [MASK]}) by {@code [PAD]}. */
  void padTargets() {
    for (int j = 0; j < b; j++) {
      for (int i = src[j]; i < l; i++) {
        x[j * l + i] = Vocabulary.PAD;
      }
    }
  }

  /** The decoded sequences, {@code null} for inputs that do not fit. */
  List<int[]> rows() {
    List<int[]> out = new ArrayList<>(b);
    for (int j = 0; j < b; j++) {
      out.add(ok[j] ? Arrays.copyOfRange(x, j * l, (j + 1) * l) : null);
    }
    return out;
  }
}
