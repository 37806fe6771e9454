package dev.lddm.harness.run;

import dev.lddm.model.train.TrainListener;
import dev.lddm.model.train.TrainResult;
import dev.lddm.model.train.Trainer;
import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.Task;
import dev.lddm.tasks.TaskRegistry;
import java.nio.file.Path;
import java.util.List;

/** Trains a model on a registered task's training split. */
public final class Training {
  private Training() {}

  /**
   * Generates the training data ({@code trainSize} first examples of the train split, from
   * {@code dataSeed}) and trains into {@code runDir}, resuming from its latest checkpoint when asked.
   */
  public static TrainResult run(TrainOptions o, Path runDir, boolean resume, TrainListener listener) {
    Task task = TaskRegistry.get(o.task());
    var spec = o.spec();
    List<Example> data = o.trainSize() == 0
        ? task.examples(Split.TRAIN, o.dataSeed()).toList()
        : task.generate(Split.TRAIN, o.trainSize(), o.dataSeed());
    RunInfo info = new RunInfo(o.task(), o.dataSeed(), o.trainSize());
    RunInfo existing = RunInfo.read(runDir);
    if (existing != null && !existing.equals(info)) {
      throw new IllegalArgumentException("run directory " + runDir + " was trained on other data (" + existing
          + "); use a new directory");
    }
    TrainResult result = Trainer.train(spec, data, task.sequenceLength(), runDir, resume, listener);
    info.write(runDir);
    return result;
  }
}
