package dev.lddm.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressListenerTest {
  @Test
  void aResumedRunIsTimedByTheStepsThisProcessTook() {
    // Resumed at step 5,500 of 20,000; 100 steps took 60 s: 14,400 steps to go at 0.6 s each.
    assertEquals(Optional.of(Duration.ofSeconds(8640)), ProgressListener.remaining(5500, 10.0, 5600, 70.0, 20_000));
  }

  @Test
  void noEstimateBeforeAStepHasBeenTimed() {
    assertTrue(ProgressListener.remaining(5500, 10.0, 5500, 12.0, 20_000).isEmpty());
  }

  @Test
  void theEstimateFollowsTheObservedSteps() {
    try (ProgressListener bar = new ProgressListener("t", 1000, 0)) {
      assertTrue(bar.eta().isEmpty());
      bar.onStep(600, 1000, 1.0, 0, 100.0);
      bar.onStep(700, 1000, 1.0, 0, 110.0);
      assertEquals(Optional.of(Duration.ofSeconds(30)), bar.eta());
    }
  }

  @Test
  void aTimeBudgetCountsDownItsSeconds() {
    try (ProgressListener bar = new ProgressListener("t", 0, 300)) {
      bar.onStep(10, 0, 1.0, 0, 120.0);
      assertEquals(Optional.of(Duration.ofSeconds(180)), bar.eta());
    }
  }
}
