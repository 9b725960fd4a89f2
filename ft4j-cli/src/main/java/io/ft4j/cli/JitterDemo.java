package io.ft4j.cli;

import io.ft4j.thread.Affinity;
import io.ft4j.thread.CpuPool;
import io.ft4j.thread.CpuReservation;
import io.ft4j.thread.CpuSet;
import io.ft4j.thread.CpuUnavailableException;
import io.ft4j.thread.MemoryLock;
import io.ft4j.thread.Scheduling;
import io.ft4j.thread.SchedulingPolicy;
import io.ft4j.thread.ThreadBuilder;
import io.ft4j.thread.ThreadControlException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * cyclictest for Java threads: measuring threads wake at absolute deadlines one period apart and record how late each
 * wake-up was (actual minus intended) in an HdrHistogram, under named configurations (default; pinned to a reserved
 * CPU; SCHED_FIFO; SCHED_FIFO + pinned + 1 ns timer slack + locked memory), each with and without normal-priority CPU
 * hogs on the same CPUs, and with two ways to sleep: the kernel's absolute timer ({@code clock_nanosleep}
 * TIMER_ABSTIME, {@link Scheduling#sleepUntil}) and {@link LockSupport#parkNanos}. Every thread ends by its run's
 * deadline; policies live and die with the demo's own threads, so nothing is left changed.
 */
@Command(name = "jitter", mixinStandardHelpOptions = true,
        description = "Wake-up latency of Java threads (cyclictest): default, pinned, SCHED_FIFO, all settings; with "
                + "and without CPU hogs; clock_nanosleep vs parkNanos.")
final class JitterDemo implements Callable<Integer>, Demo {
    @Option(names = {"-s", "--seconds"}, defaultValue = "1.5", paramLabel = "S",
            description = "length of each run (default: ${DEFAULT-VALUE}; 16 runs)")
    double seconds;

    @Option(names = "--period-us", defaultValue = "1000", paramLabel = "US",
            description = "time between intended wake-ups, in us (default: ${DEFAULT-VALUE})")
    int periodMicros;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "measuring threads (default: ${DEFAULT-VALUE}); pinned runs reserve as many CPUs from the "
                    + "default CPU pool (see ft4j cpus)")
    int threads;

    @Option(names = "--out", defaultValue = "ft4j-demo-jitter", paramLabel = "DIR",
            description = "folder for the chart (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Spec
    CommandSpec spec;

    private String takeaway;

    /** How a run sets up its measuring threads. */
    private record Config(String name, boolean pinned, boolean fifo, boolean hygiene) {}

    private static final List<Config> CONFIGS = List.of(
            new Config("default", false, false, false),
            new Config("pinned", true, false, false),
            new Config("SCHED_FIFO", false, true, false),
            new Config("FIFO+pinned+slack+mlock", true, true, true));

    /** One run's outcome; {@code histogram} is null if the run could not be set up ({@code why}). */
    private record Result(Config config, boolean kernelSleep, boolean hogs, Histogram histogram, String why) {}

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0 && seconds <= 10)) {
            throw new ParameterException(spec.commandLine(), "--seconds: " + seconds + " (expected: > 0 and <= 10)");
        }
        if (periodMicros < 50 || periodMicros > 100_000) {
            throw new ParameterException(spec.commandLine(), "--period-us: " + periodMicros
                    + " (expected: 50..100000)");
        }
        if (threads < 1 || threads > 64) {
            throw new ParameterException(spec.commandLine(), "--threads: " + threads + " (expected: 1..64)");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!Scheduling.isSupported()) {
            out.println("Wake-up latency is measured with Linux's clock_nanosleep; this is "
                    + System.getProperty("os.name") + ". Nothing to show.");
            return 0;
        }
        String privilege = privilege();
        if (privilege != null) {
            out.println("No CAP_SYS_NICE: " + privilege + ". The SCHED_FIFO runs are skipped; run as root (or setcap "
                    + "cap_sys_nice+ep on the java binary) to see them.");
        }
        CpuPool pool = CpuPool.defaultPool(); // the machine-wide reservations: pinned runs take a CPU nobody holds
        CpuSet all = Affinity.get();
        out.printf(Locale.ROOT, "%d measuring thread(s), one wake-up every %d us, %.1f s per run; hogs: one "
                + "nice-0 spinning thread per CPU the measuring threads run on (pinned: their CPUs; else %s).%n%n",
                threads, periodMicros, seconds, all);
        out.printf("%-24s %-15s %-5s %8s %9s %9s %9s %9s %9s%n", "configuration", "sleep", "hogs", "wake-ups",
                "min", "p50", "p99", "p99.9", "max");
        List<Result> results = new ArrayList<>();
        for (boolean kernelSleep : new boolean[] {true, false}) {
            for (boolean hogs : new boolean[] {false, true}) {
                for (Config c : CONFIGS) {
                    Result r = c.fifo() && privilege != null
                            ? new Result(c, kernelSleep, hogs, null, "no CAP_SYS_NICE")
                            : run(c, kernelSleep, hogs, pool, all);
                    results.add(r);
                    print(out, r);
                }
            }
        }
        out.println("\n(latency = actual wake-up minus intended deadline; times in us)");
        Path svg = outDir.resolve("jitter.svg");
        try {
            Files.createDirectories(outDir);
            Charts.writeSvg(chart(results), 1400, 560, svg);
            out.printf("Chart of the wake-up latencies, by percentile: %s%n", svg);
        } catch (IOException | RuntimeException | LinkageError e) { // e.g. a JDK without fonts: the numbers stand
            out.printf("No chart (%s).%n", e);
        }
        conclude(out, results);
        return 0;
    }

    /** Null if this process may use real-time policies, else why not. */
    private static String privilege() {
        try {
            new ThreadBuilder().name("jitter-probe").policy(SchedulingPolicy.fifo(1)).start(() -> { }).join();
            return null;
        } catch (ThreadControlException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private Result run(Config c, boolean kernelSleep, boolean hogs, CpuPool pool, CpuSet all) throws Exception {
        long period = periodMicros * 1_000L;
        long start = System.nanoTime() + 50_000_000L; // time for every thread to start and settle
        long end = start + (long) (seconds * 1e9);
        List<CpuReservation> reserved = new ArrayList<>();
        boolean locked = false;
        try {
            CpuSet where = all;
            if (c.pinned()) {
                CpuSet mine = CpuSet.empty();
                for (int i = 0; i < threads; i++) {
                    CpuReservation r = pool.reserveAny(); // held by this thread; measuring threads pin to it
                    reserved.add(r);
                    mine = mine.union(CpuSet.of(r.cpu()));
                }
                Affinity.set(all); // reserving pinned this thread: it only coordinates, let it run anywhere
                where = mine;
            }
            if (c.hygiene()) {
                try {
                    MemoryLock.lockAll(true);
                    locked = true;
                } catch (ThreadControlException e) {
                    return new Result(c, kernelSleep, hogs, null, "mlockall refused: " + e.errnoName());
                }
            }
            List<Thread> started = new ArrayList<>();
            if (hogs) {
                for (int cpu : where.toArray()) {
                    started.add(new ThreadBuilder().name("jitter-hog-" + cpu).daemon(true).nice(0)
                            .cpus(c.pinned() ? CpuSet.of(cpu) : where).start(() -> {
                                while (System.nanoTime() - end < 0L) {
                                    Thread.onSpinWait();
                                }
                            }));
                }
            }
            Histogram total = new Histogram(1L, 10_000_000_000L, 3);
            List<Histogram> perThread = new ArrayList<>();
            int[] cpus = where.toArray();
            for (int i = 0; i < threads; i++) {
                Histogram h = new Histogram(1L, 10_000_000_000L, 3);
                perThread.add(h);
                ThreadBuilder b = new ThreadBuilder().name("jitter-" + i).daemon(true);
                if (c.pinned()) {
                    b.cpus(CpuSet.of(cpus[i % cpus.length]));
                }
                if (c.fifo()) {
                    b.policy(SchedulingPolicy.fifo(80));
                }
                if (c.hygiene()) {
                    b.timerSlack(1);
                }
                started.add(b.start(() -> measure(h, start, end, period, kernelSleep)));
            }
            for (Thread t : started) {
                t.join();
            }
            perThread.forEach(total::add);
            return new Result(c, kernelSleep, hogs, total, null);
        } catch (CpuUnavailableException e) {
            return new Result(c, kernelSleep, hogs, null, "no free CPU to reserve");
        } finally {
            if (locked) {
                MemoryLock.unlockAll();
            }
            for (CpuReservation r : reserved) {
                r.close(); // on this thread: restores its CPU set too
            }
        }
    }

    /** The measuring loop: wake at each deadline until the end, recording how late. */
    private static void measure(Histogram h, long start, long end, long period, boolean kernelSleep) {
        for (long deadline = start; deadline - end < 0L; deadline += period) {
            if (kernelSleep) {
                Scheduling.sleepUntil(deadline);
            } else {
                for (long left; (left = deadline - System.nanoTime()) > 0L; ) {
                    LockSupport.parkNanos(left);
                }
            }
            long late = System.nanoTime() - deadline;
            h.recordValue(Math.max(1L, late));
            long now = System.nanoTime();
            if (now - deadline > period) { // fell a whole period behind: skip the missed deadlines
                deadline += (now - deadline) / period * period;
            }
        }
    }

    private static String us(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e3);
    }

    private static void print(PrintWriter out, Result r) {
        String sleep = r.kernelSleep() ? "clock_nanosleep" : "parkNanos";
        if (r.histogram() == null) {
            out.printf("%-24s %-15s %-5s   skipped: %s%n", r.config().name(), sleep, r.hogs() ? "yes" : "no", r.why());
            return;
        }
        Histogram h = r.histogram();
        out.printf("%-24s %-15s %-5s %8d %9s %9s %9s %9s %9s%n", r.config().name(), sleep, r.hogs() ? "yes" : "no",
                h.getTotalCount(), us(h.getMinValue()), us(h.getValueAtPercentile(50)),
                us(h.getValueAtPercentile(99)), us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()));
    }

    /** The recorded values, each as often as it was counted (at the histogram's precision), ascending. */
    private static long[] sorted(Histogram h) {
        long[] v = new long[(int) Math.min(h.getTotalCount(), 2_000_000)];
        int i = 0;
        for (HistogramIterationValue x : h.recordedValues()) {
            for (long k = 0; k < x.getCountAtValueIteratedTo() && i < v.length; k++) {
                v[i++] = x.getValueIteratedTo();
            }
        }
        return v;
    }

    private org.jfree.chart.JFreeChart chart(List<Result> results) {
        List<Charts.Panel> panels = new ArrayList<>();
        for (boolean kernelSleep : new boolean[] {true, false}) {
            for (boolean hogs : new boolean[] {false, true}) {
                List<Charts.Curve> curves = new ArrayList<>();
                for (int i = 0; i < CONFIGS.size(); i++) {
                    for (Result r : results) {
                        if (r.config() == CONFIGS.get(i) && r.kernelSleep() == kernelSleep && r.hogs() == hogs
                                && r.histogram() != null) {
                            curves.add(new Charts.Curve(r.config().name(), Charts.PALETTE[i], sorted(r.histogram())));
                        }
                    }
                }
                panels.add(new Charts.Panel((kernelSleep ? "clock_nanosleep" : "parkNanos")
                        + (hogs ? ", hogs" : ", no hogs"), curves));
            }
        }
        return Charts.latency("Wake-up latency of a Java thread, by configuration",
                String.format(Locale.ROOT, "%d thread(s), a wake-up every %d us, %.1f s per run", threads,
                        periodMicros, seconds), panels, periodMicros * 1_000L, "one period");
    }

    private void conclude(PrintWriter out, List<Result> results) {
        Result base = find(results, CONFIGS.get(0), true, true);
        StringBuilder sb = new StringBuilder("With hogs on the same CPUs, p99 wake-up latency (clock_nanosleep): ");
        List<String> parts = new ArrayList<>();
        for (Config c : CONFIGS) {
            Result r = find(results, c, true, true);
            if (r != null && r.histogram() != null) {
                parts.add(c.name() + " " + us(r.histogram().getValueAtPercentile(99)) + " us");
            }
        }
        sb.append(String.join(", ", parts)).append('.');
        Result best = find(results, CONFIGS.get(3), true, true);
        if (base != null && base.histogram() != null && best != null && best.histogram() != null) {
            sb.append(String.format(Locale.ROOT, " Real-time settings cut it %.0fx.",
                    (double) base.histogram().getValueAtPercentile(99)
                            / Math.max(1, best.histogram().getValueAtPercentile(99))));
        }
        takeaway = sb.toString();
        out.println();
        Demo.say(out, takeaway);
    }

    private static Result find(List<Result> results, Config c, boolean kernelSleep, boolean hogs) {
        for (Result r : results) {
            if (r.config() == c && r.kernelSleep() == kernelSleep && r.hogs() == hogs) {
                return r;
            }
        }
        return null;
    }

    @Override
    public String takeaway() {
        return takeaway;
    }
}
