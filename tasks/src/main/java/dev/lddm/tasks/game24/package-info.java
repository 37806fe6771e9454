/**
 * The Game of 24 task (numbers 1..13, target 24) on Tree of Thoughts' ranked puzzle list, with the
 * standard test slice (ranks 901-1000), and a census of all 1,820 puzzles.
 */
package dev.lddm.tasks.game24;
