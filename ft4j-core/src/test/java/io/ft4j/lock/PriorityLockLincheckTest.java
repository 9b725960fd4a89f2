package io.ft4j.lock;

import io.ft4j.testing.Linearizability;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * PriorityLock guarding a plain counter, at mixed priorities and through the timed path: a lost update, a hand-off that lets
 * two owners in, or a waiter left queued after the lock went free (a hang) makes a history no sequential counter
 * explains. The queue and hand-off are the ones IntervalLock uses, so this covers both.
 */
@Param(name = "priority", gen = IntGen.class, conf = "0:3")
public class PriorityLockLincheckTest extends Linearizability {
    private final PriorityLock lock = new PriorityLock();
    private long value;

    /** Under the lock: a plain read-modify-write, lost if two owners overlap. */
    private long bumpAndUnlock() {
        try {
            long v = value + 1;
            value = v;
            return v;
        } finally {
            lock.unlock();
        }
    }

    @Operation
    public long increment(@Param(name = "priority") int priority) {
        lock.lock(priority);
        return bumpAndUnlock();
    }

    /** The timed path, with a timeout that is never reached: must behave as lock(). */
    @Operation
    public long timedIncrement(@Param(name = "priority") int priority) throws InterruptedException {
        if (!lock.tryLock(priority, 1, java.util.concurrent.TimeUnit.DAYS)) {
            return -1L;
        }
        return bumpAndUnlock();
    }

    /** Two reads in one section must agree. */
    @Operation
    public long read() {
        lock.lock(2);
        try {
            long a = value;
            long b = value;
            return a == b ? a : -1L;
        } finally {
            lock.unlock();
        }
    }
}
