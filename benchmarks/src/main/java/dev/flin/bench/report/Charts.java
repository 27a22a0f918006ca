package dev.flin.bench.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Writes a {@link ReportModel}'s charts as PNG files with XChart: one bar chart per scenario (one
 * bar per system, JMH's score error as error bars; scenarios with other parameters, such as
 * {@code ManyToOneTell}'s producers, get one group of bars per parameter value), and the
 * ping-pong latency percentiles per system.
 *
 * <p>Needs a headless-capable AWT: set {@code java.awt.headless=true} before the first call.
 * Stateless; safe to call from any thread (each call writes its own files).
 */
public final class Charts {

    /** The file name of the ping-pong latency chart. */
    public static final String LATENCY_FILE = "PingPong-latency.png";

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;

    private Charts() {
    }

    /**
     * @param scenario a scenario's name
     * @return the file name of its chart
     */
    public static String scenarioFile(final String scenario) {
        return Objects.requireNonNull(scenario, "scenario") + ".png";
    }

    /**
     * Writes one chart per scenario that has at least one score, and the latency chart when there
     * are latencies.
     *
     * @param model the report
     * @param dir   the directory to write into; created if needed
     * @return the files written
     * @throws IOException when a file cannot be written
     */
    public static List<Path> write(final ReportModel model, final Path dir) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dir, "dir");
        Files.createDirectories(dir);
        final List<Path> written = new ArrayList<>();
        for (final Scenario scenario : model.scenarios()) {
            final Optional<CategoryChart> chart = scenarioChart(model, scenario);
            if (chart.isPresent()) {
                written.add(save(chart.get(), dir.resolve(scenarioFile(scenario.name()))));
            }
        }
        final Optional<CategoryChart> latency = latencyChart(model);
        if (latency.isPresent()) {
            written.add(save(latency.get(), dir.resolve(LATENCY_FILE)));
        }
        return written;
    }

    /**
     * @param model    the report
     * @param scenario one of its scenarios
     * @return its bar chart, or empty when it has no score
     */
    static Optional<CategoryChart> scenarioChart(final ReportModel model, final Scenario scenario) {
        final List<ScenarioResult> results = model.results(scenario.name());
        if (results.isEmpty()) {
            return Optional.empty();
        }
        final ScenarioResult first = results.get(0);
        final List<String> systems = new ArrayList<>();
        scenario.systems().stream().filter(s -> results.stream().anyMatch(r -> r.system().equals(s))).forEach(systems::add);
        results.stream().map(ScenarioResult::system).filter(s -> !systems.contains(s)).forEach(systems::add);

        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(scenario.name() + " (" + (first.higherIsBetter() ? "higher" : "lower") + " is better)")
                .xAxisTitle("system").yAxisTitle(first.unit()).build();
        style(chart);
        final List<Map<String, String>> groups = scenario.paramCombinations();
        chart.getStyler().setLegendVisible(groups.size() > 1);
        final double max = results.stream().mapToDouble(ScenarioResult::score).max().orElse(0);
        chart.getStyler().setYAxisDecimalPattern(max >= 100 ? "#,##0" : "#,##0.###");
        for (final Map<String, String> params : groups) {
            final List<Double> scores = new ArrayList<>();
            final List<Double> errors = new ArrayList<>();
            boolean any = false;
            for (final String system : systems) {
                final Optional<ScenarioResult> r = model.result(scenario.name(), params, system);
                // XChart needs a value per category (null fails with error bars): a missing score is a zero-height bar.
                scores.add(r.map(ScenarioResult::score).orElse(0.0));
                errors.add(r.map(x -> Double.isNaN(x.error()) ? 0.0 : x.error()).orElse(0.0));
                any |= r.isPresent();
            }
            if (any) {
                chart.addSeries(params.isEmpty() ? "score" : Format.params(params), systems, scores, errors);
            }
        }
        return chart.getSeriesMap().isEmpty() ? Optional.empty() : Optional.of(chart);
    }

    /**
     * @param model the report
     * @return the p50 / p99 / p99.9 chart, or empty when there are no latencies
     */
    static Optional<CategoryChart> latencyChart(final ReportModel model) {
        if (model.latencies().isEmpty()) {
            return Optional.empty();
        }
        final List<String> systems = model.latencies().stream().map(Latency::system).toList();
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("PingPong round-trip latency (lower is better)").xAxisTitle("system")
                .yAxisTitle("µs (log scale)").build();
        style(chart);
        final List<Double> p50 = micros(model, Latency::p50);
        chart.addSeries("p50", systems, p50);
        chart.addSeries("p99", systems, micros(model, Latency::p99));
        chart.addSeries("p99.9", systems, micros(model, Latency::p999));
        // Bars start at the axis minimum, which XChart puts at 0 unless told: a log axis needs a positive one.
        final double smallest = p50.stream().mapToDouble(Double::doubleValue).min().orElse(1);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
        return Optional.of(chart);
    }

    private static List<Double> micros(final ReportModel model, final java.util.function.ToLongFunction<Latency> value) {
        // A log axis cannot show 0: clamp to the histogram's resolution, 1 ns.
        return model.latencies().stream().map(l -> Math.max(1, value.applyAsLong(l)) / 1_000.0).toList();
    }

    private static void style(final CategoryChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setErrorBarsColor(java.awt.Color.BLACK);
        chart.getStyler().setErrorBarsColorSeriesColor(false);
    }

    private static Path save(final CategoryChart chart, final Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return file;
    }
}
