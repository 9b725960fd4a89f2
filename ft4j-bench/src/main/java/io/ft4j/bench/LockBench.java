package io.ft4j.bench;

import io.ft4j.lock.CriticalSection;
import io.ft4j.lock.IntervalLock;
import io.ft4j.lock.ReaderWriterLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ReaderWriterLock against ReentrantReadWriteLock and StampedLock (pessimistic read), IntervalLock and
 * ReaderWriterLock's write side against ReentrantLock, and CriticalSection against {@code synchronized}.
 *
 * <ul>
 *   <li>read100, rw99, rw95, rw50, write100: every thread shares one lock guarding two plain fields; a read section
 *       reads both, a write section increments both. Each thread writes never, every 100th, every 20th, every 2nd
 *       or every operation. Readers and writers take the lock pessimistically ({@code StampedLock}'s
 *       {@code readLock}/{@code writeLock}, which is what its {@code asReadLock} views do).</li>
 *   <li>optimistic95: as rw95, but reads are optimistic and fall back to the read lock when validation fails,
 *       against {@code StampedLock}'s optimistic read.</li>
 *   <li>uncontendedWrite, uncontendedLock: each thread has a lock of its own (lock, unlock).</li>
 *   <li>section1, section2: one or two objects shared by all threads, a counter incremented inside; the anchor is
 *       {@code synchronized}, nested in a fixed order for two objects. The lock-order checker is off, so section1
 *       also measures what the checker's off switch costs. section2Prepared: the same two objects through a
 *       {@link CriticalSection.Prepared}, whose order was computed once.</li>
 * </ul>
 *
 * {@snippet lang="shell" :
 * java --sun-misc-unsafe-memory-access=allow -cp ft4j-bench/target/benchmarks.jar io.ft4j.bench.Ratios \
 *      LockBench -t 1,2,4 -f 3
 * }
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class LockBench {
    private final ReaderWriterLock ft4j = new ReaderWriterLock();
    private final ReentrantReadWriteLock rrwl = new ReentrantReadWriteLock();
    private final StampedLock stamped = new StampedLock();
    private long x;
    private long y;

    private final Object first = new Object();
    private final Object second = new Object();
    private final Object low;
    private final Object high;
    private final CriticalSection.Prepared prepared;
    private long inside;

    public LockBench() {
        boolean ordered = System.identityHashCode(first) <= System.identityHashCode(second);
        low = ordered ? first : second;
        high = ordered ? second : first;
        prepared = CriticalSection.prepare(first, second);
    }

    /** Per-thread operation counter and private locks. */
    @State(Scope.Thread)
    public static class Mine {
        int n;
        final ReaderWriterLock rw = new ReaderWriterLock();
        final IntervalLock interval = new IntervalLock();
        final ReentrantLock reentrant = new ReentrantLock();
    }

    // ------------------------------------------------------------------ sections over the shared fields

    private long ft4jRead() {
        ft4j.readLock().lock();
        try {
            return x + y;
        } finally {
            ft4j.readLock().unlock();
        }
    }

    private long ft4jWrite() {
        ft4j.writeLock().lock();
        try {
            return ++x + ++y;
        } finally {
            ft4j.writeLock().unlock();
        }
    }

    private long rrwlRead() {
        rrwl.readLock().lock();
        try {
            return x + y;
        } finally {
            rrwl.readLock().unlock();
        }
    }

    private long rrwlWrite() {
        rrwl.writeLock().lock();
        try {
            return ++x + ++y;
        } finally {
            rrwl.writeLock().unlock();
        }
    }

    private long stampedRead() {
        long stamp = stamped.readLock();
        try {
            return x + y;
        } finally {
            stamped.unlockRead(stamp);
        }
    }

    private long stampedWrite() {
        long stamp = stamped.writeLock();
        try {
            return ++x + ++y;
        } finally {
            stamped.unlockWrite(stamp);
        }
    }

    @Benchmark public long ft4j_read100() { return ft4jRead(); }
    @Benchmark public long anchorRrwl_read100() { return rrwlRead(); }
    @Benchmark public long anchorStamped_read100() { return stampedRead(); }

    @Benchmark public long ft4j_rw95(Mine m) { return ++m.n % 20 == 0 ? ft4jWrite() : ft4jRead(); }
    @Benchmark public long anchorRrwl_rw95(Mine m) { return ++m.n % 20 == 0 ? rrwlWrite() : rrwlRead(); }
    @Benchmark public long anchorStamped_rw95(Mine m) { return ++m.n % 20 == 0 ? stampedWrite() : stampedRead(); }

    @Benchmark public long ft4j_rw99(Mine m) { return ++m.n % 100 == 0 ? ft4jWrite() : ft4jRead(); }
    @Benchmark public long anchorRrwl_rw99(Mine m) { return ++m.n % 100 == 0 ? rrwlWrite() : rrwlRead(); }
    @Benchmark public long anchorStamped_rw99(Mine m) { return ++m.n % 100 == 0 ? stampedWrite() : stampedRead(); }

    @Benchmark public long ft4j_rw50(Mine m) { return (++m.n & 1) == 0 ? ft4jWrite() : ft4jRead(); }
    @Benchmark public long anchorRrwl_rw50(Mine m) { return (++m.n & 1) == 0 ? rrwlWrite() : rrwlRead(); }
    @Benchmark public long anchorStamped_rw50(Mine m) { return (++m.n & 1) == 0 ? stampedWrite() : stampedRead(); }

    @Benchmark public long ft4j_write100() { return ft4jWrite(); }
    @Benchmark public long anchorRrwl_write100() { return rrwlWrite(); }
    @Benchmark public long anchorStamped_write100() { return stampedWrite(); }

    // ------------------------------------------------------------------ optimistic reads, falling back to the lock

    private long ft4jOptimisticRead() {
        long stamp = ft4j.tryOptimisticRead();
        long a = x;
        long b = y;
        if (!ft4j.validate(stamp)) {
            return ft4jRead();
        }
        return a + b;
    }

    private long stampedOptimisticRead() {
        long stamp = stamped.tryOptimisticRead();
        long a = x;
        long b = y;
        if (!stamped.validate(stamp)) {
            return stampedRead();
        }
        return a + b;
    }

    @Benchmark
    public long ft4j_optimistic95(Mine m) {
        return ++m.n % 20 == 0 ? ft4jWrite() : ft4jOptimisticRead();
    }

    @Benchmark
    public long anchorStamped_optimistic95(Mine m) {
        return ++m.n % 20 == 0 ? stampedWrite() : stampedOptimisticRead();
    }

    // ------------------------------------------------------------------ uncontended lock and unlock

    @Benchmark
    public void ft4j_uncontendedWrite(Mine m) {
        m.rw.writeLock().lock();
        m.rw.writeLock().unlock();
    }

    @Benchmark
    public void anchorReentrant_uncontendedWrite(Mine m) {
        m.reentrant.lock();
        m.reentrant.unlock();
    }

    @Benchmark
    public void ft4j_uncontendedInterval(Mine m) {
        m.interval.lock();
        m.interval.unlock();
    }

    @Benchmark
    public void anchorReentrant_uncontendedInterval(Mine m) {
        m.reentrant.lock();
        m.reentrant.unlock();
    }

    // ------------------------------------------------------------------ critical sections

    @Benchmark
    public long ft4j_section1() {
        return CriticalSection.call(first, () -> ++inside);
    }

    @Benchmark
    public long anchorSync_section1() {
        synchronized (first) {
            return ++inside;
        }
    }

    @Benchmark
    public long ft4j_section2() {
        return CriticalSection.call(first, second, () -> ++inside);
    }

    @Benchmark
    public long ft4j_section2Prepared() {
        return prepared.call(() -> ++inside);
    }

    @Benchmark
    public long anchorSync_section2Prepared() {
        synchronized (low) {
            synchronized (high) {
                return ++inside;
            }
        }
    }

    @Benchmark
    public long anchorSync_section2() {
        synchronized (low) {
            synchronized (high) {
                return ++inside;
            }
        }
    }

}
