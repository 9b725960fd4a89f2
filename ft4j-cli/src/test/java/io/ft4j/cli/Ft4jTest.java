package io.ft4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
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
    void helpListsTheDemos() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("race"), out.toString());
        assertTrue(out.toString().contains("ft4j demo"), out.toString());
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
        assertTrue(text.contains("PriorityInheritanceLock's p99 wait is"), text);
        assertTrue(text.contains("JFR recording"), text);
        String svg = java.nio.file.Files.readString(dir.resolve("priority-waits.svg"));
        assertEquals(6, svg.split("<polyline").length - 1, "one line per lock and hog burst");
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
                   "unit": "ops/us", "anchor": "anchor_incr", "anchorScore": 100.0, "anchorError": 2.0,
                   "ratio": 1.5, "ratioError": 0.05},
                  {"bench": "PaddedAtomicLongBench", "op": "incrementAndGet", "threads": 2, "score": 90.0, "error": 9.0,
                   "unit": "ops/us", "anchor": "anchor_incr", "anchorScore": 100.0, "anchorError": 5.0,
                   "ratio": 0.9, "ratioError": 0.1},
                  {"bench": "PaddedAtomicLongBench", "op": "incrementAndGet", "threads": 4, "score": 80.0, "error": null,
                   "unit": "ops/us", "anchor": "anchor_incr", "anchorScore": 100.0, "anchorError": null,
                   "ratio": 0.8, "ratioError": null},
                  {"bench": "ThreadControlBench", "op": "getNice", "threads": 1, "score": 5.0, "error": 0.1,
                   "unit": "ops/us", "anchor": null, "anchorScore": null, "anchorError": null,
                   "ratio": null, "ratioError": null}
                ]
                """);
        var rows = BenchCommand.readRows(json);
        String table = BenchCommand.table(rows);
        assertTrue(table.contains("PaddedAtomicLongBench.incrementAndGet") && table.contains("1.50   ± 0.05")
                && table.contains("0.90   ± 0.10") && table.contains("0.80      ± ?") && table.contains("(none)"), table);
        String svg = BenchCommand.chart(BenchCommand.AREAS.get(0), rows);
        assertEquals(2, svg.split("<polyline").length - 1, "the anchored workload and the parity line");
        assertTrue(svg.contains("incrementAndGet vs anchor_incr"), svg);
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
        assertTrue(text.contains("PaddedAtomicLongBench.incrementAndGet") && !text.contains("PaddedAtomicLongBench.getAndAdd"), text);
        assertTrue(text.contains("LockBench.uncontendedInterval") && !text.contains("LockBench.rw95"), text);
        assertTrue(err.toString().contains("100%"), "the progress bar reached the end: " + err);
        String results = java.nio.file.Files.readString(dir.resolve("results.json"));
        assertTrue(results.contains("\"anchor\": \"anchor_incrementAndGet\"") && results.contains("\"cpus\""), results);
        assertTrue(java.nio.file.Files.readString(dir.resolve("atomics.svg")).contains("<polyline"));
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
    }

    @Test
    void tspPortFindsTheSameCostAsASingleThreadedSearch() {
        assertEquals(0, run("demo", "tsp", "--cities", "9", "--threads", "3", "--runs", "2"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("TSP run for ncities=9, nthreads=3") && text.contains("agrees"), text);
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
