package io.ft4j.lock;

import io.ft4j.internal.wait.Waiters;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The machinery shared by ft4j's hand-off locks ({@link IntervalLock}: FIFO turns; {@link PriorityLock}: priority
 * order): an owner word taken by CAS when nobody queues, a queue of waiters in the subclass's order guarded by a small
 * mutex, and direct hand-off on release.
 *
 * <p><b>Algorithm.</b> Release hands the lock straight to the queue's head: the owner word goes from the old owner to
 * the waiter without ever being free, so no newcomer overtakes a queued thread and the queue's order is the grant
 * order. Waiters wait in the wait layer ({@link Waiters}) on their own grant flag.
 *
 * <p><b>Linearization points and ordering.</b> Acquisition takes effect at the CAS or the hand-off store of the owner
 * word, release at its store; both are volatile, so whatever the owner wrote happens-before what the next owner
 * reads. A release that finds no waiter clears the owner word and then reads the waiter count, and a waiter adds
 * itself to the count and then reads the owner word (Dekker's pattern), so one of them always hands over.
 *
 * <p>Not re-entrant: locking again while holding throws {@link IllegalStateException} instead of deadlocking;
 * unlocking without holding throws {@link IllegalMonitorStateException}. Blocking acquisitions longer than 1 ms are
 * recorded as JFR events ({@code io.ft4j.LockWait}) while a recording asks for them (a cede's wait for its next turn
 * is not: it is the lock working as meant).
 */
abstract sealed class QueuedLock implements Lock permits IntervalLock, PriorityLock {
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(QueuedLock.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Thread owner;
    /** Queued waiters; written under {@link #guard}, read without it by releases. */
    private volatile int waiting;
    private final ReentrantLock guard = new ReentrantLock();
    /** The waiters in grant order; under {@link #guard}. */
    private final Queue<Waiter> queue;
    /** Arrival numbers, for FIFO order among equals; under {@link #guard}. */
    private long arrivals;

    final LockOrder.Node order;
    private final LockScope scope = this::unlock;

    /** One queued thread; {@code granted} is set by the thread that hands it the lock, which then wakes it. */
    static final class Waiter {
        final Thread thread = Thread.currentThread();
        final int priority;
        long arrival;
        final Waiters wake = new Waiters();
        final BooleanSupplier isGranted = () -> this.granted;
        volatile boolean granted;

        Waiter(int priority) {
            this.priority = priority;
        }

        void grant() {
            granted = true;
            wake.signal();
        }
    }

    QueuedLock(Queue<Waiter> queue, String name) {
        this.queue = queue;
        this.order = LockOrder.node(name, this, LockOrder.NO_LEVEL);
    }

    /**
     * A waiter for the calling thread, made only when it must queue: a place to read its priority, which the fast
     * path never needs.
     *
     * @param priority the priority asked for, or the subclass's marker for "the thread's own"
     */
    abstract Waiter newWaiter(int priority);

    /** Called by the new owner once it holds the lock, on every path. */
    void onAcquired() {}

    /**
     * What else the owner can do instead of waiting while holding the lock, appended to messages; empty here, a
     * subclass with more to offer says so.
     */
    String alternativesWhileHolding() {
        return "";
    }

    // ---- acquisition paths, for the public methods of the subclasses ----

    final void beforeAcquire(boolean blocking) {
        if (owner == Thread.currentThread()) {
            throw new IllegalStateException("this thread already holds " + this + ", which is not re-entrant: "
                    + "unlock() it first" + alternativesWhileHolding());
        }
        if (blocking && LockOrder.checking) {
            LockOrder.acquiring(order, false);
        }
    }

    final void afterAcquire() {
        onAcquired();
        if (LockOrder.checking) {
            LockOrder.acquired(order, false);
        }
    }

    final void requireOwner(String what) {
        if (owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException(
                    "this thread does not hold " + this + ": " + what + " only while holding the lock");
        }
    }

    final void acquire(int priority) {
        beforeAcquire(true);
        if (!tryFast()) {
            try {
                acquireSlow(priority, false, false, 0L);
            } catch (InterruptedException e) {
                throw new AssertionError(e); // an uninterruptible wait does not throw it
            }
        }
        afterAcquire();
    }

    final void acquireInterruptibly(int priority) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        beforeAcquire(true);
        if (!tryFast()) {
            acquireSlow(priority, true, false, 0L);
        }
        afterAcquire();
    }

    final boolean tryAcquire(int priority, long time, TimeUnit unit) throws InterruptedException {
        long deadline = Waiters.deadline(time, unit);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        beforeAcquire(true);
        if (tryFast() || acquireSlow(priority, true, true, deadline)) {
            afterAcquire();
            return true;
        }
        return false;
    }

    /** Takes the free lock if nobody queues for it. */
    private boolean tryFast() {
        return waiting == 0 && OWNER.compareAndSet(this, (Thread) null, Thread.currentThread());
    }

    /** Queues, then waits to be handed the lock: true once it is, false if the deadline passed first. */
    private boolean acquireSlow(int priority, boolean interruptible, boolean timed, long deadline)
            throws InterruptedException {
        Waiter w = newWaiter(priority);
        // begun before queueing: once queued, nothing may throw before the wait
        LockWaitEvent event = LockWaitEvent.begin(order.name, "exclusive", owner, w.priority);
        try {
            guard.lock();
            try {
                if (waiting == 0 && OWNER.compareAndSet(this, (Thread) null, w.thread)) {
                    return true;
                }
                enqueue(w);
                if (owner == null) {
                    grantFirst(); // the owner left without seeing this waiter
                }
            } finally {
                guard.unlock();
            }
            return awaitGrant(w, interruptible, timed, deadline);
        } finally {
            LockWaitEvent.end(event);
        }
    }

    /** Under the guard: adds a waiter in the queue's order. */
    private void enqueue(Waiter w) {
        w.arrival = arrivals++;
        queue.offer(w);
        waiting = queue.size();
    }

    /** Under the guard: gives a free lock to the first waiter. */
    private void grantFirst() {
        Waiter first = queue.peek();
        if (first != null && OWNER.compareAndSet(this, (Thread) null, first.thread)) {
            queue.poll();
            waiting = queue.size();
            first.grant();
        }
    }

    /** Under the guard, by the owner: passes the lock straight to the first waiter, or frees it. */
    private void handOff() {
        Waiter first = queue.poll();
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

    /**
     * By the owner: queues itself in the queue's order and hands the lock to the head in one step, so that nobody
     * overtakes, then waits for its turn. Returns at once, still holding, if nobody queues.
     *
     * @param priority the priority to queue at
     */
    final void requeue(int priority) {
        if (waiting == 0) {
            return;
        }
        if (LockOrder.checking) {
            LockOrder.reacquiring(order, false); // waiting for a turn while keeping locks taken since
        }
        Waiter me = newWaiter(priority);
        boolean queued = false;
        guard.lock();
        try {
            if (!queue.isEmpty()) {
                enqueue(me);
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

    // ---- the Lock interface ----

    /**
     * Takes the lock only if it is free and nobody waits for it: waiters keep their turn. Never waits.
     *
     * @return true if the lock was acquired
     * @throws IllegalStateException if this thread holds the lock already
     */
    @Override
    public final boolean tryLock() {
        beforeAcquire(false);
        if (tryFast()) {
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
    public final void unlock() {
        requireOwner("unlock");
        release();
        if (LockOrder.checking) {
            LockOrder.released(order);
        }
    }

    /**
     * Takes the lock for a try-with-resources block: {@code try (var held = lock.locked()) { ... }}. Waits
     * uninterruptibly, as {@link #lock()} does.
     *
     * @return the scope, which unlocks when closed
     * @throws IllegalStateException if this thread holds the lock already
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    public final LockScope locked() {
        lock();
        return scope;
    }

    final LockScope scope() {
        return scope;
    }

    /**
     * Returns whether some thread holds the lock, for monitoring, as {@link
     * java.util.concurrent.locks.ReentrantLock#isLocked()} does.
     *
     * @return true if the lock is held
     */
    public final boolean isLocked() {
        return owner != null;
    }

    /**
     * Returns whether the calling thread holds the lock.
     *
     * @return true if this thread holds the lock
     */
    public final boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /**
     * Returns how many threads wait for the lock, as {@link
     * java.util.concurrent.locks.ReentrantLock#getQueueLength()} does: a snapshot, for monitoring.
     *
     * @return the number of queued threads
     */
    public final int getQueueLength() {
        return waiting;
    }

    /**
     * Returns whether any thread waits for the lock: a snapshot, for monitoring.
     *
     * @return true if the queue is not empty
     */
    public final boolean hasQueuedThreads() {
        return waiting != 0;
    }

    final Thread owner() {
        return owner;
    }

    /**
     * Throws {@link UnsupportedOperationException}: this lock has no conditions. Pair the lock with a queue, or use a
     * {@link ReentrantLock} where conditions are needed.
     *
     * @return never returns normally
     * @throws UnsupportedOperationException always
     */
    @Override
    public final Condition newCondition() {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " has no conditions: wait on a queue (io.ft4j.concurrent.ConcurrentQueue) while not holding it"
                + alternativesWhileHolding());
    }
}
