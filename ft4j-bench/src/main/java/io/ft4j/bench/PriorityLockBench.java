package io.ft4j.bench;

import io.ft4j.lock.PriorityInheritanceLock;
import io.ft4j.lock.PriorityLock;
import io.ft4j.thread.ControlledThread;
import io.ft4j.thread.Scheduling;
import io.ft4j.thread.SchedulingPolicy;
import io.ft4j.thread.ThreadBuilder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * PriorityLock and PriorityInheritanceLock against ReentrantLock, unfair and fair (ft4j's priority locks never let a
 * newcomer overtake a queued waiter, as the fair one does not either).
 *
 * <ul>
 *   <li>uncontendedPriority, uncontendedPi: each thread has a lock of its own (lock, unlock).</li>
 *   <li>sharedPriority, sharedPi: all threads share one lock guarding a counter; at 2 threads and more the slow
 *       paths (queueing, hand-off; the kernel's FUTEX_LOCK_PI/UNLOCK_PI) are what is measured.</li>
 *   <li>boostRoundTrip (no anchor): what boosting an owner from user space would add to a contended hand-off: one
 *       {@code sched_setscheduler} on another thread to FIFO 1 and one back. Needs CAP_SYS_NICE.</li>
 * </ul>
 *
 * {@snippet lang="shell" :
 * java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
 *      -cp ft4j-bench/target/benchmarks.jar io.ft4j.bench.Ratios PriorityLockBench -t 1,2,4 -f 3
 * }
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"})
public class PriorityLockBench {
    private final PriorityLock priority = new PriorityLock();
    private final PriorityInheritanceLock pi = new PriorityInheritanceLock();
    private final ReentrantLock unfair = new ReentrantLock();
    private final ReentrantLock fair = new ReentrantLock(true);
    private long counter;

    /** Per-thread private locks. */
    @State(Scope.Thread)
    public static class Mine {
        final PriorityLock priority = new PriorityLock();
        final PriorityInheritanceLock pi = new PriorityInheritanceLock();
        final ReentrantLock reentrant = new ReentrantLock();
    }

    /** A parked thread whose policy the boost benchmark flips. */
    @State(Scope.Thread)
    public static class Target {
        final CountDownLatch stop = new CountDownLatch(1);
        ControlledThread thread;

        @Setup(Level.Trial)
        public void start() {
            thread = new ThreadBuilder().name("boost-target").daemon(true).start(() -> {
                try {
                    stop.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            stop.countDown();
            thread.join();
        }
    }

    @Benchmark
    public void ft4j_uncontendedPriority(Mine m) {
        m.priority.lock();
        m.priority.unlock();
    }

    @Benchmark
    public void anchorReentrant_uncontendedPriority(Mine m) {
        m.reentrant.lock();
        m.reentrant.unlock();
    }

    @Benchmark
    public void ft4j_uncontendedPi(Mine m) {
        m.pi.lock();
        m.pi.unlock();
    }

    @Benchmark
    public void anchorReentrant_uncontendedPi(Mine m) {
        m.reentrant.lock();
        m.reentrant.unlock();
    }

    private long increment(java.util.concurrent.locks.Lock lock) {
        lock.lock();
        try {
            return ++counter;
        } finally {
            lock.unlock();
        }
    }

    @Benchmark public long ft4j_sharedPriority() { return increment(priority); }
    @Benchmark public long anchorReentrant_sharedPriority() { return increment(unfair); }
    @Benchmark public long anchorFair_sharedPriority() { return increment(fair); }

    @Benchmark public long ft4j_sharedPi() { return increment(pi); }
    @Benchmark public long anchorReentrant_sharedPi() { return increment(unfair); }
    @Benchmark public long anchorFair_sharedPi() { return increment(fair); }

    @Benchmark
    public void boostRoundTrip(Target t) {
        Scheduling.setPolicy(t.thread, SchedulingPolicy.fifo(1));
        Scheduling.setPolicy(t.thread, SchedulingPolicy.other());
    }
}
