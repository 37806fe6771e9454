package dev.lddm.tasks.sudoku;

/** Grid geometry and the one-line descriptions shared by the puzzle check and the verifier. */
final class Grids {
  /** Row, column and box (0..8) of each cell, row-major. */
  static final int[] ROW = new int[81];
  static final int[] COL = new int[81];
  static final int[] BOX = new int[81];

  static {
    for (int i = 0; i < 81; i++) {
      ROW[i] = i / 9;
      COL[i] = i % 9;
      BOX[i] = (i / 27) * 3 + (i % 9) / 3;
    }
  }

  private Grids() {}

  /** {@code r3c8} (1-based) for cell index 20 and so on. */
  static String cell(int i) {
    return "r" + (ROW[i] + 1) + "c" + (COL[i] + 1);
  }

  /** A character for a message: {@code 'x'}, or its code point when it is not printable ASCII. */
  static String describe(char c) {
    return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format(java.util.Locale.ROOT, "U+%04X", (int) c);
  }

  /** The 9 cell indices of unit {@code u} of a kind: 0 rows, 1 columns, 2 boxes. */
  static int unitCell(int kind, int u, int k) {
    return switch (kind) {
      case 0 -> u * 9 + k;
      case 1 -> k * 9 + u;
      default -> (u / 3) * 27 + (u % 3) * 3 + (k / 3) * 9 + k % 3;
    };
  }

  /**
   * The first row, then column, then box in which a digit {@code 1..9} occurs twice, described as
   * {@code row 3 has two 7s (r3c2, r3c8)} or {@code box 5 (rows 4-6, columns 4-6) has two 1s (r4c5, r6c4)};
   * {@code null} when there is none. Blanks ({@code '0'}) are ignored. Expects 81 characters {@code '0'..'9'}.
   */
  static String firstRepeat(CharSequence cells) {
    for (int kind = 0; kind < 3; kind++) {
      for (int u = 0; u < 9; u++) {
        int[] seenAt = new int[10];
        java.util.Arrays.fill(seenAt, -1);
        for (int k = 0; k < 9; k++) {
          int i = unitCell(kind, u, k);
          int d = cells.charAt(i) - '0';
          if (d == 0) {
            continue;
          }
          if (seenAt[d] >= 0) {
            return unitName(kind, u) + " has two " + d + "s (" + cell(seenAt[d]) + ", " + cell(i) + ")";
          }
          seenAt[d] = i;
        }
      }
    }
    return null;
  }

  private static String unitName(int kind, int u) {
    return switch (kind) {
      case 0 -> "row " + (u + 1);
      case 1 -> "column " + (u + 1);
      default -> "box " + (u + 1) + " (rows " + (u / 3 * 3 + 1) + "-" + (u / 3 * 3 + 3) + ", columns "
          + (u % 3 * 3 + 1) + "-" + (u % 3 * 3 + 3) + ")";
    };
  }
}
