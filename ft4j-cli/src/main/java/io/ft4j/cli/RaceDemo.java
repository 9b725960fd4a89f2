package io.ft4j.cli;

import io.ft4j.atomic.PaddedAtomicLong;
import io.ft4j.lock.CriticalSection;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The seed's lost-update race, in Java: a counter object with a getter and a setter, many threads incrementing it
 * after a barrier releases them together, and four ways to do the increment side by side.
 */
@Command(name = "race", mixinStandardHelpOptions = true,
        description = "Lost updates: naive vs lock vs PaddedAtomicLong vs critical section.")
final class RaceDemo implements Callable<Integer>, Demo {

    @Option(names = {"-r", "--rounds"}, defaultValue = "3", paramLabel = "N", description = "rounds to run (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = {"-t", "--threads"}, defaultValue = "10", paramLabel = "N", description = "threads per counter (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = {"-n", "--increments"}, defaultValue = "50000", paramLabel = "N", description = "increments per thread (default: ${DEFAULT-VALUE})")
    int increments;

    @Spec
    CommandSpec spec;

    private String takeaway;

    @Override
    public String takeaway() {
        return takeaway;
    }

    /**
     * The seed's Counter: a value behind a getter and a setter, with no synchronization of its own. The field is
     * volatile so that every get and set really goes to memory, as each access to a Python property does; with a plain
     * field the JIT turns the loop into one add, each thread finishes inside its time slice, and the race hides
     * (it is still there). volatile makes each write visible; it does not make read-add-write one step.
     */
    static final class Counter {
        private volatile long counted;

        long getCounted() {
            return counted;
        }

        void setCounted(long value) {
            counted = value;
        }
    }

    /** One way to increment, named for the table. */
    enum Kind {
        NAIVE("naive: c.setCounted(c.getCounted() + 1)"),
        LOCK("lock: a ReentrantLock around it"),
        ATOMIC("PaddedAtomicLong.incrementAndGet()"),
        CRITICAL_SECTION("CriticalSection.run(c, ...)");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        boolean safe() {
            return this != NAIVE;
        }
    }

    /** What one counter ended with. */
    record Outcome(Kind kind, long expected, long actual, long nanos) {
        long lost() {
            return expected - actual;
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        requireAtLeast(rounds, 1, "--rounds");
        requireAtLeast(threads, 2, "--threads");
        requireAtLeast(increments, 1, "--increments");
        PrintWriter out = spec.commandLine().getOut();
        long expected = (long) threads * increments;
        out.printf(Locale.ROOT, """
                `counted += 1` is three steps: read, add, write. Two threads that read the same value both write
                value + 1, and one increment is lost. The counter's field is volatile: every write is visible at
                once, and increments are lost all the same. Visibility is not atomicity.
                %d threads x %,d increments, released together by a barrier.
                """, threads, increments);
        int naiveLossRounds = 0;
        long worstLoss = 0;
        boolean safeExact = true;
        for (int round = 1; round <= rounds; round++) {
            out.printf(Locale.ROOT, "%nround %d/%d: expected %,d%n", round, rounds, expected);
            out.printf(Locale.ROOT, "  %-44s %12s %12s %9s%n", "counter", "actual", "lost", "time");
            for (Kind kind : Kind.values()) {
                Outcome o = runOnce(kind, threads, increments);
                String verdict = o.lost() == 0 ? "exact" : "LOST UPDATES";
                out.printf(Locale.ROOT, "  %-44s %,12d %,12d %6.1f ms  %s%n", kind.label, o.actual(), o.lost(),
                        o.nanos() / 1e6, verdict);
                if (kind.safe()) {
                    safeExact &= o.lost() == 0;
                } else if (o.lost() != 0) {
                    naiveLossRounds++;
                    worstLoss = Math.max(worstLoss, o.lost());
                }
            }
        }
        out.printf(Locale.ROOT, "%nnaive counter lost updates in %d of %d rounds (worst: %,d of %,d lost).%n",
                naiveLossRounds, rounds, worstLoss, expected);
        takeaway = String.format(Locale.ROOT, "the naive counter lost updates in %d of %d rounds (worst %,d of %,d); "
                + "the lock, PaddedAtomicLong and CriticalSection were %s", naiveLossRounds, rounds, worstLoss, expected,
                safeExact ? "exact every time" : "NOT exact (a bug)");
        out.println(safeExact
                ? "lock, PaddedAtomicLong and critical section were exact in every round."
                : "A SAFE COUNTER LOST UPDATES: this is a bug in ft4j, please report it.");
        return safeExact ? 0 : 1;
    }

    private void requireAtLeast(int value, int min, String option) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(),
                    option + ": " + value + " (expected: >= " + min + ")");
        }
    }

    /** Runs one counter: {@code threads} threads, each incrementing {@code increments} times after a barrier. */
    static Outcome runOnce(Kind kind, int threads, int increments) throws InterruptedException {
        Counter counter = new Counter();
        PaddedAtomicLong atomic = new PaddedAtomicLong();
        ReentrantLock lock = new ReentrantLock();
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<Thread> workers = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("race-" + kind + "-" + t).start(() -> {
                await(start);
                switch (kind) {
                    case NAIVE -> {
                        for (int i = 0; i < increments; i++) {
                            counter.setCounted(counter.getCounted() + 1);
                        }
                    }
                    case LOCK -> {
                        for (int i = 0; i < increments; i++) {
                            lock.lock();
                            try {
                                counter.setCounted(counter.getCounted() + 1);
                            } finally {
                                lock.unlock();
                            }
                        }
                    }
                    case ATOMIC -> {
                        for (int i = 0; i < increments; i++) {
                            atomic.incrementAndGet();
                        }
                    }
                    case CRITICAL_SECTION -> {
                        Runnable increment = () -> counter.setCounted(counter.getCounted() + 1);
                        for (int i = 0; i < increments; i++) {
                            CriticalSection.run(counter, increment);
                        }
                    }
                }
            }));
        }
        long t0 = System.nanoTime();
        await(start);
        for (Thread w : workers) {
            w.join();
        }
        long nanos = System.nanoTime() - t0;
        // join() makes every worker's writes visible here, so a plain read of the naive counter is exact.
        long actual = kind == Kind.ATOMIC ? atomic.get() : counter.getCounted();
        return new Outcome(kind, (long) threads * increments, actual, nanos);
    }

    static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting at the start barrier", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("start barrier broken", e);
        }
    }
}
