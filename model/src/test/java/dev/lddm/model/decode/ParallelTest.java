package dev.lddm.model.decode;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelTest {
  @Test
  void runsEveryTaskOnceAndAtMostThreadsAtOnce() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    int[] ran = new int[20];
    List<Runnable> tasks = new ArrayList<>();
    for (int i = 0; i < ran.length; i++) {
      int k = i;
      tasks.add(() -> {
        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
        sleep(5);
        ran[k]++;
        running.decrementAndGet();
      });
    }
    Parallel.runAll(tasks, 3);
    for (int i = 0; i < ran.length; i++) {
      assertEquals(1, ran[i], "task " + i);
    }
    assertTrue(peak.get() <= 3, "at most 3 at once, saw " + peak.get());
  }

  @Test
  void tasksReallyOverlap() throws InterruptedException {
    CountDownLatch both = new CountDownLatch(2);
    Runnable t = () -> {
      both.countDown();
      try {
        assertTrue(both.await(10, TimeUnit.SECONDS), "the other task runs at the same time");
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    };
    Parallel.runAll(List.of(t, t), 2);
    assertEquals(0, both.getCount());
  }

  @Test
  void oneThreadRunsInTheCallersThreadInOrder() {
    List<String> seen = new ArrayList<>();
    Thread caller = Thread.currentThread();
    Parallel.runAll(List.of(() -> seen.add("a" + (Thread.currentThread() == caller)),
        () -> seen.add("b" + (Thread.currentThread() == caller))), 1);
    assertEquals(List.of("atrue", "btrue"), seen);
  }

  @Test
  void theFirstFailureInListOrderIsRethrownAfterAllTasksEnded() {
    Set<Integer> finished = ConcurrentHashMap.newKeySet();
    List<Runnable> tasks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int k = i;
      tasks.add(() -> {
        sleep(k == 1 ? 30 : 2);
        finished.add(k);
        if (k == 1 || k == 4) {
          throw new IllegalStateException("task " + k + " failed");
        }
      });
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.runAll(tasks, 2));
    assertEquals("task 1 failed", e.getMessage());
    assertEquals(Set.of(0, 1, 2, 3, 4, 5), finished, "every task ran to its end before the rethrow");
  }

  @Test
  void anErrorIsRethrownAsItIs() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> Parallel.runAll(List.of(() -> {}, () -> { throw new AssertionError("boom"); }), 2));
    assertEquals("boom", e.getMessage());
  }

  @Test
  void threadsMustBePositive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.runAll(List.of(), 0));
    assertEquals("threads must be at least 1, got 0", e.getMessage());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
