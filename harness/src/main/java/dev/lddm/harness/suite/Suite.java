package dev.lddm.harness.suite;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.FieldNamingPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Locale;
import java.util.Objects;

/**
 * A benchmark suite, read from JSON (built-ins live in the harness resources under {@code suites/}; users
 * pass their own path). Field names are snake_case in the file.
 *
 * <pre>{@code
 * {
 *   "name": "quick", "description": "...",
 *   "models": ["mgdm", "lddm"], "presets": ["small"],
 *   "budget": {"minutes": 6},            // or {"steps": 2000}; per trained model
 *   "batch": 64, "lr": 0.0003, "data_seed": 4,
 *   "decoders": ["masked-only"], "decode_steps": [20],
 *   "ablations": ["latent-off", "latent-reset-5"],   // evaluated for models with a latent (LDDM)
 *   "runs": [ {"task": "countdown3", "seeds": [1, 2, 3],
 *              "eval": [{"task": "countdown3", "split": "test", "count": 500}]} ]
 * }
 * }</pre>
 */
public record Suite(
    String name,
    String description,
    List<String> models,
    List<String> presets,
    Budget budget,
    int batch,
    double lr,
    long dataSeed,
    Integer trainSize,
    List<String> decoders,
    List<Integer> decodeSteps,
    List<String> ablations,
    List<Run> runs,
    String note) {

  /** Known built-in suite names. */
  public static final List<String> BUILT_IN = List.of("quick", "cpu", "cpu-steps", "paper");

  /** A training budget: a step count or wall-clock minutes (exactly one > 0). */
  public record Budget(long steps, double minutes) {
    public Budget {
      if ((steps > 0) == (minutes > 0)) {
        throw new IllegalArgumentException("budget needs exactly one of steps or minutes > 0, got steps=" + steps
            + " minutes=" + minutes);
      }
    }

    @Override
    public String toString() {
      return steps > 0 ? steps + " steps" : String.format(Locale.ROOT, "%.1f min", minutes);
    }
  }

  /** One training task with its seeds and what to evaluate the trained model on. */
  public record Run(String task, List<Long> seeds, List<EvalSpec> eval) {
    public Run {
      Objects.requireNonNull(task, "runs[].task");
      seeds = List.copyOf(Objects.requireNonNull(seeds, "runs[].seeds"));
      eval = List.copyOf(Objects.requireNonNull(eval, "runs[].eval"));
      if (seeds.isEmpty() || eval.isEmpty()) {
        throw new IllegalArgumentException("run '" + task + "' needs at least one seed and one eval");
      }
    }
  }

  /** An evaluation: the first {@code count} instances of a task's split. */
  public record EvalSpec(String task, String split, int count) {
    public EvalSpec {
      Objects.requireNonNull(task, "eval.task");
      Objects.requireNonNull(split, "eval.split");
      if (count < 1) {
        throw new IllegalArgumentException("eval count must be >= 1, got " + count);
      }
    }
  }

  public Suite {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    models = nonEmpty(models, "models");
    presets = nonEmpty(presets, "presets");
    Objects.requireNonNull(budget, "budget");
    decoders = nonEmpty(decoders, "decoders");
    decodeSteps = nonEmpty(decodeSteps, "decode_steps");
    ablations = ablations == null ? List.of() : List.copyOf(ablations);
    runs = nonEmpty(runs, "runs");
    note = note == null ? "" : note;
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    if (!(lr > 0)) {
      throw new IllegalArgumentException("lr must be > 0, got " + lr);
    }
    for (String a : ablations) {
      if (!a.equals("latent-off") && !a.matches("latent-reset-[1-9][0-9]*")) {
        throw new IllegalArgumentException("unknown ablation '" + a + "'. Known: latent-off, latent-reset-K");
      }
    }
  }

  private static <T> List<T> nonEmpty(List<T> list, String field) {
    if (list == null || list.isEmpty()) {
      throw new IllegalArgumentException("suite field '" + field + "' must be a non-empty list");
    }
    return List.copyOf(list);
  }

  private static final Gson GSON = new GsonBuilder()
      .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
      .create();

  /**
   * Parses a suite from JSON text; {@code origin} names the source in error messages. Gson builds records
   * through their canonical constructors, so every check above runs on parsed files too.
   *
   * @throws IllegalArgumentException with a one-line reason
   */
  public static Suite parse(String json, String origin) {
    try {
      rejectUnknownFields(JsonParser.parseString(json), Suite.class, "");
      Suite suite = GSON.fromJson(json, Suite.class);
      if (suite == null) {
        throw new IllegalArgumentException("suite " + origin + " is empty");
      }
      return suite;
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && !(root instanceof IllegalArgumentException)) {
        root = root.getCause();
      }
      throw new IllegalArgumentException("suite " + origin + " is not valid: " + root.getMessage(), e);
    }
  }

  /** A misspelt field would otherwise be ignored silently: fail naming it and the known ones. */
  private static void rejectUnknownFields(JsonElement e, Class<?> type, String path) {
    if (!type.isRecord() || !e.isJsonObject()) {
      return;
    }
    Map<String, RecordComponent> known = new TreeMap<>();
    for (RecordComponent c : type.getRecordComponents()) {
      known.put(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES.translateName(fieldOf(type, c.getName())), c);
    }
    for (var entry : e.getAsJsonObject().entrySet()) {
      RecordComponent c = known.get(entry.getKey());
      if (c == null) {
        throw new IllegalArgumentException("unknown field '" + path + entry.getKey() + "'. Known: "
            + String.join(", ", known.keySet()));
      }
      if (c.getType() == List.class && entry.getValue().isJsonArray()
          && c.getGenericType() instanceof java.lang.reflect.ParameterizedType pt
          && pt.getActualTypeArguments()[0] instanceof Class<?> element) {
        for (JsonElement item : entry.getValue().getAsJsonArray()) {
          rejectUnknownFields(item, element, path + entry.getKey() + "[].");
        }
      } else {
        rejectUnknownFields(entry.getValue(), c.getType(), path + entry.getKey() + ".");
      }
    }
  }

  private static java.lang.reflect.Field fieldOf(Class<?> type, String name) {
    try {
      return type.getDeclaredField(name);
    } catch (NoSuchFieldException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /**
   * A built-in suite by name, or a suite file by path.
   *
   * @throws IllegalArgumentException naming the built-ins when neither exists
   */
  public static Suite load(String nameOrPath) throws IOException {
    if (BUILT_IN.contains(nameOrPath)) {
      try (InputStream in = Suite.class.getResourceAsStream("/dev/lddm/harness/suites/" + nameOrPath + ".json")) {
        if (in == null) {
          throw new IllegalStateException("built-in suite " + nameOrPath + " is missing from the jar");
        }
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), nameOrPath);
      }
    }
    Path p = Path.of(nameOrPath);
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException("Unknown suite '" + nameOrPath + "'. Known: "
          + String.join(", ", BUILT_IN) + " (or a path to a suite .json file)");
    }
    return parse(Files.readString(p), p.toString());
  }

  /** The canonical JSON of this suite (for config hashes and the suite's record in its output dir). */
  public String toJson() {
    return new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
        .setPrettyPrinting().create().toJson(this);
  }
}
