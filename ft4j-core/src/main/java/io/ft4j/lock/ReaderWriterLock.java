package io.ft4j.lock;

import io.ft4j.internal.util.Checks;
import io.ft4j.internal.wait.Waiters;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.BooleanSupplier;

/**
 * A writer-preferring {@link ReadWriteLock} whose readers do not share a cache line: each reading thread announces
 * itself in a slot of its own, so concurrent readers never write the same memory. The design follows ft_utils'
 * RWLock, without its re-entrant-read deadlock.
 *
 * <p><b>Writer preference.</b> A reader that is not already reading waits while any writer holds or waits, so a
 * stream of readers cannot starve a writer (the reverse can happen: a continuous stream of writers holds readers
 * off). Writers take the lock in no particular order.
 *
 * <p><b>Memory consistency effects.</b> Everything written under the write lock happens-before whatever a later
 * reader or writer does under the lock.
 *
 * <p><b>Holding rules.</b> Both locks are re-entrant, and a re-entrant read never waits, even behind a waiting
 * writer (which would deadlock: the writer waits for this reader). The writer may take the read lock (downgrade:
 * write, read, release write, and the thread is left reading with no writer in between). A reader asking for the
 * write lock (upgrade) is refused at once with {@link IllegalStateException}: two upgrading readers would wait for
 * each other forever.
 * Releasing a hold the calling thread does not have throws {@link IllegalMonitorStateException}.
 *
 * <p><b>Costs.</b> An uncontended read costs a thread-local lookup and one fenced store on each side; reads on many
 * cores scale because nothing is shared but read-only words. A write scans every slot, so it costs more the more
 * threads have ever read this lock; the lock suits read-mostly data. Waiting threads spin briefly, yield, then park.
 * Conditions are not supported.
 */
/*
 * Algorithm. Each thread that reads gets a padded slot holding its read-hold count; the lock keeps an array of slots,
 * one per thread that ever read (slots of ended threads are reused). A reader stores 1 in its slot, then reads the
 * writer word; if no writer holds or waits, it holds the read lock. A writer adds itself to the writer word (a count
 * of waiting writers and an owned bit), takes the owned bit, then waits until every slot reads 0. Both sides store,
 * then load, with sequentially consistent accesses (Dekker's pattern): either the reader sees the writer and backs
 * out, or the writer sees the reader and waits for it. A reader that backs out, or releases its last hold, wakes the
 * writer if one is parked.
 *
 * Linearization points. A read acquisition takes effect at the store of its slot, confirmed by the load of the writer
 * word that follows; a write acquisition at the load that finds the last slot empty; releases at the store to the
 * slot or to the writer word. All are volatile accesses, so everything written under the write lock happens-before
 * whatever a later reader or writer does under the lock.
 */
public final class ReaderWriterLock implements ReadWriteLock {
    private static final long OWNED = 1L;
    private static final long WRITER = 2L;
    private static final int SPINS = 1_000;
    private static final int YIELDS = 4;
    /**
     * How long a draining writer parks before it looks at the slots again. Readers release with a plain release
     * store (no fence), so a writer that registered just as the last reader left may not be signalled; it finds
     * the lock drained at its next look, this long later at most.
     */
    private static final long DRAIN_RECHECK_NANOS = 100_000L;
    private static final int BY_ID = 64;

    private static final VarHandle STATE;
    private static final VarHandle HOLDS;
    private static final VarHandle OWNER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(ReaderWriterLock.class, "state", long.class);
            OWNER = l.findVarHandle(ReaderWriterLock.class, "owner", Thread.class);
            HOLDS = l.findVarHandle(ReaderHolds.class, "holds", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Writers waiting for their turn times {@link #WRITER}, plus {@link #OWNED} from the moment one writer has won
     * the lock (it may still be draining readers) until it releases. Readers enter only while it is 0.
     */
    private volatile long state;
    private volatile Thread owner;
    /** Written by the owner only. */
    private int writeHolds;

    private final ThreadLocal<Reader> reader = new ThreadLocal<>();
    /**
     * Slots by thread id modulo its length, so the common lookup is an array load and an identity check instead of
     * a ThreadLocal probe. Written only when a thread registers; a stale or colliding entry just misses.
     */
    private final Reader[] byId = new Reader[BY_ID];
    private volatile Reader[] slots = new Reader[0];
    private final Object slotsLock = new Object();

    private final Waiters blockedReaders = new Waiters();
    private final Waiters blockedWriters = new Waiters();
    private final Waiters draining = new Waiters();

    private final BooleanSupplier noWriter = () -> state == 0L;
    private final BooleanSupplier notOwned = () -> (state & OWNED) == 0L;
    private final BooleanSupplier readersGone = this::drained;

    private final LockOrder.Node order;
    private final ReadView readView = new ReadView();
    private final WriteView writeView = new WriteView();
    private final LockScope readScope = this::unlockRead;
    private final LockScope writeScope = this::unlockWrite;

    /** Creates an unnamed lock, which the lock-order checker names by its identity. */
    public ReaderWriterLock() {
        this(null, LockOrder.NO_LEVEL);
    }

    /**
     * Creates a lock with a name.
     *
     * @param name the name the lock-order checker and JFR events report it by
     * @throws NullPointerException if {@code name} is null
     */
    public ReaderWriterLock(String name) {
        this(Checks.requireNonNull(name, "name"), LockOrder.NO_LEVEL);
    }

    /**
     * Creates a lock with a name and a level in a lock hierarchy.
     *
     * @param name the name the lock-order checker and JFR events report it by, or null to name it by its identity
     * @param level this lock's level in a lock hierarchy: while checking is on, it may only be taken while holding
     *     locks of lower levels; {@link LockOrder#NO_LEVEL} for none
     */
    public ReaderWriterLock(String name, int level) {
        order = LockOrder.node(name, this, level);
    }

    // ------------------------------------------------------------------ slots

    /** Keeps the hold count of one thread apart from its neighbours' (class-hierarchy padding). */
    abstract static class ReaderPad {
        long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    abstract static class ReaderHolds extends ReaderPad {
        /** This thread's read holds. Written by its thread only; read by writers draining the lock. */
        volatile int holds;
    }

    static final class Reader extends ReaderHolds {
        long p10, p11, p12, p13, p14, p15, p16, p17;
        /** The thread the slot belongs to; a slot whose thread ended with no holds is handed to a new one. */
        Thread thread;

        Reader(Thread thread) {
            this.thread = thread;
        }
    }

    /** The calling thread's slot, registering one on first use. */
    private Reader slot() {
        Thread me = Thread.currentThread();
        Reader r = byId[(int) me.threadId() & (BY_ID - 1)];
        if (r != null && r.thread == me) {
            return r;
        }
        r = reader.get();
        return r != null ? r : register();
    }

    /** The calling thread's slot, or null if it never read this lock. */
    private Reader existingSlot() {
        Thread me = Thread.currentThread();
        Reader r = byId[(int) me.threadId() & (BY_ID - 1)];
        return r != null && r.thread == me ? r : reader.get();
    }

    private Reader register() {
        Thread me = Thread.currentThread();
        Reader r = null;
        synchronized (slotsLock) {
            for (Reader s : slots) {
                if (!s.thread.isAlive() && s.holds == 0) {
                    s.thread = me;
                    r = s;
                    break;
                }
            }
            if (r == null) {
                Reader[] grown = Arrays.copyOf(slots, slots.length + 1);
                grown[grown.length - 1] = r = new Reader(me);
                slots = grown; // volatile store before this thread's first slot store: see drained()
            }
        }
        reader.set(r);
        byId[(int) me.threadId() & (BY_ID - 1)] = r;
        return r;
    }

    /**
     * Whether no thread holds a read lock. A reader that registered after this read the array announced itself after
     * the writer's announcement, so its load of the writer word sees the writer and it backs out.
     */
    private boolean drained() {
        for (Reader s : slots) {
            if (s.holds != 0) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ read side

    /** Announces a first read hold; keeps it only if no writer holds or waits (or this thread is the writer). */
    private boolean tryEnter(Reader r) {
        HOLDS.setVolatile(r, 1);
        if (state == 0L || owner == Thread.currentThread()) {
            return true;
        }
        HOLDS.setVolatile(r, 0);
        if (draining.hasWaiters()) {
            draining.signal();
        }
        return false;
    }

    private boolean acquireRead(boolean blocking, boolean timed, long deadline) throws InterruptedException {
        if (LockOrder.checking && blocking) {
            LockOrder.acquiring(order, true);
        }
        Reader r = slot();
        int h = r.holds;
        if (h > 0) {
            HOLDS.setRelease(r, h + 1); // re-entrant: already counted, so no writer can be past its drain
        } else if (!tryEnter(r)) {
            if (!blocking || !readSlow(r, timed, deadline)) {
                return false;
            }
        }
        if (LockOrder.checking) {
            LockOrder.acquired(order, true);
        }
        return true;
    }

    private boolean readSlow(Reader r, boolean timed, long deadline) throws InterruptedException {
        LockWaitEvent event = LockWaitEvent.begin(order.name, "read", owner, LockWaitEvent.UNKNOWN);
        try {
            do {
                if (!blockedReaders.await(noWriter, SPINS, YIELDS, timed, deadline)) {
                    return false;
                }
            } while (!tryEnter(r));
            return true;
        } finally {
            LockWaitEvent.end(event);
        }
    }

    private void unlockRead() {
        Reader r = existingSlot();
        int h = r == null ? 0 : r.holds;
        if (h <= 0) {
            throw new IllegalMonitorStateException(
                    "this thread holds no read lock of " + this + ": unlock only what this thread locked");
        }
        HOLDS.setRelease(r, h - 1); // no fence: a writer that misses the signal below looks again (DRAIN_RECHECK)
        if (h == 1 && draining.hasWaiters()) {
            draining.signal();
        }
        if (LockOrder.checking) {
            LockOrder.released(order);
        }
    }

    // ------------------------------------------------------------------ write side

    private boolean acquireWrite(boolean blocking, boolean timed, long deadline) throws InterruptedException {
        Thread me = Thread.currentThread();
        if (owner == me) {
            writeHolds++;
            if (LockOrder.checking) {
                LockOrder.acquired(order, false);
            }
            return true;
        }
        if (LockOrder.checking && blocking) {
            LockOrder.acquiring(order, false);
        }
        boolean owned = STATE.compareAndSet(this, 0L, OWNED);
        if (!(owned && drained()) && !writeSlow(owned, blocking, timed, deadline)) {
            return false;
        }
        OWNER.setRelease(this, me); // no fence: the CAS or drain above ordered the acquisition; only me acts on it
        writeHolds = 1;
        if (LockOrder.checking) {
            LockOrder.acquired(order, false);
        }
        return true;
    }

    /**
     * Wins the owned bit, unless the fast path already did ({@code owned}), then waits for readers to drain. A
     * writer that gives up withdraws everything it added to the writer word.
     */
    private boolean writeSlow(boolean owned, boolean blocking, boolean timed, long deadline)
            throws InterruptedException {
        Reader mine = existingSlot();
        if (mine != null && mine.holds > 0) { // only here: a reader's own slot is what keeps the fast path from draining
            if (owned) {
                abandon(OWNED);
            }
            throw new IllegalStateException("this thread holds a read lock of " + this
                    + "; upgrading would deadlock against another upgrading reader: release the read lock, then"
                    + " take the write lock");
        }
        if (!owned) {
            if (!blocking) {
                return false;
            }
            // begun before announcing the writer: once announced, nothing may throw outside the try
            LockWaitEvent event = LockWaitEvent.begin(order.name, "write", owner, LockWaitEvent.UNKNOWN);
            STATE.getAndAdd(this, WRITER);
            try {
                for (;;) {
                    long s = state;
                    if ((s & OWNED) == 0L) {
                        if (STATE.compareAndSet(this, s, s - WRITER + OWNED)) {
                            break;
                        }
                    } else if (!blockedWriters.await(notOwned, SPINS, YIELDS, timed, deadline)) {
                        abandon(WRITER);
                        return false;
                    }
                }
            } catch (InterruptedException e) {
                abandon(WRITER);
                throw e;
            } finally {
                LockWaitEvent.end(event);
            }
        }
        try {
            if (drained() || (blocking && drain(timed, deadline))) {
                return true;
            }
        } catch (InterruptedException e) {
            abandon(OWNED);
            throw e;
        }
        abandon(OWNED);
        return false;
    }

    /** Waits for the readers to leave; the wait is recorded with no owner, as readers are many. */
    private boolean drain(boolean timed, long deadline) throws InterruptedException {
        LockWaitEvent event = LockWaitEvent.begin(order.name, "write (draining readers)", null,
                LockWaitEvent.UNKNOWN);
        try {
            while (!drained()) {
                long now = System.nanoTime();
                if (timed && now - deadline >= 0L) {
                    return false;
                }
                long until = now + DRAIN_RECHECK_NANOS;
                draining.await(readersGone, SPINS, YIELDS, true, timed && until - deadline > 0L ? deadline : until);
            }
            return true;
        } finally {
            LockWaitEvent.end(event);
        }
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
            OWNER.setRelease(this, (Thread) null); // the RMW below is the release that readers and writers see
            long s = (long) STATE.getAndAdd(this, -OWNED) - OWNED;
            wakeAfterWriter(s);
        }
        if (LockOrder.checking) {
            LockOrder.released(order);
        }
    }

    /** Writer preference: with writers still waiting, one of them goes next; otherwise every blocked reader does. */
    private void wakeAfterWriter(long s) {
        if (s != 0L) {
            if ((s & OWNED) == 0L && blockedWriters.hasWaiters()) {
                blockedWriters.signal();
            }
        } else if (blockedReaders.hasWaiters()) {
            blockedReaders.signalAll();
        }
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
        int n = 0;
        for (Reader s : slots) {
            n += s.holds;
        }
        return n;
    }

    /**
     * Returns how many threads wait to write, counting a writer that has won the lock and waits for readers to leave.
     * A snapshot, for monitoring; {@link java.util.concurrent.locks.ReentrantReadWriteLock} counts the same threads
     * in {@code getQueuedWriterThreads()}.
     *
     * @return the number of waiting writers
     */
    public int getQueuedWriterCount() {
        long s = state;
        return (int) (s >>> 1) + ((s & OWNED) != 0L && owner == null ? 1 : 0);
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
        Reader r = existingSlot();
        return r == null ? 0 : r.holds;
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

    /** @return how many reader slots exist: one per thread reading at once, slots of ended threads being reused */
    int slotCount() {
        return slots.length;
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
                + getQueuedWriterCount()
                + (o != null ? ", writer=" + o.getName() : "") + "]";
    }

    private static UnsupportedOperationException noConditions() {
        return new UnsupportedOperationException(
                "ReaderWriterLock has no conditions: use a ReentrantLock's condition, or a queue, to wait for state");
    }

    /** The two sides differ only in how they acquire and release; waiting, interruption and timeouts are shared. */
    private abstract class View implements Lock {
        abstract boolean acquire(boolean blocking, boolean timed, long deadline) throws InterruptedException;

        @Override
        public void lock() {
            boolean interrupted = false;
            for (;;) {
                try {
                    acquire(true, false, 0L);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting, as lock() must; the interrupt is restored below
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            acquire(true, false, 0L);
        }

        @Override
        public boolean tryLock() {
            try {
                return acquire(false, false, 0L);
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
            return acquire(true, true, deadline);
        }

        @Override
        public Condition newCondition() {
            throw noConditions();
        }
    }

    private final class ReadView extends View {
        @Override
        boolean acquire(boolean blocking, boolean timed, long deadline) throws InterruptedException {
            return acquireRead(blocking, timed, deadline);
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
        boolean acquire(boolean blocking, boolean timed, long deadline) throws InterruptedException {
            return acquireWrite(blocking, timed, deadline);
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
