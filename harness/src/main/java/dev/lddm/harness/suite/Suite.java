package dev.lddm.harness.suite;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.lddm.harness.UserDataException;
import dev.lddm.harness.run.Evaluation;
import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.Precision;
import dev.lddm.model.decode.Decoder;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.Task;
import dev.lddm.tasks.TaskRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A benchmark suite, read from JSON (built-ins live in the harness resources under {@code suites/}; users
 * pass their own path). Field names are snake_case in the file.
 *
 * <pre>{@code
 * {
 *   "name": "quick", "description": "...",
 *   "models": ["mgdm", "lddm"], "presets": ["small"],
 *   "budget": {"minutes": 6},            // or {"steps": 2000}; per trained model
 *   "batch": 64, "lr": 0.0003, "data_seed": 4,   // lr optional: each preset's default (tiny 1e-3, others 3e-4)
 *   "warmup_steps": 500,                 // optional: linear learning-rate warm-up (default 0, MGDM's)
 *   "train_size": 20000,                 // optional: the first N training examples (default: the whole split)
 *   "checkpoint_every": 500,             // optional: steps between checkpoints (default 500; 0 = only at the end)
 *   "eval_every": 1000,                  // optional: a learning curve, evaluating every N steps (default: the end)
 *   "precision": "bf16",                 // optional: fp32 (default) or bf16 mixed precision, for every cell
 *   "dropout": 0.1,                      // optional: GPT-2 dropout in [0, 1) for every cell's training (default 0)
 *   "decoders": ["masked-only"], "decode_steps": [20],
 *   "ablations": ["latent-off", "latent-reset-5"],   // evaluated for models with a latent (LDDM)
 *   "runs": [ {"task": "countdown3", "seeds": [1, 2, 3],
 *              "eval": [{"task": "countdown3", "split": "test", "count": 500}]} ],
 *   "note": "..."                        // optional
 * }
 * }</pre>
 *
 * <p>A suite is checked completely when it is parsed or constructed, before anything runs: unknown or
 * mistyped fields (nested ones too), unknown model, preset, decoder, task, split and ablation names,
 * duplicates (models, presets, decoders, decode steps, ablations, a run's seeds or evaluations, a task and
 * seed in two runs), {@code decode_steps} below 1, an evaluation larger than its split or whose sequences do
 * not fit the model trained on the run's task, a {@code train_size} larger than the train split, ablations
 * without a model that has a latent. Each failure is one {@link IllegalArgumentException} naming the field
 * and the bad value.
 *
 * <p>{@code checkpoint_every} changes only where a suite's cells can resume from, not what they compute; its
 * default (500) is stored as absent, so a suite that spells the default out is the same suite as one that
 * omits it (and as the suites recorded in existing output directories). {@code precision} is stored the same
 * way: absent (or {@code "fp32"}) is float32, and only {@code "bf16"} appears in the canonical JSON. So is
 * {@code dropout}: absent (or 0) trains without dropout and is absent from the canonical JSON; a rate above 0
 * (MGDM trains with 0.1, {@link dev.lddm.model.graph.Dropout}) is passed to every cell's training.
 *
 * <p>{@code eval_every} (absent, or 0: only the trained model) also evaluates the checkpoints at every
 * multiple of N steps before the last, each with the suite's first decoder and first {@code decode_steps}
 * and no ablation: one leaderboard row per (cell, evaluation, checkpoint), a learning curve. It needs a
 * step budget larger than N, and N a multiple of the checkpoint interval (those checkpoints must exist).
 */
public record Suite(
    String name,
    String description,
    List<String> models,
    List<String> presets,
    Budget budget,
    int batch,
    Double lr,
    long dataSeed,
    Integer trainSize,
    Integer checkpointEvery,
    Integer evalEvery,
    Integer warmupSteps,
    String precision,
    Double dropout,
    List<String> decoders,
    List<Integer> decodeSteps,
    List<String> ablations,
    List<Run> runs,
    String note) {

  /** Known built-in suite names. */
  public static final List<String> BUILT_IN = List.of("quick", "cpu", "cpu-steps", "cpu-long", "paper", "sudoku");

  /** Steps between checkpoints inside a suite when {@code checkpoint_every} is absent. */
  public static final int DEFAULT_CHECKPOINT_EVERY = 500;

  /** A training budget: a step count or wall-clock minutes (exactly one > 0). */
  public record Budget(long steps, double minutes) {
    public Budget {
      if (steps < 0) {
        throw new IllegalArgumentException("budget.steps must be >= 0, got " + steps);
      }
      if (!(minutes >= 0) || Double.isInfinite(minutes)) {
        throw new IllegalArgumentException("budget.minutes must be >= 0, got " + minutes);
      }
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
      required(task, "runs[].task");
      seeds = nonEmpty(seeds, "runs[].seeds");
      eval = nonEmpty(eval, "runs[].eval");
    }
  }

  /** An evaluation: the first {@code count} instances of a task's split. */
  public record EvalSpec(String task, String split, int count) {
    public EvalSpec {
      required(task, "runs[].eval[].task");
      required(split, "runs[].eval[].split");
      if (count < 1) {
        throw new IllegalArgumentException("runs[].eval[].count must be >= 1, got " + count);
      }
    }
  }

  public Suite {
    required(name, "name");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("name must be letters, digits, '.', '_' or '-' (it names the output "
          + "directory runs/<name>), got '" + name + "'");
    }
    description = description == null ? "" : description;
    models = nonEmpty(models, "models");
    List<ModelKind> kinds = new ArrayList<>();
    for (String m : models) {
      kinds.add(named("models", () -> ModelKind.parse(m)));
    }
    unique(models, kinds, "models");
    presets = nonEmpty(presets, "presets");
    for (String p : presets) {
      if (!ModelConfig.presets().contains(p)) {
        throw new IllegalArgumentException("presets: Unknown preset '" + p + "'. Known: "
            + String.join(", ", ModelConfig.presets()));
      }
    }
    unique(presets, presets, "presets");
    required(budget, "budget");
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    if (lr != null && (!(lr > 0) || Double.isInfinite(lr))) {
      throw new IllegalArgumentException("lr must be > 0 (omit it for each preset's default), got " + lr);
    }
    if (warmupSteps != null && warmupSteps < 0) {
      throw new IllegalArgumentException("warmup_steps must be >= 0, got " + warmupSteps);
    }
    if (warmupSteps != null && warmupSteps == 0) {
      warmupSteps = null; // the default, stored as absent
    }
    if (warmupSteps != null && budget.steps() > 0 && warmupSteps >= budget.steps()) {
      throw new IllegalArgumentException("warmup_steps " + warmupSteps + " must be below budget.steps "
          + budget.steps());
    }
    if (trainSize != null && trainSize < 1) {
      throw new IllegalArgumentException("train_size must be >= 1 (omit it for the whole train split), got "
          + trainSize);
    }
    if (checkpointEvery != null && checkpointEvery < 0) {
      throw new IllegalArgumentException("checkpoint_every must be >= 0 (0 = only at the end), got "
          + checkpointEvery);
    }
    if (checkpointEvery != null && checkpointEvery == DEFAULT_CHECKPOINT_EVERY) {
      checkpointEvery = null; // the default: same suite, same canonical JSON as when it is omitted
    }
    if (evalEvery != null && evalEvery < 0) {
      throw new IllegalArgumentException("eval_every must be >= 0 (0 = only the trained model), got " + evalEvery);
    }
    if (evalEvery != null && evalEvery == 0) {
      evalEvery = null; // the default, stored as absent
    }
    if (evalEvery != null) {
      int every = checkpointEvery == null ? DEFAULT_CHECKPOINT_EVERY : checkpointEvery;
      if (budget.steps() == 0) {
        throw new IllegalArgumentException("eval_every " + evalEvery + " needs a step budget (budget.steps); a "
            + "wall-clock budget does not say which checkpoints exist");
      }
      if (evalEvery >= budget.steps()) {
        throw new IllegalArgumentException("eval_every " + evalEvery + " must be below budget.steps "
            + budget.steps() + " (the trained model is always evaluated)");
      }
      if (every == 0) {
        throw new IllegalArgumentException("eval_every " + evalEvery + " needs checkpoints, but checkpoint_every is 0 "
            + "(only at the end); drop checkpoint_every or set it to a divisor of " + evalEvery);
      }
      if (evalEvery % every != 0) {
        throw new IllegalArgumentException("eval_every " + evalEvery + " must be a multiple of checkpoint_every "
            + every + " (only checkpoints can be evaluated); set checkpoint_every to a divisor of it");
      }
    }
    if (precision != null) {
      String named = precision;
      Precision p = named("precision", () -> Precision.parse(named));
      precision = p == Precision.FP32 ? null : p.id(); // the default is stored as absent, like checkpoint_every
    }
    if (dropout != null) {
      if (!(dropout >= 0 && dropout < 1)) {
        throw new IllegalArgumentException("dropout must be in [0, 1) (omit it for none), got " + dropout);
      }
      dropout = dropout == 0 ? null : dropout; // the default is stored as absent, like precision
    }
    decoders = nonEmpty(decoders, "decoders");
    List<Decoder> parsedDecoders = new ArrayList<>();
    for (String d : decoders) {
      parsedDecoders.add(named("decoders", () -> Decoder.parse(d)));
    }
    unique(decoders, parsedDecoders, "decoders");
    decodeSteps = nonEmpty(decodeSteps, "decode_steps");
    for (int t : decodeSteps) {
      if (t < 1) {
        throw new IllegalArgumentException("decode_steps must be >= 1, got " + t);
      }
    }
    unique(decodeSteps, decodeSteps, "decode_steps");
    ablations = ablations == null ? List.of() : List.copyOf(ablations);
    for (String a : ablations) {
      if (!a.equals("latent-off") && !a.matches("latent-reset-[1-9][0-9]{0,5}")) {
        throw new IllegalArgumentException("ablations: unknown ablation '" + a
            + "'. Known: latent-off, latent-reset-K (K >= 1)");
      }
    }
    unique(ablations, ablations, "ablations");
    if (!ablations.isEmpty() && kinds.stream().noneMatch(ModelKind::hasLatent)) {
      throw new IllegalArgumentException("ablations " + ablations + " do nothing: no model of this suite has a "
          + "latent path (only lddm has); drop them or add lddm to models");
    }
    if (kinds.stream().allMatch(ModelKind::isAutoregressive) && (decoders.size() > 1 || decodeSteps.size() > 1)) {
      throw new IllegalArgumentException("decoders " + decoders + " and decode_steps " + decodeSteps
          + " do nothing for the autoregressive baseline (greedy decoding); list one of each");
    }
    runs = nonEmpty(runs, "runs");
    Map<String, String> cellsSeen = new HashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      checkRun(runs.get(i), "runs[" + i + "]", dataSeed, trainSize, cellsSeen);
    }
    note = note == null ? "" : note;
  }

  /** Steps between checkpoints of every cell: {@code checkpoint_every}, or {@value #DEFAULT_CHECKPOINT_EVERY}. */
  public int checkpointInterval() {
    return checkpointEvery == null ? DEFAULT_CHECKPOINT_EVERY : checkpointEvery;
  }

  /** The peak learning rate of a preset's cells: {@code lr}, or the preset's default. */
  public double learningRate(String preset) {
    return lr != null ? lr : ModelConfig.defaultLearningRate(preset);
  }

  /** Linear warm-up steps of every cell ({@code warmup_steps}, default 0). */
  public int warmupStepCount() {
    return warmupSteps == null ? 0 : warmupSteps;
  }

  /**
   * The training steps whose checkpoints a cell evaluates besides its last: the multiples of
   * {@code eval_every} below the step budget, ascending (empty without {@code eval_every}).
   */
  public List<Long> curveSteps() {
    List<Long> steps = new ArrayList<>();
    if (evalEvery != null) {
      for (long s = evalEvery; s < budget.steps(); s += evalEvery) {
        steps.add(s);
      }
    }
    return steps;
  }

  /** The precision every cell trains (and is evaluated) in: {@code precision}, or fp32. */
  public Precision modelPrecision() {
    return precision == null ? Precision.FP32 : Precision.parse(precision);
  }

  /** The dropout rate of every cell's training: {@code dropout}, or 0. */
  public double dropoutRate() {
    return dropout == null ? 0 : dropout;
  }

  private static void checkRun(Run run, String at, long dataSeed, Integer trainSize, Map<String, String> cellsSeen) {
    Task<?> trained = named(at + ".task", () -> TaskRegistry.get(run.task()));
    if (trainSize != null) {
      long size = trained.size(Split.TRAIN);
      if (trainSize > size) {
        throw new IllegalArgumentException("train_size " + trainSize + " exceeds the " + size + " examples of "
            + trained.name() + " train (" + at + ")");
      }
    }
    unique(run.seeds(), run.seeds(), at + ".seeds");
    for (long seed : run.seeds()) {
      String cell = trained.name() + " seed " + seed;
      String before = cellsSeen.putIfAbsent(cell, at);
      if (before != null) {
        throw new IllegalArgumentException(at + " repeats " + cell + " of " + before
            + " (the same cells twice); merge the two runs");
      }
    }
    List<String> evals = new ArrayList<>();
    for (int j = 0; j < run.eval().size(); j++) {
      EvalSpec e = run.eval().get(j);
      String ej = at + ".eval[" + j + "]";
      Task<?> task = named(ej + ".task", () -> TaskRegistry.get(e.task()));
      Split split = named(ej + ".split", () -> Split.parse(e.split()));
      if (task.sequenceLength() > trained.sequenceLength()) {
        throw new IllegalArgumentException(ej + ".task " + task.name() + " needs sequence length "
            + task.sequenceLength() + "; models trained on " + trained.name() + " have " + trained.sequenceLength());
      }
      long size = task.size(split);
      if (e.count() > size) {
        throw new IllegalArgumentException(ej + ".count " + e.count() + " exceeds the " + size + " examples of "
            + task.name() + " " + split.id());
      }
      evals.add(task.name() + "/" + split.id());
    }
    unique(evals, evals, at + ".eval");
  }

  /** Runs a registry lookup, prefixing its "Unknown ..." message with the field. */
  private static <T> T named(String field, Supplier<T> lookup) {
    try {
      return lookup.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  /** Fails on the first value whose key (e.g. the parsed name) occurs twice. */
  private static <T> void unique(List<T> written, List<?> keys, String field) {
    Set<Object> seen = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      if (!seen.add(keys.get(i))) {
        throw new IllegalArgumentException(field + " lists " + written.get(i) + " twice");
      }
    }
  }

  private static void required(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
  }

  private static <T> List<T> nonEmpty(List<T> list, String field) {
    if (list == null || list.isEmpty()) {
      throw new IllegalArgumentException("suite field '" + field + "' must be a non-empty list");
    }
    for (T item : list) {
      if (item == null) {
        throw new IllegalArgumentException("suite field '" + field + "' must not hold null");
      }
    }
    return List.copyOf(list);
  }

  private static final Gson GSON = new GsonBuilder()
      .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
      .create();

  /**
   * Parses a suite from JSON text; {@code origin} names the source in error messages. The JSON is checked
   * against the record's shape first (unknown fields, wrong types, at every depth), then Gson builds the
   * records through their canonical constructors, so every check above runs on parsed files too.
   *
   * @throws IllegalArgumentException {@code suite ORIGIN: <reason>}, one line
   */
  public static Suite parse(String json, String origin) {
    try {
      JsonElement tree = readJson(json);
      if (!tree.isJsonObject()) {
        throw new IllegalArgumentException("a suite is a JSON object {...}, got " + shortJson(tree));
      }
      checkShape(tree, Suite.class, "");
      return GSON.fromJson(tree, Suite.class);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && !(root instanceof IllegalArgumentException)) {
        root = root.getCause();
      }
      String reason = root instanceof IllegalArgumentException ? root.getMessage() : "not valid";
      throw new IllegalArgumentException("suite " + origin + ": " + reason, e);
    }
  }

  private static JsonElement readJson(String json) {
    try {
      JsonReader reader = new JsonReader(new StringReader(json));
      reader.setStrictness(Strictness.LEGACY_STRICT);
      JsonElement tree = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new JsonSyntaxException("trailing text");
      }
      return tree;
    } catch (JsonParseException | IOException | IllegalStateException e) {
      Matcher m = Pattern.compile("line (\\d+) column (\\d+)").matcher(String.valueOf(e.getMessage()));
      throw new IllegalArgumentException("not valid JSON" + (m.find() ? " (at line " + m.group(1) + " column "
          + m.group(2) + ")" : ""));
    }
  }

  /**
   * Checks a JSON value against the Java type it will become: unknown fields of records (a misspelt field
   * would otherwise be ignored silently), lists, strings and numbers (integers must be whole and in range),
   * naming the field by its path ({@code runs[0].eval[1].count}). JSON {@code null} counts as absent.
   */
  private static void checkShape(JsonElement e, Type type, String path) {
    if (e.isJsonNull()) {
      return;
    }
    Class<?> raw = type instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) type;
    String field = path.isEmpty() ? "the suite" : path;
    if (raw.isRecord()) {
      if (!e.isJsonObject()) {
        throw wrongType(field, "an object {...}", e);
      }
      String prefix = path.isEmpty() ? "" : path + ".";
      Map<String, RecordComponent> known = new TreeMap<>();
      for (RecordComponent c : raw.getRecordComponents()) {
        known.put(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES.translateName(fieldOf(raw, c.getName())), c);
      }
      for (var entry : e.getAsJsonObject().entrySet()) {
        RecordComponent c = known.get(entry.getKey());
        if (c == null) {
          throw new IllegalArgumentException("unknown field '" + prefix + entry.getKey() + "'. Known: "
              + String.join(", ", known.keySet()));
        }
        checkShape(entry.getValue(), c.getGenericType(), prefix + entry.getKey());
      }
      return;
    }
    if (raw == List.class) {
      if (!e.isJsonArray()) {
        throw wrongType(field, "a list [...]", e);
      }
      Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
      for (int i = 0; i < e.getAsJsonArray().size(); i++) {
        JsonElement item = e.getAsJsonArray().get(i);
        String at = field + "[" + i + "]";
        if (item.isJsonNull()) {
          throw wrongType(at, describe(element), item);
        }
        checkShape(item, element, at);
      }
      return;
    }
    if (raw == String.class) {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
        throw wrongType(field, "a string", e);
      }
      return;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw wrongType(field, describe(raw), e);
    }
    BigDecimal n;
    try {
      n = e.getAsBigDecimal();
    } catch (NumberFormatException ex) {
      throw wrongType(field, describe(raw), e);
    }
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
      boolean isInt = raw == int.class || raw == Integer.class;
      BigDecimal min = BigDecimal.valueOf(isInt ? Integer.MIN_VALUE : Long.MIN_VALUE);
      BigDecimal max = BigDecimal.valueOf(isInt ? Integer.MAX_VALUE : Long.MAX_VALUE);
      if (n.stripTrailingZeros().scale() > 0 || n.compareTo(min) < 0 || n.compareTo(max) > 0) {
        throw wrongType(field, describe(raw), e);
      }
    } else if (Double.isInfinite(n.doubleValue())) {
      throw wrongType(field, describe(raw), e);
    }
  }

  private static String describe(Type t) {
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
      return "a whole number";
    }
    if (t == double.class || t == Double.class) {
      return "a number";
    }
    if (t == String.class) {
      return "a string";
    }
    return t instanceof Class<?> c && c.isRecord() ? "an object {...}" : "a list [...]";
  }

  private static IllegalArgumentException wrongType(String field, String expected, JsonElement got) {
    return new IllegalArgumentException(field + " must be " + expected + ", got " + shortJson(got));
  }

  private static String shortJson(JsonElement e) {
    String s = e.toString();
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
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
    String text;
    try {
      text = Files.readString(p);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalArgumentException("suite " + p + ": not UTF-8 text (a suite is a JSON file)", e);
    } catch (IOException e) {
      throw new UserDataException("suite " + p + ": cannot read it (" + e.getMessage() + ")", e);
    }
    return parse(text, p.toString());
  }

  /** The canonical JSON of this suite (for config hashes and the suite's record in its output dir). */
  public String toJson() {
    return new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
        .setPrettyPrinting().create().toJson(this);
  }
}
