package dev.lddm.tasks.pyrandom;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * A bit-exact port of CPython 3's {@code random.Random} (checked against CPython 3.11): the Mersenne
 * Twister MT19937 core of {@code Modules/_randommodule.c} plus the pure-Python methods of
 * {@code Lib/random.py} that Stream-of-Search's Countdown generator uses.
 *
 * <p>Determinism: a {@code PyRandom} seeded with an integer {@code n} produces exactly the values and
 * consumes exactly the 32-bit outputs that {@code random.Random(n)} does in CPython 3.2+ for the same
 * sequence of calls ({@code seed(int)} has not changed since). In particular {@link #randbelow} is the
 * {@code getrandbits}-based rejection sampler {@code _randbelow_with_getrandbits}, so every method that
 * picks an index ({@link #randrange}, {@link #randint}, {@link #choice}, {@link #shuffle}) consumes one
 * or more whole 32-bit words exactly as CPython does.
 *
 * <p>Not thread-safe: use one instance per thread.
 */
public final class PyRandom {
  private static final int N = 624;
  private static final int M = 397;
  private static final int MATRIX_A = 0x9908b0df;
  private static final int UPPER_MASK = 0x80000000;
  private static final int LOWER_MASK = 0x7fffffff;

  private final int[] mt = new int[N];
  private int index;

  /** A generator seeded as {@code random.Random(seed)}. */
  public PyRandom(long seed) {
    seed(seed);
  }

  /** A generator seeded as {@code random.Random(seed)} for an arbitrary-size Python int. */
  public PyRandom(BigInteger seed) {
    seed(seed);
  }

  /** {@code random.seed(seed)} for an int seed: {@code init_by_array} on the 32-bit words of |seed|. */
  public void seed(long seed) {
    seed(BigInteger.valueOf(seed));
  }

  /**
   * {@code random.seed(seed)} for an int seed, as {@code random_seed} in {@code _randommodule.c}:
   * the absolute value is split into 32-bit words, least significant first ({@code [0]} for zero), and
   * fed to MT19937's {@code init_by_array}.
   */
  public void seed(BigInteger seed) {
    BigInteger n = seed.abs();
    int bits = n.bitLength();
    int words = bits == 0 ? 1 : (bits - 1) / 32 + 1;
    int[] key = new int[words];
    for (int i = 0; i < words; i++) {
      key[i] = n.shiftRight(32 * i).intValue();
    }
    initByArray(key);
  }

  private void initGenrand(int s) {
    mt[0] = s;
    for (int i = 1; i < N; i++) {
      mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }
    index = N;
  }

  private void initByArray(int[] key) {
    initGenrand(19650218);
    int i = 1;
    int j = 0;
    for (int k = Math.max(N, key.length); k > 0; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) {
        j = 0;
      }
    }
    for (int k = N - 1; k > 0; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  /** The next raw 32-bit output of MT19937 ({@code genrand_uint32}), as an unsigned value in an int. */
  public int nextUint32() {
    if (index >= N) {
      int kk = 0;
      int y;
      for (; kk < N - M; kk++) {
        y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
      }
      for (; kk < N - 1; kk++) {
        y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
      }
      y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
      index = 0;
    }
    int y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y;
  }

  /** {@code random.random()}: a double in [0, 1) with 53 random bits, from two 32-bit outputs. */
  public double random() {
    int a = nextUint32() >>> 5;
    int b = nextUint32() >>> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }

  /**
   * {@code random.getrandbits(k)} for {@code 0 <= k <= 63}: 0 draws nothing; {@code k <= 32} takes the
   * top {@code k} bits of one output; larger {@code k} fills 32-bit words least significant first, the
   * last word keeping its top bits.
   *
   * @throws IllegalArgumentException if {@code k} is outside 0..63 (use {@link #getrandbitsBig})
   */
  public long getrandbits(int k) {
    if (k < 0 || k > 63) {
      throw new IllegalArgumentException("k must be in 0..63, got " + k);
    }
    if (k == 0) {
      return 0;
    }
    if (k <= 32) {
      return Integer.toUnsignedLong(nextUint32()) >>> (32 - k);
    }
    long lo = Integer.toUnsignedLong(nextUint32());
    long hi = Integer.toUnsignedLong(nextUint32()) >>> (64 - k);
    return lo | (hi << 32);
  }

  /**
   * {@code random.getrandbits(k)} for any {@code k >= 0}, as an arbitrary-size non-negative integer.
   *
   * @throws IllegalArgumentException if {@code k} is negative
   */
  public BigInteger getrandbitsBig(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("number of bits must be non-negative, got " + k);
    }
    if (k <= 32) {
      return BigInteger.valueOf(getrandbits(k));
    }
    BigInteger r = BigInteger.ZERO;
    int shift = 0;
    for (int left = k; left > 0; left -= 32, shift += 32) {
      long word = Integer.toUnsignedLong(nextUint32());
      if (left < 32) {
        word >>>= 32 - left;
      }
      r = r.or(BigInteger.valueOf(word).shiftLeft(shift));
    }
    return r;
  }

  /**
   * {@code Random._randbelow_with_getrandbits(n)}: a uniform int in [0, n), drawing
   * {@code getrandbits(n.bit_length())} until the value is below {@code n}.
   *
   * @throws IllegalArgumentException if {@code n <= 0}
   */
  public long randbelow(long n) {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be > 0, got " + n);
    }
    int k = 64 - Long.numberOfLeadingZeros(n);
    long r = getrandbits(k);
    while (r >= n) {
      r = getrandbits(k);
    }
    return r;
  }

  /** {@link #randbelow(long)} for an int bound. */
  public int randbelow(int n) {
    return (int) randbelow((long) n);
  }

  /**
   * {@code random.randrange(start, stop)}: {@code start + _randbelow(stop - start)}.
   *
   * @throws IllegalArgumentException for an empty range
   */
  public long randrange(long start, long stop) {
    long width = Math.subtractExact(stop, start);
    if (width <= 0) {
      throw new IllegalArgumentException(
          "empty range for randrange() (" + start + ", " + stop + ", " + width + ")");
    }
    return start + randbelow(width);
  }

  /**
   * {@code random.randrange(start, stop, step)} with CPython's rounding of the number of steps.
   *
   * @throws IllegalArgumentException for a zero step or an empty range
   */
  public long randrange(long start, long stop, long step) {
    if (step == 1) {
      return randrange(start, stop);
    }
    long width = Math.subtractExact(stop, start);
    long n;
    if (step > 0) {
      n = Math.floorDiv(width + step - 1, step);
    } else if (step < 0) {
      n = Math.floorDiv(width + step + 1, step);
    } else {
      throw new IllegalArgumentException("zero step for randrange()");
    }
    if (n <= 0) {
      throw new IllegalArgumentException("empty range for randrange()");
    }
    return start + step * randbelow(n);
  }

  /**
   * {@code random.randint(a, b)}: {@code randrange(a, b + 1)}, so both ends are included. Note that
   * even {@code randint(a, a)} consumes one 32-bit output, as in CPython.
   */
  public int randint(int a, int b) {
    return (int) randrange(a, (long) b + 1);
  }

  /** {@code random.uniform(a, b)}: {@code a + (b - a) * random()}. */
  public double uniform(double a, double b) {
    return a + (b - a) * random();
  }

  /**
   * {@code random.choice(seq)}: {@code seq[_randbelow(len(seq))]}.
   *
   * @throws IndexOutOfBoundsException for an empty list (CPython raises {@code IndexError})
   */
  public <T> T choice(List<T> seq) {
    if (seq.isEmpty()) {
      throw new IndexOutOfBoundsException("Cannot choose from an empty sequence");
    }
    return seq.get(randbelow(seq.size()));
  }

  /**
   * {@code random.shuffle(x)} (CPython 3.11 form): for {@code i} from {@code len-1} down to 1 swap
   * {@code x[i]} with {@code x[_randbelow(i + 1)]}. A list of length 0 or 1 draws nothing.
   */
  public <T> void shuffle(List<T> x) {
    for (int i = x.size() - 1; i > 0; i--) {
      int j = randbelow(i + 1);
      T t = x.get(i);
      x.set(i, x.get(j));
      x.set(j, t);
    }
  }

  /** {@link #shuffle(List)} on an int array. */
  public void shuffle(int[] x) {
    for (int i = x.length - 1; i > 0; i--) {
      int j = randbelow(i + 1);
      int t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
  }

  /** Restores a state taken with {@link #stateWords()} ({@code random.setstate}). */
  public void setStateWords(int[] state) {
    if (state.length != N + 1 || state[N] < 0 || state[N] > N) {
      throw new IllegalArgumentException("state must have " + (N + 1) + " words with a position in 0.." + N);
    }
    System.arraycopy(state, 0, mt, 0, N);
    index = state[N];
  }

  /** A copy of the internal state (624 words plus position), for tests and snapshots. */
  public int[] stateWords() {
    int[] s = Arrays.copyOf(mt, N + 1);
    s[N] = index;
    return s;
  }
}
