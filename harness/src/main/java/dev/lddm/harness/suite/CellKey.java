package dev.lddm.harness.suite;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lddm.harness.Provenance;
import java.util.Objects;

/**
 * What a cell's result depends on, hashed: the cell's part of the suite, the code and the run settings.
 * Two processes with equal keys compute the same cell (bit for bit with {@code --threads 1}); a finished
 * cell records its key in {@code cells/<id>/key.json} so that a shared output directory, {@code bench
 * status} and {@code bench merge} can tell cells of other code, another suite or other settings apart.
 *
 * <ul>
 *   <li>{@code cellHash}: the canonical suite JSON ({@link Suite#toJson}) reduced to this cell: its model,
 *       preset, training task, seed and evaluations, plus every setting that is not a list of cells (budget,
 *       batch, lr, data, decoders, steps, ablations, and any field added later). Name, description and note
 *       do not count.
 *   <li>{@code suiteHash}: the whole canonical suite: the cells of one sweep share it.
 *   <li>{@code code}: {@code <harness version>@<git commit>}, {@code +dirty} for uncommitted changes (which it
 *       cannot tell apart).
 *   <li>{@code config}: the settings given on the command line that can change a result
 *       ({@code {"threads":N}}).
 * </ul>
 *
 * @param cell the cell id ({@link Cell#id()})
 * @param key the hash of cellHash, code and config: the identity of the result
 */
public record CellKey(String cell, String key, String cellHash, String suiteHash, String code, String codeHash,
                      String config, String configHash) {
  /** The file of a finished cell that holds its key (written before its done marker). */
  public static final String FILE = "key.json";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
  private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();

  public CellKey {
    for (var e : new Object[][] {{cell, "cell"}, {key, "key"}, {cellHash, "cell_hash"}, {suiteHash, "suite_hash"},
        {code, "code"}, {codeHash, "code_hash"}, {config, "config"}, {configHash, "config_hash"}}) {
      if (e[0] == null || ((String) e[0]).isBlank()) {
        throw new IllegalArgumentException("cell key: missing " + e[1]);
      }
    }
  }

  /** The key of {@code c} (a cell of {@code suite}) run by {@code code} with {@code threads}. */
  public static CellKey of(Suite suite, Cell c, String code, int threads) {
    Objects.requireNonNull(code, "code");
    String cellJson = COMPACT.toJson(slice(suite, c));
    String config = "{\"threads\":" + threads + "}";
    String cellHash = Provenance.hash(cellJson);
    String codeHash = Provenance.hash(code);
    String configHash = Provenance.hash(config);
    String key = Provenance.hash("cell " + cellJson + "\ncode " + code + "\nconfig " + config);
    return new CellKey(c.id(), key, cellHash, suiteHash(suite), code, codeHash, config, configHash);
  }

  /** The hash of the whole canonical suite. */
  public static String suiteHash(Suite suite) {
    return Provenance.hash(suite.toJson());
  }

  /** The code that runs in this process: {@code <version>@<commit>}, {@code +dirty} with uncommitted changes. */
  public static String currentCode() {
    Provenance p = Provenance.current();
    return p.harnessVersion() + "@" + p.gitCommit() + (p.gitDirty() ? "+dirty" : "");
  }

  /** The canonical suite JSON with this cell's model, preset, run (its seed only) and nothing descriptive. */
  static JsonObject slice(Suite suite, Cell c) {
    JsonObject o = JsonParser.parseString(suite.toJson()).getAsJsonObject();
    o.remove("name");
    o.remove("description");
    o.remove("note");
    JsonArray models = new JsonArray();
    models.add(c.kind().id());
    o.add("models", models);
    JsonArray presets = new JsonArray();
    presets.add(c.preset());
    o.add("presets", presets);
    JsonObject run = new JsonObject();
    run.addProperty("task", c.task());
    JsonArray seeds = new JsonArray();
    seeds.add(c.seed());
    run.add("seeds", seeds);
    JsonElement evals = JsonParser.parseString(COMPACT.toJson(c.evals()));
    run.add("eval", evals);
    JsonArray runs = new JsonArray();
    runs.add(run);
    o.add("runs", runs);
    return o;
  }

  /** This key as {@code key.json} text (deterministic: the same inputs give the same bytes). */
  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("cell", cell);
    o.addProperty("key", key);
    o.addProperty("cell_hash", cellHash);
    o.addProperty("suite_hash", suiteHash);
    o.addProperty("code", code);
    o.addProperty("code_hash", codeHash);
    o.addProperty("config", config);
    o.addProperty("config_hash", configHash);
    return GSON.toJson(o) + "\n";
  }

  /**
   * Reads {@link #toJson} text.
   *
   * @throws IllegalArgumentException when it is not a cell key (one line; the caller names the file)
   */
  public static CellKey parse(String json) {
    JsonObject o;
    try {
      o = JsonParser.parseString(json).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a JSON object", e);
    }
    return new CellKey(str(o, "cell"), str(o, "key"), str(o, "cell_hash"), str(o, "suite_hash"), str(o, "code"),
        str(o, "code_hash"), str(o, "config"), str(o, "config_hash"));
  }

  private static String str(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return e.getAsString();
  }
}
