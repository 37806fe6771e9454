package dev.lddm.tasks.token;

/**
 * Encodes examples as MGDM's training sequences: {@code input chars + [SEP] + output chars + [EOS]},
 * right-padded with {@code [PAD]} to a fixed length. Decoding inverts encoding exactly.
 */
public record TokenFormat(int length) {
  public TokenFormat {
    if (length < 3) {
      throw new IllegalArgumentException("length must be >= 3, got " + length);
    }
  }

  /**
   * The padded sequence of an input and output.
   *
   * @throws IllegalArgumentException when a character is outside the vocabulary or the sequence does not
   *     fit (the message names the needed length)
   */
  public int[] encode(String input, String output) {
    int needed = input.length() + output.length() + 2;
    if (needed > length) {
      throw new IllegalArgumentException(
          "sequence needs " + needed + " tokens (input " + input.length() + ", output "
              + output.length() + ", plus [SEP] and [EOS]) but the length is " + length);
    }
    int[] ids = new int[length];
    int i = 0;
    for (char c : input.toCharArray()) {
      ids[i++] = checkedId(c, input);
    }
    ids[i++] = Vocabulary.SEP;
    for (char c : output.toCharArray()) {
      ids[i++] = checkedId(c, output);
    }
    ids[i] = Vocabulary.EOS;
    return ids;
  }

  /** The source prefix {@code input [SEP]}: the positions a decoder never changes. */
  public int sourceLength(String input) {
    return input.length() + 1;
  }

  /**
   * The output text of a sequence: the characters after the first {@code [SEP]} up to the first
   * {@code [EOS]} or {@code [PAD]} (or the end). Other special ids inside (a left-over {@code [MASK]})
   * appear as their bracketed names so they never verify.
   */
  public static String decodeOutput(int[] ids) {
    int start = 0;
    while (start < ids.length && ids[start] != Vocabulary.SEP) {
      start++;
    }
    return decodeRange(ids, Math.min(start + 1, ids.length));
  }

  /** The input text of a sequence: the characters before the first {@code [SEP]}. */
  public static String decodeInput(int[] ids) {
    StringBuilder b = new StringBuilder();
    for (int id : ids) {
      if (id == Vocabulary.SEP) {
        break;
      }
      b.append(Vocabulary.isCharacter(id) ? String.valueOf(Vocabulary.charOf(id)) : Vocabulary.nameOf(id));
    }
    return b.toString();
  }

  private static String decodeRange(int[] ids, int from) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < ids.length; i++) {
      int id = ids[i];
      if (id == Vocabulary.EOS || id == Vocabulary.PAD) {
        break;
      }
      b.append(Vocabulary.isCharacter(id) ? String.valueOf(Vocabulary.charOf(id)) : Vocabulary.nameOf(id));
    }
    return b.toString();
  }

  private static int checkedId(char c, String text) {
    int id = Vocabulary.idOf(c);
    if (id < 0) {
      throw new IllegalArgumentException(
          "character '" + c + "' is not in the vocabulary (in '" + text + "')");
    }
    return id;
  }

  @Override
  public String toString() {
    return "TokenFormat[length=" + length + "]";
  }
}
