package dev.lddm.model.train;

import dev.lddm.model.ModelConfig;
import java.nio.file.Path;

/**
 * The outcome of {@link Trainer#train}.
 *
 * @param runDir the run directory
 * @param checkpoint the last checkpoint directory written ({@code runDir/checkpoints/step-XXXXXXX})
 * @param config the model configuration
 * @param startStep the step training (re)started from (0 for a fresh run)
 * @param steps total completed steps
 * @param finalLoss loss of the last step (NaN if no step ran)
 * @param elapsedSeconds cumulative training wall time
 * @param tokensPerSecond positions per second in this session
 */
public record TrainResult(Path runDir, Path checkpoint, ModelConfig config, long startStep, long steps,
                         double finalLoss, double elapsedSeconds, double tokensPerSecond) {}
