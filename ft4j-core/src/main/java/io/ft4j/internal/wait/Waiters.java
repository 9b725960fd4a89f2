package io.ft4j.internal.wait;

import io.ft4j.internal.util.Checks;
import io.ft4j.internal.util.LinkedNodes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A set of threads waiting for one condition ("not empty", "not full", "all tasks done"), and the one way ft4j's
 * blocking structures wait: spin, then yield, then park until signalled, interrupted or past a deadline.
 *
 * <p><b>Protocol.</b> A waiter pushes a node onto a Treiber stack (a CAS), then tests its condition, and parks only
 * if it is still false. A signaller first makes the condition true with a volatile write or CAS, then reads the
 * stack. Both sides are sequentially consistent accesses, so either the waiter's test sees the change or the
 * signaller sees the waiter (Dekker): no wake-up is lost and no timed polling is needed for correctness. Signallers
 * that find the stack empty pay one volatile read, so the fast paths of the structures built on this stay free of
 * waiting costs.
 *
 * <p><b>Signals.</b> {@link #signal()} pops nodes until it moves one from waiting to signalled (CAS) and unparks
 * its thread; a node whose waiter left (ready, timed out, interrupted) is cancelled by a CAS from the waiter's side
 * and skipped. A waiter that was signalled but leaves without using the signal (timeout, interrupt) passes it on,
 * so a signal is never swallowed.
 *
 * <p><b>Order.</b> {@link #Waiters()} wakes last-in first-out: the most recent waiter has the warmest cache, and the
 * stack is lock-free. Cancelled nodes on top of the stack are unlinked when their waiter leaves; one left under a live
 * node stays until a signal or a later cancellation reaches it, so timed waiters that keep timing out under a
 * long-lived waiter can leave a backlog (bounded by the number of timeouts between two signals). A stack can starve
 * its bottom: when waiters keep arriving, and a woken waiter that finds the condition already taken registers again
 * on top, the oldest is never woken. {@link #fifo()} is for waiters that compete for something a newcomer may take
 * first (a lock's waiting writers): it wakes the longest-waiting one, and a woken waiter that finds the condition
 * taken goes back to the front, keeping its place, as a node of the JDK's AbstractQueuedSynchronizer stays first
 * until it acquires. Its list is doubly linked and changed under this object's monitor, held for a few pointer
 * writes (no allocation, no park) and only by threads that register, leave or signal; signallers that find no waiter
 * still pay one volatile read.
 *
 * <p><b>Strategy.</b> The spin and yield budgets are the caller's: zero spins is a plain blocking wait
 * (park/unpark), a long spin is ft_utils' "lock-free" queue mode without its 50 ms sleeps. The condition is tested
 * once per spin or yield, then once per wake-up. The deadline and the interrupt flag are checked every 64 spins and
 * before every yield. A yield costs a whole time slice when threads outnumber cores, so a timed wait with less than
 * 1 ms left parks instead, and the first yield that took longer than 50 us ends the yield phase.
 */
public final class Waiters {
    /** Creates a wait point with no waiters that wakes the most recent waiter first (lock-free). */
    public Waiters() {
        this(false);
    }

    private Waiters(boolean fifo) {
        this.fifo = fifo;
        this.list = fifo ? new LinkedNodes<>() : null;
    }

    /**
     * Creates a wait point with no waiters that wakes the longest-waiting one first, and keeps a woken waiter that
     * found its condition taken at the front (see the class comment).
     *
     * @return a first-in first-out wait point
     */
    public static Waiters fifo() {
        return new Waiters(true);
    }

    private static final int WAITING = 0;
    private static final int SIGNALLED = 1;
    private static final int CANCELLED = 2;

    private static final VarHandle HEAD;
    private static final VarHandle STATE;
    private static final VarHandle WOKEN;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(Waiters.class, "head", Node.class);
            STATE = l.findVarHandle(Node.class, "state", int.class);
            WOKEN = l.findVarHandle(Waiters.class, "woken", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The spin phase reads the clock and the interrupt flag once per this many spins (a power of two). */
    private static final int CHECK_EVERY = 64;
    /** A timed wait with less than this left parks rather than yields. */
    private static final long YIELD_HORIZON_NANOS = 1_000_000L;
    /** A yield that kept the thread off the CPU longer than this ends the yield phase. */
    private static final long SLOW_YIELD_NANOS = 50_000L;

    private final boolean fifo;
    /** The top of the stack, or in {@link #fifo()} order a copy of the list's first node, written on every change. */
    private volatile Node head;
    /** The waiters in {@link #fifo()} order, guarded by this object's monitor; null for a stack. */
    private final LinkedNodes<Node> list;
    /** The node {@link #signalUnlessPending()} last woke, until its thread runs again; null if none. */
    private volatile Node woken;

    /** One wait episode of one thread; a thread pushes a fresh node after each signal it consumed. */
    static final class Node extends LinkedNodes.Node<Node> {
        final Thread thread;
        /** The node below on a stack; null in a list, whose links are the superclass's, guarded by the monitor. */
        final Node below;
        volatile int state;

        Node(Thread thread, Node below) {
            this.thread = thread;
            this.below = below;
        }
    }

    /**
     * The {@link System#nanoTime()} deadline of a timed wait, for {@link #await}'s {@code deadline}. The timeout is
     * clamped to [0, 2^62) ns, so the deadline, compared by difference, cannot overflow even for Long.MAX_VALUE days.
     *
     * @param timeout how long to wait; negative means not at all
     * @param unit its unit
     * @return the deadline
     * @throws NullPointerException if {@code unit} is null
     */
    public static long deadline(long timeout, TimeUnit unit) {
        Checks.requireNonNull(unit, "unit");
        return System.nanoTime() + Math.clamp(unit.toNanos(timeout), 0L, Long.MAX_VALUE >> 1);
    }

    /**
     * Returns whether some thread may be parked here: one volatile read, for signallers' fast path.
     *
     * @return whether some thread may be parked here
     */
    public boolean hasWaiters() {
        return head != null;
    }

    /** Wakes one parked waiter, if there is one. Call after making the condition true. */
    public void signal() {
        if (head != null) {
            wakeOne(false);
        }
    }

    /**
     * Wakes one parked waiter, unless one that an earlier call woke has not run yet: that one will test the
     * condition when it does, so waking another would only add a thread that finds the condition taken. This is
     * what lets a lock's owner release and retake it many times while a woken waiter is being scheduled, as the
     * JDK's AbstractQueuedSynchronizer does by signalling only its first queued node. Call after making the
     * condition true, as for {@link #signal()}.
     */
    public void signalUnlessPending() {
        if (woken == null && head != null) {
            wakeOne(true);
        }
    }

    private void wakeOne(boolean mark) {
        Node n = fifo ? takeFirstWaiting(mark) : popWaiting(mark);
        if (n != null) {
            LockSupport.unpark(n.thread);
        }
    }

    /** Stack order: pops nodes until one moves from waiting to signalled; returns it, or null if none. */
    private Node popWaiting(boolean mark) {
        for (Node h; (h = head) != null; ) {
            if (HEAD.compareAndSet(this, h, h.below) && signalled(h, mark)) {
                return h;
            }
        }
        return null;
    }

    /** List order: unlinks nodes from the front until one moves from waiting to signalled. */
    private synchronized Node takeFirstWaiting(boolean mark) {
        if (mark && woken != null) {
            return null; // another signaller woke one since this one looked: the same rule, checked again in order
        }
        try {
            for (Node h; (h = list.pollFirst()) != null; ) {
                if (signalled(h, mark)) {
                    return h;
                }
            }
            return null;
        } finally {
            head = list.first();
        }
    }

    /**
     * Moves a node taken off the structure from waiting to signalled; false if its waiter cancelled it first. With
     * {@code mark}, records it as pending before the CAS, so its thread cannot clear the mark before it is set.
     */
    private boolean signalled(Node n, boolean mark) {
        boolean marked = mark && WOKEN.compareAndSet(this, (Node) null, n);
        if (STATE.compareAndSet(n, WAITING, SIGNALLED)) {
            return true;
        }
        if (marked) {
            WOKEN.compareAndSet(this, n, (Node) null);
        }
        return false;
    }

    /** Wakes every parked waiter. Call after making the condition true for all of them (shutdown, a count at 0). */
    public void signalAll() {
        if (head == null) {
            return;
        }
        if (fifo) {
            for (Node h = takeAll(); h != null; h = h.next()) {
                wake(h);
            }
        } else {
            for (Node h = (Node) HEAD.getAndSet(this, (Node) null); h != null; h = h.below) {
                wake(h);
            }
        }
    }

    private static void wake(Node h) {
        if (STATE.compareAndSet(h, WAITING, SIGNALLED)) {
            LockSupport.unpark(h.thread);
        }
    }

    /**
     * {@link #await(BooleanSupplier, int, int, boolean, long, int) await} flag: an interrupt does not end the wait;
     * the thread's interrupt flag is set again when the wait returns (as the JDK's uninterruptible lock waits do).
     */
    public static final int UNINTERRUPTIBLE = 2;

    /**
     * Waits until {@code ready} is true.
     *
     * @param ready the condition; cheap, tested many times, and free of side effects except one: it may take what
     *     it waits for (a lock's compare-and-set), if it returns true exactly when it took it
     * @param spins how many times to test it between {@link Thread#onSpinWait()} before yielding
     * @param yields how many times to test it between {@link Thread#yield()} before parking
     * @param timed whether {@code deadline} applies
     * @param deadline a {@link System#nanoTime()} value after which to give up, if {@code timed}
     * @return true if {@code ready} was seen true, false if the deadline passed first
     * @throws InterruptedException if the thread is interrupted while waiting (its flag is cleared)
     */
    public boolean await(BooleanSupplier ready, int spins, int yields, boolean timed, long deadline)
            throws InterruptedException {
        return await(ready, spins, yields, timed, deadline, 0);
    }

    /**
     * Waits until {@code ready} is true, as {@link #await(BooleanSupplier, int, int, boolean, long)} does, with
     * flags: {@link #UNINTERRUPTIBLE} keeps waiting through interrupts.
     *
     * @param ready the condition; cheap, tested many times, and free of side effects except one: it may take what
     *     it waits for (a lock's compare-and-set), if it returns true exactly when it took it
     * @param spins how many times to test it between {@link Thread#onSpinWait()} before yielding
     * @param yields how many times to test it between {@link Thread#yield()} before parking
     * @param timed whether {@code deadline} applies
     * @param deadline a {@link System#nanoTime()} value after which to give up, if {@code timed}
     * @param flags {@link #UNINTERRUPTIBLE}, or 0
     * @return true if {@code ready} was seen true, false if the deadline passed first
     * @throws InterruptedException if the thread is interrupted while waiting (its flag is cleared), unless
     *     {@link #UNINTERRUPTIBLE}
     */
    public boolean await(BooleanSupplier ready, int spins, int yields, boolean timed, long deadline, int flags)
            throws InterruptedException {
        boolean interruptible = (flags & UNINTERRUPTIBLE) == 0;
        for (int i = 0; i < spins; i++) {
            if (ready.getAsBoolean()) {
                return true;
            }
            if ((i & (CHECK_EVERY - 1)) == CHECK_EVERY - 1
                    && pastDeadlineOrInterrupted(interruptible, timed, deadline)) {
                return false;
            }
            Thread.onSpinWait();
        }
        for (int i = 0; i < yields; i++) {
            if (ready.getAsBoolean()) {
                return true;
            }
            if (interruptible && Thread.interrupted()) {
                throw new InterruptedException();
            }
            long now = System.nanoTime();
            if (timed && deadline - now <= 0L) {
                return false;
            }
            // When threads outnumber cores a yield can give the core away for a whole time slice (milliseconds): a
            // timed wait near its deadline parks instead (the timer wakes it on time), and after one slow yield this
            // waiter stops yielding and parks.
            if (timed && deadline - now < YIELD_HORIZON_NANOS) {
                break;
            }
            Thread.yield();
            if (System.nanoTime() - now > SLOW_YIELD_NANOS) {
                break;
            }
        }
        Thread me = Thread.currentThread();
        Node node = null;
        boolean interrupted = false; // consumed while uninterruptible: set again on the way out
        try {
            for (;;) {
                if (node == null) {
                    node = push(me, false);
                }
                if (ready.getAsBoolean()) {
                    // A second signal may have reached the node registered after the first was consumed: this
                    // waiter acts on the condition once, so a signal on its node goes on to another waiter.
                    leave(node, true);
                    return true;
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        leave(node, true);
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
                if (timed) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0L) {
                        leave(node, true);
                        return false;
                    }
                    LockSupport.parkNanos(this, remaining);
                } else {
                    LockSupport.park(this);
                }
                if (node.state == SIGNALLED) {
                    // Consumed: the signaller took the node off. Back in line first (at the front of a list), so
                    // that no later waiter is woken ahead of this one, then clear the pending mark, then (next round)
                    // test the condition: Dekker with signalUnlessPending, which makes the condition true and then
                    // reads the mark.
                    Node consumed = node;
                    node = push(me, true);
                    WOKEN.compareAndSet(this, consumed, (Node) null);
                }
            }
        } finally {
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    /**
     * In the spin phase: whether a timed wait is over.
     *
     * @throws InterruptedException if the thread was interrupted (its flag is cleared)
     */
    private static boolean pastDeadlineOrInterrupted(boolean interruptible, boolean timed, long deadline)
            throws InterruptedException {
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        return timed && deadline - System.nanoTime() <= 0L;
    }

    /** Registers the calling thread: on top of the stack, or at the back of the list (the front if {@code woke}). */
    private Node push(Thread me, boolean woke) {
        if (fifo) {
            return append(new Node(me, null), woke);
        }
        for (;;) {
            Node h = head;
            Node node = new Node(me, h);
            if (HEAD.compareAndSet(this, h, node)) {
                return node;
            }
        }
    }

    // List order. `head` mirrors the list's first node after every change, under the monitor. The waiter's
    // registration and the signaller's read of `head` are the two sides of the Dekker in the class comment: a waiter
    // that finds the list empty publishes itself by its volatile store to `head`; one that joins a non-empty list is
    // covered either way, since a signaller that saw the list non-empty takes the monitor, and either takes this node
    // or released the monitor before it was linked (so its write of the condition happens-before the waiter's next
    // test).

    private synchronized Node append(Node node, boolean front) {
        if (front) {
            list.addFirst(node);
        } else {
            list.addLast(node);
        }
        head = list.first();
        return node;
    }

    /** Empties the list and returns its former front; the nodes stay chained through {@code next()}. */
    private synchronized Node takeAll() {
        head = null;
        return list.removeAll();
    }

    private synchronized void remove(Node node) {
        if (list.remove(node)) {
            head = list.first();
        }
    }

    /**
     * Withdraws a node. If it was signalled meanwhile and the caller will not act on the condition, the signal goes
     * to another waiter; if it was still waiting, cancelled nodes on top of the stack are unlinked.
     */
    private void leave(Node node, boolean passOn) {
        if (STATE.compareAndSet(node, WAITING, CANCELLED)) {
            if (fifo) {
                remove(node);
                return;
            }
            for (Node h; (h = head) != null && h.state == CANCELLED; ) {
                HEAD.compareAndSet(this, h, h.below);
            }
            return;
        }
        WOKEN.compareAndSet(this, node, (Node) null);
        if (passOn) {
            signal();
        }
    }
}
