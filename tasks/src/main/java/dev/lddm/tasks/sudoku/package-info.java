/**
 * Sudoku 9x9 in MGDM's layout (81 digits, {@code 0} for a blank, in; the 81 digits of the solution, out):
 * a seeded generator of unique-solution puzzles, a bitmask solver and an exact verifier.
 */
package dev.lddm.tasks.sudoku;
