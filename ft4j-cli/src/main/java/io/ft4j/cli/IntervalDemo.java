package io.ft4j.cli;

import io.ft4j.atomic.PaddedAtomicLong;
import io.ft4j.lock.IntervalLock;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * ft_utils' consistent_counter example: threads multiply and divide one shared double. Each step is ten
 * multiplications by 3.14 followed by ten divisions, so done one whole step at a time, in any order of steps, the
 * value comes back to the serial reference bit for bit. Without a lock, steps interleave and updates are lost, and the
 * value drifts (to infinity or zero when divisions or multiplications go missing). Under an {@link IntervalLock} each
 * thread holds the lock across its loop and calls {@code cedeIfDue()} after each step: execution is serial and exact, and
 * every thread still gets a turn each interval, as under the GIL's switch interval. A third run takes a
 * ReentrantLock around each step, the JDK's way to the same exactness, for comparison.
 */
@Command(name = "interval", mixinStandardHelpOptions = true,
        description = "Time-sliced consistency: a shared double, racy vs IntervalLock with cedeIfDue().")
final class IntervalDemo implements Callable<Integer>, Demo {
    private static final double FACTOR = 3.14;
    private static final int HALF_STEP = 10;

    @Option(names = {"-t", "--threads"}, defaultValue = "10", paramLabel = "N",
            description = "threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = {"-n", "--steps"}, defaultValue = "100000", paramLabel = "N",
            description = "steps per thread, each 10 multiplications then 10 divisions (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = {"-i", "--interval"}, defaultValue = "5", paramLabel = "MS",
            description = "IntervalLock interval in milliseconds (default: ${DEFAULT-VALUE})")
    int intervalMillis;

    @Spec
    CommandSpec spec;

    private String takeaway;

    @Override
    public String takeaway() {
        return takeaway;
    }

    /** How a run guards the steps. */
    enum Guard { NONE, INTERVAL_LOCK, LOCK_PER_STEP }

    /** The shared value, behind a getter and a setter as a Python global is; volatile so each access is real. */
    static final class Shared {
        private volatile double value = 1.0;

        double get() {
            return value;
        }

        void set(double v) {
            value = v;
        }
    }

    /** What one run ended with. */
    record Outcome(double value, long peakInside, long turns, long nanos) {}

    @Override
    public Integer call() throws InterruptedException {
        if (threads < 2) {
            throw new ParameterException(spec.commandLine(), "--threads: " + threads + " (expected: >= 2)");
        }
        if (steps < 1) {
            throw new ParameterException(spec.commandLine(), "--steps: " + steps + " (expected: >= 1)");
        }
        if (intervalMillis < 0) {
            throw new ParameterException(spec.commandLine(), "--interval: " + intervalMillis + " (expected: >= 0)");
        }
        PrintWriter out = spec.commandLine().getOut();
        double reference = reference((long) threads * steps);
        out.printf(Locale.ROOT, """
                %d threads x %,d steps on one shared double; a step is %d multiplications by %.2f, then %d divisions.
                Whole steps in any order give the serial reference exactly; interleaved, lost updates make it drift.
                %n""", threads, steps, HALF_STEP, FACTOR, HALF_STEP);
        out.printf(Locale.ROOT, "  %-34s %-24s %-6s %12s %10s %9s%n", "run", "result", "exact", "peak inside",
                "turns", "time");
        out.printf(Locale.ROOT, "  %-34s %-24s%n", "serial reference", Double.toString(reference));
        Outcome racy = run(Guard.NONE, null);
        print(out, "no lock", racy, reference);
        IntervalLock lock = new IntervalLock(Duration.ofMillis(intervalMillis));
        Outcome sliced = run(Guard.INTERVAL_LOCK, lock);
        print(out, "IntervalLock(" + intervalMillis + " ms) + cedeIfDue()", sliced, reference);
        Outcome perStep = run(Guard.LOCK_PER_STEP, null);
        print(out, "ReentrantLock around each step", perStep, reference);
        boolean exact = sliced.value() == reference && sliced.peakInside() == 1;
        conclude(out, reference, racy, sliced, perStep);
        if (!exact) {
            out.println("THE INTERVALLOCK RUN WAS NOT EXACT: this is a bug in ft4j, please report it.");
        }
        return exact && perStep.value() == reference ? 0 : 1;
    }

    /** What the run proved, read from the "peak inside" column, and when the JDK's lock is the better choice. */
    private void conclude(PrintWriter out, double reference, Outcome racy, Outcome sliced, Outcome perStep) {
        out.printf("%nWhat this run shows (peak inside: the most threads inside one step at the same moment):%n");
        Demo.say(out, racy.value() == reference
                ? String.format(Locale.ROOT, "Without a lock up to %d of the %d threads were inside a step at once; "
                        + "this time no update happened to be lost, but the race is still there (rerun, or raise -n).",
                        racy.peakInside(), threads)
                : String.format(Locale.ROOT, "Without a lock up to %d of the %d threads were inside a step at once, "
                        + "updates were lost, and the value drifted to %s instead of %s.", racy.peakInside(), threads,
                        racy.value(), reference));
        Demo.say(out, String.format(Locale.ROOT, "Under the IntervalLock the peak was %d and the result exact, while "
                + "the lock changed hands %d times in %.0f ms (about every %d ms), so each thread held it across many "
                + "steps and still let the others in.", sliced.peakInside(), sliced.turns(), sliced.nanos() / 1e6,
                intervalMillis));
        double ratio = (double) perStep.nanos() / sliced.nanos();
        Demo.say(out, String.format(Locale.ROOT, "A ReentrantLock around each step is exact too (peak %d) and took "
                + "%.0f ms, %.1fx the IntervalLock's time: %s", perStep.peakInside(), perStep.nanos() / 1e6, ratio,
                ratio > 1.25 ? "taking a lock for every short step costs more than checking a clock. It is still the "
                        + "simpler choice, and the better one, when steps are long or each must be answered soon; "
                        + "IntervalLock suits a thread that works through many short steps and may keep the lock "
                        + "for an interval, as under a GIL."
                        : "when each step stands on its own it is the JDK's simpler tool and the better choice; "
                        + "IntervalLock suits a thread that must keep the lock across many steps, as under a GIL, "
                        + "and still let the others in at a fixed interval."));
        takeaway = String.format(Locale.ROOT, "peak inside %d without a lock (updates lost), 1 under IntervalLock "
                + "(exact; %d hand-overs in %.0f ms); a ReentrantLock per step, also exact, took %.1fx as long",
                racy.peakInside(), sliced.turns(), sliced.nanos() / 1e6, ratio);
    }

    private static void print(PrintWriter out, String name, Outcome o, double reference) {
        out.printf(Locale.ROOT, "  %-34s %-24s %-6s %12d %10s %6.1f ms%n", name, Double.toString(o.value()),
                o.value() == reference ? "yes" : "NO", o.peakInside(), o.turns() < 0 ? "-" : Long.toString(o.turns()),
                o.nanos() / 1e6);
    }

    private static double reference(long totalSteps) {
        Shared s = new Shared();
        for (long i = 0; i < totalSteps; i++) {
            step(s);
        }
        return s.get();
    }

    private static void step(Shared s) {
        for (int k = 0; k < HALF_STEP; k++) {
            s.set(s.get() * FACTOR);
        }
        for (int k = 0; k < HALF_STEP; k++) {
            s.set(s.get() / FACTOR);
        }
    }

    /**
     * Runs all threads: without a lock, with the IntervalLock held across each thread's loop and polled after each
     * step, or with a ReentrantLock taken around each step.
     */
    Outcome run(Guard guard, IntervalLock lock) throws InterruptedException {
        boolean locked = guard == Guard.INTERVAL_LOCK;
        ReentrantLock perStep = guard == Guard.LOCK_PER_STEP ? new ReentrantLock() : null;
        Shared shared = new Shared();
        PaddedAtomicLong inside = new PaddedAtomicLong();
        PaddedAtomicLong peak = new PaddedAtomicLong();
        PaddedAtomicLong turns = new PaddedAtomicLong();
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<Thread> workers = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("interval-" + t).start(() -> {
                RaceDemo.await(start);
                if (locked) {
                    lock.lock();
                }
                try {
                    for (int i = 0; i < steps; i++) {
                        if (perStep != null) {
                            perStep.lock();
                        }
                        long now = inside.incrementAndGet();
                        peak.accumulateAndGet(now, Math::max);
                        step(shared);
                        inside.decrementAndGet();
                        if (perStep != null) {
                            perStep.unlock();
                        }
                        if (locked && lock.cedeIfDue()) {
                            turns.incrementAndGet();
                        }
                    }
                } finally {
                    if (locked) {
                        lock.unlock();
                    }
                }
            }));
        }
        long t0 = System.nanoTime();
        RaceDemo.await(start);
        for (Thread w : workers) {
            w.join();
        }
        return new Outcome(shared.get(), peak.get(), locked ? turns.get() : -1, System.nanoTime() - t0);
    }
}
