package dev.lddm.tasks.pyrandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Expected values were computed with CPython 3.11.7, e.g. for seed 4:
 *
 * <pre>
 * r = random.Random(4)
 * u = [r.getrandbits(32) for _ in range(3)]; f = r.random(); ri = [r.randint(1, 99) for _ in range(5)]
 * rr = r.randrange(10, 1000, 7); c = r.choice(list(range(91))); l = list(range(10)); r.shuffle(l)
 * gb = r.getrandbits(40); gb2 = r.getrandbits(100); uni = r.uniform(-2.5, 3.0)
 * rb = [r.randrange(2**40) for _ in range(2)]; last = r.getrandbits(32)
 * </pre>
 */
class PyRandomTest {
  private record Expected(
      String seed, long[] u, double f, int[] ri, long rr, int c, int[] l, long gb, String gb2,
      double uni, long[] rb, long last) {}

  private static final List<Expected> EXPECTED = List.of(
      new Expected("0", new long[] {3626764237L, 1654615998L, 3255389356L}, 0.890243920837131,
          new int[] {6, 34, 66, 63, 52}, 549, 61, new int[] {9, 4, 8, 6, 0, 1, 7, 2, 3, 5}, 108706256089L,
          "1101179418654445711838485561595", 1.261911625534927, new long[] {777821588980L, 693354488482L},
          2623739577L),
      new Expected("4", new long[] {1013818839L, 1302657532L, 443094727L}, 0.7212169050876664,
          new int[] {62, 20, 12, 9, 3}, 724, 70, new int[] {1, 7, 8, 5, 2, 6, 9, 3, 0, 4}, 233052311008L,
          "1031997497250457594426724567246", 1.0237875278039863,
          new long[] {426368910046L, 679312721797L}, 1243997286L),
      new Expected("1", new long[] {577090037L, 2444712010L, 3639700191L}, 0.8022650611681835,
          new int[] {9, 33, 16, 64, 98}, 815, 60, new int[] {7, 5, 2, 4, 9, 0, 8, 1, 3, 6}, 492614851160L,
          "301211717521066888470312402243", 0.7513438925071716, new long[] {65787859347L, 55930447587L},
          2789779421L),
      new Expected("-5", new long[] {2675342405L, 1097127993L, 3185950873L}, 0.35853551175589526,
          new int[] {89, 95, 84, 68, 4}, 843, 31, new int[] {4, 9, 6, 5, 7, 3, 8, 1, 2, 0}, 273047998277L,
          "492540078747871464460488766361", -0.9628469869388931,
          new long[] {857987257669L, 158042542935L}, 596001514L),
      new Expected("4294967303", new long[] {968553300L, 3287823873L, 1540179448L}, 0.34300734698201063,
          new int[] {8, 50, 84, 7, 9}, 626, 74, new int[] {5, 0, 8, 7, 3, 9, 2, 4, 6, 1}, 199661324926L,
          "794774287203293642644078621678", 1.7049345395494377,
          new long[] {894785557379L, 799439295491L}, 2743332842L),
      new Expected("123456789012345678901234567890",
          new long[] {3124625047L, 947073620L, 685135262L}, 0.8208196015045975,
          new int[] {68, 35, 96, 72, 91}, 206, 31, new int[] {2, 6, 3, 8, 0, 7, 9, 1, 4, 5}, 341827657324L,
          "98558951828368924191372709349", -1.7706888558580787,
          new long[] {390081810086L, 765122594246L}, 1950238004L));

  @Test
  void mixedCallSequencesMatchCPython() {
    for (Expected e : EXPECTED) {
      PyRandom r = new PyRandom(new BigInteger(e.seed()));
      String s = "seed " + e.seed();
      for (long u : e.u()) {
        assertEquals(u, r.getrandbits(32), s);
      }
      assertEquals(e.f(), r.random(), 0.0, s);
      for (int v : e.ri()) {
        assertEquals(v, r.randint(1, 99), s);
      }
      assertEquals(e.rr(), r.randrange(10, 1000, 7), s);
      assertEquals(e.c(), r.choice(IntStream.range(0, 91).boxed().toList()), s);
      List<Integer> l = new ArrayList<>(IntStream.range(0, 10).boxed().toList());
      r.shuffle(l);
      assertArrayEquals(e.l(), l.stream().mapToInt(Integer::intValue).toArray(), s);
      assertEquals(e.gb(), r.getrandbits(40), s);
      assertEquals(new BigInteger(e.gb2()), r.getrandbitsBig(100), s);
      assertEquals(e.uni(), r.uniform(-2.5, 3.0), 0.0, s);
      for (long v : e.rb()) {
        assertEquals(v, r.randrange(0, 1L << 40), s);
      }
      assertEquals(e.last(), r.getrandbits(32), s);
    }
  }

  @Test
  void longSeedConstructorEqualsBigIntegerSeed() {
    PyRandom a = new PyRandom(4294967303L);
    PyRandom b = new PyRandom(BigInteger.valueOf(4294967303L));
    assertArrayEquals(a.stateWords(), b.stateWords());
    PyRandom c = new PyRandom(Long.MIN_VALUE);
    PyRandom d = new PyRandom(BigInteger.ONE.shiftLeft(63));
    assertArrayEquals(c.stateWords(), d.stateWords());
  }

  @Test
  void acrossStateRegeneration() {
    // r = random.Random(4); [r.random() for _ in range(2000)]; r.getrandbits(32)
    PyRandom r = new PyRandom(4);
    for (int i = 0; i < 2000; i++) {
      r.random();
    }
    assertEquals(1014504349L, r.getrandbits(32));
  }

  @Test
  void rejectsBadArguments() {
    PyRandom r = new PyRandom(0);
    assertThrows(IllegalArgumentException.class, () -> r.randint(5, 4));
    assertThrows(IllegalArgumentException.class, () -> r.randrange(0, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> r.getrandbits(-1));
    assertThrows(IndexOutOfBoundsException.class, () -> r.choice(List.of()));
    assertEquals(0, r.getrandbits(0));
  }
}
