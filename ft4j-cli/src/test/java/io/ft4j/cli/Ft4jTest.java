package io.ft4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class Ft4jTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Ft4j.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void helpListsTheDemosIndentedUnderTheirHeading() {
        assertEquals(0, run("--help"));
        String text = out.toString();
        assertTrue(text.contains("ft4j demo"), text);
        java.util.List<String> lines = text.lines().toList();
        int heading = lines.indexOf("Demos:");
        assertTrue(heading > 0, text);
        java.util.List<String> list = lines.subList(heading + 1, lines.size()).stream()
                .takeWhile(l -> !l.isBlank()).toList();
        assertEquals(12, list.stream().filter(l -> l.matches("  [a-z]+ +\\S.*")).count(), "one line per demo:\n" + text);
        for (String line : list) {
            assertTrue(line.matches("  [a-z]+ +\\S.*") || line.matches(" {13,}\\S.*"),
                    "a demo, or its description wrapped under the description column: '" + line + "'");
        }
        assertTrue(list.get(0).startsWith("  race "), text);
    }

    @Test
    void anUnknownDemoGetsTheListOfDemos() {
        assertEquals(2, run("demo", "nosuch"));
        String message = err.toString().strip();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("ft4j: no demo named 'nosuch'; the demos are: race, interval, lockorder,"), message);
        assertTrue(message.contains("priority") && message.contains("tsp"), message);
    }

    @Test
    void everyDemoSumsItselfUpForTheTour() {
        picocli.CommandLine demo = new picocli.CommandLine(new Ft4j()).getSubcommands().get("demo");
        assertEquals(12, demo.getSubcommands().size());
        for (picocli.CommandLine d : demo.getSubcommands().values()) {
            assertTrue(d.getCommand() instanceof Demo, d.getCommandName() + " has no takeaway for the closing summary");
        }
        String line = DemoCommand.hanging("mergesort  ", "word ".repeat(40));
        java.util.List<String> lines = line.lines().toList();
        assertTrue(lines.size() > 1 && lines.get(0).startsWith("  mergesort  word"), line);
        for (String l : lines) {
            assertTrue(l.length() <= Demo.WIDTH, l);
        }
        for (String l : lines.subList(1, lines.size())) {
            assertTrue(l.startsWith(" ".repeat(13) + "word"), "aligned under the first line's text: " + l);
        }
        StringWriter said = new StringWriter();
        Demo.say(new PrintWriter(said, true), "a ".repeat(120));
        assertTrue(said.toString().lines().allMatch(l -> l.startsWith("  a") && l.length() <= Demo.WIDTH), said.toString());
    }

    @Test
    void theLauncherAnswersBenchHelpWithBenchCommandsOwnUsage() throws Exception {
        String script = java.nio.file.Files.readString(Path.of("../ft4j"));
        int start = script.indexOf("<<'BENCH_HELP'\n");
        int end = script.indexOf("\nBENCH_HELP\n");
        assertTrue(start > 0 && end > start, "./ft4j holds a copy of the bench usage between BENCH_HELP lines");
        String copy = script.substring(start + "<<'BENCH_HELP'\n".length(), end + 1);
        assertEquals(0, run("bench", "--help"));
        assertEquals(out.toString(), copy, "./ft4j's copy of `ft4j bench --help` is out of date: paste the new usage");
    }

    @Test
    void theSafeCountersAreExactAndTheNaiveOneNeverGains() throws Exception {
        for (RaceDemo.Kind kind : RaceDemo.Kind.values()) {
            RaceDemo.Outcome o = RaceDemo.runOnce(kind, 4, 20_000);
            assertEquals(80_000, o.expected());
            if (kind.safe()) {
                assertEquals(o.expected(), o.actual(), kind.label);
            } else {
                assertTrue(o.actual() <= o.expected() && o.actual() > 0, kind.label + ": " + o.actual());
            }
        }
    }

    @Test
    void raceDemoPrintsExpectedAndActualForEveryCounterAndSucceeds() {
        assertEquals(0, run("demo", "race", "--rounds", "2", "--threads", "4", "--increments", "20000"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("expected 80,000"), text);
        for (RaceDemo.Kind kind : RaceDemo.Kind.values()) {
            assertTrue(text.contains(kind.label), kind.label);
        }
        assertTrue(text.contains("were exact in every round"), text);
    }

    @Test
    void cpusPrintsTopologyBudgetPoolAndWhoHoldsWhichCpu(@org.junit.jupiter.api.io.TempDir Path dir) {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.ft4j.thread.Affinity.isSupported());
        io.ft4j.thread.CpuSet mine = io.ft4j.thread.CpuSet.of(io.ft4j.thread.CpuTopology.read().cpus().first());
        io.ft4j.thread.CpuPool pool = io.ft4j.thread.CpuPool.builder().directory(dir).cpus(mine).bind(false).build();
        try (io.ft4j.thread.CpuReservation r = pool.reserveAny()) {
            assertEquals(0, run("cpus", "--dir", dir.toString()), err.toString());
            String text = out.toString();
            for (String part : new String[] {"Topology:", "Budget:       usable CPUs", "Runtime.availableProcessors()",
                    "Pool:         CPU pool", "lock files in " + dir,
                    "CPU " + r.cpu() + " held by this process (thread \"" + Thread.currentThread().getName()}) {
                assertTrue(text.contains(part), part + " in:\n" + text);
            }
        }
        assertEquals(Ft4j.USAGE, run("cpus", "--keep-for-os", "zero"));
        assertTrue(err.toString().contains("--keep-for-os"), err.toString());
    }

    @Test
    void jitterDemoHasARowPerConfigurationAndAChart(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.ft4j.thread.Scheduling.isSupported());
        assertEquals(0, run("demo", "jitter", "--seconds", "0.15", "--out", dir.toString()), err.toString());
        String text = out.toString();
        int rows = 0;
        for (String config : new String[] {"default", "pinned", "SCHED_FIFO", "FIFO+pinned+slack+mlock"}) {
            for (String sleep : new String[] {"clock_nanosleep", "parkNanos"}) {
                for (String hogs : new String[] {"no", "yes"}) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^" + java.util.regex.Pattern.quote(
                            config) + " +" + sleep + " +" + hogs + " +(\\d+|  skipped)", java.util.regex.Pattern.MULTILINE)
                            .matcher(text);
                    assertTrue(m.find(), config + "/" + sleep + "/" + hogs + " in:\n" + text);
                    rows++;
                }
            }
        }
        assertEquals(16, rows);
        assertTrue(java.util.regex.Pattern.compile("^default +clock_nanosleep +no +[1-9]\\d* ", java.util.regex.Pattern.MULTILINE)
                .matcher(text).find(), "the default run measured wake-ups:\n" + text);
        assertTrue(text.contains("p99 wake-up latency"), text);
        assertTrue(Files.readString(dir.resolve("jitter.svg")).contains("<svg"), "the chart was written");
        assertEquals(2, run("demo", "jitter", "--period-us", "10"));
    }

    @Test
    void affinityDemoShowsTopologyPinnedWorkersOnTheirCpuAndTheNiceContest() {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.ft4j.thread.Affinity.isSupported());
        assertEquals(0, run("demo", "affinity", "--seconds", "0.3"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("Topology: "), text);
        for (int cpu : io.ft4j.thread.CpuTopology.read().cpus().toArray()) {
            assertTrue(java.util.regex.Pattern.compile("pinned to " + cpu + ":\\s+ran on CPU " + cpu + " 100\\.0%$",
                    java.util.regex.Pattern.MULTILINE).matcher(text).find(), text);
        }
        assertTrue(text.contains("nice 19:"), text);
        assertTrue(text.contains("the work of nice 19"), text);
    }

    @Test
    void priorityDemoComparesTheThreeLocksAndWritesChartAndRecording(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        assertEquals(0, run("demo", "priority", "--seconds", "0.4", "--hog-ms", "2,4", "--out", dir.toString()),
                err.toString());
        String text = out.toString();
        if (text.contains("Nothing to show")) {
            return; // no PI futexes or no CAP_SYS_NICE: the demo says so and ends cleanly
        }
        for (String lock : new String[] {"ReentrantLock", "PriorityLock", "PriorityInheritanceLock"}) {
            for (int hog : new int[] {2, 4}) {
                assertTrue(java.util.regex.Pattern.compile("^" + lock + " +" + hog + " ms +[0-9,]+ ",
                        java.util.regex.Pattern.MULTILINE).matcher(text).find(), lock + " " + hog + "\n" + text);
            }
        }
        assertTrue(text.contains("JFR recording"), text);
        for (String term : new String[] {"FIFO n:", "rank:", "hog:"}) {
            assertTrue(text.contains("  " + term), "the legend explains " + term + "\n" + text);
        }
        String closing = text.substring(text.indexOf("What this run shows:"));
        assertTrue(java.util.regex.Pattern.compile("With 2 ms hog bursts the golden thread's p99 wait was [0-9.]+ m?s with "
                + "ReentrantLock, [0-9.]+ m?s with PriorityLock and [0-9.]+ m?s with PriorityInheritanceLock")
                .matcher(closing.replaceAll("\\s+", " ").replace(" us", " s")).find(), closing);
        assertTrue(closing.contains("PriorityLock's p99 is") && closing.contains("critical section"), closing);
        String svg = java.nio.file.Files.readString(dir.resolve("priority-waits.svg"));
        for (String label : new String[] {">ReentrantLock<", ">PriorityLock<", ">PriorityInheritanceLock<",
                "2 ms hog bursts", "4 ms hog bursts", ">p99<", "one critical section"}) {
            assertTrue(svg.contains(label), label);
        }
        assertTrue(java.nio.file.Files.size(dir.resolve("priority.jfr")) > 0);
    }

    @Test
    void benchDefaultsToPowersOfTwoUpToTwiceTheCpus() {
        assertEquals(java.util.List.of(1, 2), java.util.Arrays.stream(BenchCommand.defaultThreads(1)).boxed().toList());
        assertEquals(java.util.List.of(1, 2, 4), java.util.Arrays.stream(BenchCommand.defaultThreads(2)).boxed().toList());
        assertEquals(java.util.List.of(1, 2, 4, 6),
                java.util.Arrays.stream(BenchCommand.defaultThreads(3)).boxed().toList());
    }

    @Test
    void benchTablesAndChartsComeFromRatiosRows(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path json = dir.resolve("rows.json");
        java.nio.file.Files.writeString(json, """
                [
                  {"bench": "PaddedAtomicLongBench", "op": "incrementAndGet", "threads": 1, "score": 150.0, "error": 3.0,
                   "unit": "ops/us", "anchor": "anchor_incrementAndGet", "anchorScore": 100.0, "anchorError": 2.0,
                   "ratio": 1.5, "ratioError": 0.05},
                  {"bench": "PaddedAtomicLongBench", "op": "incrementAndGet", "threads": 2, "score": 90.0, "error": 9.0,
                   "unit": "ops/us", "anchor": "anchor_incrementAndGet", "anchorScore": 100.0, "anchorError": 5.0,
                   "ratio": 0.9, "ratioError": 0.1},
                  {"bench": "PaddedAtomicLongBench", "op": "incrementAndGet", "threads": 4, "score": 80.0, "error": null,
                   "unit": "ops/us", "anchor": "anchor_incrementAndGet", "anchorScore": 100.0, "anchorError": null,
                   "ratio": 0.8, "ratioError": null},
                  {"bench": "PaddedAtomicLongBench", "op": "mul", "threads": 1, "score": 40.0, "error": 1.0,
                   "unit": "ops/us", "anchor": "anchor_mul", "anchorScore": 100.0, "anchorError": 1.0,
                   "ratio": 0.4, "ratioError": 0.02},
                  {"bench": "ThreadControlBench", "op": "getNice", "threads": 1, "score": 370.0, "error": 9.0,
                   "unit": "ns/op", "anchor": null, "anchorScore": null, "anchorError": null,
                   "ratio": null, "ratioError": null}
                ]
                """);
        var rows = BenchCommand.readRows(json);
        String table = BenchCommand.table(rows);
        java.util.List<String> lines = table.lines().toList();
        assertEquals(6, lines.size(), table);
        assertTrue(lines.get(0).matches(" +workload +threads +ft4j +anchor +anchor's +ratio ± error +verdict"), table);
        assertTrue(lines.get(1).matches(" +incrementAndGet +1 +150\\.00 ops/us +AtomicLong +100\\.00 ops/us +1\\.50 ± 0\\.05 +ft4j faster"),
                table);
        assertTrue(lines.get(2).matches(".* 0\\.90 ± 0\\.10 +no difference"), "0.9 ± 0.1 spans 1.0:\n" + table);
        assertTrue(lines.get(3).matches(".* 0\\.80 ± \\? +error unknown"), table);
        assertTrue(lines.get(4).matches(" +getAndMultiply \\(CAS loop\\) .*AtomicLong\\.getAndAccumulate .* ft4j slower"), table);
        assertTrue(lines.get(5).matches(" +get nice +1 +370\\.00 ns/op +\\(no anchor\\)"), table);
        int column = lines.get(0).indexOf("verdict");
        assertEquals(column, lines.get(1).indexOf("ft4j faster"), "the columns line up:\n" + table);
        assertEquals(column, lines.get(2).indexOf("no difference"), "the columns line up:\n" + table);

        Path svg = dir.resolve("atomics.svg");
        Charts.writeSvg(BenchCommand.chart(BenchCommand.AREAS.get(0), rows, true), 900, 540, svg);
        String text = java.nio.file.Files.readString(svg);
        assertTrue(text.startsWith("<?xml") && text.contains("<svg"), text.substring(0, 200));
        assertTrue(text.contains(">incrementAndGet vs AtomicLong<"), "human labels in the legend");
        assertTrue(text.contains(">getAndMultiply (CAS loop) vs AtomicLong.getAndAccumulate<"), "human labels");
        assertTrue(text.contains("1.0x: as fast as the anchor"), "the parity line is labelled");
        assertTrue(text.contains(">threads<"), "the thread axis is labelled");
        assertTrue(text.contains("get nice"), "a benchmark without an anchor is named under the chart");
        assertTrue(!text.contains("anchor_") && !text.contains("ft4j_"), "no JMH method names");
    }

    @Test
    void benchAreasCoverEveryBenchmarkClassAndNameEveryBenchmarkInWords() throws Exception {
        Path sources = Path.of("../ft4j-bench/src/main/java/io/ft4j/bench");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(sources));
        java.util.regex.Pattern names = java.util.regex.Pattern.compile("\\b((?:ft4j|anchor[A-Za-z]*)_([A-Za-z0-9]+))\\b");
        try (var files = java.nio.file.Files.list(sources)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith("Bench.java")).toList()) {
                String bench = f.getFileName().toString().replace(".java", "");
                String example = "io.ft4j.bench." + bench + ".ft4j_x";
                assertTrue(BenchCommand.AREAS.stream().anyMatch(a -> java.util.regex.Pattern.compile(a.full())
                        .matcher(example).find()), bench + " is in no area of ft4j bench");
                java.util.regex.Matcher m = names.matcher(java.nio.file.Files.readString(f));
                while (m.find()) {
                    String name = m.group(1);
                    String op = m.group(2);
                    assertTrue(BenchCommand.LABELS.containsKey(bench + "." + op), bench + "." + op + " has no words");
                    if (!name.startsWith("ft4j_")) {
                        assertTrue(BenchCommand.LABELS.containsKey(bench + "." + name) || BenchCommand.LABELS
                                .containsKey(bench + "." + name.substring(0, name.indexOf('_'))), bench + "." + name
                                + " has no words");
                    }
                }
            }
        }
        for (BenchCommand.Area a : BenchCommand.AREAS) {
            assertTrue(a.full().startsWith("\\.") && a.quick().startsWith("\\."), a.name());
        }
    }

    /** A real run of the smallest area through the benchmarks jar, where the build has made it (mvn verify does). */
    @Test
    void benchQuickRunsAnAreaThroughTheBenchmarksJar(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path jar = Path.of("../ft4j-bench/target/benchmarks.jar");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(jar),
                "the benchmarks jar is built by the ft4j-bench module, before this one");
        assertEquals(0, run("bench", "--quick", "--area", "atomics,locks", "--bench", "incrementAndGet|Interval", "--threads", "1",
                "--jar", jar.toString(), "--out", dir.toString()), err.toString());
        String text = out.toString();
        assertTrue(text.contains("atomics: PaddedAtomicLong vs AtomicLong"), text);
        assertTrue(text.contains("  incrementAndGet  ") && !text.contains("getAndAdd"), text);
        assertTrue(text.contains("  IntervalLock, uncontended  ") && !text.contains("95% reads"), text);
        assertTrue(err.toString().contains("100%"), "the progress bar reached the end: " + err);
        String results = java.nio.file.Files.readString(dir.resolve("results.json"));
        assertTrue(results.contains("\"anchor\": \"anchor_incrementAndGet\"") && results.contains("\"cpus\""), results);
        assertTrue(results.contains("\"verdict\": ") && results.contains("\"label\": \"incrementAndGet\""), results);
        assertTrue(java.nio.file.Files.readString(dir.resolve("atomics.svg")).contains(">incrementAndGet vs AtomicLong<"));
        assertEquals(2, run("bench", "--area", "atomics", "--bench", "nothingmatches", "--jar", jar.toString(),
                "--out", dir.toString()), "an empty selection is bad usage");
    }

    @Test
    void fibonacciPortComputesTheSameNumbersBothWays() {
        assertEquals(0, run("demo", "fibonacci", "--nth-element", "100", "--run-size", "400", "--workers", "3",
                "--runs", "1"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("Report: threads:") && text.contains("Report: fast_threads:"), text);
        assertTrue(text.contains("Same results"), text);
        assertEquals(new java.math.BigInteger("354224848179261915075"), FibonacciDemo.fibonacci(100));
        assertEquals(java.math.BigInteger.ONE, FibonacciDemo.fibonacci(1));
        assertEquals(java.math.BigInteger.ZERO, FibonacciDemo.fibonacci(0));
    }

    @Test
    void primesPortAgreesBetweenThreadsAndWorkerProcesses() {
        assertEquals(0, run("demo", "primes", "--nodes", "2", "--per-node", "2000", "--runs", "1"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("threads (shared memory):") && text.contains("(550 primes)"), text); // pi(4000)
        assertTrue(text.contains("processes (child JVMs, serialized):") && text.contains("Same primes"), text);
    }

    @Test
    void mergeSortPortSortsWithinItsThreadBudget() {
        assertEquals(0, run("demo", "mergesort", "--max-size", "200000", "--threshold", "1000", "--max-threads", "3"),
                err.toString());
        String text = out.toString();
        assertTrue(text.contains("Array is correctly sorted."), text);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Peak threads: (\\d+)").matcher(text);
        assertTrue(m.find(), text);
        int peak = Integer.parseInt(m.group(1));
        assertTrue(peak >= 2 && peak <= 3, "peak " + peak + " within the budget of 3");
        String closing = text.substring(text.indexOf("What this run shows:")).replaceAll("\\s+", " ");
        assertTrue(java.util.regex.Pattern.compile("took [0-9.]+x Arrays\\.sort's time and [0-9.]+x "
                + "Arrays\\.parallelSort's").matcher(closing).find(), closing);
        assertTrue(closing.contains("at most " + peak + " threads") && closing.contains("use Arrays.")
                || closing.contains("the port beat the JDK's sorts"), closing);
    }

    @Test
    void tspPortFindsTheSameCostAsASingleThreadedSearch() {
        assertEquals(0, run("demo", "tsp", "--cities", "9", "--threads", "3", "--runs", "2"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("TSP run for ncities=9, nthreads=3") && text.contains("agrees"), text);
        String closing = text.substring(text.indexOf("What this run shows:")).replaceAll("\\s+", " ");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("read at every step of the search \\(([0-9,]+) times "
                + "on the last map, one thread\\) and lowered only about ([0-9]+) times a search").matcher(closing);
        assertTrue(m.find(), closing);
        assertTrue(Long.parseLong(m.group(1).replace(",", "")) > 10 * Long.parseLong(m.group(2)), "reads dominate: " + closing);
        assertTrue(closing.contains("the JDK's own tools are the better choice"), closing);
        assertTrue(java.util.regex.Pattern.compile("Test 1: PaddedAtomicLong [0-9.]+ seconds, cost: (\\d+) \\| lock [0-9.]+ "
                + "seconds, cost: \\1 \\| AtomicLong [0-9.]+ seconds, cost: \\1").matcher(text).find(), text);
    }

    @Test
    void gatherDemoReadsEveryKeyInOrder() {
        assertEquals(0, run("demo", "gather", "--items", "20", "--producers", "5"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("The consumer read every key, in key order."), text);
        int last = -1;
        for (String line : text.lines().filter(l -> l.contains("consumer read result-")).toList()) {
            int key = Integer.parseInt(line.substring(line.lastIndexOf('-') + 1));
            assertEquals(last + 1, key, line);
            last = key;
        }
        assertEquals(19, last);
    }

    @Test
    void queueDemoAccountsForEveryElementInBothShutdowns() {
        assertEquals(0, run("demo", "queue", "--items", "20000", "--producers", "2", "--consumers", "3"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("40,000 put, 40,000 taken"), text);
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("accepted ([\\d,]+) = taken ([\\d,]+) \\+ handed back by shutdownNow ([\\d,]+)").matcher(text);
        assertTrue(m.find(), text);
        long accepted = Long.parseLong(m.group(1).replace(",", ""));
        long taken = Long.parseLong(m.group(2).replace(",", ""));
        long back = Long.parseLong(m.group(3).replace(",", ""));
        assertTrue(accepted >= 100_000, text);
        assertEquals(accepted, taken + back, text);
        assertTrue(text.contains("Every accepted element was taken once or handed back."), text);
    }

    @Test
    void intervalDemoIsExactUnderTheLockAndCountsItsTurns() {
        assertEquals(0, run("demo", "interval", "--threads", "4", "--steps", "20000", "--interval", "1"), err.toString());
        String text = out.toString();
        java.util.regex.Matcher ref = java.util.regex.Pattern.compile("(?m)^\\s+serial reference\\s+(\\S+)").matcher(text);
        java.util.regex.Matcher locked = java.util.regex.Pattern
                .compile("IntervalLock\\(1 ms\\) \\+ cedeIfDue\\(\\)\\s+(\\S+)\\s+yes\\s+1\\s+(\\d+)").matcher(text);
        assertTrue(ref.find() && locked.find(), text);
        assertEquals(ref.group(1), locked.group(1), "the locked run matches the serial reference bit for bit");
        assertTrue(Long.parseLong(locked.group(2)) >= 0, text);
        java.util.regex.Matcher perStep = java.util.regex.Pattern
                .compile("ReentrantLock around each step\\s+(\\S+)\\s+yes\\s+1\\s").matcher(text);
        assertTrue(perStep.find(), text);
        assertEquals(ref.group(1), perStep.group(1), "a lock per step is exact too");
        String closing = text.substring(text.indexOf("What this run shows")).replaceAll("\\s+", " ");
        assertTrue(java.util.regex.Pattern.compile("Without a lock up to [0-9]+ of the 4 threads were inside a step at once")
                .matcher(closing).find(), closing);
        assertTrue(closing.contains("Under the IntervalLock the peak was 1 and the result exact"), closing);
        assertTrue(java.util.regex.Pattern.compile("A ReentrantLock around each step is exact too \\(peak 1\\) and took "
                + "[0-9]+ ms, [0-9.]+x the IntervalLock's time").matcher(closing).find(), closing);
    }

    @Test
    void lockOrderDemoReportsTheCycleWithBothThreadsAndRefusesItWhenStrict() {
        assertEquals(0, run("demo", "lockorder"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("audit (write) then accounts (write) at io.ft4j.cli.LockOrderDemo"), text);
        assertTrue(text.contains("in thread \"transfer\"") && text.contains("in thread \"report\""), text);
        assertTrue(text.contains("no report: readers never wait"), text);
        assertTrue(text.contains("refused with LockOrderViolationException"), text);
    }

    @Test
    void badOptionsGetOneLineAndExitCode2() {
        for (String[] args : new String[][] {
                {"demo", "race", "--bogus"},
                {"demo", "race", "--threads", "0"},
                {"demo", "race", "--rounds", "x"},
                {"demo", "nosuchdemo"},
                {"demo", "affinity", "--seconds", "-1"},
                {"demo", "gather", "--items", "0"},
                {"demo", "queue", "--consumers", "0"},
                {"demo", "interval", "--threads", "1"},
                {"demo", "interval", "--interval", "-2"},
                {"demo", "priority", "--hog-ms", "0"},
                {"demo", "priority", "--seconds", "0"},
                {"demo", "priority", "--cs-us", "5"},
                {"bench", "--area", "nosuch"},
                {"demo", "fibonacci", "--workers", "0"},
                {"demo", "primes", "--nodes", "0"},
                {"demo", "mergesort", "--max-threads", "1"},
                {"demo", "tsp", "--cities", "6", "--threads", "6"},
                {"bench", "--threads", "0"},
                {"bench", "--bench", "("},
                {"bench", "--jar", "/no/such/benchmarks.jar"},
                {"--nope"}}) {
            StringWriter e = new StringWriter();
            int code = Ft4j.run(new PrintWriter(new StringWriter()), new PrintWriter(e), args);
            assertEquals(2, code, String.join(" ", args));
            String message = e.toString().strip();
            assertTrue(message.startsWith("ft4j: "), message);
            assertEquals(1, message.lines().count(), message);
        }
    }
}
