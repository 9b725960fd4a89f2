package io.ft4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs JMH benchmarks at several thread counts and prints ft4j / anchor ratios measured in the same run.
 *
 * <p>Pairing rule: a benchmark (method or group) named {@code ft4j_<op>} is compared with every benchmark of the same
 * class named {@code anchor<Suffix>_<op>}. The ratio is always <em>ft4j's speed over the anchor's</em>, so above 1.0
 * means ft4j is faster: score over score for throughput modes, the inverse for time-per-operation modes. Its error
 * combines both scores' 99.9% confidence half-widths (relative errors added in quadrature), so a ratio whose error
 * spans 1.0 is not a difference: the table and the JSON say "no difference" there, "ft4j faster" or "ft4j slower"
 * elsewhere.
 *
 * {@snippet lang="shell" :
 * java --sun-misc-unsafe-memory-access=allow -cp ft4j-bench/target/benchmarks.jar io.ft4j.bench.Ratios \
 *      PaddedAtomicLongBench -t 1,2,4 -f 3 [-wi 3] [-i 5] [-r 1 | -r 500ms] [-D name=value] [--json rows.json]
 * }
 *
 * <p>{@code --json} also writes the rows as a JSON array, one object per pair (class, op, threads, both scores and
 * errors, unit, anchor, ratio, ratioError, verdict; anchor, ratio and verdict null where a benchmark has no
 * anchor): what {@code ft4j bench} reads. {@code --help} prints the usage.
 */
public final class Ratios {
    private Ratios() {}

    /** One measured benchmark: its score and the half-width of its confidence interval. */
    record Score(double score, double error, String unit, int threads) {}

    /** One ft4j benchmark against one anchor (or none) at one thread count. */
    record Row(String bench, String op, int threads, Score ft4j, String anchorName, Score anchor) {
        double ratio() {
            boolean timePerOp = ft4j.unit().endsWith("/op");
            return timePerOp ? anchor.score() / ft4j.score() : ft4j.score() / anchor.score();
        }

        double ratioError() {
            return ratio() * Math.hypot(ft4j.error() / ft4j.score(), anchor.error() / anchor.score());
        }

        /** What the ratio says, or null without an anchor. */
        String verdict() {
            return anchor == null ? null : Ratios.verdict(ratio(), ratioError());
        }

        String markdown() {
            if (anchor == null) {
                return String.format(Locale.ROOT, "| %s.%s | %d | %.2f ± %.2f %s | (no anchor) | | | |",
                        bench, op, threads, ft4j.score(), ft4j.error(), ft4j.unit());
            }
            return String.format(Locale.ROOT, "| %s.%s | %d | %.2f ± %.2f %s | %s | %.2f ± %.2f | **%.2f ± %.2f** | %s |",
                    bench, op, threads, ft4j.score(), ft4j.error(), ft4j.unit(), anchorName, anchor.score(),
                    anchor.error(), ratio(), ratioError(), verdict());
        }

        String json() {
            return String.format(Locale.ROOT, "{\"bench\": \"%s\", \"op\": \"%s\", \"threads\": %d, "
                    + "\"score\": %s, \"error\": %s, \"unit\": \"%s\", \"anchor\": %s, \"anchorScore\": %s, "
                    + "\"anchorError\": %s, \"ratio\": %s, \"ratioError\": %s, \"verdict\": %s}",
                    bench, op, threads, num(ft4j.score()), num(ft4j.error()), ft4j.unit(),
                    anchor == null ? "null" : "\"" + anchorName + "\"", anchor == null ? "null" : num(anchor.score()),
                    anchor == null ? "null" : num(anchor.error()), anchor == null ? "null" : num(ratio()),
                    anchor == null ? "null" : num(ratioError()), anchor == null ? "null" : "\"" + verdict() + "\"");
        }

        private static String num(double v) {
            return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
        }
    }

    static final String USAGE = """
            usage: Ratios <include-regex> [-t 1,2,4] [-f forks] [-wi n] [-i n] [-r seconds|500ms] [-D name=value] \
            [--json file]
              <include-regex>  the benchmarks to run, as JMH's include pattern (e.g. PaddedAtomicLongBench)
              -t               thread counts, each a separate JMH run (default: 1,2,4)
              -f, -wi, -i, -r  forks, warm-up and measurement iterations, iteration time (default: each class's own)
              -D               a system property for the forked JVMs
              --json           also write the rows as a JSON array to this file
            Pairs each ft4j_<op> with every anchor*_<op> of its class, measured in the same run, and prints ft4j's
            speed over each anchor's: above 1.0 ft4j is faster; a ratio whose error spans 1.0 is no difference.
            """;

    /** What went wrong with the command line. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** The command line, parsed. */
    record Options(String include, int[] threads, Integer forks, Integer warmups, Integer iterations, TimeValue time,
            java.nio.file.Path json, List<String> jvmArgs) {}

    /**
     * Parses the command line.
     *
     * @return the options, or null when help was asked for
     * @throws UsageException if the command line is wrong
     */
    static Options parse(String... args) throws UsageException {
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            return null;
        }
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new UsageException(args.length == 0 ? "no include pattern" : "the include pattern comes first, not "
                    + args[0]);
        }
        int[] threads = {1, 2, 4};
        Integer forks = null;
        Integer warmups = null;
        Integer iterations = null;
        TimeValue time = null;
        java.nio.file.Path json = null;
        List<String> jvmArgs = new ArrayList<>(List.of("--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED"));
        for (int i = 1; i < args.length; i += 2) {
            if (args[i].equals("-h") || args[i].equals("--help")) {
                return null;
            }
            if (i + 1 >= args.length) {
                throw new UsageException(args[i] + " needs a value");
            }
            String v = args[i + 1];
            try {
                switch (args[i]) {
                    case "-t" -> threads = java.util.Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                    case "-f" -> forks = Integer.parseInt(v);
                    case "-wi" -> warmups = Integer.parseInt(v);
                    case "-i" -> iterations = Integer.parseInt(v);
                    case "-r" -> time = v.matches("[0-9]+") ? TimeValue.seconds(Integer.parseInt(v))
                            : TimeValue.fromString(v);
                    case "--json" -> json = java.nio.file.Path.of(v);
                    case "-D" -> jvmArgs.add("-D" + v);
                    default -> throw new UsageException("unknown option: " + args[i]);
                }
            } catch (IllegalArgumentException e) { // NumberFormatException, or TimeValue's
                throw new UsageException(args[i] + ": not a valid value: " + v);
            }
        }
        return new Options(args[0], threads, forks, warmups, iterations, time, json, jvmArgs);
    }

    /**
     * Entry point.
     *
     * @param args {@code <include-regex> [-t 1,2,4] [-f forks] [-wi warmups] [-i iterations] [-r time] [-D k=v]
     *     [--json file]}, or {@code --help}
     * @throws RunnerException if JMH fails
     * @throws java.io.IOException if the JSON file cannot be written
     */
    public static void main(String[] args) throws RunnerException, java.io.IOException {
        Options parsed;
        try {
            parsed = parse(args);
        } catch (UsageException e) {
            System.err.println("Ratios: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (parsed == null) {
            System.out.print(USAGE);
            return;
        }
        String include = parsed.include();
        int[] threads = parsed.threads();
        Integer forks = parsed.forks();
        Integer warmups = parsed.warmups();
        Integer iterations = parsed.iterations();
        TimeValue time = parsed.time();
        java.nio.file.Path json = parsed.json();
        List<String> jvmArgs = parsed.jvmArgs();
        System.out.printf(Locale.ROOT, "machine: %d CPUs, %s %s, %s %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("os.name"), System.getProperty("os.version"));

        List<Row> rows = new ArrayList<>();
        for (int t : threads) {
            ChainedOptionsBuilder options = new OptionsBuilder().include(include).threads(t)
                    .jvmArgsAppend(jvmArgs.toArray(String[]::new));
            if (forks != null) {
                options.forks(forks);
            }
            if (warmups != null) {
                options.warmupIterations(warmups);
            }
            if (iterations != null) {
                options.measurementIterations(iterations);
            }
            if (time != null) {
                options.warmupTime(time).measurementTime(time);
            }
            Map<String, Score> scores = new LinkedHashMap<>();
            for (RunResult run : new Runner(options.build()).run()) {
                Result<?> r = run.getPrimaryResult();
                String name = run.getParams().getBenchmark();
                // the threads JMH really ran: thread groups round the asked count up to whole groups
                scores.put(name, new Score(r.getScore(), r.getScoreError(), r.getScoreUnit(),
                        run.getParams().getThreads()));
            }
            for (Row r : pair(scores)) {
                // thread groups round a count up (a producer and a consumer: 1 runs as 2): keep the first of a repeat
                boolean repeat = rows.stream().anyMatch(o -> o.bench().equals(r.bench()) && o.op().equals(r.op())
                        && o.threads() == r.threads() && java.util.Objects.equals(o.anchorName(), r.anchorName()));
                if (!repeat) {
                    rows.add(r);
                }
            }
        }
        System.out.println();
        System.out.println("| benchmark | threads | ft4j | anchor | anchor score | speed ratio ft4j/anchor | verdict |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(r -> System.out.println(r.markdown()));
        if (json != null) {
            java.nio.file.Files.writeString(json, "[\n  " + String.join(",\n  ", rows.stream().map(Row::json).toList())
                    + "\n]\n");
        }
    }

    /**
     * The verdict on a ratio and its error: "no difference" where the error spans 1.0, "error unknown" where it is
     * not a number (too few iterations), otherwise "ft4j faster" or "ft4j slower".
     */
    static String verdict(double ratio, double error) {
        if (!Double.isFinite(error)) {
            return "error unknown";
        }
        return Math.abs(ratio - 1) <= error ? "no difference" : ratio > 1 ? "ft4j faster" : "ft4j slower";
    }

    static List<Row> pair(Map<String, Score> scores) {
        List<Row> rows = new ArrayList<>();
        scores.forEach((name, ft4j) -> {
            int dot = name.lastIndexOf('.');
            String cls = name.substring(0, dot + 1);
            String simple = name.substring(dot + 1);
            if (!simple.startsWith("ft4j_")) {
                return;
            }
            String op = simple.substring("ft4j_".length());
            String bench = cls.substring(cls.lastIndexOf('.', cls.length() - 2) + 1, cls.length() - 1);
            int before = rows.size();
            scores.forEach((otherName, anchor) -> {
                if (!otherName.startsWith(cls)) {
                    return;
                }
                String other = otherName.substring(cls.length());
                if (other.startsWith("anchor") && other.endsWith("_" + op) && other.indexOf('.') < 0) {
                    rows.add(new Row(bench, op, ft4j.threads(), ft4j, other, anchor));
                }
            });
            if (rows.size() == before) {
                rows.add(new Row(bench, op, ft4j.threads(), ft4j, null, null));
            }
        });
        return rows;
    }
}
