package dev.lddm.harness.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.harness.Main;
import dev.lddm.harness.suite.Cell;
import dev.lddm.harness.suite.CellKey;
import dev.lddm.harness.suite.Suite;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code bench --list-cells}, cell keys, the cell selection and the sweep options' usage errors. */
class SweepCliTest {
  /** Three cells (mgdm, lddm, ar), a few steps each. */
  static final String SUITE = """
      {"name": "micro-sweep", "models": ["mgdm", "lddm", "ar"], "presets": ["micro"], "budget": {"steps": 12},
       "batch": 8, "lr": 0.001, "data_seed": 4, "train_size": 200, "checkpoint_every": 4,
       "decoders": ["masked-only"], "decode_steps": [5], "ablations": [],
       "runs": [{"task": "countdown3", "seeds": [1], "eval": [{"task": "countdown3", "split": "test", "count": 6}]}]}
      """;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  static Path suiteFile(Path dir, String json) throws Exception {
    Path f = dir.resolve("micro-sweep.json");
    Files.writeString(f, json);
    return f;
  }

  @Test
  void listCellsNumbersTheCellsFromTheSuitesContent(@TempDir Path dir) throws Exception {
    Path f = suiteFile(dir, SUITE);
    Run r = run("bench", "--suite", f.toString(), "--list-cells");
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    Suite suite = Suite.parse(SUITE, "test");
    String code = CellKey.currentCode();
    List<Cell> cells = Cell.expand(suite);
    String expected = "index  id                        key               evaluates\n"
        + "0      countdown3-mgdm-micro-s1  " + CellKey.of(suite, cells.get(0), code, 2).key() + "  countdown3/test x6\n"
        + "1      countdown3-lddm-micro-s1  " + CellKey.of(suite, cells.get(1), code, 2).key() + "  countdown3/test x6\n"
        + "2      countdown3-ar-micro-s1    " + CellKey.of(suite, cells.get(2), code, 2).key() + "  countdown3/test x6\n";
    assertEquals(expected, r.out());
    // The same content written differently (one line, other spacing) is the same suite: same ids, indexes, keys.
    Path compact = dir.resolve("compact.json");
    Files.writeString(compact, SUITE.replaceAll("\\s+", " "));
    assertEquals(r.out(), run("bench", "--suite", compact.toString(), "--list-cells").out());
    // Another run of the command: the same bytes.
    assertEquals(r.out(), run("bench", "--suite", f.toString(), "--list-cells").out());
  }

  @Test
  void aCellsKeyChangesWithWhatChangesItsResultOnly() {
    Suite s = Suite.parse(SUITE, "test");
    Cell mgdm = Cell.expand(s).get(0);
    String code = "0.1.0@abc";
    CellKey k = CellKey.of(s, mgdm, code, 1);
    // Descriptive fields and the other cells of the suite do not count.
    Suite described = Suite.parse(SUITE.replace("\"name\": \"micro-sweep\"",
        "\"name\": \"other\", \"description\": \"words\", \"note\": \"more words\""), "test");
    assertEquals(k.key(), CellKey.of(described, Cell.expand(described).get(0), code, 1).key());
    Suite moreSeeds = Suite.parse(SUITE.replace("\"seeds\": [1]", "\"seeds\": [1, 2]"), "test");
    assertEquals(k.key(), CellKey.of(moreSeeds, Cell.expand(moreSeeds).get(0), code, 1).key());
    Suite lessModels = Suite.parse(SUITE.replace("\"mgdm\", \"lddm\", \"ar\"", "\"mgdm\""), "test");
    assertEquals(k.key(), CellKey.of(lessModels, Cell.expand(lessModels).get(0), code, 1).key());
    // ... but its settings, the code and the threads do.
    Suite otherBatch = Suite.parse(SUITE.replace("\"batch\": 8", "\"batch\": 16"), "test");
    assertNotEquals(k.key(), CellKey.of(otherBatch, Cell.expand(otherBatch).get(0), code, 1).key());
    Suite otherEval = Suite.parse(SUITE.replace("\"count\": 6", "\"count\": 7"), "test");
    assertNotEquals(k.key(), CellKey.of(otherEval, Cell.expand(otherEval).get(0), code, 1).key());
    assertNotEquals(k.key(), CellKey.of(s, mgdm, "0.1.0@abd", 1).key());
    assertNotEquals(k.key(), CellKey.of(s, mgdm, code, 2).key());
    assertNotEquals(k.key(), CellKey.of(s, Cell.expand(s).get(1), code, 1).key());
    // The whole-suite hash does change with any edit.
    assertNotEquals(k.suiteHash(), CellKey.of(moreSeeds, Cell.expand(moreSeeds).get(0), code, 1).suiteHash());
    // key.json round trip, deterministic bytes.
    assertEquals(k, CellKey.parse(k.toJson()));
    assertEquals(k.toJson(), CellKey.of(s, mgdm, code, 1).toJson());
  }

  @Test
  void shardsSplitTheCellsByIndexModuloN() {
    Suite s = Suite.parse(SUITE.replace("\"seeds\": [1]", "\"seeds\": [1, 2]"), "test");
    assertEquals(List.of(0, 2, 4), Selection.byShard(s, "0/2").stream().map(Selection.Indexed::index).toList());
    assertEquals(List.of(1, 3, 5), Selection.byShard(s, "1/2").stream().map(Selection.Indexed::index).toList());
    assertEquals(List.of(5), Selection.byShard(s, "5/6").stream().map(Selection.Indexed::index).toList());
    assertEquals("countdown3-ar-micro-s2", Selection.byShard(s, "5/6").get(0).cell().id());
    // --cell keeps the suite's order whatever the order given.
    assertEquals(List.of(1, 4), Selection.byIds(s, List.of("countdown3-lddm-micro-s2", "countdown3-lddm-micro-s1"))
        .stream().map(Selection.Indexed::index).toList());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0|0",
      "3,7,8,9|3,7-9",
      "9,8,7,3,3|3,7-9",
      "0,1,2,3|0-3",
      "1,3,5|1,3,5",
      "0,2,3,5,6,7,10|0,2-3,5-7,10"})
  void arraySpecsCompressRuns(String indexes, String expected) {
    List<Integer> in = new ArrayList<>();
    for (String i : indexes.split(",")) {
      in.add(Integer.parseInt(i));
    }
    assertEquals(expected, ArraySpec.of(in));
  }

  /** Every sweep option that is wrong or does nothing: exit 2, one line naming the fix, nothing written. */
  @ParameterizedTest
  @CsvSource(delimiterString = " => ", value = {
      "--shard 3/3 => lddm: --shard 3/3: I must be 0..2 (shards count from 0)",
      "--shard 0/4 => lddm: --shard 0/4: suite micro-sweep has 3 cells; use N <= 3 (N = 3 runs one cell per shard)",
      "--shard 1 => lddm: --shard must be I/N (shard I of N, 0 <= I < N, e.g. 0/4), got '1'",
      "--shard 0/0 => lddm: --shard 0/0: N must be >= 1",
      "--cell nope => lddm: --cell: unknown cell 'nope' of suite micro-sweep. Known: countdown3-mgdm-micro-s1, "
          + "countdown3-lddm-micro-s1, countdown3-ar-micro-s1",
      "--cell countdown3-ar-micro-s1 --cell countdown3-ar-micro-s1 => lddm: --cell lists countdown3-ar-micro-s1 twice",
      "--cell countdown3-ar-micro-s1 --shard 0/3 => lddm: --cell and --shard both choose the cells to run; give one of them",
      "--shard 0/3 --resume => lddm: --resume does nothing with --cell or --shard (a shared --out always continues: "
          + "finished cells are skipped, interrupted ones resume); drop it",
      "--list-cells --resume => lddm: --resume does nothing with --list-cells; drop it",
      "--list-cells --shard 0/3 => lddm: --shard does nothing with --list-cells; drop it",
      "--per-task 2 => lddm: --per-task does nothing without --emit slurm|k8s; drop it",
      "--partition gpu => lddm: --partition does nothing without --emit slurm|k8s; drop it",
      "--emit pbs => lddm: --emit: unknown scheduler 'pbs'. Known: slurm, k8s",
      "--emit k8s => lddm: --emit k8s needs --image IMAGE (a container image with lddm built in it)",
      "--emit k8s --image x --partition gpu => lddm: --partition does nothing with --emit k8s; drop it",
      "--emit slurm --image x => lddm: --image does nothing with --emit slurm; drop it",
      "--emit slurm --shard 0/3 => lddm: --shard does nothing with --emit; drop it",
      "--emit slurm --per-task 0 => lddm: --per-task must be >= 1, got 0",
      "--emit slurm --per-task 4 => lddm: --per-task 4 exceeds the 3 cells of suite micro-sweep; use at most 3",
      "--emit slurm --throttle 0 => lddm: --throttle must be >= 1, got 0",
      "--emit slurm --time 2h => lddm: --time must be a Slurm time limit (MINUTES, HH:MM:SS or D-HH:MM:SS), got '2h'",
      "--emit slurm --partition a;b => lddm: --partition must be a partition name (letters, digits, '_', '.', '-'), got 'a;b'",
      "--suite-hash 0123456789abcdef --shard 0/3 => lddm: suite SUITE has changed since the script was emitted "
          + "(its hash is HASH, --suite-hash 0123456789abcdef); emit the script again",
  })
  void sweepUsageErrorsExit2WithOneLine(String args, String expected, @TempDir Path dir) throws Exception {
    Path f = suiteFile(dir, SUITE);
    Path out = dir.resolve("out");
    List<String> argv = new ArrayList<>(List.of("bench", "--suite", f.toString()));
    argv.addAll(List.of(args.strip().split(" +")));
    if (!args.contains("--emit") && !args.contains("--list-cells")) {
      argv.addAll(List.of("--out", out.toString()));
    }
    Run r = run(argv.toArray(String[]::new));
    String line = expected.strip().replace("SUITE", f.toString())
        .replace("HASH", CellKey.suiteHash(Suite.parse(SUITE, "test")));
    assertEquals(2, r.code(), r.err());
    assertEquals(line + "\n", r.err());
    assertEquals("", r.out());
    assertTrue(!Files.exists(out), "nothing written");
  }

  @Test
  void slurmOutMustBeAPathThatSbatchDirectivesCanHold(@TempDir Path dir) throws Exception {
    Path f = suiteFile(dir, SUITE);
    Path out = dir.resolve("sweep 100%");
    Run r = run("bench", "--suite", f.toString(), "--emit", "slurm", "--out", out.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("lddm: --out " + out + ": with --emit slurm it must have no spaces, quotes, backslashes or '%' "
        + "(sbatch reads it in #SBATCH --output); choose another directory\n", r.err());
    assertEquals("", r.out());
    assertTrue(!Files.exists(out));
  }

  @Test
  void statusAndMergeTakeADirectoryOfABenchRun(@TempDir Path dir) throws Exception {
    Run none = run("bench", "status", dir.resolve("nope").toString());
    assertEquals(2, none.code());
    assertEquals("lddm: bench status: " + dir.resolve("nope") + " is not a directory; give the --out of a bench run\n",
        none.err());
    Run empty = run("bench", "merge", dir.toString());
    assertEquals(2, empty.code());
    assertEquals("lddm: bench merge: " + dir + " holds no suite.json; give the --out of a bench run\n", empty.err());
    Run withSuite = run("bench", "--suite", "quick", "status", dir.toString());
    assertEquals(2, withSuite.code());
    assertEquals("lddm: --suite does nothing with bench status (it reads the suite from DIR/suite.json); drop it\n",
        withSuite.err());
    Run noSuite = run("bench");
    assertEquals(2, noSuite.code());
    assertEquals("lddm: bench needs --suite NAME (quick, cpu, cpu-steps, cpu-long, paper, sudoku, or a suite .json file), or a command: "
        + "status DIR, merge DIR\n", noSuite.err());
  }
}
