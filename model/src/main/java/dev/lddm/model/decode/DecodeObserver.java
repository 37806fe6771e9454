package dev.lddm.model.decode;

/**
 * Optional per-step view of decoding, for diagnostics (entropy, temporal KL, idle steps). Only when an
 * observer is given does the sampler compute the probabilities; otherwise decoding pays nothing.
 *
 * <p>AR models: called once per example and generated position, with {@code step = k} for position
 * {@code targetStart + k}, {@code tokensIn} the sequence so far ({@code [PAD]} from that position on) and
 * {@code probs} holding one row, the next-token distribution at that position ({@code probs[0]}). Not called
 * after an example has produced {@code [EOS]}.
 */
@FunctionalInterface
public interface DecodeObserver {
  /**
   * Called once per example and step, after the forward pass and before the update.
   *
   * @param step 0-based decoding step
   * @param example index of the example in the input list
   * @param tokensIn the full sequence fed at this step (ids; {@code [MASK]} where masked); do not keep
   * @param targetStart first target position (the source length)
   * @param probs softmax distributions at the target positions, {@code probs[i - targetStart][v]}
   */
  void onStep(int step, int example, int[] tokensIn, int targetStart, float[][] probs);
}
