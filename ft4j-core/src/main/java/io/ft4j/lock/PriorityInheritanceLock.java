package io.ft4j.lock;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.ft4j.internal.os.Errno;
import io.ft4j.internal.os.NativeThreads;
import io.ft4j.internal.os.Os;
import io.ft4j.internal.wait.Waiters;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A {@link Lock} whose owner runs at the priority of its highest waiter for as long as that waiter waits: the kernel's
 * own priority inheritance (a Linux PI futex), so a low-priority thread holding a lock that a real-time thread wants
 * is run ahead of the medium-priority work that would otherwise keep it off the CPU (priority inversion). Chains are
 * followed (A waits for B's lock while B waits for C's: C runs at A's priority), the boost ends exactly when the
 * owner releases, and waiters are granted in priority order, FIFO among equals.
 *
 * <p><b>What it boosts.</b> The kernel boosts real-time priorities (SCHED_FIFO, SCHED_RR, and SCHED_DEADLINE) only. A
 * time-sharing waiter, whatever its nice value, does not boost a time-sharing owner, and since Linux 5.15
 * time-sharing waiters are served FIFO (older kernels order them by nice value). Give the threads whose latency
 * matters a real-time policy ({@link io.ft4j.thread.SchedulingPolicy#fifo(int)}), which needs CAP_SYS_NICE.
 *
 * <p><b>Memory consistency effects.</b> Whatever the owner wrote before releasing the lock happens-before what the
 * next owner does after acquiring it.
 *
 * <p><b>Limits.</b> Linux only, platform threads only ({@link #isSupported()}; a virtual thread is refused: it has no
 * TID of its own and would pin its carrier in the kernel). Not re-entrant; owner-checked; no conditions. A blocked
 * {@link #lock()} waits in the kernel; {@link #lockInterruptibly()} waits in slices of at most 10 ms so that it sees an
 * interrupt within one slice, re-queueing each time (at the back of its priority). A thread that ends while holding
 * the lock leaves it owned by its TID: once the OS thread is gone, an acquisition throws {@link IllegalStateException}
 * (the kernel's ESRCH) instead of hanging, while a thread that was already waiting, or that came while the owner was
 * still exiting, is handed the lock by the kernel; should a new thread be given the same TID, it is taken for the
 * owner. A wait that would close a cycle of priority-inheritance locks (this thread holds one that the owner waits
 * for, directly or down a chain) throws {@link IllegalStateException}: the kernel checks every chain. Waits over 1 ms
 * are JFR events ({@code io.ft4j.LockWait}).
 */
/*
 * Algorithm. A 4-byte native word holds 0 or the owner's Linux thread id (TID). Uncontended, lock and unlock are one
 * CAS each in user space (0 -> TID, TID -> 0). A thread that finds the word taken calls futex(FUTEX_LOCK_PI): the
 * kernel marks the word as having waiters, queues the caller by priority on an rt_mutex, boosts the owner named by the
 * TID and every owner down the chain, and returns once the lock was handed over. The owner's CAS then fails on the
 * waiters bit, so it calls FUTEX_UNLOCK_PI, which hands the lock to the top waiter and drops the boost in one step.
 *
 * Why the kernel. Boosting from user space would need a waiter to change another thread's priority and the owner to
 * put it back on release: two extra system calls per contended hand-off, a race with an owner that releases (or ends)
 * while being boosted, and a global lock to follow chains. The kernel does all of it atomically under its own locks.
 *
 * Linearization points and ordering. Acquisition takes effect at the CAS that installs the TID, or inside the kernel
 * when it installs the new owner's TID on hand-off; release at the CAS to 0 or inside FUTEX_UNLOCK_PI. The CASes are
 * volatile and the kernel's hand-off is a full barrier, so the owner's writes happen-before the next owner's reads.
 */
public final class PriorityInheritanceLock implements Lock {
    private static final NativeThreads OS = Os.THREADS;
    private static final VarHandle WORD = JAVA_INT.varHandle();
    /**
     * All of the address space, as one segment of the global scope: the word is reached through it at its address, so
     * that an access checks no bounds and no liveness of a per-lock segment (this class keeps each word alive itself).
     */
    @SuppressWarnings("restricted") // needs native access, as the futex calls themselves do
    private static final MemorySegment MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    /** FUTEX_WAITERS: set by the kernel while threads wait in it. */
    private static final int WAITERS = 0x80000000;
    /** FUTEX_OWNER_DIED. */
    private static final int OWNER_DIED = 0x40000000;
    private static final int TID_MASK = 0x3fffffff;
    /** The longest an interruptible wait stays in the kernel before looking at the interrupt flag. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Each platform thread's identity for the word, made on its first use of any such lock. */
    private static final ThreadLocal<Tid> TID = ThreadLocal.withInitial(() -> new Tid(Thread.currentThread(),
            OS.currentTid()));
    private static final String SUPPORT = probe();

    /** A platform thread and its Linux thread id; immutable, so a racy read sees both or neither. */
    private record Tid(Thread thread, int tid) {}

    /** The futex word; its own native memory, freed when the lock is collected. */
    private final MemorySegment word = Arena.ofAuto().allocate(JAVA_INT);
    /** The word's address, the offset of every access to it through {@link #MEMORY}. */
    private final long address = word.address();
    /**
     * The identity of the thread that acquired this lock last, kept after it releases. A thread taking the lock again
     * finds its TID with one load instead of a thread-local lookup, the JVM's counterpart of the thread-pointer load
     * in glibc's mutex fast path; the owner's unlock finds it there too. Written only by an owner, after the word
     * names it, and read racily by others, who compare the thread first; while the word names a TID, this is that
     * thread's, or (briefly, before the new owner writes it) the previous owner's: diagnostics may show either.
     */
    private Tid last;
    private final LockOrder.Node order;
    private final LockScope scope = this::unlock;

    /**
     * Creates a lock that the lock-order checker and JFR events name by its identity.
     *
     * @throws UnsupportedOperationException if this platform has no priority-inheritance futexes
     *     ({@link #isSupported()})
     */
    public PriorityInheritanceLock() {
        this(null);
    }

    /**
     * Creates a lock with a name.
     *
     * @param name the name the lock-order checker and JFR events report it by, or null to name it by identity
     * @throws UnsupportedOperationException if this platform has no priority-inheritance futexes
     *     ({@link #isSupported()})
     */
    public PriorityInheritanceLock(String name) {
        if (SUPPORT != null) {
            throw new UnsupportedOperationException(SUPPORT + "; use PriorityLock, which orders waiters by priority "
                    + "without boosting the owner, or check PriorityInheritanceLock.isSupported() first");
        }
        order = LockOrder.node(name, this, LockOrder.NO_LEVEL);
    }

    /** Unlocks a private word it owns through the kernel once: null if that works, else why not. */
    private static String probe() {
        if (!OS.isSupported()) {
            return "priority-inheritance locks need Linux thread control, which is unavailable here";
        }
        try {
            Probe probe = new Probe();
            if (Thread.currentThread().isVirtual()) { // its TID could change between the two calls
                Thread t = Thread.ofPlatform().start(probe); // a nested class: no lambda of this initializing class
                boolean interrupted = false;
                while (t.isAlive()) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        interrupted = true; // the answer must not depend on an interrupt that came first
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            } else {
                probe.run();
            }
            return probe.errno == 0 ? null : "the kernel refused FUTEX_UNLOCK_PI (" + Errno.name(probe.errno) + ")";
        } catch (RuntimeException | LinkageError e) {
            return "priority-inheritance futexes are unavailable: " + e;
        }
    }

    private static final class Probe implements Runnable {
        volatile int errno = -1;

        @Override
        public void run() {
            NativeThreads os = Os.THREADS;
            MemorySegment w = Arena.ofAuto().allocate(JAVA_INT);
            w.set(JAVA_INT, 0, os.currentTid());
            errno = os.futexUnlockPi(w);
        }
    }

    /**
     * Returns whether this platform has priority-inheritance futexes (Linux); if not, the constructors throw.
     *
     * @return true if a {@code PriorityInheritanceLock} can be created here
     */
    public static boolean isSupported() {
        return SUPPORT == null;
    }

    /** The calling thread's identity: from this lock's last owner if that was this thread, else its thread-local. */
    private Tid me() {
        Tid t = last;
        return t != null && t.thread == Thread.currentThread() ? t : lookUp();
    }

    private static Tid lookUp() {
        Thread me = Thread.currentThread();
        if (me.isVirtual()) {
            throw new UnsupportedOperationException("virtual thread " + me + ": a PriorityInheritanceLock is held "
                    + "by an OS thread, and a virtual thread has none of its own (blocking would also pin its "
                    + "carrier); take it on a platform thread, or use PriorityLock");
        }
        return TID.get();
    }

    /** The owning thread as far as a racy read can tell, for diagnostics: null if the word names no TID. */
    private Thread owner() {
        Tid t = last;
        return t != null && (word() & TID_MASK) == t.tid ? t.thread : null;
    }

    private int word() {
        int w = (int) WORD.getVolatile(MEMORY, address);
        Reference.reachabilityFence(word); // the memory stays allocated until the access is done
        return w;
    }

    private Tid beforeAcquire(boolean blocking) {
        Tid me = me();
        if (blocking && LockOrder.checking) {
            requireNotHeld(me.tid);
            LockOrder.acquiring(order, false);
        }
        return me;
    }

    /** Checked after a failed CAS rather than before every one, where the answer costs a load. */
    private void requireNotHeld(int tid) {
        if ((word() & TID_MASK) == tid) {
            throw new IllegalStateException("this thread already holds " + this + ", which is not re-entrant: "
                    + "unlock() it first");
        }
    }

    private void afterAcquire(Tid me) {
        if (last != me) {
            last = me; // only the owner writes it, so it is this thread's until it releases
        }
        if (LockOrder.checking) {
            LockOrder.acquired(order, false);
        }
    }

    private boolean tryFast(int tid) {
        boolean won = WORD.compareAndSet(MEMORY, address, 0, tid);
        Reference.reachabilityFence(word);
        return won;
    }

    /**
     * Waits in the kernel until this thread owns the word: without a limit, or until the deadline, or in slices,
     * looking at the interrupt flag between them.
     *
     * @return true once owned, false if the deadline passed
     */
    private boolean acquireSlow(int tid, boolean interruptible, boolean timed, long deadline)
            throws InterruptedException {
        requireNotHeld(tid);
        LockWaitEvent event = LockWaitEvent.begin(order.name, "exclusive", owner(), LockWaitEvent.UNKNOWN);
        try {
            for (;;) {
                if (tryFast(tid)) {
                    return true;
                }
                if (timed && deadline - System.nanoTime() <= 0L) {
                    return false; // not even once into the kernel: it would mark the word and boost the owner
                }
                long sliceEnd = 0L;
                boolean sliced = false;
                if (interruptible) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    sliceEnd = System.nanoTime() + SLICE_NANOS;
                    sliced = !timed || sliceEnd - deadline < 0L;
                }
                int errno = sliced ? OS.futexLockPi(word, true, sliceEnd) : OS.futexLockPi(word, timed, deadline);
                switch (errno) {
                    case 0 -> {
                        return true;
                    }
                    case Errno.ETIMEDOUT -> {
                        if (!sliced) {
                            return false;
                        }
                    }
                    case Errno.EINTR, Errno.EAGAIN -> { } // a signal, or the owner was exiting: try again
                    case Errno.EDEADLK -> throw new IllegalStateException("waiting for " + this + " would deadlock: "
                            + "a chain of priority-inheritance locks leads back to this thread (it holds a lock that "
                            + "this lock's owner, or an owner further down, waits for); take the locks in one order");
                    case Errno.ESRCH -> throw new IllegalStateException(this + " is held by thread id "
                            + (word() & TID_MASK) + ", which ended without unlocking it");
                    default -> throw new IllegalStateException("futex(FUTEX_LOCK_PI) on " + this + " failed: "
                            + Errno.name(errno));
                }
            }
        } finally {
            LockWaitEvent.end(event);
        }
    }

    /**
     * Acquires the lock, waiting uninterruptibly in the kernel, which boosts the owner to this thread's real-time
     * priority meanwhile. An interrupt does not end the wait; it stays set.
     *
     * @throws IllegalStateException if this thread holds the lock already, if waiting would deadlock on a cycle of
     *     priority-inheritance locks, or if the owner's thread ended without unlocking it
     * @throws UnsupportedOperationException on a virtual thread
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    @Override
    public void lock() {
        Tid me = beforeAcquire(true);
        if (!tryFast(me.tid)) {
            try {
                acquireSlow(me.tid, false, false, 0L);
            } catch (InterruptedException e) {
                throw new AssertionError(e); // an uninterruptible wait does not throw it
            }
        }
        afterAcquire(me);
    }

    /**
     * Acquires the lock unless the thread is interrupted: waits as {@link #lock()} does, and gives up within 10 ms of
     * an interrupt.
     *
     * @throws InterruptedException if the thread is interrupted before or while waiting; it then does not hold the
     *     lock, and its interrupted status is cleared
     * @throws IllegalStateException if this thread holds the lock already, if waiting would deadlock on a cycle of
     *     priority-inheritance locks, or if the owner's thread ended without unlocking it
     * @throws UnsupportedOperationException on a virtual thread
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Tid me = beforeAcquire(true);
        if (!tryFast(me.tid)) {
            acquireSlow(me.tid, true, false, 0L);
        }
        afterAcquire(me);
    }

    /**
     * Takes the lock only if it is free (one CAS; no system call). Never waits.
     *
     * @return true if the lock was acquired
     * @throws IllegalStateException if this thread holds the lock already
     * @throws UnsupportedOperationException on a virtual thread
     */
    @Override
    public boolean tryLock() {
        Tid me = beforeAcquire(false);
        if (tryFast(me.tid)) {
            afterAcquire(me);
            return true;
        }
        requireNotHeld(me.tid);
        return false;
    }

    /**
     * Acquires the lock if it is granted within the given time and the thread is not interrupted; waits as
     * {@link #lock()} does, and sees an interrupt within 10 ms.
     *
     * @param time the longest time to wait, in {@code unit}s; zero or less means not to wait if the lock is not free
     * @param unit the unit of {@code time}
     * @return true if the lock was acquired, false if the time passed first
     * @throws InterruptedException if the thread is interrupted before or while waiting; it then does not hold the
     *     lock, and its interrupted status is cleared
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalStateException if this thread holds the lock already, if waiting would deadlock on a cycle of
     *     priority-inheritance locks, or if the owner's thread ended without unlocking it
     * @throws UnsupportedOperationException on a virtual thread
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long deadline = Waiters.deadline(time, unit);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Tid me = beforeAcquire(true);
        if (tryFast(me.tid) || acquireSlow(me.tid, true, true, deadline)) {
            afterAcquire(me);
            return true;
        }
        return false;
    }

    /**
     * Releases the lock: one CAS if nobody waits, else FUTEX_UNLOCK_PI, which hands it to the highest-priority waiter
     * and ends this thread's boost.
     *
     * @throws IllegalMonitorStateException if this thread does not hold the lock
     * @throws UnsupportedOperationException on a virtual thread, which cannot hold it
     * @throws IllegalStateException if the kernel refuses FUTEX_UNLOCK_PI
     */
    @Override
    public void unlock() {
        int tid = me().tid; // the cached identity when this thread took the lock last, else the thread-local
        // Held by this thread exactly when the word names its TID: nobody else installs it (a new thread given a dead
        // owner's TID is taken for the owner, as the kernel takes it). A plain load on x86: the check costs no fence.
        if ((word() & TID_MASK) != tid) {
            throw new IllegalMonitorStateException("this thread does not hold " + this + ": unlock only while "
                    + "holding the lock");
        }
        boolean released = WORD.compareAndSet(MEMORY, address, tid, 0);
        Reference.reachabilityFence(word);
        if (!released) {
            int errno = OS.futexUnlockPi(word);
            if (errno != 0) {
                throw new IllegalStateException("futex(FUTEX_UNLOCK_PI) on " + this + " failed: "
                        + Errno.name(errno));
            }
        }
        if (LockOrder.checking) {
            LockOrder.released(order);
        }
    }

    /**
     * Takes the lock for a try-with-resources block: {@code try (var held = lock.locked()) { ... }}. Waits
     * uninterruptibly, as {@link #lock()} does.
     *
     * @return the scope, which unlocks when closed
     * @throws IllegalStateException if this thread holds the lock already, if waiting would deadlock on a cycle of
     *     priority-inheritance locks, or if the owner's thread ended without unlocking it
     * @throws UnsupportedOperationException on a virtual thread
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    public LockScope locked() {
        lock();
        return scope;
    }

    /**
     * Returns whether some thread holds the lock, for monitoring.
     *
     * @return true if the lock is held
     */
    public boolean isLocked() {
        return (word() & TID_MASK) != 0;
    }

    /**
     * Returns whether the calling thread holds the lock; always false on a virtual thread.
     *
     * @return true if this thread holds the lock
     */
    public boolean isHeldByCurrentThread() {
        return !Thread.currentThread().isVirtual() && (word() & TID_MASK) == me().tid;
    }

    /**
     * Returns whether threads wait for the lock in the kernel, from the futex word's waiters bit, for monitoring. The
     * kernel may leave the bit set after the last waiter gave up (timeout, interrupt) until the next unlock.
     *
     * @return true if the waiters bit is set
     */
    public boolean hasQueuedThreads() {
        return (word() & WAITERS) != 0;
    }

    /**
     * Returns the Linux thread id (TID) of the owner, for monitoring.
     *
     * @return the owner's TID, or 0 if the lock is free
     */
    public int ownerTid() {
        return word() & TID_MASK;
    }

    /**
     * Throws {@link UnsupportedOperationException}: the kernel's PI futexes have no condition queues. Pair the lock
     * with a queue.
     *
     * @return never returns normally
     * @throws UnsupportedOperationException always
     */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("PriorityInheritanceLock has no conditions: wait on a queue "
                + "(io.ft4j.concurrent.ConcurrentQueue) while not holding it");
    }

    /**
     * Returns a string identifying this lock and its state: its name, owner, if any, and whether threads wait.
     *
     * @return a string identifying this lock and its state
     */
    @Override
    public String toString() {
        int w = word();
        Thread o = owner();
        return "PriorityInheritanceLock[" + order.name + ((w & TID_MASK) == 0 ? ", unlocked"
                : ", owner=" + (o != null ? o.getName() + " " : "") + "tid " + (w & TID_MASK)
                        + ((w & WAITERS) != 0 ? ", waiters" : "") + ((w & OWNER_DIED) != 0 ? ", owner died" : ""))
                + "]";
    }
}
