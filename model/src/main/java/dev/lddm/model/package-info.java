/**
 * Discrete diffusion models for the reasoning tasks: the model kinds and configurations
 * ({@link dev.lddm.model.ModelKind}, {@link dev.lddm.model.ModelConfig}), seeding helpers and the
 * TensorFlow device report ({@link dev.lddm.model.Devices}). Graph, training and decoding live in subpackages.
 */
package dev.lddm.model;
