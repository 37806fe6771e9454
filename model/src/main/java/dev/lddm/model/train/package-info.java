/**
 * Training: the spec ({@link dev.lddm.model.train.TrainSpec}), the loop with MGDM's masking and LDDM's
 * self-conditioning ({@link dev.lddm.model.train.Trainer}), atomic checkpoints and exact resume
 * ({@link dev.lddm.model.train.Checkpoints}), TensorBoard event files of the training scalars
 * ({@link dev.lddm.model.train.TensorBoardLog}).
 */
package dev.lddm.model.train;
