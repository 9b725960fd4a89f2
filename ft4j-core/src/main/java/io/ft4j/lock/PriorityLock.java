package io.ft4j.lock;

import io.ft4j.internal.util.Checks;
import io.ft4j.thread.Scheduling;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link java.util.concurrent.locks.Lock} that grants waiters in priority order, highest first, and in arrival order
 * among equal priorities. A thread waits at its own OS priority ({@link Scheduling#rank()}: real-time threads above
 * all time-sharing ones, lower nice above higher nice), or at a priority it names when it locks, on the same
 * 0..{@link Scheduling#MAX_RANK} scale.
 *
 * <p>It orders the queue, nothing more: a low-priority owner still runs at its own priority, so medium-priority work
 * can keep it, and with it every waiter, off the CPU (priority inversion). {@link PriorityInheritanceLock} boosts the
 * owner instead.
 *
 * <p><b>Grant order.</b> Release hands the lock straight to the highest-priority waiter, so no newcomer overtakes a
 * queued waiter. Among equal priorities the order is FIFO, so equals never starve one another; a steady stream of
 * higher-priority waiters can starve lower ones, as it is meant to. The priority of a thread is read from the OS (a
 * few system calls) only when it must queue.
 *
 * <p><b>Memory consistency effects.</b> Whatever the owner wrote before releasing the lock happens-before what the
 * next owner does after acquiring it.
 *
 * <p>Not re-entrant (re-locking throws {@link IllegalStateException}), owner-checked (unlocking without holding throws
 * {@link IllegalMonitorStateException}), no conditions. Waits over 1 ms are JFR events ({@code io.ft4j.LockWait}).
 * Virtual threads, which have no OS priority of their own, and threads on other OSes queue at 4 &times; their Java
 * priority (5 &rarr; 20, the rank of nice 0) unless they name one.
 */
/*
 * Algorithm. An owner word taken by CAS while nobody queues; otherwise a binary heap of waiters, keyed by (priority
 * descending, arrival ascending), under a small mutex (QueuedLock). Release hands the lock straight to the heap's top,
 * so no newcomer overtakes a queued waiter and the heap's order is the grant order.
 *
 * Linearization points and ordering. Acquisition takes effect at the CAS or at the hand-off store of the owner word,
 * release at its store; both are volatile, so the owner's writes happen-before the next owner's reads.
 */
public final class PriorityLock extends QueuedLock {
    /** The priority a thread waits at when it names none: its own. */
    private static final int OWN = Integer.MIN_VALUE;

    /** Creates a lock that the lock-order checker and JFR events name by its identity. */
    public PriorityLock() {
        this(null);
    }

    /**
     * Creates a lock with a name.
     *
     * @param name the name the lock-order checker and JFR events report it by, or null to name it by identity
     */
    public PriorityLock(String name) {
        super(new PriorityQueue<>((a, b) -> a.priority != b.priority
                ? Integer.compare(b.priority, a.priority)
                : Long.compare(a.arrival, b.arrival)), name);
    }

    @Override
    Waiter newWaiter(int priority) {
        return new Waiter(priority == OWN ? ownPriority() : priority);
    }

    /** @return the calling thread's priority on the rank scale */
    static int ownPriority() {
        Thread me = Thread.currentThread();
        if (Scheduling.isSupported() && !me.isVirtual()) {
            return Scheduling.rank();
        }
        return 4 * me.getPriority();
    }

    private static int check(int priority) {
        if (priority < 0 || priority > Scheduling.MAX_RANK) {
            throw new IllegalArgumentException(Checks.badArgument("priority", priority, "0.." + Scheduling.MAX_RANK
                    + " (Scheduling.rank(): 101..199 real-time, 1..40 for nice 19..-20)"));
        }
        return priority;
    }

    /**
     * Acquires the lock, waiting uninterruptibly at the calling thread's OS priority. An interrupt does not end the
     * wait; it stays set.
     *
     * @throws IllegalStateException if this thread holds the lock already
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    @Override
    public void lock() {
        acquire(OWN);
    }

    /**
     * Acquires the lock, waiting uninterruptibly at the given priority. An interrupt does not end the wait; it stays
     * set.
     *
     * @param priority 0..{@link Scheduling#MAX_RANK}, higher first, on the {@link Scheduling#rank()} scale
     * @throws IllegalArgumentException if {@code priority} is out of range
     * @throws IllegalStateException if this thread holds the lock already
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    public void lock(int priority) {
        acquire(check(priority));
    }

    /**
     * Acquires the lock unless the thread is interrupted, waiting at the calling thread's OS priority.
     *
     * @throws InterruptedException if the thread is interrupted before or while waiting; it then neither holds the lock
     *     nor queues for it, and its interrupted status is cleared
     * @throws IllegalStateException if this thread holds the lock already
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquireInterruptibly(OWN);
    }

    /**
     * Acquires the lock unless the thread is interrupted, waiting at the given priority.
     *
     * @param priority 0..{@link Scheduling#MAX_RANK}, higher first, on the {@link Scheduling#rank()} scale
     * @throws InterruptedException if the thread is interrupted before or while waiting; it then neither holds the lock
     *     nor queues for it, and its interrupted status is cleared
     * @throws IllegalArgumentException if {@code priority} is out of range
     * @throws IllegalStateException if this thread holds the lock already
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    public void lockInterruptibly(int priority) throws InterruptedException {
        acquireInterruptibly(check(priority));
    }

    /**
     * Acquires the lock if it is granted within the given time and the thread is not interrupted, waiting at the
     * calling thread's OS priority.
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
        return tryAcquire(OWN, time, unit);
    }

    /**
     * Acquires the lock if it is granted within the given time and the thread is not interrupted, waiting at the
     * given priority.
     *
     * @param priority 0..{@link Scheduling#MAX_RANK}, higher first, on the {@link Scheduling#rank()} scale
     * @param time the longest time to wait, in {@code unit}s; zero or less means not to wait if the lock is not free
     * @param unit the unit of {@code time}
     * @return true if the lock was acquired, false if the time passed first
     * @throws InterruptedException if the thread is interrupted before or while waiting; it then neither holds the lock
     *     nor queues for it, and its interrupted status is cleared
     * @throws IllegalArgumentException if {@code priority} is out of range
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalStateException if this thread holds the lock already
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    public boolean tryLock(int priority, long time, TimeUnit unit) throws InterruptedException {
        return tryAcquire(check(priority), time, unit);
    }

    /**
     * Takes the lock at the given priority for a try-with-resources block, waiting uninterruptibly as
     * {@link #lock(int)} does.
     *
     * @param priority 0..{@link Scheduling#MAX_RANK}, higher first, on the {@link Scheduling#rank()} scale
     * @return the scope, which unlocks when closed
     * @throws IllegalArgumentException if {@code priority} is out of range
     * @throws IllegalStateException if this thread holds the lock already
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    public LockScope locked(int priority) {
        lock(priority);
        return scope();
    }

    /**
     * Returns a string identifying this lock and its state: its name, owner, if any, and queue length.
     *
     * @return a string identifying this lock and its state
     */
    @Override
    public String toString() {
        Thread o = owner();
        return "PriorityLock[" + order.name + (o != null ? ", owner=" + o.getName() : ", unlocked")
                + ", queued=" + getQueueLength() + "]";
    }
}
