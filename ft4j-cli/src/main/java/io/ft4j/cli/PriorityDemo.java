package io.ft4j.cli;

import io.ft4j.lock.PriorityInheritanceLock;
import io.ft4j.lock.PriorityLock;
import io.ft4j.thread.Affinity;
import io.ft4j.thread.ControlledThread;
import io.ft4j.thread.CpuSet;
import io.ft4j.thread.Scheduling;
import io.ft4j.thread.SchedulingPolicy;
import io.ft4j.thread.ThreadBuilder;
import io.ft4j.thread.ThreadControlException;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.jfree.chart.JFreeChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The seed's golden thread, measured. On one CPU: a real-time "golden" thread (FIFO 30) takes a shared lock briefly
 * every 2 ms; two time-sharing loggers take the same lock and burn CPU inside it; two FIFO 20 hogs spin in bursts.
 * With ReentrantLock or PriorityLock a logger holding the lock is preempted by a hog and the golden thread
 * waits out the burst (priority inversion); with PriorityInheritanceLock the kernel runs the logger at FIFO 30 until
 * it releases. Every thread is bounded by the run's deadline and its policy ends with it.
 */
@Command(name = "priority", mixinStandardHelpOptions = true,
        description = "Golden thread vs loggers and hogs on one CPU: ReentrantLock, PriorityLock, "
                + "PriorityInheritanceLock.")
final class PriorityDemo implements Callable<Integer>, Demo {
    private static final String EVENT = "io.ft4j.LockWait";

    @Option(names = {"-s", "--seconds"}, defaultValue = "1.5", paramLabel = "S",
            description = "length of each run (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--hog-ms", defaultValue = "2,8", split = ",", paramLabel = "MS",
            description = "hog burst lengths to compare, in ms (default: ${DEFAULT-VALUE})")
    int[] hogMs;

    @Option(names = "--cs-us", defaultValue = "500", paramLabel = "US",
            description = "CPU time a logger spends inside the lock, in us (default: ${DEFAULT-VALUE})")
    int csMicros;

    @Option(names = "--out", defaultValue = "ft4j-demo-priority", paramLabel = "DIR",
            description = "folder for the chart and the JFR recording (default: ${DEFAULT-VALUE})")
    Path out;

    @Spec
    CommandSpec spec;

    private String takeaway;

    /** One lock under test. */
    private record Kind(String name, Color color, Supplier<Lock> make) {}

    /** What the golden thread saw in one run. */
    private record Result(Kind kind, int hogMs, long[] waits, long hogRounds) {
        long percentile(double p) {
            return waits.length == 0 ? 0 : waits[(int) Math.min(waits.length - 1, Math.ceil(p * waits.length) - 1)];
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0 && seconds <= 20)) {
            throw new ParameterException(spec.commandLine(), "--seconds: " + seconds + " (expected: > 0 and <= 20)");
        }
        for (int h : hogMs) {
            if (h < 1 || h > 100) {
                throw new ParameterException(spec.commandLine(), "--hog-ms: " + h + " (expected: 1..100)");
            }
        }
        if (csMicros < 10 || csMicros > 10_000) {
            throw new ParameterException(spec.commandLine(), "--cs-us: " + csMicros + " (expected: 10..10000)");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!PriorityInheritanceLock.isSupported()) {
            out.println("Priority inheritance needs Linux PI futexes; this is " + System.getProperty("os.name")
                    + ". Nothing to show.");
            return 0;
        }
        try {
            new ThreadBuilder().name("probe").policy(SchedulingPolicy.fifo(1)).start(() -> { }).join();
        } catch (ThreadControlException e) {
            out.println("The demo needs real-time priorities, which need CAP_SYS_NICE (run as root, or setcap "
                    + "cap_sys_nice+ep on the java binary): " + e.getMessage() + ". Nothing to show.");
            return 0;
        }
        CpuSet allowed = Affinity.get();
        int cpu = allowed.toArray()[allowed.size() - 1];
        long csNanos = TimeUnit.MICROSECONDS.toNanos(csMicros);
        List<Kind> kinds = List.of(
                new Kind("ReentrantLock", Charts.PALETTE[1], ReentrantLock::new),
                new Kind("PriorityLock", Charts.PALETTE[3], () -> new PriorityLock("demo PriorityLock")),
                new Kind("PriorityInheritanceLock", Charts.PALETTE[2],
                        () -> new PriorityInheritanceLock("demo PriorityInheritanceLock")));
        out.printf(Locale.ROOT, """
                All on CPU %d: golden FIFO 30 takes the lock every 2 ms; 2 loggers (nice 0) hold it for %d us of CPU,
                then pause 1 ms; 2 hogs FIFO 20 spin in bursts. %.1f s per run.
                  FIFO n: Linux's real-time policy at priority n (1-99); a FIFO thread runs until it blocks or a higher
                          one wakes, and always before the time-sharing (nice) threads.
                  rank:   ft4j's one scale for both: 100 + n for FIFO n, 20 - nice for nice (so FIFO 30 is 130, nice 0 is
                          20); PriorityLock grants waiters in rank order.
                  hog:    a FIFO 20 thread that never takes the lock but outranks the loggers: while it spins, a logger
                          holding the lock cannot run to release it (priority inversion).

                """, cpu, csMicros, seconds);
        out.printf("%-24s %6s %10s %10s %10s %10s %8s%n", "lock", "hog", "golden", "wait p50", "wait p99",
                "wait max", "p99/CS");
        Files.createDirectories(out());
        Path jfr = out().resolve("priority.jfr");
        List<Result> results = new ArrayList<>();
        try (Recording recording = new Recording()) {
            recording.enable(EVENT).withThreshold(Duration.ofMillis(1)).withStackTrace();
            recording.start();
            for (int hog : hogMs) {
                for (Kind kind : kinds) {
                    Result r = run(kind, hog, cpu, csNanos);
                    results.add(r);
                    out.printf(Locale.ROOT, "%-24s %4d ms %,10d %10s %10s %10s %7.1fx%n", kind.name(), hog,
                            r.waits().length, us(r.percentile(0.50)), us(r.percentile(0.99)),
                            us(r.percentile(1.0)), (double) r.percentile(0.99) / csNanos);
                }
            }
            recording.stop();
            recording.dump(jfr);
        }
        out.printf("%n(golden = lock acquisitions the golden thread completed; wait = from lock() to holding it; "
                + "CS = the loggers' %d us in the lock)%n", csMicros);
        summarizeRecording(out, jfr);
        Path svg = out().resolve("priority-waits.svg");
        try {
            Charts.writeSvg(chart(results, csNanos), 1000, 560, svg);
            out.printf("%nChart of the golden thread's waits, by percentile: %s%n", svg);
        } catch (IOException | RuntimeException | LinkageError e) { // e.g. a JDK without fonts: the numbers stand
            out.printf("%nNo chart (%s).%n", e);
        }
        conclude(out, results, csNanos);
        return 0;
    }

    private Path out() {
        return out;
    }

    @Override
    public String takeaway() {
        return takeaway;
    }

    private static Result find(List<Result> results, String lock, int hog) {
        return results.stream().filter(r -> r.kind().name().equals(lock) && r.hogMs() == hog).findFirst()
                .orElseThrow();
    }

    /** What the run proved, from its own numbers: one paragraph per point, the shortest hog bursts as the example. */
    private void conclude(PrintWriter out, List<Result> results, long csNanos) {
        out.printf("%nWhat this run shows:%n");
        for (int hog : hogMs) {
            long plain = find(results, "ReentrantLock", hog).percentile(0.99);
            long ordered = find(results, "PriorityLock", hog).percentile(0.99);
            long inherited = find(results, "PriorityInheritanceLock", hog).percentile(0.99);
            Demo.say(out, String.format(Locale.ROOT, "With %d ms hog bursts the golden thread's p99 wait was %s with "
                    + "ReentrantLock, %s with PriorityLock and %s with PriorityInheritanceLock (%.1fx the %s critical "
                    + "section).", hog, human(plain), human(ordered), human(inherited), (double) inherited / csNanos,
                    human(csNanos)));
        }
        int hog = hogMs[0];
        long plain = find(results, "ReentrantLock", hog).percentile(0.99);
        long ordered = find(results, "PriorityLock", hog).percentile(0.99);
        long inherited = find(results, "PriorityInheritanceLock", hog).percentile(0.99);
        String compared = ordered > plain * 1.1 ? "worse than ReentrantLock's"
                : ordered * 1.1 < plain ? String.format(Locale.ROOT, "better than ReentrantLock's but still %.0fx the "
                        + "critical section", (double) ordered / csNanos)
                : "no better than ReentrantLock's";
        Demo.say(out, String.format(Locale.ROOT, "PriorityLock's p99 is %s (%s vs %s at %d ms bursts): it chooses who "
                + "gets the lock next, not who runs. A release hands the lock straight to the waiting logger, which "
                + "then owns it before it is back on the CPU, and the hogs keep it off; ReentrantLock leaves the lock "
                + "free at release, so the golden thread, which outranks everyone, often takes it first.", compared,
                human(ordered), human(plain), hog));
        Demo.say(out, String.format(Locale.ROOT, "PriorityInheritanceLock has the kernel run the logger that holds "
                + "the lock at the golden thread's FIFO 30, above the hogs, until it releases, so the golden thread "
                + "waits out one critical section at most: its p99 (%s) %s.", human(inherited),
                inherited <= 2 * csNanos
                        ? String.format(Locale.ROOT, "is the %s critical section itself (%.1fx)", human(csNanos),
                                (double) inherited / csNanos)
                        : String.format(Locale.ROOT, "is %.1fx the critical section here: more than one, so something "
                                + "besides the demo ran on its CPU (rerun on an idle machine)",
                                (double) inherited / csNanos)));
        Demo.say(out, "Without real-time threads there is nothing to invert, and ReentrantLock is the faster lock "
                + "(./ft4j bench --area priority).");
        takeaway = String.format(Locale.ROOT, "at %d ms hog bursts the real-time thread's p99 wait was %s with "
                + "ReentrantLock, %s with PriorityLock, %s with PriorityInheritanceLock (one critical section: %s)",
                hog, human(plain), human(ordered), human(inherited), human(csNanos));
    }

    /** A wait for a sentence: 539 us, 9.2 ms. */
    private static String human(long nanos) {
        return nanos >= 1_000_000 ? String.format(Locale.ROOT, "%.1f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%d us", Math.round(nanos / 1e3));
    }

    /** One run: golden, loggers and hogs on {@code cpu} until the deadline; returns the golden thread's waits. */
    private Result run(Kind kind, int hogMillis, int cpu, long csNanos) throws InterruptedException {
        Lock lock = kind.make().get();
        long duration = (long) (seconds * 1e9);
        CountDownLatch go = new CountDownLatch(1);
        long[] end = new long[1];
        long[] waits = new long[(int) (seconds * 600) + 16];
        int[] count = {0};
        long[] hogRounds = new long[1];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ThreadBuilder onCpu = new ThreadBuilder().cpus(CpuSet.of(cpu)).daemon(true);
        List<ControlledThread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            threads.add(onCpu.name("logger").start(() -> {
                awaitQuietly(go);
                while (System.nanoTime() - end[0] < 0) {
                    lock.lock();
                    try {
                        long until = mx.getCurrentThreadCpuTime() + csNanos;
                        while (mx.getCurrentThreadCpuTime() < until) {
                            Thread.onSpinWait();
                        }
                    } finally {
                        lock.unlock();
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }));
        }
        long burst = TimeUnit.MILLISECONDS.toNanos(hogMillis);
        for (int i = 0; i < 2; i++) {
            long offset = i * burst;
            threads.add(onCpu.name("hog").policy(SchedulingPolicy.fifo(20)).start(() -> {
                awaitQuietly(go);
                LockSupport.parkNanos(offset);
                while (System.nanoTime() - end[0] < 0) {
                    long stop = Math.min(System.nanoTime() + burst, end[0]);
                    while (System.nanoTime() - stop < 0) {
                        Thread.onSpinWait();
                    }
                    synchronized (hogRounds) {
                        hogRounds[0]++;
                    }
                    LockSupport.parkNanos(2 * burst); // each hog spins a third of the time
                }
            }));
        }
        threads.add(onCpu.name("golden").policy(SchedulingPolicy.fifo(30)).start(() -> {
            awaitQuietly(go);
            while (System.nanoTime() - end[0] < 0 && count[0] < waits.length) {
                long t0 = System.nanoTime();
                lock.lock();
                long waited = System.nanoTime() - t0;
                lock.unlock();
                waits[count[0]++] = waited;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }));
        end[0] = System.nanoTime() + duration;
        go.countDown();
        for (ControlledThread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30) + duration / 1_000_000);
        }
        long[] w = Arrays.copyOf(waits, count[0]);
        Arrays.sort(w);
        return new Result(kind, hogMillis, w, hogRounds[0]);
    }

    private static void awaitQuietly(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String us(long nanos) {
        return nanos >= 10_000_000 ? String.format(Locale.ROOT, "%.1f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%,d us", Math.round(nanos / 1e3));
    }

    /** Prints, per lock, how many long waits the recording holds and the longest one's owner and waiter. */
    private static void summarizeRecording(PrintWriter out, Path jfr) throws IOException {
        Map<String, List<RecordedEvent>> byLock = new LinkedHashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (e.getEventType().getName().equals(EVENT)) {
                byLock.computeIfAbsent(e.getString("lock"), k -> new ArrayList<>()).add(e);
            }
        }
        out.printf("%nJFR recording %s, events %s (waits over 1 ms in ft4j locks; ReentrantLock records none):%n",
                jfr, EVENT);
        for (String lock : List.of("demo PriorityLock", "demo PriorityInheritanceLock")) {
            List<RecordedEvent> events = byLock.getOrDefault(lock, List.of());
            if (events.isEmpty()) {
                out.printf("  %-30s no wait over 1 ms%n", lock);
                continue;
            }
            RecordedEvent longest = events.stream().max(Comparator.comparing(RecordedEvent::getDuration)).get();
            var owner = longest.getThread("owner");
            out.printf(Locale.ROOT, "  %-30s %d waits, longest %.1f ms: %s (rank %d) waited while %s (rank %d) held it%n",
                    lock, events.size(), longest.getDuration().toNanos() / 1e6,
                    longest.getThread() == null ? "?" : longest.getThread().getJavaName(),
                    longest.getInt("waiterPriority"), owner == null ? "?" : owner.getJavaName(),
                    longest.getInt("ownerPriority"));
        }
        out.printf("  see them with: jfr print --events %s %s%n", EVENT, jfr);
    }

    /** The golden thread's waits by percentile: one panel per hog burst length, one line per lock. */
    private JFreeChart chart(List<Result> results, long csNanos) {
        List<Charts.Panel> panels = new ArrayList<>();
        for (int hog : hogMs) {
            List<Charts.Curve> curves = results.stream().filter(r -> r.hogMs() == hog)
                    .map(r -> new Charts.Curve(r.kind().name(), r.kind().color(), r.waits())).toList();
            panels.add(new Charts.Panel(hog + " ms hog bursts", curves));
        }
        return Charts.latency("Real-time thread's wait for the lock, under priority inversion",
                String.format(Locale.ROOT, "golden FIFO 30 vs 2 loggers (nice 0, %s in the lock) and 2 FIFO 20 hogs, "
                        + "all on one CPU; %.1f s per run", Charts.micros(csNanos / 1e3), seconds),
                panels, csNanos, "one critical section (" + Charts.micros(csNanos / 1e3) + ")");
    }
}
