package io.ft4j.lock;

import io.ft4j.internal.util.Checks;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A time-sliced {@link java.util.concurrent.locks.Lock}: the owner holds it across a long loop and calls
 * {@link #cedeIfDue()} each iteration; once the interval has passed since its first call, {@code cedeIfDue} hands the
 * lock to the longest waiter and queues the owner behind the others. This is the GIL's switch interval as a tool:
 * serial, deterministic execution of the guarded work, with a turn for every waiter per interval and no lock traffic
 * in between. The design, and the default interval of 5 ms, come from ft_utils' IntervalLock.
 *
 * <p><b>Fairness.</b> Release hands the lock directly to the first waiter, so no newcomer can overtake a queued
 * thread. {@link #cede()} queues the caller behind every thread that was queued, including ones that ceded before it:
 * turns go round the waiters in a fixed order.
 *
 * <p><b>Memory consistency effects.</b> Whatever the owner wrote before releasing or ceding the lock happens-before
 * what the next owner does after acquiring it.
 *
 * <p><b>Owner checks.</b> Unlocking or ceding without holding the lock throws
 * {@link IllegalMonitorStateException}; locking it again while holding it throws {@link IllegalStateException}
 * instead of deadlocking. Conditions are not supported.
 */
/*
 * Algorithm. An owner word, taken by CAS when nobody queues, and a FIFO queue of waiters guarded by a small mutex
 * (QueuedLock). Release hands the lock directly to the first waiter: the owner word goes from the old owner to the
 * waiter without ever being free, so no newcomer can overtake a queued thread. cede() appends the caller to the queue
 * and hands the lock to the first waiter in one step under the mutex, so its next turn comes after every thread that
 * was queued, including ones that ceded before it. This is stronger than ft_utils' hand-off rule, which only stops the
 * ceding thread from barging straight back in.
 *
 * Linearization points and ordering. Acquisition takes effect at the CAS or the hand-off store of the owner word,
 * release at its store; both are volatile, so whatever the owner wrote happens-before what the next owner reads. A
 * release that finds no waiter clears the owner word and then reads the waiter count, and a waiter adds itself to the
 * count and then reads the owner word (Dekker's pattern), so one of them always hands over.
 */
public final class IntervalLock extends QueuedLock {
    private final long intervalNanos;
    /**
     * When the owner's interval started, or {@link #NOT_STARTED}: a clock read costs more than the whole uncontended
     * lock and unlock, so acquiring does not read the clock; the owner's first cedeIfDue does. Owner-only.
     */
    private long acquiredAt = NOT_STARTED;
    private static final long NOT_STARTED = Long.MIN_VALUE;

    /** Creates a lock with the default interval, 5 ms, named by its identity. */
    public IntervalLock() {
        this(Duration.ofMillis(5));
    }

    /**
     * Creates a lock with the given interval, named by its identity.
     *
     * @param interval how long an owner keeps the lock before {@link #cedeIfDue()} hands it on; zero makes every
     *     {@code cedeIfDue} cede, and durations beyond about 292 years are taken as that
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public IntervalLock(Duration interval) {
        this(interval, null);
    }

    /**
     * Creates a lock with the given interval and name.
     *
     * @param interval how long an owner keeps the lock before {@link #cedeIfDue()} hands it on; zero makes every
     *     {@code cedeIfDue} cede, and durations beyond about 292 years are taken as that
     * @param name the name the lock-order checker and JFR events report it by, or null to name it by identity
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
     * otherwise after every thread queued earlier. An interrupt does not end the wait; it stays set.
     *
     * @throws IllegalStateException if this thread holds the lock already
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    @Override
    public void lock() {
        acquire(LockWaitEvent.UNKNOWN);
    }

    /**
     * Waits until the lock is handed to this thread, unless the thread is interrupted: at once if it is free and
     * nobody queues, otherwise after every thread queued earlier.
     *
     * @throws InterruptedException if the thread is interrupted before or while waiting; it then neither holds the lock
     *     nor queues for it, and its interrupted status is cleared
     * @throws IllegalStateException if this thread holds the lock already
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquireInterruptibly(LockWaitEvent.UNKNOWN);
    }

    /**
     * Waits at most the given time until the lock is handed to this thread, unless the thread is interrupted; waiters
     * queued earlier go first.
     *
     * @param time the longest time to wait, in {@code unit}s; zero or less means not to wait if the lock is not free
     * @param unit the unit of {@code time}
     * @return true if the lock was acquired, false if the time passed first
     * @throws InterruptedException if the thread is interrupted before or while waiting; it then neither holds the lock
     *     nor queues for it, and its interrupted status is cleared
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalStateException if this thread holds the lock already
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
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
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     waiting for this lock while holding the locks taken after it would break the recorded order
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
     * @throws LockOrderViolationException as {@link #cede()} does
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

    @Override
    String alternativesWhileHolding() {
        return ", or cede() to let the waiters run";
    }

    /**
     * Returns this lock's interval.
     *
     * @return the interval after which {@link #cedeIfDue()} hands the lock on
     */
    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    /**
     * Returns a string identifying this lock and its state: its name, interval and owner, if any.
     *
     * @return a string identifying this lock and its state
     */
    @Override
    public String toString() {
        Thread o = owner();
        return "IntervalLock[" + order.name + ", interval=" + interval()
                + (o != null ? ", owner=" + o.getName() : ", unlocked") + "]";
    }
}
