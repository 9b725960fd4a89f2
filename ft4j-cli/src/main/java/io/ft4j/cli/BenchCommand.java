package io.ft4j.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ft4j bench}: a curated, time-boxed set of ft4j's JMH benchmarks against their anchors, run on this machine.
 *
 * <p>Each area runs in a child JVM ({@code io.ft4j.bench.Ratios} from the benchmarks jar, which pairs every
 * {@code ft4j_<op>} with its {@code anchor*_<op>} measured in the same run); this command follows the child's JMH
 * progress for the bar and ETA, then prints a table per area and writes {@code results.json} and one SVG per area
 * (ratio against threads) to a results folder.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run ft4j's benchmarks against their anchors on this machine: tables, JSON, SVG charts.")
final class BenchCommand implements Callable<Integer> {
    /** One area: its name, what it compares, and the JMH include patterns of its quick and full runs. */
    record Area(String name, String title, String quick, String full) {}

    static final List<Area> AREAS = List.of(
            new Area("atomics", "PaddedAtomicLong vs AtomicLong",
                    "\\.PaddedAtomicLongBench\\.(ft4j|anchor)_(incrementAndGet|getAndAdd)$", "\\.PaddedAtomicLongBench\\."),
            new Area("dict", "ConcurrentDict vs ConcurrentHashMap",
                    "\\.ConcurrentDictBench\\.(ft4j|anchor)_getPut90$", "\\.ConcurrentDictBench\\."),
            new Area("queues", "ConcurrentQueue vs ArrayBlockingQueue",
                    "\\.QueueBench\\.(ft4j|anchorAbq)_offerPoll$", "\\.QueueBench\\."),
            new Area("batch", "BatchExecutor vs a locked source",
                    "\\.BatchExecutorBench\\.(ft4j|anchor)_load$", "\\.BatchExecutorBench\\."),
            new Area("locks", "ReaderWriterLock vs StampedLock; IntervalLock vs ReentrantLock",
                    "\\.LockBench\\.(ft4j|anchorStamped)_rw95$|\\.LockBench\\.(ft4j|anchorReentrant)_uncontendedInterval$",
                    "\\.LockBench\\."),
            new Area("priority", "PriorityLock vs fair ReentrantLock",
                    "\\.PriorityLockBench\\.(ft4j|anchorFair)_sharedPriority$", "\\.PriorityLockBench\\.(ft4j|anchor)"));

    @Option(names = "--quick", description = "one fork, short iterations: a few minutes for every area")
    boolean quick;

    @Option(names = {"-a", "--area"}, split = ",", paramLabel = "AREA",
            description = "areas to run (default: all): atomics, dict, queues, batch, locks, priority")
    List<String> areas;

    @Option(names = {"-b", "--bench"}, paramLabel = "REGEX",
            description = "only the benchmarks of the chosen areas whose name matches, e.g. uncontended or 'rw95|read100'")
    String bench;

    @Option(names = {"-t", "--threads"}, split = ",", paramLabel = "N",
            description = "thread counts (default: 1, 2, 4, ... up to 2 x CPUs)")
    int[] threads;

    @Option(names = "--out", paramLabel = "DIR",
            description = "results folder (default: ft4j-bench-results/<date-time>)")
    Path out;

    @Option(names = "--jar", paramLabel = "JAR",
            description = "the benchmarks jar (default: ft4j-bench/target/benchmarks.jar, built by ./ft4j)")
    Path jar;

    @Spec
    CommandSpec spec;

    /** One row of Ratios' JSON: an ft4j benchmark against one anchor at one thread count. */
    static final class Row {
        String bench;
        String op;
        int threads;
        double score;
        Double error;
        String unit;
        String anchor;
        Double anchorScore;
        Double anchorError;
        Double ratio;
        Double ratioError;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<Area> chosen = choose();
        if (bench != null) {
            try {
                java.util.regex.Pattern.compile(bench);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new ParameterException(spec.commandLine(), "--bench: " + bench + " is not a regular expression ("
                        + e.getDescription() + ")");
            }
        }
        int[] counts = threads != null ? threads : defaultThreads(Runtime.getRuntime().availableProcessors());
        for (int t : counts) {
            if (t < 1 || t > 1024) {
                throw new ParameterException(spec.commandLine(), "--threads: " + t + " (expected: 1..1024)");
            }
        }
        Path benchmarks = jar != null ? jar : Path.of(System.getProperty("ft4j.benchmarks",
                "ft4j-bench/target/benchmarks.jar"));
        if (!Files.isRegularFile(benchmarks)) {
            throw new ParameterException(spec.commandLine(), "--jar: no benchmarks jar at " + benchmarks
                    + " (build it with: mvn -B package -DskipTests -pl ft4j-bench -am, or run ./ft4j bench)");
        }
        Path dir = out != null ? out : Path.of("ft4j-bench-results",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> machine = Machine.describe();
        o.printf("Machine: %s%n", Machine.line(machine));
        o.printf("Mode: %s; threads %s; areas %s%n", quick ? "quick (1 fork, 2+5 x 0.25 s)" : "full (3 forks, 3+5 x 1 s)",
                join(counts), chosen.stream().map(Area::name).toList());

        Progress progress = new Progress(err);
        Map<Area, List<String>> planned = new LinkedHashMap<>();
        java.util.regex.Pattern only = bench == null ? null : java.util.regex.Pattern.compile(bench);
        for (Area a : chosen) {
            List<String> names = listBenchmarks(benchmarks, areaPattern(a)).stream()
                    .filter(n -> only == null || only.matcher(n.substring(n.lastIndexOf('.') + 1)).find()).toList();
            if (!names.isEmpty()) {
                planned.put(a, names);
            }
        }
        if (planned.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no benchmark matches --area " + chosen.stream()
                    .map(Area::name).toList() + (bench != null ? " and --bench " + bench : ""));
        }
        chosen = List.copyOf(planned.keySet());
        progress.plan(planned.values().stream().mapToInt(List::size).sum() * counts.length * (quick ? 1 : 3));
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("machine", machine);
        results.put("mode", quick ? "quick" : "full");
        Map<String, List<Row>> byArea = new LinkedHashMap<>();
        for (Area a : chosen) {
            Path json = dir.resolve(a.name() + ".rows.json");
            Path log = dir.resolve(a.name() + ".log");
            int rc = runArea(benchmarks, a, exactly(planned.get(a)), counts, json, log, progress);
            if (rc != 0) {
                progress.done();
                err.printf("ft4j: the %s benchmarks failed (exit %d); the end of %s:%n", a.name(), rc, log);
                Files.readAllLines(log).stream().skip(Math.max(0, Files.readAllLines(log).size() - 15))
                        .forEach(err::println);
                return 1;
            }
            byArea.put(a.name(), readRows(json));
        }
        progress.done();
        for (Area a : chosen) {
            List<Row> rows = byArea.get(a.name());
            o.printf("%n%s: %s%n", a.name(), a.title());
            o.print(table(rows));
            Files.writeString(dir.resolve(a.name() + ".svg"), chart(a, rows));
        }
        results.put("areas", byArea);
        Path all = dir.resolve("results.json");
        Files.writeString(all, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                .toJson(results));
        o.printf("%nRatio = ft4j's speed / the anchor's, measured in the same run (> 1: ft4j faster); the error spans "
                + "both scores' 99.9%% intervals.%nResults: %s (JSON), one SVG per area, JMH logs: %s%n", all, dir);
        return 0;
    }

    private List<Area> choose() {
        if (areas == null || areas.isEmpty()) {
            return AREAS;
        }
        List<Area> chosen = new ArrayList<>();
        for (String name : areas) {
            Area a = AREAS.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() ->
                    new ParameterException(spec.commandLine(), "--area: " + name + " (expected one of: "
                            + String.join(", ", AREAS.stream().map(Area::name).toList()) + ")"));
            chosen.add(a);
        }
        return chosen;
    }

    /** 1, 2, 4, ... up to 2 x CPUs, and 2 x CPUs itself. */
    static int[] defaultThreads(int cpus) {
        List<Integer> t = new ArrayList<>();
        for (int n = 1; n <= 2 * cpus; n *= 2) {
            t.add(n);
        }
        if (t.get(t.size() - 1) != 2 * cpus) {
            t.add(2 * cpus);
        }
        return t.stream().mapToInt(Integer::intValue).toArray();
    }

    private String areaPattern(Area a) {
        return quick ? a.quick() : a.full();
    }

    /** An include pattern naming exactly the given benchmarks, for JMH, which finds it in each name. */
    static String exactly(List<String> names) {
        return "^(?:" + String.join("|", names.stream().map(java.util.regex.Pattern::quote).toList()) + ")$";
    }

    /** The full names of the benchmarks in the jar that match {@code regex} (JMH's -l). */
    private List<String> listBenchmarks(Path jar, String regex) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Machine.javaBinary(), "-cp", jar.toString(), "org.openjdk.jmh.Main", "-l", regex)
                .redirectErrorStream(true).start();
        List<String> names = new ArrayList<>();
        List<String> all = new ArrayList<>();
        try (BufferedReader r = p.inputReader(StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                all.add(line);
                if (line.startsWith("io.ft4j.bench.")) {
                    names.add(line.strip());
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new ParameterException(spec.commandLine(), "--jar: " + jar + " could not list its benchmarks: "
                    + String.join(" ", all.subList(Math.max(0, all.size() - 3), all.size())));
        }
        return names;
    }

    /** Runs one area's Ratios in a child JVM, logging its output and counting its forks for the progress bar. */
    private int runArea(Path jar, Area a, String include, int[] counts, Path json, Path log, Progress progress)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Machine.javaBinary(), "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED", "-cp", jar.toString(), "io.ft4j.bench.Ratios", include,
                "-t", join(counts), "--json", json.toString()));
        cmd.addAll(quick ? List.of("-f", "1", "-wi", "2", "-i", "5", "-r", "250ms")
                : List.of("-f", "3", "-wi", "3", "-i", "5", "-r", "1"));
        progress.area(a.name());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
            for (String line; (line = r.readLine()) != null; ) {
                w.println(line);
                if (line.startsWith("# Fork: ")) {
                    progress.step();
                }
            }
        }
        return p.waitFor();
    }

    /** Reads Ratios' rows: one per workload, anchor and thread count JMH really ran. */
    static List<Row> readRows(Path json) throws IOException {
        return new Gson().fromJson(Files.readString(json), new TypeToken<List<Row>>() { }.getType());
    }

    /** The area's rows as a text table: workload, threads, ft4j, anchor, ratio and its error. */
    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "  %-36s %7s %22s  %-46s %7s %8s%n", "workload", "threads",
                "ft4j", "anchor", "ratio", "error"));
        for (Row r : rows) {
            String anchor = r.anchor == null ? "(none)" : String.format(Locale.ROOT, "%s %.2f", r.anchor,
                    r.anchorScore);
            String ratio = r.ratio == null ? "" : String.format(Locale.ROOT, "%.2f", r.ratio);
            String error = r.ratio == null ? "" : r.ratioError == null ? "± ?"
                    : String.format(Locale.ROOT, "± %.2f", r.ratioError);
            sb.append(String.format(Locale.ROOT, "  %-36s %7d %12.2f %-9s  %-46s %7s %8s%n", r.bench + "." + r.op,
                    r.threads, r.score, r.unit, anchor, ratio, error));
        }
        return sb.toString();
    }

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    /** Ratio against threads, one line per workload and anchor, with the parity line at 1. */
    static String chart(Area a, List<Row> rows) {
        Map<String, List<Row>> series = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.ratio != null) {
                series.computeIfAbsent(r.op + " vs " + r.anchor, k -> new ArrayList<>()).add(r);
            }
        }
        SvgChart chart = new SvgChart(a.name() + ": ft4j / anchor speed (> 1: ft4j faster)", "threads", "ratio",
                false);
        int i = 0;
        double maxThreads = 1;
        for (Map.Entry<String, List<Row>> e : series.entrySet()) {
            List<Row> rs = e.getValue().stream().sorted(java.util.Comparator.comparingInt(r -> r.threads)).toList();
            chart.add(new SvgChart.Series(e.getKey(), COLORS[i++ % COLORS.length], null,
                    rs.stream().mapToDouble(r -> r.threads).toArray(), rs.stream().mapToDouble(r -> r.ratio).toArray()));
            maxThreads = Math.max(maxThreads, rs.stream().mapToDouble(r -> r.threads).max().orElse(1));
        }
        chart.add(new SvgChart.Series("parity", "#999", "4,4", new double[] {1, maxThreads}, new double[] {1, 1}));
        return chart.render();
    }

    private static String join(int[] counts) {
        return String.join(",", IntStream.of(counts).mapToObj(Integer::toString).toList());
    }

    /** A one-line progress bar with an ETA from the pace so far, redrawn in place on the error stream. */
    static final class Progress {
        private final PrintWriter err;
        private final long start = System.nanoTime();
        private int total;
        private int done;
        private String area = "";

        Progress(PrintWriter err) {
            this.err = err;
        }

        void plan(int forks) {
            total = Math.max(1, forks);
        }

        void area(String name) {
            area = name;
            draw();
        }

        void step() {
            done++;
            draw();
        }

        private void draw() {
            int shown = Math.min(done, total);
            int width = 30;
            int filled = width * shown / total;
            double elapsed = (System.nanoTime() - start) / 1e9;
            String eta = shown <= 1 ? "--:--" : clock(elapsed / (shown - 1) * (total - shown + 1));
            err.printf(Locale.ROOT, "\r[%s%s] %3d%%  %-9s elapsed %s  ETA %s ", "#".repeat(filled),
                    ".".repeat(width - filled), 100 * shown / total, area, clock(elapsed), eta);
            err.flush();
        }

        void done() {
            err.println();
            err.flush();
        }

        private static String clock(double seconds) {
            long s = Math.max(0, Math.round(seconds));
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
    }
}
