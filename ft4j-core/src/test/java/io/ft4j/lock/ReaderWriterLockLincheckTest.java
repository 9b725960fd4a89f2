package io.ft4j.lock;

import io.ft4j.testing.Linearizability;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * ReaderWriterLock guarding a plain (non-volatile) counter, through the read and write locks, re-entrant reads, the
 * downgrade and optimistic reads: any lost update, torn read or writer inside a read
 * section makes a history that no sequential order of the operations explains. Every operation releases what it
 * took, so the sequential specification is simply a counter.
 */
public class ReaderWriterLockLincheckTest extends Linearizability {
    private final ReaderWriterLock lock = newLock();
    private long value;

    /** @return the lock under test; {@code ReaderWriterLockBiasedLincheckTest} checks the biased paths */
    ReaderWriterLock newLock() {
        return new ReaderWriterLock();
    }

    /** Optimistic: a validated pair of reads must agree; otherwise the read lock is taken, as users do. */
    @Operation
    public long optimisticRead() {
        long stamp = lock.tryOptimisticRead();
        long a = value;
        long b = value;
        if (lock.validate(stamp)) {
            return a == b ? a : -1L;
        }
        return read();
    }

    @Operation
    public long increment() {
        lock.writeLock().lock();
        try {
            long v = value + 1;
            value = v;
            return v;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Two reads in one section must agree: no writer may slip in between. */
    @Operation
    public long read() {
        lock.readLock().lock();
        try {
            long a = value;
            long b = value;
            return a == b ? a : -1L;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Re-entrant read: the inner hold must not wait behind a writer that waits for the outer one. */
    @Operation
    public long readTwice() {
        lock.readLock().lock();
        try {
            lock.readLock().lock();
            try {
                return value;
            } finally {
                lock.readLock().unlock();
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Downgrade: the value read after giving up the write lock is still the one written. */
    @Operation
    public long incrementThenRead() {
        lock.writeLock().lock();
        long v = value + 1;
        value = v;
        lock.readLock().lock();
        lock.writeLock().unlock();
        try {
            return value == v ? v : -1L;
        } finally {
            lock.readLock().unlock();
        }
    }
}
