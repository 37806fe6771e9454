package dev.lddm.model.decode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs independent tasks on a few threads and waits for all of them (decoding runs, see FastDecoding). */
final class Parallel {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private Parallel() {}

  /**
   * Runs every task, at most {@code threads} at once (in the calling thread when one suffices), in list order of
   * starting; returns when all have finished. The first failure (in list order) is rethrown once all tasks have
   * ended, so no task is still touching shared state when the caller sees it.
   *
   * @throws IllegalArgumentException when {@code threads < 1}
   */
  static void runAll(List<Runnable> tasks, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    int n = Math.min(threads, tasks.size());
    if (n <= 1) {
      tasks.forEach(Runnable::run);
      return;
    }
    int pool = POOLS.incrementAndGet();
    AtomicInteger id = new AtomicInteger();
    ExecutorService ex = Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(r, "lddm-decode-" + pool + "-" + id.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>(tasks.size());
      for (Runnable task : tasks) {
        futures.add(ex.submit(task));
      }
      Throwable first = null;
      for (Future<?> f : futures) {
        try {
          awaitUninterruptibly(f);
        } catch (ExecutionException e) {
          if (first == null) {
            first = e.getCause();
          }
        }
      }
      if (first instanceof RuntimeException re) {
        throw re;
      }
      if (first instanceof Error err) {
        throw err;
      }
      if (first != null) {
        throw new IllegalStateException(first.getMessage(), first);
      }
    } finally {
      ex.shutdownNow();
    }
  }

  private static void awaitUninterruptibly(Future<?> f) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          f.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
