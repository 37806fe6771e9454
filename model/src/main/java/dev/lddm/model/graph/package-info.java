/**
 * The TensorFlow graphs: MGDM's bidirectional GPT-2 backbone with the optional Loopholing latent path
 * ({@link dev.lddm.model.graph.Backbone}), the MGDM loss, a fed-learning-rate AdamW and the assembled
 * training / inference graphs ({@link dev.lddm.model.graph.ModelGraph}) with their op names ({@link dev.lddm.model.graph.OpNames}).
 */
package dev.lddm.model.graph;
