package dev.flin.bench.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The report as JSON: everything the Markdown shows ({@link ReportModel}: versions, settings, every
 * score with its error as a percentage and whether it is a headline row, latencies, footprints,
 * failures, the targets judged), followed by JMH's own results under {@code jmh}, as JMH wrote them.
 * {@link #read} turns it back into a model, which is how {@link CompareReports} judges two runs.
 *
 * <p>A number JMH could not compute (an error from one measurement) is written as {@code null}.
 * {@link #read} also takes the older reports, a bare array of JMH's results: their scores come
 * back, the rest (latencies, footprints, versions) does not.
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class ReportJson {

    /** The {@code format} of a report written by {@link #write}. */
    public static final String FORMAT = "flin-baseline-report";
    /** The version of that format. */
    public static final int VERSION = 2;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private ReportJson() {
    }

    /**
     * @param model   the report
     * @param jmhJson JMH's results, one JSON array ({@link JsonMerge#merge}); blank for none
     * @return the report as pretty-printed JSON
     * @throws IllegalArgumentException when {@code jmhJson} is not a JSON array
     */
    public static String write(final ReportModel model, final String jmhJson) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(jmhJson, "jmhJson");
        final ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("date", model.date().toString());
        root.put("start", model.start().toString());
        root.put("end", model.end().toString());
        final Environment env = model.environment();
        optional(root, "commit", env.commit());

        final ObjectNode versions = root.putObject("versions");
        versions.put("flin", env.versions().flin());
        versions.put("pekko", env.versions().pekko());
        versions.put("disruptor", env.versions().disruptor());
        versions.put("jmh", env.versions().jmh());
        versions.put("netty", env.versions().netty());
        versions.put("jdk", env.jdk().runtimeVersion());

        final ObjectNode machine = root.putObject("machine");
        machine.put("cores", env.machine().cores());
        if (env.machine().memoryBytes().isPresent()) {
            machine.put("memoryBytes", env.machine().memoryBytes().getAsLong());
        } else {
            machine.putNull("memoryBytes");
        }
        machine.put("cpuModel", env.machine().cpuModel());
        machine.put("osName", env.machine().osName());
        machine.put("osVersion", env.machine().osVersion());
        machine.put("osArch", env.machine().osArch());

        final ObjectNode state = root.putObject("machineState");
        number(state, "runStealPercent", env.machineState().runStealPercent().orElse(Double.NaN));
        final ArrayNode probes = state.putArray("calibrations");
        for (final MachineProbe.Calibration c : env.machineState().calibrations()) {
            final ObjectNode node = probes.addObject();
            node.put("when", c.when());
            node.put("at", c.at().toString());
            number(node, "roundTripNanos", c.roundTripNanos());
            number(node, "computeNanos", c.computeNanos());
            number(node, "parallelSpeedup", c.parallelSpeedup());
            number(node, "stealPercent", c.stealPercent().orElse(Double.NaN));
        }

        final ObjectNode jdk = root.putObject("jdk");
        jdk.put("vendor", env.jdk().vendor());
        jdk.put("vmName", env.jdk().vmName());
        jdk.put("runtimeVersion", env.jdk().runtimeVersion());
        jdk.put("feature", env.jdk().feature());
        jdk.put("javaHome", env.jdk().javaHome());

        final ObjectNode jvmArgs = root.putObject("jvmArgs");
        strings(jvmArgs.putArray("host"), env.hostJvmArgs());
        final ArrayNode forks = jvmArgs.putArray("forks");
        env.forkJvmArgs().forEach(args -> strings(forks.addArray(), args));
        strings(jvmArgs.putArray("footprint"), env.footprintJvmArgs());

        final RunSettings settings = model.settings();
        final ObjectNode run = root.putObject("settings");
        run.put("forks", settings.forks());
        run.put("warmupIterations", settings.warmupIterations());
        run.put("warmupSeconds", settings.warmupSeconds());
        run.put("iterations", settings.iterations());
        run.put("seconds", settings.seconds());
        run.put("timeoutSeconds", settings.timeoutSeconds());
        strings(run.putArray("profilers"), settings.profilers());
        optional(run, "include", settings.include());
        strings(run.putArray("systems"), settings.systems());
        strings(run.putArray("arguments"), settings.arguments());
        run.put("estimateSeconds", settings.estimate().toSeconds());

        final ArrayNode scenarios = root.putArray("scenarios");
        for (final Scenario scenario : model.scenarios()) {
            final ObjectNode node = scenarios.addObject();
            node.put("name", scenario.name());
            node.put("description", scenario.description());
            strings(node.putArray("systems"), scenario.systems());
            final ObjectNode other = node.putObject("otherParams");
            scenario.otherParams().forEach((k, v) -> strings(other.putArray(k), v));
        }

        final ArrayNode results = root.putArray("results");
        for (final ScenarioResult r : model.results()) {
            final ObjectNode node = results.addObject();
            node.put("benchmark", r.benchmark());
            params(node.putObject("params"), r.params());
            node.put("system", r.system());
            number(node, "score", r.score());
            number(node, "error", r.error());
            number(node, "errorPercent", r.errorPercent());
            node.put("unit", r.unit());
            node.put("higherIsBetter", r.higherIsBetter());
            number(node, "allocBytesPerOp", r.allocBytesPerOp().orElse(Double.NaN));
            final ArrayNode forkScores = node.putArray("forkScores");
            r.forkScores().forEach(forkScores::add);
            node.put("headline", Targets.isHeadline(r));
        }

        final ObjectNode errors = root.putObject("scoreErrors");
        errors.put("limitPercent", ScoreErrors.LIMIT_PERCENT);
        errors.put("headlineRows", model.results().stream().filter(Targets::isHeadline).count());
        final ArrayNode missing = errors.putArray("headlineRowsAtOrOverTheLimit");
        for (final ScenarioResult r : ScoreErrors.headlineRowsMissingTheLimit(model)) {
            final ObjectNode node = missing.addObject();
            node.put("benchmark", r.benchmark());
            params(node.putObject("params"), r.params());
            node.put("system", r.system());
            number(node, "errorPercent", r.errorPercent());
            node.put("why", ScoreErrors.why(r));
        }

        final ArrayNode latencies = root.putArray("latencies");
        for (final Latency l : model.latencies()) {
            final ObjectNode node = latencies.addObject();
            node.put("system", l.system());
            node.put("count", l.count());
            node.put("p50", l.p50());
            node.put("p90", l.p90());
            node.put("p99", l.p99());
            node.put("p999", l.p999());
            node.put("max", l.max());
            node.put("mean", l.mean());
        }

        final ArrayNode footprints = root.putArray("footprints");
        for (final Footprint f : model.footprints()) {
            final ObjectNode node = footprints.addObject();
            node.put("system", f.system());
            node.put("status", f.status().name());
            node.put("agents", f.agents());
            number(node, "bytesPerAgent", f.bytesPerAgent().orElse(Double.NaN));
            node.put("note", f.note());
        }

        final ArrayNode failures = root.putArray("failures");
        for (final Failure f : model.failures()) {
            final ObjectNode node = failures.addObject();
            node.put("benchmark", f.benchmark());
            params(node.putObject("params"), f.params());
            node.put("system", f.system());
            node.put("reason", f.reason());
        }
        strings(root.putArray("notes"), model.notes());

        final ArrayNode targets = root.putArray("targets");
        for (final Targets.Target target : Targets.evaluate(model)) {
            final ObjectNode node = targets.addObject();
            node.put("name", target.name());
            node.put("requirement", target.requirement());
            node.put("ratio", target.ratio());
            final ObjectNode cells = node.putObject("cells");
            target.cells().forEach((system, cell) -> {
                final ObjectNode c = cells.putObject(system);
                c.put("verdict", cell.verdict().name());
                c.put("measured", cell.measured());
                number(c, "value", cell.value().orElse(Double.NaN));
            });
        }

        final String jmh = jmhJson.strip();
        if (jmh.isEmpty()) {
            root.putArray("jmh");
        } else {
            final JsonNode array = parse(jmh);
            if (!array.isArray()) {
                throw new IllegalArgumentException("JMH's results are not a JSON array");
            }
            root.set("jmh", array);
        }
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    /**
     * @param json a report written by {@link #write}, or an older report (a bare array of JMH's results)
     * @return the model it holds
     * @throws IllegalArgumentException when it is neither
     */
    public static ReportModel read(final String json) {
        final JsonNode root = parse(Objects.requireNonNull(json, "json"));
        if (root.isArray()) {
            return fromJmh(root);
        }
        if (!root.isObject() || !FORMAT.equals(root.path("format").asString(""))) {
            throw new IllegalArgumentException("not a baseline report: no \"format\": \"" + FORMAT + "\"");
        }
        final int version = root.path("version").asInt(0);
        if (version != VERSION) {
            throw new IllegalArgumentException("baseline report format version " + version + ", this reads " + VERSION);
        }
        final JsonNode machine = root.path("machine");
        final JsonNode jdk = root.path("jdk");
        final JsonNode jvmArgs = root.path("jvmArgs");
        final JsonNode versions = root.path("versions");
        final Environment environment = new Environment(
                new Machine(machine.path("cores").asInt(0),
                        machine.path("memoryBytes").isNumber() ? OptionalLong.of(machine.path("memoryBytes").asLong())
                                : OptionalLong.empty(),
                        text(machine, "cpuModel"), text(machine, "osName"), text(machine, "osVersion"), text(machine, "osArch")),
                new Jdk(text(jdk, "vendor"), text(jdk, "vmName"), text(jdk, "runtimeVersion"), jdk.path("feature").asInt(0),
                        text(jdk, "javaHome")),
                strings(jvmArgs.path("host")), list(jvmArgs.path("forks"), ReportJson::strings),
                strings(jvmArgs.path("footprint")), optionalText(root, "commit"),
                new Versions(text(versions, "flin"), text(versions, "pekko"), text(versions, "disruptor"),
                        text(versions, "jmh"), text(versions, "netty")),
                machineState(root.path("machineState")));
        final JsonNode run = root.path("settings");
        final RunSettings settings = new RunSettings(run.path("warmupIterations").asInt(0), run.path("warmupSeconds").asInt(0),
                run.path("iterations").asInt(0), run.path("seconds").asInt(0), run.path("forks").asInt(0),
                run.path("timeoutSeconds").asInt(0), strings(run.path("profilers")), optionalText(run, "include"),
                strings(run.path("systems")), strings(run.path("arguments")),
                Duration.ofSeconds(run.path("estimateSeconds").asLong(0)));
        final List<Scenario> scenarios = list(root.path("scenarios"), node -> {
            final Map<String, List<String>> other = new LinkedHashMap<>();
            node.path("otherParams").properties().forEach(e -> other.put(e.getKey(), strings(e.getValue())));
            return new Scenario(text(node, "name"), text(node, "description"), strings(node.path("systems")), other);
        });
        final List<ScenarioResult> results = list(root.path("results"), node -> new ScenarioResult(text(node, "benchmark"),
                params(node.path("params")), text(node, "system"), number(node.path("score")), number(node.path("error")),
                text(node, "unit"), node.path("higherIsBetter").asBoolean(true), optionalNumber(node.path("allocBytesPerOp")),
                list(node.path("forkScores"), ReportJson::number)));
        final List<Latency> latencies = list(root.path("latencies"), node -> new Latency(text(node, "system"),
                node.path("count").asLong(), node.path("p50").asLong(), node.path("p90").asLong(), node.path("p99").asLong(),
                node.path("p999").asLong(), node.path("max").asLong(), node.path("mean").asLong()));
        final List<Footprint> footprints = list(root.path("footprints"), node -> new Footprint(text(node, "system"),
                Footprint.Status.valueOf(text(node, "status").toUpperCase(Locale.ROOT)), node.path("agents").asInt(0),
                optionalNumber(node.path("bytesPerAgent")), text(node, "note")));
        final List<Failure> failures = list(root.path("failures"), node -> new Failure(text(node, "benchmark"),
                params(node.path("params")), text(node, "system"), text(node, "reason")));
        return new ReportModel(LocalDate.parse(text(root, "date")), environment, settings, Instant.parse(text(root, "start")),
                Instant.parse(text(root, "end")), scenarios, results, failures, latencies, footprints,
                strings(root.path("notes")));
    }

    /** An older report: JMH's results only. */
    /** @return the probes recorded; unmeasured for reports written before the probe existed */
    private static MachineState machineState(final JsonNode state) {
        if (!state.isObject()) {
            return MachineState.unmeasured();
        }
        return new MachineState(list(state.path("calibrations"), node -> new MachineProbe.Calibration(text(node, "when"),
                Instant.parse(text(node, "at")), number(node.path("roundTripNanos")), number(node.path("computeNanos")),
                number(node.path("parallelSpeedup")), optionalNumber(node.path("stealPercent")))),
                optionalNumber(state.path("runStealPercent")));
    }

    private static ReportModel fromJmh(final JsonNode array) {
        final List<ScenarioResult> results = new ArrayList<>();
        final Map<String, List<String>> systems = new LinkedHashMap<>();
        String jdkVersion = Versions.UNKNOWN;
        String jmhVersion = Versions.UNKNOWN;
        for (final JsonNode node : array.values()) {
            final Map<String, String> params = params(node.path("params"));
            final String system = params.remove(JmhResults.SYSTEM_PARAM);
            if (system == null) {
                continue;
            }
            final String benchmark = JmhResults.scenarioName(text(node, "benchmark"));
            final JsonNode primary = node.path("primaryMetric");
            final List<Double> forkScores = new ArrayList<>();
            for (final JsonNode fork : primary.path("rawData").values()) {
                forkScores.add(fork.values().stream().mapToDouble(ReportJson::number).average().orElse(Double.NaN));
            }
            final JsonNode alloc = node.path("secondaryMetrics").path(JmhResults.ALLOC_NORM).path("score");
            results.add(new ScenarioResult(benchmark, params, system, number(primary.path("score")),
                    number(primary.path("scoreError")), text(primary, "scoreUnit"), "thrpt".equals(text(node, "mode")),
                    optionalNumber(alloc), forkScores));
            final List<String> seen = systems.computeIfAbsent(benchmark, b -> new ArrayList<>());
            if (!seen.contains(system)) {
                seen.add(system);
            }
            jdkVersion = text(node, "vmVersion");
            jmhVersion = text(node, "jmhVersion");
        }
        final List<Scenario> scenarios = new ArrayList<>();
        systems.forEach((name, ids) -> scenarios.add(Scenario.of(name, name, ids)));
        final Environment environment = new Environment(
                new Machine(0, OptionalLong.empty(), Versions.UNKNOWN, Versions.UNKNOWN, Versions.UNKNOWN, Versions.UNKNOWN),
                new Jdk(Versions.UNKNOWN, Versions.UNKNOWN, jdkVersion, 0, Versions.UNKNOWN), List.of(), List.of(), List.of(),
                Optional.empty(), new Versions(Versions.UNKNOWN, Versions.UNKNOWN, Versions.UNKNOWN, jmhVersion, Versions.UNKNOWN));
        final RunSettings settings = new RunSettings(0, 0, 0, 0, 0, 0, List.of(), Optional.empty(), List.of(), List.of(),
                Duration.ZERO);
        return new ReportModel(LocalDate.EPOCH, environment, settings, Instant.EPOCH, Instant.EPOCH, scenarios, results,
                List.of(), List.of(), List.of(), List.of("an older report: JMH's results only"));
    }

    private static JsonNode parse(final String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void optional(final ObjectNode node, final String name, final Optional<String> value) {
        if (value.isPresent()) {
            node.put(name, value.get());
        } else {
            node.putNull(name);
        }
    }

    private static void number(final ObjectNode node, final String name, final double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(name);
        } else {
            node.put(name, value);
        }
    }

    private static void strings(final ArrayNode array, final List<String> values) {
        values.forEach(array::add);
    }

    private static void params(final ObjectNode node, final Map<String, String> params) {
        new TreeMap<>(params).forEach(node::put);
    }

    private static String text(final JsonNode node, final String name) {
        final JsonNode value = node.path(name);
        return value.isString() ? value.asString() : value.isNumber() || value.isBoolean() ? value.asString() : "";
    }

    private static Optional<String> optionalText(final JsonNode node, final String name) {
        final JsonNode value = node.path(name);
        return value.isString() ? Optional.of(value.asString()) : Optional.empty();
    }

    /** A JSON number; JMH writes {@code "NaN"} as a string; {@code null} or anything else is NaN. */
    private static double number(final JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isString()) {
            try {
                return Double.parseDouble(node.asString());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static OptionalDouble optionalNumber(final JsonNode node) {
        final double value = number(node);
        return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    private static List<String> strings(final JsonNode array) {
        return list(array, JsonNode::asString);
    }

    private static Map<String, String> params(final JsonNode object) {
        final Map<String, String> params = new TreeMap<>();
        object.properties().forEach(e -> params.put(e.getKey(), e.getValue().asString()));
        return params;
    }

    private static <T> List<T> list(final JsonNode array, final Function<JsonNode, T> element) {
        final List<T> list = new ArrayList<>();
        for (final JsonNode node : array.values()) {
            list.add(element.apply(node));
        }
        return list;
    }
}
