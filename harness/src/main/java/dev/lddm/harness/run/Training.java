package dev.lddm.harness.run;

import dev.lddm.model.train.TensorBoardLog;
import dev.lddm.model.train.TrainListener;
import dev.lddm.model.train.TrainResult;
import dev.lddm.model.train.Trainer;
import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.Task;
import dev.lddm.tasks.TaskRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Trains a model on a registered task's training split. */
public final class Training {
  private Training() {}

  /**
   * Checks, before any data is generated or anything is written, that {@link #run} would accept these
   * options and run directory: the task exists, {@code --train-size} fits its train split, the checkpoints
   * present fit {@code start} ({@link Trainer#check}: a run to continue was trained with the same settings,
   * {@link dev.lddm.model.train.TrainSpec#resumeMismatch}) and with the same data ({@code run.json}: task,
   * data seed, train size).
   *
   * @throws IllegalArgumentException one line naming the setting, the run's value and the new one
   * @throws java.io.UncheckedIOException when checkpoints exist but none is readable
   */
  public static void check(TrainOptions o, Path runDir, Trainer.Start start) {
    Task<?> task = TaskRegistry.get(o.task());
    var spec = o.spec();
    if (o.trainSize() > 0) {
      long size = task.size(Split.TRAIN);
      if (o.trainSize() > size) {
        throw new IllegalArgumentException("--train-size " + o.trainSize() + " exceeds the " + size
            + " examples of " + task.name() + " train; use at most " + size + " (0 = the whole split)");
      }
    }
    Trainer.check(spec, task.sequenceLength(), runDir, start);
    RunInfo info = info(o);
    RunInfo existing = RunInfo.read(runDir);
    if (existing != null && !existing.equals(info)) {
      if (start == Trainer.Start.FRESH) {
        throw new IllegalArgumentException("run directory " + runDir + " was trained on other data (" + existing
            + "); use a new directory");
      }
      String was = !existing.task().equals(info.task()) ? "--task " + existing.task() + ", not " + info.task()
          : existing.dataSeed() != info.dataSeed() ? "--data-seed " + existing.dataSeed() + ", not " + info.dataSeed()
          : "--train-size " + existing.trainSize() + ", not " + info.trainSize();
      throw new IllegalArgumentException("--resume: the run was trained with " + was
          + "; use a new --out or the same value");
    }
  }

  /**
   * Generates the training data ({@code trainSize} first examples of the train split, from
   * {@code dataSeed}) and trains into {@code runDir} ({@link #check} first). {@code run.json} is written
   * with every checkpoint, so an interrupted run records its data too. Every step's loss, learning rate,
   * throughput and elapsed time also go to a TensorBoard event file in {@code runDir/tensorboard/}
   * ({@link TensorBoardLog}: one new file per session; a failure to write it is one warning, never an error).
   *
   * @param start {@link Trainer.Start#RESUME} for {@code train --resume}, {@link Trainer.Start#RESUME_IF_PRESENT}
   *     for suite cells (possibly interrupted before their first checkpoint)
   * @param warnings one-line warnings (a damaged checkpoint skipped)
   */
  public static TrainResult run(TrainOptions o, Path runDir, Trainer.Start start, TrainListener listener,
                                Consumer<String> warnings) {
    check(o, runDir, start);
    Task<?> task = TaskRegistry.get(o.task());
    var spec = o.spec();
    List<Example> data = o.trainSize() == 0
        ? task.examples(Split.TRAIN, o.dataSeed()).toList()
        : task.generate(Split.TRAIN, o.trainSize(), o.dataSeed());
    RunInfo info = info(o);
    TrainListener out = listener == null ? TrainListener.NONE : listener;
    try (TensorBoardLog tensorboard = new TensorBoardLog(runDir.resolve(TensorBoardLog.DIR), spec, warnings)) {
      TrainListener recording = new TrainListener() {
        @Override
        public void onStep(long step, long totalSteps, double loss, double tokensPerSecond, double elapsedSeconds) {
          tensorboard.onStep(step, totalSteps, loss, tokensPerSecond, elapsedSeconds);
          out.onStep(step, totalSteps, loss, tokensPerSecond, elapsedSeconds);
        }

        @Override
        public void onCheckpoint(long step, Path dir) {
          info.write(runDir);
          tensorboard.onCheckpoint(step, dir);
          out.onCheckpoint(step, dir);
        }
      };
      TrainResult result = Trainer.train(spec, data, task.sequenceLength(), runDir, start, recording, warnings);
      info.write(runDir);
      return result;
    }
  }

  private static RunInfo info(TrainOptions o) {
    return new RunInfo(o.task(), o.dataSeed(), o.trainSize());
  }
}
