package io.ft4j.bench;

import com.google.common.util.concurrent.CycleDetectingLockFactory;
import io.ft4j.lock.LockOrder;
import io.ft4j.lock.ReaderWriterLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
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
 * The lock-order checker's cost against Guava's CycleDetectingLockFactory: each operation takes two locks nested in
 * the recorded order and releases them, on locks private to the thread (the checker's cost, not contention).
 *
 * <ul>
 *   <li>checkedReentrant: ReentrantLocks seen through {@link LockOrder#wrap} with checking on, against Guava's
 *       cycle-detecting ReentrantLocks (policy WARN). Same locks underneath, so the difference is the checkers.</li>
 *   <li>checkedRw: ft4j ReaderWriterLocks (write, then read) with checking on, against Guava's
 *       cycle-detecting ReentrantReadWriteLocks.</li>
 *   <li>uncheckedRw: the same with checking off, against plain ReentrantReadWriteLocks; compare with checkedRw for
 *       the cost of turning checking on.</li>
 * </ul>
 * Each benchmark runs in its own forked JVM, so the global mode set in setup applies to it alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class LockOrderBench {
    private static final CycleDetectingLockFactory GUAVA =
            CycleDetectingLockFactory.newInstance(CycleDetectingLockFactory.Policies.WARN);

    private Lock ft4jA;
    private Lock ft4jB;
    private Lock guavaA;
    private Lock guavaB;
    private ReaderWriterLock rwA;
    private ReaderWriterLock rwB;
    private java.util.concurrent.locks.ReentrantReadWriteLock guavaRwA;
    private java.util.concurrent.locks.ReentrantReadWriteLock guavaRwB;
    private java.util.concurrent.locks.ReentrantReadWriteLock plainRwA;
    private java.util.concurrent.locks.ReentrantReadWriteLock plainRwB;

    @Setup(Level.Trial)
    public void setUp() {
        String me = Thread.currentThread().getName();
        ft4jA = LockOrder.wrap(new ReentrantLock(), "A-" + me);
        ft4jB = LockOrder.wrap(new ReentrantLock(), "B-" + me);
        guavaA = GUAVA.newReentrantLock("A-" + me);
        guavaB = GUAVA.newReentrantLock("B-" + me);
        rwA = new ReaderWriterLock("rwA-" + me);
        rwB = new ReaderWriterLock("rwB-" + me);
        guavaRwA = GUAVA.newReentrantReadWriteLock("rwA-" + me);
        guavaRwB = GUAVA.newReentrantReadWriteLock("rwB-" + me);
        plainRwA = new java.util.concurrent.locks.ReentrantReadWriteLock();
        plainRwB = new java.util.concurrent.locks.ReentrantReadWriteLock();
    }

    /** Checking on for this fork. */
    @State(Scope.Benchmark)
    public static class On {
        @Setup(Level.Trial)
        public void on() {
            LockOrder.setMode(LockOrder.Mode.REPORT);
        }

        @TearDown(Level.Trial)
        public void off() {
            LockOrder.setMode(LockOrder.Mode.OFF);
        }
    }

    @Benchmark
    public void ft4j_checkedReentrant(On on) {
        ft4jA.lock();
        ft4jB.lock();
        ft4jB.unlock();
        ft4jA.unlock();
    }

    @Benchmark
    public void anchorGuava_checkedReentrant() {
        guavaA.lock();
        guavaB.lock();
        guavaB.unlock();
        guavaA.unlock();
    }

    @Benchmark
    public void ft4j_checkedRw(On on) {
        rwA.writeLock().lock();
        rwB.readLock().lock();
        rwB.readLock().unlock();
        rwA.writeLock().unlock();
    }

    @Benchmark
    public void anchorGuava_checkedRw() {
        guavaRwA.writeLock().lock();
        guavaRwB.readLock().lock();
        guavaRwB.readLock().unlock();
        guavaRwA.writeLock().unlock();
    }

    @Benchmark
    public void ft4j_uncheckedRw() {
        rwA.writeLock().lock();
        rwB.readLock().lock();
        rwB.readLock().unlock();
        rwA.writeLock().unlock();
    }

    @Benchmark
    public void anchorPlain_uncheckedRw() {
        plainRwA.writeLock().lock();
        plainRwB.readLock().lock();
        plainRwB.readLock().unlock();
        plainRwA.writeLock().unlock();
    }
}
