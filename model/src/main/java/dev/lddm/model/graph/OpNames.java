package dev.lddm.model.graph;

/**
 * Names of every fed or fetched op, shared by the trainer, the sampler and the tests.
 * Shapes: B = batch (dynamic), L = sequence length, d = model width, V = vocabulary.
 */
public final class OpNames {
  private OpNames() {}

  /** Fed int32 [B, L]: the (partly masked) token ids z_t (AR: the clean sequence, or the prefix so far). */
  public static final String TOKENS = "tokens";
  /** Fed float32 [B, L, d] (LDDM inference graph only): the latent h_t from the previous step (zeros at start). */
  public static final String LATENT_IN = "latent_in";
  /**
   * Fetched float32 [B, L, V]: logits. MGDM/LDDM: already shifted as in MGDM (position i reads the state at
   * i-1 and predicts token i). AR: unshifted, position i sees tokens 0..i and predicts token i+1.
   */
  public static final String LOGITS = "logits";
  /** Fetched float32 [B, L, d] (LDDM): the new latent h_s, the last block's output before the final LayerNorm. */
  public static final String LATENT_OUT = "latent_out";

  /** Fed int32 [B, L]: the clean sequence x_0 (training). */
  public static final String TARGETS = "targets";
  /**
   * Fed float32 [B, L]: 1 where the position was masked (the loss positions), else 0. AR: 1 on the target
   * tokens (after {@code [SEP]} through {@code [EOS]}), whose loss reads the logits one position earlier.
   */
  public static final String LOSS_MASK = "loss_mask";
  /** Fed float32 [B]: MGDM's linear time weight T - t of each sequence (absent from the AR graph). */
  public static final String TIME_WEIGHT = "time_weight";
  /** Fed float32 scalar: learning rate of this step. */
  public static final String LR = "lr";
  /** Fed float32 scalar: Adam bias correction 1 - beta1^k for optimizer step k (1-based). */
  public static final String ADAM_BC1 = "adam_bc1";
  /** Fed float32 scalar: Adam bias correction 1 - beta2^k. */
  public static final String ADAM_BC2 = "adam_bc2";

  /**
   * Fed int64 [sites, 2] (training graphs with dropout only): this step's stateless seeds, one row per dropout
   * site and pass ({@link Dropout#seeds}).
   */
  public static final String DROPOUT_SEEDS = "dropout_seeds";

  /** Fetched float32 scalar: single-pass loss (h = 0 for LDDM). */
  public static final String LOSS = "loss";
  /** Target: one AdamW step on {@link #LOSS}. */
  public static final String TRAIN = "train";
  /** Fetched float32 scalar: global gradient norm (before clipping) of {@link #LOSS}. */
  public static final String GRAD_NORM = "grad_norm";
  /** Fetched float32 scalar (LDDM): self-conditioned two-pass loss (pass 2 conditioned on stopGradient(h_0)). */
  public static final String LOSS_SC = "loss_sc";
  /** Target (LDDM): one AdamW step on {@link #LOSS_SC}. */
  public static final String TRAIN_SC = "train_sc";
  /** Fetched float32 scalar (LDDM): global gradient norm of {@link #LOSS_SC}. */
  public static final String GRAD_NORM_SC = "grad_norm_sc";
  /** Fetched float32 [B, L, V] (LDDM training graph): logits of pass 2. */
  public static final String LOGITS_SC = "logits_sc";
  /** Fetched float32 [B, L, d] (LDDM training graph): the latent h_0 of pass 1 (before stopGradient). */
  public static final String LATENT_PASS1 = "latent_pass1";
}
