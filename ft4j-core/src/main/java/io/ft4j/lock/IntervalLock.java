package io.ft4j.lock;

import io.ft4j.internal.util.Checks;
import io.ft4j.internal.wait.Waiters;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A time-sliced lock: the owner holds it across a long loop and calls {@link #poll()} each iteration; once the
 * interval has passed since its first poll, poll hands the lock to the longest waiter and queues the owner
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
 * <p><b>Owner checks.</b> Unlocking, polling or ceding without holding the lock throws
 * {@link IllegalMonitorStateException} (ft_utils lets a non-owner's poll pass unnoticed); locking it again while
 * holding it throws {@link IllegalStateException} instead of deadlocking. Conditions are not supported.
 */
public final class IntervalLock implements Lock {
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(IntervalLock.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Thread owner;
    /** Queued waiters; written under {@link #guard}, read without it by releases. */
    private volatile int waiting;
    private final ReentrantLock guard = new ReentrantLock();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();

    private final long intervalNanos;
    private final LockOrder.Node order;
    private final LockScope scope = this::unlock;
    /**
     * When the owner's interval started, or {@link #NOT_STARTED}: a clock read costs more than the whole uncontended
     * lock and unlock, so acquiring does not read the clock; the owner's first poll does. Owner-only.
     */
    private long acquiredAt = NOT_STARTED;
    private static final long NOT_STARTED = Long.MIN_VALUE;

    /** One queued thread; {@code granted} is set by the thread that hands it the lock, which then wakes it. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        final Waiters wake = new Waiters();
        final BooleanSupplier isGranted = () -> this.granted;
        volatile boolean granted;

        void grant() {
            granted = true;
            wake.signal();
        }
    }

    /** A lock with ft_utils' default interval, 5 ms. */
    public IntervalLock() {
        this(Duration.ofMillis(5));
    }

    /**
     * @param interval how long an owner keeps the lock before {@link #poll()} hands it on
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public IntervalLock(Duration interval) {
        this(interval, null);
    }

    /**
     * @param interval how long an owner keeps the lock before {@link #poll()} hands it on
     * @param name the name the lock-order checker reports it by, or null to name it by identity
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public IntervalLock(Duration interval, String name) {
        Checks.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException(Checks.badArgument("interval", interval, ">= 0"));
        }
        intervalNanos = interval.compareTo(Duration.ofNanos(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : interval.toNanos();
        order = LockOrder.node(name, this, LockOrder.NO_LEVEL);
    }

    private void beforeAcquire(boolean blocking) {
        if (owner == Thread.currentThread()) {
            throw new IllegalStateException("this thread already holds " + this
                    + ", which is not re-entrant: call cede() or poll() to let others in, unlock() to leave");
        }
        if (blocking && LockOrder.checking) {
            LockOrder.acquiring(order, false);
        }
    }

    private void afterAcquire() {
        acquiredAt = NOT_STARTED;
        if (LockOrder.checking) {
            LockOrder.acquired(order, false);
        }
    }

    private void requireOwner(String what) {
        if (owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException(
                    "this thread does not hold " + this + ": " + what + " only while holding the lock");
        }
    }

    /** Takes the free lock if nobody queues for it. */
    private boolean tryFast(Thread me) {
        return waiting == 0 && OWNER.compareAndSet(this, (Thread) null, me);
    }

    /** Queues, then waits to be handed the lock: true once it is, false if the deadline passed first. */
    private boolean acquireSlow(boolean interruptible, boolean timed, long deadline) throws InterruptedException {
        Waiter w = new Waiter();
        guard.lock();
        try {
            if (waiting == 0 && OWNER.compareAndSet(this, (Thread) null, w.thread)) {
                return true;
            }
            queue.addLast(w);
            waiting = queue.size();
            if (owner == null) {
                grantFirst(); // the owner left without seeing this waiter
            }
        } finally {
            guard.unlock();
        }
        return awaitGrant(w, interruptible, timed, deadline);
    }

    /** Under the guard: gives a free lock to the first waiter. */
    private void grantFirst() {
        Waiter first = queue.peekFirst();
        if (first != null && OWNER.compareAndSet(this, (Thread) null, first.thread)) {
            queue.pollFirst();
            waiting = queue.size();
            first.grant();
        }
    }

    /** Under the guard, by the owner: passes the lock straight to the first waiter, or frees it. */
    private void handOff() {
        Waiter first = queue.pollFirst();
        if (first == null) {
            owner = null;
            return;
        }
        waiting = queue.size();
        owner = first.thread;
        first.grant();
    }

    /**
     * Waits in the wait layer until the lock is handed to {@code w}. A waiter that times out or is interrupted leaves
     * the queue, unless the lock was handed to it first: then it owns the lock, and an interrupt is kept for later.
     */
    private boolean awaitGrant(Waiter w, boolean interruptible, boolean timed, long deadline)
            throws InterruptedException {
        boolean interrupted = false;
        for (;;) {
            try {
                if (w.wake.await(w.isGranted, 0, 0, timed, deadline) || !withdraw(w)) {
                    break; // granted, possibly just as the deadline passed
                }
                return false;
            } catch (InterruptedException e) {
                if (interruptible && withdraw(w)) {
                    throw e;
                }
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** Leaves the queue; false if the lock was handed to this waiter first, so the caller owns it. */
    private boolean withdraw(Waiter w) {
        guard.lock();
        try {
            if (w.granted) {
                return false;
            }
            queue.remove(w);
            waiting = queue.size();
            return true;
        } finally {
            guard.unlock();
        }
    }

    private void release() {
        if (waiting == 0) {
            owner = null;
            if (waiting == 0) {
                return;
            }
            guard.lock();
            try {
                if (owner == null) {
                    grantFirst(); // a waiter queued while this release looked away
                }
            } finally {
                guard.unlock();
            }
        } else {
            guard.lock();
            try {
                handOff();
            } finally {
                guard.unlock();
            }
        }
    }

    /**
     * Waits, uninterruptibly, until the lock is handed to this thread: at once if it is free and nobody queues,
     * otherwise after every thread queued earlier.
     *
     * @throws IllegalStateException if this thread holds the lock already
     */
    @Override
    public void lock() {
        beforeAcquire(true);
        if (!tryFast(Thread.currentThread())) {
            try {
                acquireSlow(false, false, 0L);
            } catch (InterruptedException e) {
                throw new AssertionError(e); // an uninterruptible wait does not throw it
            }
        }
        afterAcquire();
    }

    /** @throws IllegalStateException if this thread holds the lock already */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        beforeAcquire(true);
        if (!tryFast(Thread.currentThread())) {
            acquireSlow(true, false, 0L);
        }
        afterAcquire();
    }

    /**
     * Takes the lock only if it is free and nobody waits for it: waiters keep their turn.
     *
     * @throws IllegalStateException if this thread holds the lock already
     */
    @Override
    public boolean tryLock() {
        beforeAcquire(false);
        if (tryFast(Thread.currentThread())) {
            afterAcquire();
            return true;
        }
        return false;
    }

    /** @throws IllegalStateException if this thread holds the lock already */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long deadline = Waiters.deadline(time, unit);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        beforeAcquire(true);
        if (tryFast(Thread.currentThread()) || acquireSlow(true, true, deadline)) {
            afterAcquire();
            return true;
        }
        return false;
    }

    /**
     * Releases the lock, handing it to the first waiter if there is one.
     *
     * @throws IllegalMonitorStateException if this thread does not hold the lock
     */
    @Override
    public void unlock() {
        requireOwner("unlock");
        release();
        if (LockOrder.checking) {
            LockOrder.released(order);
        }
    }

    /**
     * Takes the lock for a try-with-resources block: {@code try (var held = lock.locked()) { ... }}.
     *
     * @return the scope, which unlocks when closed
     */
    public LockScope locked() {
        lock();
        return scope;
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
        if (waiting != 0) {
            if (LockOrder.checking) {
                LockOrder.reacquiring(order, false); // waiting for our turn while keeping locks taken since
            }
            Waiter me = new Waiter();
            boolean queued = false;
            guard.lock();
            try {
                if (!queue.isEmpty()) {
                    queue.addLast(me); // behind everyone, then the first one in: one step, so no one overtakes
                    queued = true;
                    handOff();
                }
            } finally {
                guard.unlock();
            }
            if (queued) {
                try {
                    awaitGrant(me, false, false, 0L);
                } catch (InterruptedException e) {
                    throw new AssertionError(e); // an uninterruptible wait does not throw it
                }
            }
        }
        acquiredAt = System.nanoTime();
    }

    /**
     * Cedes if the interval has passed since this thread's interval started; otherwise does nothing. The interval
     * starts at the first poll after acquiring the lock (acquiring does not read the clock, to keep lock and unlock
     * cheap) and again at every cede. Call it once per iteration of a loop that holds the lock: it costs a clock read.
     *
     * @return whether the interval had passed, so that {@link #cede()} ran
     * @throws IllegalMonitorStateException if this thread does not hold the lock
     */
    public boolean poll() {
        requireOwner("poll");
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

    /** @return the interval after which {@link #poll()} hands the lock on */
    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    /** @return whether some thread holds the lock */
    public boolean isLocked() {
        return owner != null;
    }

    /** @return whether the calling thread holds the lock */
    public boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /** @return how many threads are queued for the lock */
    public int queueLength() {
        return waiting;
    }

    /** Not supported: hold the lock and {@link #cede()} to let others run, or pair it with a queue. */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException(
                "IntervalLock has no conditions: cede() to let waiters run, or wait on a queue");
    }

    @Override
    public String toString() {
        Thread o = owner;
        return "IntervalLock[" + order.name + ", interval=" + interval()
                + (o != null ? ", owner=" + o.getName() : ", unlocked") + "]";
    }
}
