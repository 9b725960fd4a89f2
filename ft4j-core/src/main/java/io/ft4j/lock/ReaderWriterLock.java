package io.ft4j.lock;

import io.ft4j.atomic.PaddedAtomicLong;
import io.ft4j.internal.util.Checks;
import io.ft4j.internal.wait.Backoff;
import io.ft4j.internal.wait.Waiters;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.BooleanSupplier;

/**
 * A writer-preferring, re-entrant {@link ReadWriteLock} that adapts to its workload, and that also offers
 * {@link java.util.concurrent.locks.StampedLock StampedLock}'s optimistic reads.
 *
 * <p><b>Adaptive reader bias.</b> While reads and writes mix, readers count themselves in one shared word, as
 * {@link java.util.concurrent.locks.ReentrantReadWriteLock} does, and a write costs one compare-and-set. Once the lock
 * sees readers overlapping, it turns on reader bias: each reading thread then announces itself in a slot of a small
 * table of its own cache lines, so readers on different cores never write the same memory and reads scale with
 * cores. The next writer revokes the bias (it turns it off and waits for the biased readers to leave) and keeps it off
 * for nine times what revoking cost, and at least 20 microseconds, so that a lock written often stays in the compact
 * mode. The
 * table has a fixed size (four slots per processor, at most 256), allocated the first time bias is turned on, so it
 * does not grow with the number of threads that ever read; a reader whose slot is taken by another thread counts
 * itself in the shared word instead. The design is BRAVO (Dice and Kogan, "BRAVO: Biased Locking for Reader-Writer
 * Locks", USENIX ATC 2019), with a table per lock rather than one for the whole process, and turned on only once
 * readers are seen together, as in folly's {@code SharedMutex}.
 *
 * <p><b>Optimistic reads.</b> {@link #tryOptimisticRead()} returns a stamp without taking any lock, and
 * {@link #validate(long)} tells afterwards whether a writer took the lock in between. The usual rule applies: the
 * fields read between the two calls may be inconsistent (half of one write and half of another), so copy them into
 * locals, use the copies only after {@code validate} returned true, and never let an unvalidated value steer a loop,
 * an array index or a call that can fail. Fall back to the read lock when validation fails:
 * {@snippet :
 * long stamp = lock.tryOptimisticRead();
 * double x = this.x, y = this.y;            // may be inconsistent until validated
 * if (!lock.validate(stamp)) {
 *     try (var r = lock.read()) {          // a writer came by: read again under the lock
 *         x = this.x;
 *         y = this.y;
 *     }
 * }
 * return Math.hypot(x, y);
 * }
 *
 * <p><b>Writer preference.</b> A writer takes the lock as soon as no other writer holds it, even while readers
 * hold it; it then waits for them to leave, and a reader that is not already reading waits for that writer to finish.
 * So a stream of readers cannot starve a writer (the reverse can happen: a continuous stream of writers holds
 * readers off). A writer that finds the lock free takes it, even ahead of writers that wait, which is what keeps the
 * lock fast under contention, as in the JDK's non-fair locks; writers that must wait are woken longest-waiting first,
 * and one that loses the lock to a newcomer stays first, so no waiting writer is passed over for long.
 *
 * <p><b>Holding rules.</b> Both locks are re-entrant, and a re-entrant read never waits, even behind a waiting
 * writer (which would deadlock: the writer waits for this reader). The writer may take the read lock (downgrade:
 * write, read, release write, and the thread is left reading with no writer in between). A reader asking for the
 * write lock (upgrade) is refused at once with {@link IllegalStateException}: two upgrading readers would wait for
 * each other forever. Releasing a hold the calling thread does not have throws {@link IllegalMonitorStateException}.
 * A thread may hold the read lock up to about two billion times and the write lock up to {@link Integer#MAX_VALUE}
 * times; one more throws {@link Error}, as {@code ReentrantReadWriteLock} does past its limit.
 *
 * <p><b>Waiting.</b> A reader or writer that finds a writer inside parks until that writer's release wakes it (one
 * waiting writer, and the blocked readers). A writer waiting for readers to leave spins briefly, yields, then parks
 * until the last of them wakes it; it uses no processor time meanwhile, and there is no timed re-check.
 * Lock-order checking applies to both locks; JFR records long waits as {@link LockWaitEvent}s. Conditions are not
 * supported.
 *
 * <p><b>Memory consistency effects.</b> Everything a thread did before releasing the write lock happens-before
 * whatever a thread does after it next takes the read or the write lock. A successful {@link #validate(long)} of a
 * stamp means no write lock was held, nor released, between the stamp and the validation: the values read in between
 * are those of the last write released before the stamp.
 *
 * <p><b>Costs.</b> An uncontended read or write costs one compare-and-set to take and one atomic update to release.
 * Biased reads cost the same, on a cache line of the reading thread's own, so they scale; a write that revokes bias
 * scans the table (a few hundred nanoseconds on two cores). An optimistic read costs two loads and a fence, and
 * writes nothing.
 */
/*
 * Algorithm.
 *
 * Words. `state` holds OWNED (bit 0: a writer has won the lock; it may still wait for readers to leave), the number
 * of parked writers times WRITER (bits 1-31), and the number of read holds counted centrally times READER (bits
 * 32-62). `bias` is BIASED (readers may use the slot table), REVOKING (turned off, slots maybe still taken) or
 * COMPACT (turned off, and a writer has seen every slot empty since). Each slot is a PaddedAtomicLong holding 0
 * (free) or (thread id << HOLD_BITS | read holds) of the one thread that owns it; only its owner changes a non-zero
 * slot, and other threads only compare-and-set a zero one. `version` is even while no writer is inside, odd while one
 * is; only the owner writes it.
 *
 * Reader, biased (fast path). With bias BIASED, a reader claims its slot (hashed by thread id, then the neighbour) by
 * a CAS from 0, then loads `bias` again: if it is still BIASED, the reader is in. A revoking writer stores REVOKING,
 * then loads every slot. Both sides store then load with sequentially consistent accesses (Dekker), so either the
 * reader sees the bias gone and backs out, or the writer sees the slot and waits for it to clear. A biased hold is
 * released by a volatile store of 0 to the slot followed by a load of the draining writer's wait point, so a writer
 * that parked after seeing the slot taken is always woken (no timed re-check).
 *
 * Reader, central. A first read hold CASes READER into `state` while OWNED is clear; a re-entrant hold (or the
 * writer's own read) adds it regardless. Parked writers (WRITER bits) do not stop readers: the writer that wins OWNED
 * does, and it may win it while readers hold the lock. The thread's central holds are counted in a ThreadLocal
 * (cached in `lastReader`), which the upgrade check, the re-entrancy check and getReadHoldCount() consult. Release is
 * getAndAdd(-READER); the one that leaves the count at 0 while OWNED is set wakes the draining writer. A reader that
 * finds OWNED parks on `blockedReaders` until the writer's release wakes them all.
 *
 * Writer. CAS OWNED into `state` when it is clear: on the fast path only with no central reader and bias COMPACT;
 * otherwise also with readers in (it drains them). A writer that finds OWNED taken registers (WRITER), parks on
 * `blockedWriters` (first-in first-out), and is woken by a release through signalUnlessPending (one woken writer at a
 * time, as AQS does). Its wait condition is the CAS that takes OWNED, and a woken waiter that fails it goes back to
 * the front of the list before it clears the pending mark, so, as an AQS node stays queued while it retries, no
 * writer that came later is woken ahead of it; newcomers that have not parked may still barge. Having won OWNED: if bias is BIASED, store REVOKING at once, so no new reader takes the
 * biased path while this writer waits; wait for the central count to reach 0; if a central reader that checked for
 * writers just before OWNED was set turned bias on meanwhile (it does so while holding its read lock, so the writer
 * sees the store once it has drained it), revoke again; unless COMPACT, wait for every slot to be 0, then store
 * COMPACT and the inhibit time. A drain that times out or is interrupted abandons OWNED and leaves REVOKING, which the
 * next writer finishes: COMPACT always means no slot is held, which is what lets the fast path skip the table. The
 * writer then makes `version` odd, and even again when it releases, before the getAndAdd(-OWNED).
 *
 * Turning bias on. A central reader whose first hold found other central readers already in (or lost a CAS to one)
 * turns bias from COMPACT to BIASED, unless a writer holds or waits or a revocation inhibited it until a later time:
 * INHIBIT_FACTOR times what that revocation cost, at least MIN_INHIBIT_NANOS (BRAVO's policy).
 *
 * Optimistic reads are a sequence lock over `version`: the stamp is an even version, validate() orders the caller's
 * loads before a reload of `version` (acquire fence), the writer's odd store is ordered before its data stores
 * (store-store fence), and its even store after them (release).
 *
 * Linearization points. A biased read at the reload of `bias` that found it BIASED; a central read at its CAS; a write
 * at the CAS of OWNED when no reader is in, otherwise at the load that finds the last reader gone (central or slot);
 * releases at the store or RMW that clears the hold.
 */
public final class ReaderWriterLock implements ReadWriteLock {
    private static final long OWNED = 1L;
    private static final long WRITER = 2L;
    private static final long WRITE_BITS = (1L << 32) - 1;
    private static final long WAITING_WRITERS = WRITE_BITS & ~OWNED;
    private static final long READER = 1L << 32;
    private static final long MAX_CENTRAL_READS = (1L << 31) - 1;

    private static final int HOLD_BITS = 20;
    private static final long HOLD_MASK = (1L << HOLD_BITS) - 1;
    /** Thread ids at or above this do not fit a slot next to a hold count; their threads read centrally. */
    private static final long SLOT_TID_LIMIT = 1L << (63 - HOLD_BITS);
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final int MAX_SLOTS = 256;

    /** A revocation keeps bias off for this many times what it cost (BRAVO's N). */
    private static final long INHIBIT_FACTOR = 9;
    /** ... and for at least this long, so that a lock written every few microseconds stays compact. */
    private static final long MIN_INHIBIT_NANOS = 20_000L;
    /** What one revocation may count as its cost: waiting for a long read section is not the bias's doing. */
    private static final long MAX_REVOCATION_NANOS = 1_000_000L;

    /**
     * A blocked reader or writer parks at once (after the one more look its wait makes): a thread that polls the
     * lock word slows the owner, which writes it, and when threads outnumber cores it takes the owner's processor.
     */
    private static final int SPINS = 0;
    private static final int YIELDS = 0;
    /** A writer that waits for readers to leave, which are inside already and soon done, looks longer first. */
    private static final int DRAIN_SPINS = 1_000;
    private static final int DRAIN_YIELDS = 4;

    /** Acquisition modes: tryLock(), lockInterruptibly() and timed tryLock, lock(). */
    private static final int TRY = 0;
    private static final int INTERRUPTIBLE = 1;
    private static final int UNINTERRUPTIBLE = 2;

    private static final int COMPACT = 0;
    private static final int BIASED = 1;
    private static final int REVOKING = 2;

    /** Bias policies; only tests choose one other than ADAPTIVE. */
    static final int ADAPTIVE = 0;
    static final int ALWAYS = 1;
    static final int NEVER = 2;

    private static final VarHandle STATE;
    private static final VarHandle OWNER;
    private static final VarHandle VERSION;
    private static final VarHandle SLOTS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(ReaderWriterLock.class, "state", long.class);
            OWNER = l.findVarHandle(ReaderWriterLock.class, "owner", Thread.class);
            VERSION = l.findVarHandle(ReaderWriterLock.class, "version", long.class);
            SLOTS = l.findVarHandle(ReaderWriterLock.class, "slots", PaddedAtomicLong[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long state;
    private volatile Thread owner;
    /** Written by the owner only. */
    private int writeHolds;
    /** Even: no writer inside. Starts at 2 so that no valid stamp is 0. */
    private volatile long version = 2L;

    /**
     * {@link #BIASED} while readers may take the biased path; {@link #REVOKING} from when a writer turns it off until
     * a writer has seen every slot empty; {@link #COMPACT} after that. Writers skip the slots only when compact.
     */
    private volatile int bias;
    /** The {@link System#nanoTime()} before which readers do not turn bias on again. */
    private volatile long inhibitUntil;
    /** The reader slots; null until bias is first turned on. */
    private volatile PaddedAtomicLong[] slots;
    private final int policy;

    /** Central read holds of each thread; {@link #lastReader} caches the last thread's. */
    private final ThreadLocal<Holds> central = new ThreadLocal<>();
    private Holds lastReader;

    private final Waiters blockedReaders = new Waiters();
    private final Waiters blockedWriters = Waiters.fifo();
    private final Waiters draining = new Waiters();

    private final BooleanSupplier notOwned = () -> (state & OWNED) == 0L;
    /** A registered writer's wait condition: takes the owned bit, withdrawing the registration, if it is free. */
    private final BooleanSupplier takeOwned = this::takeOwnedAsRegistered;
    private final BooleanSupplier noCentralReaders = () -> (state & ~WRITE_BITS) == 0L;
    private final BooleanSupplier slotsClear = this::slotsClear;

    private final LockOrder.Node order;
    private final ReadView readView = new ReadView();
    private final WriteView writeView = new WriteView();
    private final LockScope readScope = this::unlockRead;
    private final LockScope writeScope = this::unlockWrite;

    /** Creates an unnamed lock, which the lock-order checker names by its identity. */
    public ReaderWriterLock() {
        this(null, LockOrder.NO_LEVEL, ADAPTIVE);
    }

    /**
     * Creates a lock with a name.
     *
     * @param name the name the lock-order checker and JFR events report it by
     * @throws NullPointerException if {@code name} is null
     */
    public ReaderWriterLock(String name) {
        this(Checks.requireNonNull(name, "name"), LockOrder.NO_LEVEL, ADAPTIVE);
    }

    /**
     * Creates a lock with a name and a level in a lock hierarchy.
     *
     * @param name the name the lock-order checker and JFR events report it by, or null to name it by its identity
     * @param level this lock's level in a lock hierarchy: while checking is on, it may only be taken while holding
     *     locks of lower levels; {@link LockOrder#NO_LEVEL} for none
     */
    public ReaderWriterLock(String name, int level) {
        this(name, level, ADAPTIVE);
    }

    /** For tests: a lock whose bias is always on whenever no writer revoked it ({@link #ALWAYS}), or never. */
    ReaderWriterLock(String name, int level, int policy) {
        order = LockOrder.node(name, this, level);
        this.policy = policy;
        inhibitUntil = System.nanoTime();
        if (policy == ALWAYS) {
            slots = newSlots();
            bias = BIASED;
        }
    }

    /** One thread's central read holds. Keeps the thread's id, not the thread, so a cached record retains nothing. */
    private static final class Holds {
        final long tid;
        int count;

        Holds(long tid) {
            this.tid = tid;
        }
    }

    // ------------------------------------------------------------------ slots

    private static PaddedAtomicLong[] newSlots() {
        int n = Math.min(MAX_SLOTS, Integer.highestOneBit(4 * Runtime.getRuntime().availableProcessors() - 1) << 1);
        PaddedAtomicLong[] t = new PaddedAtomicLong[Math.max(n, 4)];
        for (int i = 0; i < t.length; i++) {
            t[i] = new PaddedAtomicLong();
        }
        return t;
    }

    /** The first of a thread's two candidate slots; the second is its neighbour ({@code i ^ 1}). */
    private static int slotIndex(long tid, int length) {
        return (int) ((tid * GOLDEN) >>> 40) & (length - 1);
    }

    /** The slot the calling thread owns, or null. */
    private static PaddedAtomicLong ownSlot(PaddedAtomicLong[] t, long tid) {
        if (t == null || tid >= SLOT_TID_LIMIT) {
            return null;
        }
        int i = slotIndex(tid, t.length);
        PaddedAtomicLong s = t[i];
        if (s.getPlain() >>> HOLD_BITS == tid) {
            return s;
        }
        s = t[i ^ 1];
        return s.getPlain() >>> HOLD_BITS == tid ? s : null;
    }

    private boolean slotsClear() {
        for (PaddedAtomicLong s : slots) {
            if (s.get() != 0L) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ read side

    private boolean acquireRead(int mode, boolean timed, long deadline) throws InterruptedException {
        if (LockOrder.checking && mode != TRY) {
            LockOrder.acquiring(order, true);
        }
        if (!readFast() && !readCentral(mode, timed, deadline)) {
            return false;
        }
        if (LockOrder.checking) {
            LockOrder.acquired(order, true);
        }
        return true;
    }

    /** The biased path: a re-entrant hold on this thread's slot, or a new one while bias is on. */
    private boolean readFast() {
        PaddedAtomicLong[] t = slots;
        long tid;
        if (t == null || (tid = Thread.currentThread().threadId()) >= SLOT_TID_LIMIT) {
            return false;
        }
        int i = slotIndex(tid, t.length);
        for (int probe = 0; probe < 2; probe++, i ^= 1) {
            PaddedAtomicLong s = t[i];
            long v = s.getPlain();
            if (v >>> HOLD_BITS == tid) {
                if ((v & HOLD_MASK) == HOLD_MASK) {
                    return false; // this slot's count is full: further holds are counted centrally
                }
                s.setOpaque(v + 1); // re-entrant: the slot already keeps writers out
                return true;
            }
            if (v == 0L && bias == BIASED) {
                if (s.compareAndSet(0L, tid << HOLD_BITS | 1L)) {
                    if (bias == BIASED) {
                        return true;
                    }
                    releaseSlot(s); // a writer revoked the bias meanwhile: back out, and wake it if it waits
                    return false;
                }
            }
        }
        return false;
    }

    private void releaseSlot(PaddedAtomicLong s) {
        s.set(0L); // volatile: ordered before the load below (Dekker with the draining writer)
        if (draining.hasWaiters()) {
            draining.signal();
        }
    }

    private Holds holds(long tid) {
        Holds h = lastReader;
        if (h != null && h.tid == tid) {
            return h;
        }
        h = central.get();
        if (h == null) {
            h = new Holds(tid);
            central.set(h);
        }
        lastReader = h;
        return h;
    }

    /** The calling thread's central holds record, or null if it never read centrally. */
    private Holds existingHolds(long tid) {
        Holds h = lastReader;
        return h != null && h.tid == tid ? h : central.get();
    }

    private boolean readCentral(int mode, boolean timed, long deadline) throws InterruptedException {
        Thread me = Thread.currentThread();
        Holds h = holds(me.threadId());
        boolean crowded = false;
        for (int failures = 0;;) {
            long s = state;
            if (s >>> 32 >= MAX_CENTRAL_READS) {
                throw new Error("Maximum lock count exceeded: " + this);
            }
            if ((s & OWNED) == 0L) {
                if (STATE.compareAndSet(this, s, s + READER)) {
                    h.count++;
                    if ((crowded || s != 0L || policy == ALWAYS) && bias == COMPACT) {
                        maybeBias();
                    }
                    return true;
                }
                crowded = true;
                failures = Backoff.pause(failures);
            } else if (h.count > 0 || owner == me || ownSlot(slots, me.threadId()) != null) {
                // re-entrant, or the writer's own read: it must not wait behind writers waiting for this thread
                if (STATE.compareAndSet(this, s, s + READER)) {
                    h.count++;
                    return true;
                }
            } else if (mode == TRY || !readSlow(mode, timed, deadline)) {
                return false;
            } else if (readFast()) { // the writer left; bias may be on again
                return true;
            }
        }
    }

    /** Waits until no writer holds or waits; false on timeout. */
    private boolean readSlow(int mode, boolean timed, long deadline) throws InterruptedException {
        LockWaitEvent event = LockWaitEvent.begin(order.name, "read", owner, LockWaitEvent.UNKNOWN);
        try {
            return blockedReaders.await(notOwned, SPINS, YIELDS, timed, deadline, waitFlags(mode));
        } finally {
            LockWaitEvent.end(event);
        }
    }

    /**
     * Turns bias on, unless a recent revocation inhibits it or a writer holds or waits. Called holding a central read
     * lock taken with no writer bit set.
     */
    private void maybeBias() {
        if (policy == NEVER || (state & WRITE_BITS) != 0L
                || (policy == ADAPTIVE && System.nanoTime() - inhibitUntil < 0L)) {
            return;
        }
        if (slots == null) {
            SLOTS.compareAndSet(this, (PaddedAtomicLong[]) null, newSlots());
        }
        bias = BIASED;
    }

    private void unlockRead() {
        long tid = Thread.currentThread().threadId();
        PaddedAtomicLong s = ownSlot(slots, tid);
        if (s != null) {
            long v = s.getPlain();
            if ((v & HOLD_MASK) > 1L) {
                s.setOpaque(v - 1);
            } else {
                releaseSlot(s);
            }
        } else {
            Holds h = existingHolds(tid);
            if (h == null || h.count <= 0) {
                throw new IllegalMonitorStateException(
                        "this thread holds no read lock of " + this + ": unlock only what this thread locked");
            }
            h.count--;
            long st = (long) STATE.getAndAdd(this, -READER) - READER;
            if ((st & ~WRITE_BITS) == 0L && (st & OWNED) != 0L && draining.hasWaiters()) {
                draining.signal();
            }
        }
        if (LockOrder.checking) {
            LockOrder.released(order);
        }
    }

    // ------------------------------------------------------------------ write side

    private boolean acquireWrite(int mode, boolean timed, long deadline) throws InterruptedException {
        long s;
        if (!LockOrder.checking && ((s = state) & ~WAITING_WRITERS) == 0L
                && STATE.compareAndSet(this, s, s | OWNED)) {
            if (bias == COMPACT) {
                enterWrite(Thread.currentThread()); // the fast path, kept small so that it inlines into its caller
                return true;
            }
            return acquireWriteSlow(true, mode, timed, deadline);
        }
        return acquireWriteSlow(false, mode, timed, deadline);
    }

    /** The rest: re-entry, lock-order checks, bias revocation and waiting; {@code owned} if the fast path won. */
    private boolean acquireWriteSlow(boolean owned, int mode, boolean timed, long deadline)
            throws InterruptedException {
        Thread me = Thread.currentThread();
        if (!owned) {
            if (owner == me) {
                if (writeHolds == Integer.MAX_VALUE) {
                    throw new Error("Maximum lock count exceeded: " + this);
                }
                writeHolds++;
                if (LockOrder.checking) {
                    LockOrder.acquired(order, false);
                }
                return true;
            }
            if (LockOrder.checking && mode != TRY) {
                LockOrder.acquiring(order, false);
            }
            long s = state;
            owned = (s & ~WAITING_WRITERS) == 0L && STATE.compareAndSet(this, s, s | OWNED);
        }
        if (!(owned && bias == COMPACT) && !writeSlow(me, owned, mode, timed, deadline)) {
            return false;
        }
        enterWrite(me);
        if (LockOrder.checking) {
            LockOrder.acquired(order, false);
        }
        return true;
    }

    /** Completes a write acquisition: the owned bit is set and no reader is left. */
    private void enterWrite(Thread me) {
        VERSION.setOpaque(this, version + 1); // odd: optimistic readers' stamps fail from here on
        VarHandle.storeStoreFence(); // ... and they see it before any store made under the lock
        OWNER.setRelease(this, me);
        writeHolds = 1;
    }

    /** Whether the calling thread holds a read lock, biased or central. */
    private boolean holdsRead(long tid) {
        if (ownSlot(slots, tid) != null) {
            return true;
        }
        Holds h = existingHolds(tid);
        return h != null && h.count > 0;
    }

    /** Throws if the calling thread holds a read lock: called before a writer would wait, or fail, because of it. */
    private void refuseUpgrade(Thread me) {
        if (holdsRead(me.threadId())) {
            throw new IllegalStateException("this thread holds a read lock of " + this
                    + "; upgrading would deadlock against another upgrading reader: release the read lock, then"
                    + " take the write lock");
        }
    }

    /**
     * Wins the owned bit, unless the fast path already did ({@code owned}), then waits for readers to leave and
     * revokes bias. A writer that gives up withdraws everything it added to the writer word.
     */
    private boolean writeSlow(Thread me, boolean owned, int mode, boolean timed, long deadline)
            throws InterruptedException {
        if (!owned) {
            if (mode == TRY) {
                refuseUpgrade(me);
                return false;
            }
            if (!acquireOwned(me, mode, timed, deadline)) {
                return false;
            }
        }
        boolean drained = false;
        try {
            drained = drain(me, mode, timed, deadline);
            return drained;
        } finally {
            if (!drained) {
                abandon(OWNED);
            }
        }
    }

    /**
     * Takes the owned bit: spins briefly, then registers as a waiting writer and parks until woken. One that finds it
     * free takes it, even ahead of writers that wait; waiting writers are woken in the order they came.
     */
    private boolean acquireOwned(Thread me, int mode, boolean timed, long deadline) throws InterruptedException {
        LockWaitEvent event = null;
        boolean registered = false;
        boolean acquired = false;
        try {
            for (int spins = 0;;) {
                long s = state;
                if ((s & OWNED) == 0L) {
                    if (STATE.compareAndSet(this, s, (registered ? s - WRITER : s) | OWNED)) {
                        acquired = true;
                        return true;
                    }
                } else if (spins < SPINS) {
                    spins++;
                    Thread.onSpinWait();
                } else if (!registered) {
                    refuseUpgrade(me);
                    event = LockWaitEvent.begin(order.name, "write", owner, LockWaitEvent.UNKNOWN);
                    STATE.getAndAdd(this, WRITER);
                    registered = true;
                } else {
                    // the wait's condition takes the lock, so a writer stays in line until it has it (as an AQS node
                    // stays queued while it retries): none woken later can be let in ahead of it
                    acquired = blockedWriters.await(takeOwned, 0, 0, timed, deadline, waitFlags(mode));
                    return acquired;
                }
            }
        } finally {
            if (registered && !acquired) {
                abandon(WRITER);
            }
            LockWaitEvent.end(event);
        }
    }

    private boolean takeOwnedAsRegistered() {
        for (long s; ((s = state) & OWNED) == 0L; ) {
            if (STATE.compareAndSet(this, s, (s - WRITER) | OWNED)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Revokes bias, waits for the central readers to leave, revokes bias again if one of them turned it back on, then
     * waits for the biased readers to leave. Called by the thread that set OWNED. Revoking first keeps new readers
     * off the biased path while this writer waits (writer preference).
     */
    private boolean drain(Thread me, int mode, boolean timed, long deadline) throws InterruptedException {
        long start = 0L;
        if (bias == BIASED) {
            start = System.nanoTime();
            bias = REVOKING;
        }
        if ((state & ~WRITE_BITS) != 0L) {
            refuseUpgrade(me);
            if (!(mode != TRY && awaitReaders(noCentralReaders, mode, timed, deadline))) {
                return false;
            }
        }
        if (bias == BIASED) {
            if (start == 0L) {
                start = System.nanoTime();
            }
            bias = REVOKING;
        }
        if (bias == COMPACT) {
            return true;
        }
        // REVOKING: this writer's revocation, or one a writer that gave up left unfinished
        boolean clear = slotsClear();
        if (!clear) {
            refuseUpgrade(me);
            clear = mode != TRY && awaitReaders(slotsClear, mode, timed, deadline);
        }
        if (clear) {
            bias = COMPACT; // no reader can turn bias on while OWNED is set
        }
        if (start != 0L) {
            long cost = Math.min(System.nanoTime() - start, MAX_REVOCATION_NANOS);
            inhibitUntil = System.nanoTime() + Math.max(MIN_INHIBIT_NANOS, cost * INHIBIT_FACTOR);
        }
        // A biased reader whose slot count is full takes further re-entrant holds centrally, even while this writer
        // waits for slots: look at the central count again. Only a thread already reading can add such a hold, so
        // once the slots and the count are both empty, nothing more can come in.
        return clear && ((state & ~WRITE_BITS) == 0L || drain(me, mode, timed, deadline));
    }

    /** Waits for readers to leave; the wait is recorded with no owner, as readers are many. */
    private boolean awaitReaders(BooleanSupplier gone, int mode, boolean timed, long deadline)
            throws InterruptedException {
        LockWaitEvent event = LockWaitEvent.begin(order.name, "write (draining readers)", null,
                LockWaitEvent.UNKNOWN);
        try {
            return draining.await(gone, DRAIN_SPINS, DRAIN_YIELDS, timed, deadline, waitFlags(mode));
        } finally {
            LockWaitEvent.end(event);
        }
    }

    private static int waitFlags(int mode) {
        return mode == UNINTERRUPTIBLE ? Waiters.UNINTERRUPTIBLE : 0;
    }

    /** Withdraws a writer that gave up, waking whoever it was holding off. */
    private void abandon(long mine) {
        long s = (long) STATE.getAndAdd(this, -mine) - mine;
        wakeAfterWriter(s);
    }

    private void unlockWrite() {
        if (owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException(
                    "this thread does not hold the write lock of " + this + ": unlock only what this thread locked");
        }
        if (--writeHolds == 0) {
            OWNER.setRelease(this, (Thread) null);
            VERSION.setRelease(this, version + 1); // even again, after every store made under the lock
            long s = (long) STATE.getAndAdd(this, -OWNED) - OWNED;
            if (s != 0L || blockedReaders.hasWaiters()) {
                wakeAfterWriter(s);
            }
        }
        if (LockOrder.checking) {
            LockOrder.released(order);
        }
    }

    /**
     * Once the owned bit is clear, wakes one waiting writer and every blocked reader: readers wait only for a writer
     * that holds the lock (or drains it), so they may all go; a writer that wins the lock next stops them again.
     */
    private void wakeAfterWriter(long s) {
        if ((s & OWNED) != 0L) {
            return;
        }
        if ((s & WAITING_WRITERS) != 0L && blockedWriters.hasWaiters()) {
            blockedWriters.signalUnlessPending();
        }
        if (blockedReaders.hasWaiters()) {
            blockedReaders.signalAll();
        }
    }

    // ------------------------------------------------------------------ optimistic reads

    /**
     * Returns a stamp for an optimistic read, or 0 if the write lock is held now. Takes no lock and writes nothing:
     * read the guarded fields into locals, then call {@link #validate(long)}, and use the values only if it returns
     * true (see the class comment for the rule). A stamp of 0 never validates. A thread that holds the write lock
     * gets 0 too; it has no need of one.
     *
     * @return a stamp, or 0 if the write lock is held
     */
    public long tryOptimisticRead() {
        long v = version;
        return (v & 1L) == 0L ? v : 0L;
    }

    /**
     * Returns whether no writer took the lock since {@code stamp} was issued by {@link #tryOptimisticRead()}: if so,
     * every value the calling thread read since then was written before the stamp, by the last writer. Loads the
     * caller made before this call are not reordered after it.
     *
     * @param stamp a stamp from {@link #tryOptimisticRead()} on this lock
     * @return true if no write lock was held or released since the stamp; always false for 0
     */
    public boolean validate(long stamp) {
        VarHandle.acquireFence(); // the caller's loads of the guarded fields happen before the load below
        return stamp != 0L && version == stamp;
    }

    // ------------------------------------------------------------------ public API

    /**
     * Returns the lock used for reading. Its blocking and timed acquisitions throw {@link LockOrderViolationException}
     * in strict lock-order checking, and its {@link Lock#newCondition()} throws {@link UnsupportedOperationException}.
     *
     * @return the read lock
     */
    @Override
    public Lock readLock() {
        return readView;
    }

    /**
     * Returns the lock used for writing. Its acquisitions throw {@link IllegalStateException} if the calling thread
     * holds a read lock (upgrade), and its blocking and timed ones throw {@link LockOrderViolationException} in strict
     * lock-order checking; its {@link Lock#newCondition()} throws {@link UnsupportedOperationException}.
     *
     * @return the write lock
     */
    @Override
    public Lock writeLock() {
        return writeView;
    }

    /**
     * Takes the read lock for a try-with-resources block: {@code try (var r = lock.read()) { ... }}. Waits
     * uninterruptibly, as {@code readLock().lock()} does.
     *
     * @return the scope, which releases one read hold when closed
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    public LockScope read() {
        readView.lock();
        return readScope;
    }

    /**
     * Takes the write lock for a try-with-resources block: {@code try (var w = lock.write()) { ... }}. Waits
     * uninterruptibly, as {@code writeLock().lock()} does.
     *
     * @return the scope, which releases one write hold when closed
     * @throws IllegalStateException if this thread holds a read lock (upgrade)
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking this lock would break the recorded order
     */
    public LockScope write() {
        writeView.lock();
        return writeScope;
    }

    /**
     * Returns how many read holds the lock has now, summed over all threads (a thread that took the read lock twice
     * counts twice), as {@link java.util.concurrent.locks.ReentrantReadWriteLock#getReadLockCount()} does. A moment's
     * snapshot taken without locking, for monitoring, not for synchronization.
     *
     * @return the number of read holds
     */
    public int getReadLockCount() {
        long n = state >>> 32;
        PaddedAtomicLong[] t = slots;
        if (t != null) {
            for (PaddedAtomicLong s : t) {
                n += s.get() & HOLD_MASK;
            }
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /**
     * Returns how many threads wait to write, counting a writer that has won the lock and is parked until readers
     * leave.
     * A snapshot, for monitoring; {@link java.util.concurrent.locks.ReentrantReadWriteLock} counts the same threads
     * in {@code getQueuedWriterThreads()}.
     *
     * @return the number of waiting writers
     */
    public int getQueuedWriterCount() {
        long s = state;
        return (int) ((s & WRITE_BITS) >>> 1) + (draining.hasWaiters() ? 1 : 0);
    }

    /**
     * Returns whether some thread holds the write lock, for monitoring.
     *
     * @return true if the write lock is held
     */
    public boolean isWriteLocked() {
        return owner != null;
    }

    /**
     * Returns whether the calling thread holds the write lock.
     *
     * @return true if this thread holds the write lock
     */
    public boolean isWriteLockedByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /**
     * Returns the calling thread's read holds: each {@code readLock().lock()} not yet matched by an unlock counts
     * one, as in {@link java.util.concurrent.locks.ReentrantReadWriteLock#getReadHoldCount()}.
     *
     * @return this thread's read holds
     */
    public int getReadHoldCount() {
        long tid = Thread.currentThread().threadId();
        long n = 0;
        PaddedAtomicLong[] t = slots;
        if (t != null && tid < SLOT_TID_LIMIT) {
            int i = slotIndex(tid, t.length);
            for (PaddedAtomicLong s : new PaddedAtomicLong[] {t[i], t[i ^ 1]}) {
                long v = s.getPlain();
                if (v >>> HOLD_BITS == tid) {
                    n += v & HOLD_MASK;
                }
            }
        }
        Holds h = existingHolds(tid);
        return (int) Math.min(n + (h == null ? 0 : h.count), Integer.MAX_VALUE);
    }

    /**
     * Returns the calling thread's write holds, as in
     * {@link java.util.concurrent.locks.ReentrantReadWriteLock#getWriteHoldCount()}: 0 unless it holds the write
     * lock.
     *
     * @return this thread's write holds
     */
    public int getWriteHoldCount() {
        return owner == Thread.currentThread() ? writeHolds : 0;
    }

    /** @return how many reader slots the table has, 0 before bias was first turned on */
    int slotCount() {
        PaddedAtomicLong[] t = slots;
        return t == null ? 0 : t.length;
    }

    /** @return whether readers may take the biased path now */
    boolean isReadBiased() {
        return bias == BIASED;
    }

    /**
     * Returns a string identifying this lock and its state: its name, read holds, waiting writers and writer, if any.
     *
     * @return a string identifying this lock and its state
     */
    @Override
    public String toString() {
        Thread o = owner;
        return "ReaderWriterLock[" + order.name + ", readHolds=" + getReadLockCount() + ", queuedWriters="
                + getQueuedWriterCount() + (bias == BIASED ? ", readBiased" : "")
                + (o != null ? ", writer=" + o.getName() : "") + "]";
    }

    private static UnsupportedOperationException noConditions() {
        return new UnsupportedOperationException(
                "ReaderWriterLock has no conditions: use a ReentrantLock's condition, or a queue, to wait for state");
    }

    /** The two sides differ only in how they acquire and release; waiting, interruption and timeouts are shared. */
    private abstract class View implements Lock {
        abstract boolean acquire(int mode, boolean timed, long deadline) throws InterruptedException;

        @Override
        public void lock() {
            try {
                acquire(UNINTERRUPTIBLE, false, 0L); // waits through interrupts, and sets the flag again
            } catch (InterruptedException e) {
                throw new AssertionError(e); // an uninterruptible wait never throws it
            }
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            acquire(INTERRUPTIBLE, false, 0L);
        }

        @Override
        public boolean tryLock() {
            try {
                return acquire(TRY, false, 0L);
            } catch (InterruptedException e) {
                throw new AssertionError(e); // a non-blocking attempt never waits
            }
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            long deadline = Waiters.deadline(time, unit);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return acquire(INTERRUPTIBLE, true, deadline);
        }

        @Override
        public Condition newCondition() {
            throw noConditions();
        }
    }

    private final class ReadView extends View {
        @Override
        boolean acquire(int mode, boolean timed, long deadline) throws InterruptedException {
            return acquireRead(mode, timed, deadline);
        }

        @Override
        public void unlock() {
            unlockRead();
        }

        @Override
        public String toString() {
            return "read lock of " + ReaderWriterLock.this;
        }
    }

    private final class WriteView extends View {
        @Override
        boolean acquire(int mode, boolean timed, long deadline) throws InterruptedException {
            return acquireWrite(mode, timed, deadline);
        }

        @Override
        public void unlock() {
            unlockWrite();
        }

        @Override
        public String toString() {
            return "write lock of " + ReaderWriterLock.this;
        }
    }
}
