/**
 * Decoding: MGDM's top-k confidence decoder and the Loopholing paper's masked-only variant, with the LDDM
 * latent carried between steps ({@link dev.lddm.model.decode.Sampler}, {@link dev.lddm.model.decode.DecodeOptions}).
 */
package dev.lddm.model.decode;
