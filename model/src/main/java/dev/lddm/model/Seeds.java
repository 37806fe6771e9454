package dev.lddm.model;

import java.nio.charset.StandardCharsets;

/**
 * Seed derivation by hashing (SplitMix64 finaliser), never {@code seed + index}: {@code mix(0, 1)} and
 * {@code mix(1, 0)} are unrelated.
 */
public final class Seeds {
  /** The project-wide default seed. */
  public static final long DEFAULT_SEED = 4;

  private Seeds() {}

  /** Mixes any number of 64-bit parts into one well-spread seed. */
  public static long mix(long... parts) {
    long h = 0x9E3779B97F4A7C15L;
    for (long p : parts) {
      h = fmix(h ^ fmix(p + 0x632BE59BD9B4E019L));
      h += 0x9E3779B97F4A7C15L;
    }
    return fmix(h);
  }

  /** A 64-bit hash of a string (FNV-1a over UTF-8, then mixed). */
  public static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return fmix(h);
  }

  private static long fmix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
