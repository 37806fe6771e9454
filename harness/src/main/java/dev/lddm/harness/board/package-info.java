/** Leaderboards: the CSV with provenance, its Markdown rendering and PNG charts. */
package dev.lddm.harness.board;
