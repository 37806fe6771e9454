/**
 * Bit-exact ports of the parts of CPython 3 that random data generators depend on: {@link
 * dev.lddm.tasks.pyrandom.PyRandom} ({@code random.Random}: MT19937 from {@code Modules/_randommodule.c},
 * the sampling methods from {@code Lib/random.py}) and {@link dev.lddm.tasks.pyrandom.PyHeapq} ({@code
 * heapq.heappush}/{@code heappop} from {@code Lib/heapq.py}). Python's {@code list.sort} is stable and
 * consults only {@code <}; Java's {@code List.sort} is stable too, so a comparator that returns 0 exactly
 * when neither element is less reproduces it.
 */
package dev.lddm.tasks.pyrandom;
