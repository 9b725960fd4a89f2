package io.ft4j.lock;

import io.ft4j.internal.util.Checks;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A time-sliced lock: the owner holds it across a long loop and calls {@link #cedeIfDue()} each iteration; once the
 * interval has passed since its first call, {@code cedeIfDue} hands the lock to the longest waiter and queues the owner
 * behind the others. This is the GIL's switch interval as a tool: serial, deterministic execution of the guarded
 * work, with a turn for every waiter per interval and no lock traffic in between.
 *
 * <p><b>Algorithm.</b> An owner word, taken by CAS when nobody queues, and a FIFO queue of waiters guarded by a small
 * mutex. Release hands the lock directly to the first waiter: the owner word goes from the old owner to the waiter
 * without ever being free, so no newcomer can overtake a queued thread. {@link #cede()} appends the caller to the
 * queue and hands the lock to the first waiter in one step under the mutex, so its next turn comes after every
 * thread that was queued, including ones that ceded before it: turns go round the waiters in a fixed order. This is
 * stronger than ft_utils' hand-off rule, which only stops the ceding thread from barging straight back in.
 *
 * <p><b>Linearization points and ordering.</b> Acquisition takes effect at the CAS or the hand-off store of the owner
 * word, release at its store; both are volatile, so whatever the owner wrote happens-before what the next owner
 * reads. A release that finds no waiter clears the owner word and then reads the waiter count, and a waiter adds
 * itself to the count and then reads the owner word (Dekker's pattern), so one of them always hands over.
 *
 * <p><b>Owner checks.</b> Unlocking or ceding without holding the lock throws
 * {@link IllegalMonitorStateException}; locking it again while holding it throws {@link IllegalStateException}
 * instead of deadlocking. Conditions are not supported.
 */
public final class IntervalLock extends QueuedLock {
    private final long intervalNanos;
    /**
     * When the owner's interval started, or {@link #NOT_STARTED}: a clock read costs more than the whole uncontended
     * lock and unlock, so acquiring does not read the clock; the owner's first cedeIfDue does. Owner-only.
     */
    private long acquiredAt = NOT_STARTED;
    private static final long NOT_STARTED = Long.MIN_VALUE;

    /** A lock with ft_utils' default interval, 5 ms. */
    public IntervalLock() {
        this(Duration.ofMillis(5));
    }

    /**
     * @param interval how long an owner keeps the lock before {@link #cedeIfDue()} hands it on
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public IntervalLock(Duration interval) {
        this(interval, null);
    }

    /**
     * @param interval how long an owner keeps the lock before {@link #cedeIfDue()} hands it on
     * @param name the name the lock-order checker reports it by, or null to name it by identity
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public IntervalLock(Duration interval, String name) {
        super(new ArrayDeque<>(), name);
        Checks.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException(Checks.badArgument("interval", interval, ">= 0"));
        }
        intervalNanos = interval.compareTo(Duration.ofNanos(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : interval.toNanos();
    }

    @Override
    Waiter newWaiter(int priority) {
        return new Waiter(priority); // FIFO: the priority is only reported
    }

    @Override
    void onAcquired() {
        acquiredAt = NOT_STARTED;
    }

    /**
     * Waits, uninterruptibly, until the lock is handed to this thread: at once if it is free and nobody queues,
     * otherwise after every thread queued earlier.
     *
     * @throws IllegalStateException if this thread holds the lock already
     */
    @Override
    public void lock() {
        acquire(LockWaitEvent.UNKNOWN);
    }

    /** @throws IllegalStateException if this thread holds the lock already */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquireInterruptibly(LockWaitEvent.UNKNOWN);
    }

    /** @throws IllegalStateException if this thread holds the lock already */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return tryAcquire(LockWaitEvent.UNKNOWN, time, unit);
    }

    /**
     * Hands the lock to the longest waiter now, and returns once this thread's turn comes again, after every thread
     * that was queued; with nobody queued it returns at once. Either way the interval restarts. Waits
     * uninterruptibly, as {@link #lock()} does.
     *
     * @throws IllegalMonitorStateException if this thread does not hold the lock
     */
    public void cede() {
        requireOwner("cede");
        requeue(LockWaitEvent.UNKNOWN);
        acquiredAt = System.nanoTime();
    }

    /**
     * Cedes if the interval has passed since this thread's interval started; otherwise does nothing. The interval
     * starts at the first call after acquiring the lock (acquiring does not read the clock, to keep lock and unlock
     * cheap) and again at every cede. Call it once per iteration of a loop that holds the lock: it costs a clock read.
     *
     * @return whether the interval had passed, so that {@link #cede()} ran
     * @throws IllegalMonitorStateException if this thread does not hold the lock
     */
    public boolean cedeIfDue() {
        requireOwner("cedeIfDue");
        long now = System.nanoTime();
        if (acquiredAt == NOT_STARTED) {
            acquiredAt = now;
            return intervalNanos == 0L && cedeNow();
        }
        long held = now - acquiredAt;
        return (held > intervalNanos || held < 0L) && cedeNow();
    }

    private boolean cedeNow() {
        cede();
        return true;
    }

    /** @return the interval after which {@link #cedeIfDue()} hands the lock on */
    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    @Override
    public String toString() {
        Thread o = owner();
        return "IntervalLock[" + order.name + ", interval=" + interval()
                + (o != null ? ", owner=" + o.getName() : ", unlocked") + "]";
    }
}
