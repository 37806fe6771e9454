package dev.lddm.tasks.token;

/**
 * MGDM's character-level vocabulary of 31 ids (HKUNLP/diffusion-vs-ar, the Countdown tokenizer):
 * {@code [PAD]=0 [SEP]=1 [MASK]=2 [EOS]=3 [UNK]=4}, {@code '0'..'9'=5..14},
 * {@code '*'=15 '+'=16 '-'=17 '/'=18 '='=19 ','=20}, and {@code 'a'..'j'=21..30} (reserved, unused).
 */
public final class Vocabulary {
  public static final int PAD = 0;
  public static final int SEP = 1;
  public static final int MASK = 2;
  public static final int EOS = 3;
  public static final int UNK = 4;
  /** Number of ids. */
  public static final int SIZE = 31;

  private static final String SYMBOLS = "*+-/=,";
  private static final String[] SPECIAL = {"[PAD]", "[SEP]", "[MASK]", "[EOS]", "[UNK]"};

  private Vocabulary() {}

  /** The id of a character, or {@code -1} when the vocabulary has none. */
  public static int idOf(char c) {
    if (c >= '0' && c <= '9') {
      return 5 + (c - '0');
    }
    int s = SYMBOLS.indexOf(c);
    if (s >= 0) {
      return 15 + s;
    }
    if (c >= 'a' && c <= 'j') {
      return 21 + (c - 'a');
    }
    return -1;
  }

  /** Whether the id stands for one character (not a special token). */
  public static boolean isCharacter(int id) {
    return id >= 5 && id < SIZE;
  }

  /** The character of a character id. */
  public static char charOf(int id) {
    if (id >= 5 && id <= 14) {
      return (char) ('0' + id - 5);
    }
    if (id >= 15 && id <= 20) {
      return SYMBOLS.charAt(id - 15);
    }
    if (id >= 21 && id < SIZE) {
      return (char) ('a' + id - 21);
    }
    throw new IllegalArgumentException("id " + id + " is not a character id (5.." + (SIZE - 1) + ")");
  }

  /** A printable name for any id: the character, or {@code [PAD]}-style names for special ids. */
  public static String nameOf(int id) {
    if (id >= 0 && id < SPECIAL.length) {
      return SPECIAL[id];
    }
    return String.valueOf(charOf(id));
  }
}
