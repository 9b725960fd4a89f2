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
import org.jfree.chart.JFreeChart;
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
 * progress for the bar and ETA, then prints a table per area and writes {@code results.json} and one SVG chart per
 * area (ratio against threads, with error bars and the parity line) to a results folder. A ratio whose error spans 1.0
 * is marked "no difference" in both.
 *
 * <p>The {@code ./ft4j} launcher answers {@code ./ft4j bench --help} itself, without building, from a copy of this
 * command's usage text; {@code Ft4jTest} keeps the two equal.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run ft4j's benchmarks against their anchors on this machine: tables, JSON, SVG charts.")
final class BenchCommand implements Callable<Integer> {
    /**
     * One area: its name, what it compares, the JMH include patterns of its quick and full runs, and the thread counts
     * it runs at when --threads is not given (null: the run's default counts).
     */
    record Area(String name, String title, String quick, String full, int[] threads) {}

    static final List<Area> AREAS = List.of(
            new Area("atomics", "PaddedAtomicLong vs AtomicLong, one counter shared by every thread",
                    "\\.PaddedAtomicLongBench\\.(ft4j|anchor)_(incrementAndGet|getAndAdd)$", "\\.PaddedAtomicLongBench\\.",
                    null),
            new Area("falsesharing", "PaddedAtomicLong vs adjacent longs, a counter per thread (false sharing)",
                    "\\.FalseSharingBench\\.(ft4j|anchor)_neighbours$", "\\.FalseSharingBench\\.", new int[] {2}),
            new Area("dict", "ConcurrentDict vs ConcurrentHashMap",
                    "\\.ConcurrentDictBench\\.(ft4j|anchor)_getPut90$", "\\.ConcurrentDictBench\\.", null),
            new Area("queues", "ConcurrentQueue vs ArrayBlockingQueue",
                    "\\.QueueBench\\.(ft4j|anchorAbq)_offerPoll$", "\\.QueueBench\\.", null),
            new Area("batch", "BatchExecutor vs a locked source",
                    "\\.BatchExecutorBench\\.(ft4j|anchor)_load$", "\\.BatchExecutorBench\\.", null),
            new Area("locks", "ReaderWriterLock vs StampedLock; IntervalLock vs ReentrantLock",
                    "\\.LockBench\\.(ft4j|anchorStamped)_rw95$|\\.LockBench\\.(ft4j|anchorReentrant)_uncontendedInterval$",
                    "\\.LockBench\\.", null),
            new Area("lockorder", "lock-order checking vs Guava's CycleDetectingLockFactory, 1 thread",
                    "\\.LockOrderBench\\.(ft4j|anchorGuava)_checkedReentrant$", "\\.LockOrderBench\\.", new int[] {1}),
            new Area("priority", "PriorityLock vs fair ReentrantLock",
                    "\\.PriorityLockBench\\.(ft4j|anchorFair)_sharedPriority$", "\\.PriorityLockBench\\.(ft4j|anchor)",
                    null),
            new Area("threads", "thread control (FFM) vs OpenHFT Java-Thread-Affinity (JNA), 1 thread",
                    "\\.ThreadControlBench\\.(ft4j|anchor)_(currentCpu|getAffinity)$", "\\.ThreadControlBench\\.",
                    new int[] {1}));

    /**
     * What the benchmarks measure, in words, keyed by class and JMH name: an ft4j operation ({@code Bench.op}), an
     * anchor ({@code Bench.anchorX_op}), or every anchor of a class with that prefix ({@code Bench.anchorX}).
     */
    static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("PaddedAtomicLongBench.incrementAndGet", "incrementAndGet"),
            Map.entry("PaddedAtomicLongBench.getAndAdd", "getAndAdd"),
            Map.entry("PaddedAtomicLongBench.getAndBitwiseOr", "getAndBitwiseOr"),
            Map.entry("PaddedAtomicLongBench.mul", "getAndMultiply (CAS loop)"),
            Map.entry("PaddedAtomicLongBench.floorDiv", "getAndFloorDiv (CAS loop)"),
            Map.entry("PaddedAtomicLongBench.anchor", "AtomicLong"),
            Map.entry("PaddedAtomicLongBench.anchor_getAndBitwiseOr", "AtomicLong.getAndAccumulate"),
            Map.entry("PaddedAtomicLongBench.anchor_mul", "AtomicLong.getAndAccumulate"),
            Map.entry("PaddedAtomicLongBench.anchor_floorDiv", "AtomicLong.getAndAccumulate"),
            Map.entry("PaddedAtomicLongBench.anchorVarHandle", "VarHandle.getAndBitwiseOr"),
            Map.entry("FalseSharingBench.neighbours", "2 padded counters, 1 per thread"),
            Map.entry("FalseSharingBench.anchor", "2 adjacent volatile longs"),
            Map.entry("ConcurrentDictBench.getOnly", "ConcurrentDict, gets only"),
            Map.entry("ConcurrentDictBench.getPut90", "ConcurrentDict, 90% gets, 10% puts"),
            Map.entry("ConcurrentDictBench.privateKeys", "ConcurrentDict, each thread its own keys"),
            Map.entry("ConcurrentDictBench.insertRandom", "ConcurrentDict, inserts of random keys"),
            Map.entry("ConcurrentDictBench.anchor", "ConcurrentHashMap"),
            Map.entry("ConcurrentDictBench.anchorNbhm", "NonBlockingHashMap (JCTools)"),
            Map.entry("QueueBench.offerPoll", "ConcurrentQueue offer/poll"),
            Map.entry("QueueBench.putTake", "ConcurrentQueue put/take"),
            Map.entry("QueueBench.deque", "ConcurrentDeque offerLast/pollFirst"),
            Map.entry("QueueBench.dequePutTake", "ConcurrentDeque put/take, bounded"),
            Map.entry("QueueBench.anchorJctools", "MpmcArrayQueue (JCTools)"),
            Map.entry("QueueBench.anchorAbq", "ArrayBlockingQueue"),
            Map.entry("QueueBench.anchorLtq", "LinkedTransferQueue"),
            Map.entry("QueueBench.anchor_putTake", "LinkedBlockingQueue"),
            Map.entry("QueueBench.anchor_deque", "ConcurrentLinkedDeque"),
            Map.entry("QueueBench.anchorLbd", "LinkedBlockingDeque"),
            Map.entry("QueueBench.anchor_dequePutTake", "LinkedBlockingDeque"),
            Map.entry("BatchExecutorBench.load", "BatchExecutor.load, batches of 64"),
            Map.entry("BatchExecutorBench.anchor", "the source behind a ReentrantLock"),
            Map.entry("LockBench.read100", "ReaderWriterLock, reads only"),
            Map.entry("LockBench.rw95", "ReaderWriterLock, 95% reads"),
            Map.entry("LockBench.rw99", "ReaderWriterLock, 99% reads"),
            Map.entry("LockBench.write100", "ReaderWriterLock, writes only"),
            Map.entry("LockBench.optimistic95", "ReaderWriterLock, 95% optimistic reads"),
            Map.entry("LockBench.rw50", "ReaderWriterLock, 50% reads"),
            Map.entry("LockBench.uncontendedWrite", "ReaderWriterLock write, uncontended"),
            Map.entry("LockBench.uncontendedInterval", "IntervalLock, uncontended"),
            Map.entry("LockBench.section1", "CriticalSection, 1 object"),
            Map.entry("LockBench.section2", "CriticalSection, 2 objects"),
            Map.entry("LockBench.section2Prepared", "CriticalSection.Prepared, 2 objects"),
            Map.entry("LockBench.anchorRrwl", "ReentrantReadWriteLock"),
            Map.entry("LockBench.anchorStamped", "StampedLock"),
            Map.entry("LockBench.anchorReentrant", "ReentrantLock"),
            Map.entry("LockBench.anchorSync", "synchronized"),
            Map.entry("LockOrderBench.checkedReentrant", "checking on, ReentrantLocks"),
            Map.entry("LockOrderBench.checkedRw", "checking on, ReaderWriterLocks"),
            Map.entry("LockOrderBench.uncheckedRw", "checking off, ReaderWriterLocks"),
            Map.entry("LockOrderBench.anchorGuava", "Guava CycleDetectingLockFactory"),
            Map.entry("LockOrderBench.anchorPlain", "ReentrantReadWriteLock, unchecked"),
            Map.entry("PriorityLockBench.uncontendedPriority", "PriorityLock, uncontended"),
            Map.entry("PriorityLockBench.uncontendedPi", "PriorityInheritanceLock, uncontended"),
            Map.entry("PriorityLockBench.sharedPriority", "PriorityLock, 1 shared lock"),
            Map.entry("PriorityLockBench.sharedPi", "PriorityInheritanceLock, 1 shared lock"),
            Map.entry("PriorityLockBench.anchorReentrant", "ReentrantLock"),
            Map.entry("PriorityLockBench.anchorFair", "fair ReentrantLock"),
            Map.entry("ThreadControlBench.currentCpu", "current CPU"),
            Map.entry("ThreadControlBench.getAffinity", "get affinity"),
            Map.entry("ThreadControlBench.setAffinity", "set affinity"),
            Map.entry("ThreadControlBench.setNice", "set nice"),
            Map.entry("ThreadControlBench.getNice", "get nice"),
            Map.entry("ThreadControlBench.anchor", "OpenHFT Affinity (JNA)"));

    /** The areas' names, for --area's help and completion. */
    static final class AreaNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return AREAS.stream().map(Area::name).iterator();
        }
    }

    @Option(names = "--quick", description = "one fork, short iterations: a few minutes for every area")
    boolean quick;

    @Option(names = {"-a", "--area"}, split = ",", paramLabel = "AREA", completionCandidates = AreaNames.class,
            description = "areas to run (default: all): ${COMPLETION-CANDIDATES}")
    List<String> areas;

    @Option(names = {"-b", "--bench"}, paramLabel = "REGEX",
            description = "only the benchmarks of the chosen areas whose name matches, e.g. uncontended or 'rw95|read100'")
    String bench;

    @Option(names = {"-t", "--threads"}, split = ",", paramLabel = "N",
            description = "thread counts (default: 1, 2, 4, ... up to 2 x CPUs; falsesharing 2, lockorder and "
                    + "threads 1)")
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
        /** ft4j faster, ft4j slower, no difference (the error spans 1.0), error unknown; null without an anchor. */
        String verdict;
        /** The workload and the anchor in words. */
        String label;
        String anchorLabel;
    }

    /** The verdict on a ratio: "no difference" where its error spans 1.0, as in Ratios. */
    static String verdict(Double ratio, Double error) {
        if (ratio == null) {
            return null;
        }
        if (error == null || !Double.isFinite(error)) {
            return "error unknown";
        }
        return Math.abs(ratio - 1) <= error ? "no difference" : ratio > 1 ? "ft4j faster" : "ft4j slower";
    }

    /** A benchmark's words: the workload for an op, the anchor for an anchor's JMH name; the name itself if none. */
    static String label(String bench, String name) {
        String exact = LABELS.get(bench + "." + name);
        if (exact != null) {
            return exact;
        }
        int us = name.indexOf('_');
        return us > 0 ? LABELS.getOrDefault(bench + "." + name.substring(0, us), name) : name;
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
        for (int t : threads != null ? threads : new int[0]) {
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
                threads != null ? join(counts) : join(counts) + " (falsesharing 2, lockorder and threads 1)",
                chosen.stream().map(Area::name).toList());

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
        progress.plan(planned.entrySet().stream().mapToInt(e -> e.getValue().size() * counts(e.getKey(), counts).length)
                .sum() * (quick ? 1 : 3));
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("machine", machine);
        results.put("mode", quick ? "quick" : "full");
        Map<String, List<Row>> byArea = new LinkedHashMap<>();
        for (Area a : chosen) {
            Path json = dir.resolve(a.name() + ".rows.json");
            Path log = dir.resolve(a.name() + ".log");
            int rc = runArea(benchmarks, a, exactly(planned.get(a)), counts(a, counts), json, log, progress);
            if (rc != 0) {
                progress.done();
                err.printf("ft4j: the %s benchmarks failed (exit %d); the end of %s:%n", a.name(), rc, log);
                Files.readAllLines(log).stream().skip(Math.max(0, Files.readAllLines(log).size() - 15))
                        .forEach(err::println);
                return 1;
            }
            List<Row> rows = readRows(json);
            for (Row r : rows) {
                r.verdict = verdict(r.ratio, r.ratioError);
                r.label = label(r.bench, r.op);
                r.anchorLabel = r.anchor == null ? null : label(r.bench, r.anchor);
            }
            byArea.put(a.name(), rows);
        }
        progress.done();
        String chartError = null;
        for (Area a : chosen) {
            List<Row> rows = byArea.get(a.name());
            o.printf("%n%s: %s%n", a.name(), a.title());
            o.print(table(rows));
            if (chartError == null && rows.stream().anyMatch(r -> r.ratio != null)) {
                try {
                    Charts.writeSvg(chart(a, rows, quick), 900, 540, dir.resolve(a.name() + ".svg"));
                } catch (IOException | RuntimeException | LinkageError e) { // e.g. a JDK without fonts: tables stand
                    chartError = e.toString();
                }
            }
        }
        results.put("howToRead", "ratio: ft4j's speed / the anchor's, measured in the same run (> 1: ft4j "
                + "faster); ratioError spans both scores' 99.9% intervals; verdict \"no difference\" where it "
                + "spans 1.0");
        results.put("areas", byArea);
        Path all = dir.resolve("results.json");
        Files.writeString(all, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
                .serializeSpecialFloatingPointValues().create()
                .toJson(results));
        o.printf("%nRatio = ft4j's speed / the anchor's, measured in the same run (> 1: ft4j faster); the error spans "
                + "both scores' 99.9%% intervals, and a ratio whose error spans 1.0 is no difference.%n");
        o.printf("Results: %s (JSON), %s, JMH logs: %s%n", all, chartError == null ? "one SVG chart per area"
                : "no charts (" + chartError + ")", dir);
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

    /** The thread counts an area runs at: --threads if given, else the area's own, else the default counts. */
    private int[] counts(Area a, int[] counts) {
        return threads == null && a.threads() != null ? a.threads() : counts;
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

    /** The area's rows as a text table: workload, threads, both speeds, the anchor, ratio ± error, verdict. */
    static String table(List<Row> rows) {
        // each workload and anchor together, by thread count, in the order they first appear
        List<String> order = new ArrayList<>();
        for (Row r : rows) {
            if (!order.contains(r.op + " " + r.anchor)) {
                order.add(r.op + " " + r.anchor);
            }
        }
        rows = rows.stream().sorted(java.util.Comparator.<Row>comparingInt(r -> order.indexOf(r.op + " " + r.anchor))
                .thenComparingInt(r -> r.threads)).toList();
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"workload", "threads", "ft4j", "anchor", "anchor's", "ratio ± error", "verdict"});
        for (Row r : rows) {
            String label = r.label != null ? r.label : label(r.bench, r.op);
            boolean anchored = r.anchor != null && r.anchorScore != null;
            cells.add(new String[] {label, Integer.toString(r.threads), score(r.score, r.unit),
                anchored ? (r.anchorLabel != null ? r.anchorLabel : label(r.bench, r.anchor)) : "(no anchor)",
                anchored ? score(r.anchorScore, r.unit) : "",
                r.ratio == null ? "" : String.format(Locale.ROOT, "%.2f ± %s", r.ratio,
                        r.ratioError == null ? "?" : String.format(Locale.ROOT, "%.2f", r.ratioError)),
                r.ratio == null ? "" : r.verdict != null ? r.verdict : verdict(r.ratio, r.ratioError)});
        }
        int[] width = new int[7];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        boolean[] right = {false, true, true, false, true, true, false};
        StringBuilder sb = new StringBuilder();
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String pad = " ".repeat(width[i] - row[i].length());
                line.append("  ").append(right[i] ? pad + row[i] : row[i] + pad);
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String score(double score, String unit) {
        return String.format(Locale.ROOT, score >= 1000 ? "%.0f %s" : "%.2f %s", score, unit);
    }

    /** Ratio against threads, one line per workload and anchor, with error bars and the parity line at 1.0. */
    static JFreeChart chart(Area a, List<Row> rows, boolean quick) {
        Map<String, List<Row>> series = new LinkedHashMap<>();
        List<String> alone = new ArrayList<>();
        for (Row r : rows) {
            String label = label(r.bench, r.op);
            if (r.ratio != null) {
                series.computeIfAbsent(label + " vs " + label(r.bench, r.anchor), k -> new ArrayList<>()).add(r);
            } else if (!alone.contains(label)) {
                alone.add(label);
            }
        }
        List<Charts.RatioLine> lines = new ArrayList<>();
        for (Map.Entry<String, List<Row>> e : series.entrySet()) {
            List<Row> rs = e.getValue().stream().sorted(java.util.Comparator.comparingInt(r -> r.threads)).toList();
            lines.add(new Charts.RatioLine(e.getKey(), rs.stream().mapToInt(r -> r.threads).toArray(),
                    rs.stream().mapToDouble(r -> r.ratio).toArray(),
                    rs.stream().mapToDouble(r -> r.ratioError == null ? Double.NaN : r.ratioError).toArray()));
        }
        List<String> notes = new ArrayList<>();
        if (!alone.isEmpty()) {
            notes.add("Not charted, no anchor to compare with (their speeds are in the table): "
                    + String.join(", ", alone) + ".");
        }
        return Charts.ratios(a.name() + ": " + a.title(),
                "ft4j's speed / the anchor's, measured in the same run; bars: 99.9% confidence; "
                        + (quick ? "quick run (1 short fork): indicative only" : "3 forks"),
                lines, notes);
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
