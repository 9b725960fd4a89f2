package io.ft4j.lock;

import io.ft4j.internal.util.Checks;
import io.ft4j.thread.Scheduling;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A lock that grants waiters in priority order, highest first, and in arrival order among equal priorities. A thread
 * waits at its own OS priority ({@link Scheduling#rank()}: real-time threads above all time-sharing ones, lower nice
 * above higher nice), or at a priority it names when it locks, on the same 0..{@link Scheduling#MAX_RANK} scale.
 *
 * <p>It orders the queue, nothing more: a low-priority owner still runs at its own priority, so medium-priority work
 * can keep it, and with it every waiter, off the CPU (priority inversion). {@link PriorityInheritanceLock} boosts the
 * owner instead.
 *
 * <p><b>Algorithm.</b> An owner word taken by CAS while nobody queues; otherwise a binary heap of waiters, keyed by
 * (priority descending, arrival ascending), under a small mutex. Release hands the lock straight to the heap's top,
 * so no newcomer overtakes a queued waiter and the heap's order is the grant order. Among equal priorities the order
 * is FIFO, so equals never starve one another; a steady stream of higher-priority waiters can starve lower ones, as
 * it is meant to. The priority of a thread is read from the OS (a few system calls) only when it must queue.
 *
 * <p><b>Linearization points and ordering.</b> Acquisition takes effect at the CAS or at the hand-off store of the
 * owner word, release at its store; both are volatile, so the owner's writes happen-before the next owner's reads.
 *
 * <p>Not re-entrant (re-locking throws {@link IllegalStateException}), owner-checked (unlocking without holding throws
 * {@link IllegalMonitorStateException}), no conditions. Waits over 1 ms are JFR events ({@code io.ft4j.LockWait}).
 * Virtual threads, which have no OS priority of their own, and threads on other OSes queue at 4 &times; their Java
 * priority (5 &rarr; 20, the rank of nice 0) unless they name one.
 */
public final class PriorityLock extends QueuedLock {
    /** The priority a thread waits at when it names none: its own. */
    private static final int OWN = Integer.MIN_VALUE;

    /** A lock reported by the lock-order checker under its identity. */
    public PriorityLock() {
        this(null);
    }

    /** @param name the name the lock-order checker and JFR events report it by, or null to name it by identity */
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
     * Waits, uninterruptibly, at the calling thread's OS priority.
     *
     * @throws IllegalStateException if this thread holds the lock already
     */
    @Override
    public void lock() {
        acquire(OWN);
    }

    /**
     * Waits, uninterruptibly, at the given priority.
     *
     * @param priority 0..{@link Scheduling#MAX_RANK}, higher first
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if this thread holds the lock already
     */
    public void lock(int priority) {
        acquire(check(priority));
    }

    /** @throws IllegalStateException if this thread holds the lock already */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquireInterruptibly(OWN);
    }

    /**
     * @param priority 0..{@link Scheduling#MAX_RANK}, higher first
     * @throws InterruptedException if interrupted while waiting; the thread then neither holds nor queues
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if this thread holds the lock already
     */
    public void lockInterruptibly(int priority) throws InterruptedException {
        acquireInterruptibly(check(priority));
    }

    /** @throws IllegalStateException if this thread holds the lock already */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return tryAcquire(OWN, time, unit);
    }

    /**
     * @param priority 0..{@link Scheduling#MAX_RANK}, higher first
     * @param time how long to wait
     * @param unit its unit
     * @return whether the lock was taken in time
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalArgumentException if the priority is out of range
     * @throws IllegalStateException if this thread holds the lock already
     */
    public boolean tryLock(int priority, long time, TimeUnit unit) throws InterruptedException {
        return tryAcquire(check(priority), time, unit);
    }

    /**
     * Takes the lock at the given priority for a try-with-resources block.
     *
     * @param priority 0..{@link Scheduling#MAX_RANK}, higher first
     * @return the scope, which unlocks when closed
     */
    public LockScope locked(int priority) {
        lock(priority);
        return scope();
    }

    @Override
    public String toString() {
        Thread o = owner();
        return "PriorityLock[" + order.name + (o != null ? ", owner=" + o.getName() : ", unlocked")
                + ", queued=" + getQueueLength() + "]";
    }
}
