package dev.lddm.tasks.pyrandom;

import java.util.List;

/**
 * A port of CPython's {@code heapq.heappush} / {@code heappop} ({@code Lib/heapq.py}, same logic as the C
 * accelerator {@code Modules/_heapqmodule.c}) on a {@link List}, parameterised by Python's {@code <}.
 *
 * <p>Only the "less than" relation is ever consulted, exactly where CPython consults it, so elements that
 * compare equal (neither is less) end up in the same positions as in CPython: ties break identically.
 * {@code heappop} uses CPython's "bottom-up" sift: move the smaller child up until a leaf is reached, then
 * sift the displaced last element back towards the root.
 */
public final class PyHeapq {
  /** Python's {@code a < b} for heap elements. */
  @FunctionalInterface
  public interface LessThan<T> {
    /** Whether {@code a < b} in Python. */
    boolean lt(T a, T b);
  }

  private PyHeapq() {}

  /** {@code heapq.heappush(heap, item)}. */
  public static <T> void heappush(List<T> heap, T item, LessThan<? super T> lt) {
    heap.add(item);
    siftdown(heap, 0, heap.size() - 1, lt);
  }

  /**
   * {@code heapq.heappop(heap)}: removes and returns the smallest element.
   *
   * @throws IndexOutOfBoundsException for an empty heap (CPython raises {@code IndexError})
   */
  public static <T> T heappop(List<T> heap, LessThan<? super T> lt) {
    if (heap.isEmpty()) {
      throw new IndexOutOfBoundsException("index out of range");
    }
    T last = heap.remove(heap.size() - 1);
    if (heap.isEmpty()) {
      return last;
    }
    T top = heap.get(0);
    heap.set(0, last);
    siftup(heap, 0, lt);
    return top;
  }

  /** {@code heapq._siftdown}: moves the item at {@code pos} up towards {@code startpos}. */
  static <T> void siftdown(List<T> heap, int startpos, int pos, LessThan<? super T> lt) {
    T newitem = heap.get(pos);
    while (pos > startpos) {
      int parentpos = (pos - 1) >> 1;
      T parent = heap.get(parentpos);
      if (lt.lt(newitem, parent)) {
        heap.set(pos, parent);
        pos = parentpos;
        continue;
      }
      break;
    }
    heap.set(pos, newitem);
  }

  /** {@code heapq._siftup}: bubbles the smaller child up to a leaf, then sifts {@code newitem} down. */
  static <T> void siftup(List<T> heap, int pos, LessThan<? super T> lt) {
    int endpos = heap.size();
    int startpos = pos;
    T newitem = heap.get(pos);
    int childpos = 2 * pos + 1;
    while (childpos < endpos) {
      int rightpos = childpos + 1;
      if (rightpos < endpos && !lt.lt(heap.get(childpos), heap.get(rightpos))) {
        childpos = rightpos;
      }
      heap.set(pos, heap.get(childpos));
      pos = childpos;
      childpos = 2 * pos + 1;
    }
    heap.set(pos, newitem);
    siftdown(heap, startpos, pos, lt);
  }
}
