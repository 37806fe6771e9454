package dev.lddm.tasks.pyrandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected orders computed with CPython 3.11 {@code heapq} on objects whose {@code __lt__} compares a key. */
class PyHeapqTest {
  private record K(int key, String name) {}

  private static final PyHeapq.LessThan<K> LT = (a, b) -> a.key() < b.key();
  private static final int[] KEYS = {3, 1, 3, 1, 2, 1, 3, 2, 1};
  private static final String[] NAMES = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};

  @Test
  void tiesBreakAsInCPython() {
    List<K> heap = new ArrayList<>();
    for (int i = 0; i < KEYS.length; i++) {
      PyHeapq.heappush(heap, new K(KEYS[i], NAMES[i]), LT);
    }
    StringBuilder out = new StringBuilder();
    while (!heap.isEmpty()) {
      out.append(PyHeapq.heappop(heap, LT).name());
    }
    assertEquals("bfdihecag", out.toString());
  }

  @Test
  void interleavedPushPopMatchesCPython() {
    List<K> heap = new ArrayList<>();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 2 * KEYS.length; i++) {
      int k = i % KEYS.length;
      PyHeapq.heappush(heap, new K(KEYS[k], NAMES[k] + i), LT);
      if (i % 3 == 2) {
        out.add(PyHeapq.heappop(heap, LT).name());
      }
    }
    while (!heap.isEmpty()) {
      out.add(PyHeapq.heappop(heap, LT).name());
    }
    assertEquals("b1,d3,f5,i8,b10,d12,i17,f14,h7,h16,e13,e4,a9,a0,g6,c2,g15,c11", String.join(",", out));
  }
}
