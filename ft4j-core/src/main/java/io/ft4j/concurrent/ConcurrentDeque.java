package io.ft4j.concurrent;

import io.ft4j.internal.util.Checks;
import io.ft4j.internal.wait.Waiters;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A {@link BlockingDeque}: an optionally bounded double-ended queue with blocking at both ends, atomic bulk insertion
 * and rotation, and shutdown. The design follows the {@code ConcurrentDeque} of ft_utils, a library for free-threaded
 * Python.
 *
 * <pre>{@code
 * ConcurrentDeque<Task> d = new ConcurrentDeque<>();    // unbounded; new ConcurrentDeque<>(1_000) holds at most 1000
 * d.addAllLast(batch);                  // ft_utils' extend: the whole batch in one atomic step
 * d.addAllFirst(urgent);                // extendleft: reversed, like collections.deque
 * Task t = d.takeFirst();               // blocks while empty
 * d.rotate(1);                          // last element to the front, atomically
 * }</pre>
 *
 * <p><b>Capacity.</b> {@link #ConcurrentDeque(int)} bounds the deque as
 * {@link java.util.concurrent.LinkedBlockingDeque#LinkedBlockingDeque(int)} does; the other constructors make it
 * unbounded ({@link #remainingCapacity()} is then {@link Integer#MAX_VALUE}). When a bounded deque is full,
 * {@code offerFirst}, {@code offerLast} and {@code offer} return false, the timed offers wait up to their timeout,
 * {@code putFirst}, {@code putLast} and {@code put} wait for room, and {@code addFirst}, {@code addLast}, {@code add}
 * and {@code push} throw {@link IllegalStateException}. {@link #addAllFirst}, {@link #addAllLast} and
 * {@link #addAll} are all or nothing: if the whole collection does not fit, they throw IllegalStateException and add
 * nothing. Every removal (polls, takes, {@code remove}s, {@code removeIf}, {@code removeAll}, {@code retainAll},
 * {@code clear}, {@code drainTo}, an iterator's {@code remove}) wakes producers waiting for the room it made;
 * {@link #rotate(int)} changes no size and wakes nobody.
 *
 * <p>Every single-element operation is atomic, and so are {@link #rotate(int)}, {@link #addAllFirst}/{@link
 * #addAllLast}, {@link #remove(Object)}, {@link #clear()}, {@link #drainTo}, {@link #toArray()} and the snapshot behind
 * each iterator, so iteration and removal are safe under concurrency (ft_utils' {@code remove} and iteration are not).
 * {@link #removeIf}, {@link #removeAll} and {@link #retainAll} are not atomic as a whole: they test the elements of a
 * snapshot, without holding the lock while the filter runs, then remove in one atomic step exactly the tested
 * occurrences that are still in the deque; elements inserted meanwhile are kept. {@code containsAll}, {@code equals}
 * and {@code hashCode} are not atomic either. Shutdown works as in {@link ConcurrentQueue}: after {@link #shutdown()}
 * insertions are refused ({@code offer} methods return false; {@code add}, {@code put} and {@code push} methods throw
 * {@link ShutDownException}), blocked producers are woken to that refusal, and takes drain what is left, then throw;
 * {@link #shutdownNow()} returns what is left. Null elements are rejected.
 *
 * <p><b>Fairness.</b> Blocked threads are not served in arrival order: when room or an element appears, the thread
 * woken is the one that blocked most recently. A thread that blocks again and again can therefore be served many
 * times before one that blocked once and has kept waiting, for as long as the others keep blocking, as with a
 * non-fair lock. Use {@link java.util.concurrent.ArrayBlockingQueue} with fairness on where arrival order
 * matters more than throughput.
 *
 * <p><b>Inside a ThreadPoolExecutor.</b> The deque can be a {@link java.util.concurrent.ThreadPoolExecutor}'s work
 * queue, with the rule of {@link ConcurrentQueue}: a pool worker fetching its next task from a shut-down, drained
 * deque is not given ShutDownException; its {@code take()} waits until the worker is interrupted (then throws
 * {@link InterruptedException}, which the pool handles by checking its own state) and its timed {@code poll} waits out
 * its timeout and returns null. The worker is recognized, on that terminal path only, by a stack walk, as
 * {@link ConcurrentQueue} describes (directly or through a wrapping queue's forwarding {@code take}/{@code poll});
 * every other consumer gets ShutDownException. So after {@code deque.shutdown()} the pool rejects new tasks through its
 * {@link java.util.concurrent.RejectedExecutionHandler} (or, below its maximum pool size, hands a refused task
 * straight to a new worker, ThreadPoolExecutor's own rule for a queue that refuses), queued tasks still run, and the
 * workers idle until {@code executor.shutdown()}; {@code deque.shutdownNow()} hands the queued tasks back.
 *
 * <p><b>Size.</b> {@link #size()} and {@link #isEmpty()} take no lock: they read a count that every operation publishes
 * before it releases the lock, so the value is exact at some moment during the call. Beware that under concurrent
 * insertions and removals it may be out of date as soon as it is returned: it is fit for monitoring, not for deciding
 * that a {@link #pollFirst()} will succeed or a {@link #takeFirst()} will not block.
 *
 * <p><b>Iterators.</b> {@link #iterator()} and {@link #descendingIterator()} traverse a snapshot of the deque taken
 * atomically when they are created; {@link #spliterator()} takes its snapshot when traversal starts (it is
 * late-binding) and reports {@link Spliterator#ORDERED}, {@link Spliterator#NONNULL} and {@link
 * Spliterator#CONCURRENT}. Being snapshots, they are more than weakly consistent: they never throw {@link
 * java.util.ConcurrentModificationException}, return every element present at the snapshot exactly once, in order, and
 * reflect no later change. An iterator's {@link Iterator#remove()} removes the very occurrence that its {@code next()}
 * (or {@code forEachRemaining}) last returned, not the first equal or identical element, wherever insertions, removals
 * and rotations have moved it since; if that occurrence has left the deque in the meantime, {@code remove()} does
 * nothing.
 *
 * @param <E> the element type
 */
/*
 * Design notes
 *
 * Algorithm. A circular array that doubles when full, guarded by one ReentrantLock. Deque operations are a few
 * loads and stores, so a critical section is shorter than the CAS retries of a lock-free linked deque
 * (ConcurrentLinkedDeque allocates a node per element and may have to help unlink), and one lock makes the
 * multi-element operations (extend, rotate, remove(Object), snapshot iteration) atomic at no extra cost. ft_utils'
 * deque is a CAS spin lock around copy-on-write headers: blocking too, with a worse wait. A ReentrantLock rather than
 * the object's monitor: under contention the inflated monitor measured 5x slower here (2 threads: 7 against 34
 * ops/us for LinkedBlockingDeque, which uses a ReentrantLock); the lock also never pins a virtual thread.
 *
 * Occurrence stamps. Each occupied slot also holds a stamp, the value of a counter incremented under the lock at every
 * insertion, in a parallel long[] that grow, rotate and interior removal move along with the elements. An iterator's
 * snapshot copies the stamps, and its remove() looks its element up by stamp, so it removes that occurrence and no
 * other, even when the deque holds the same object twice; bulk removals do the same for every element their filter
 * chose. A stamp is never reused (2^63 insertions), so one that is not found means the occurrence is gone. This costs
 * 8 bytes a slot; the alternatives cost more: a node per element, or a position that every operation at the front
 * would invalidate.
 *
 * Blocking. A consumer that finds the deque empty waits on the notEmpty waiters (internal/wait) outside the lock,
 * testing a volatile copy of the size; producers signal after they unlock, only when someone waits. A producer that
 * finds a bounded deque full waits the same way on the notFull waiters, testing size < capacity; every operation
 * that removes elements signals notFull after it unlocks (one waiter per element removed, all for a bulk removal),
 * and shutdown, shutdownNow and poison wake all of them. The waiter registers before it tests and the remover
 * writes size before it reads the waiter stack, both sequentially consistent, so no wake-up is lost (Waiters'
 * protocol); a woken producer that loses the room to another producer waits again, and the room was used, not lost.
 * A pool worker on a shut-down, drained deque waits as described in ConcurrentQueue's "Pool workers".
 *
 * Linearization points: each operation's critical section; size() reads the volatile copy that each critical section
 * writes before it unlocks, so it is linearizable too (ConcurrentDequeLincheckTest checks it with the others). An
 * iterator's remove(): its own critical section, which removes its occurrence or finds it gone. Memory ordering: the
 * lock's; everything a producer did before inserting happens-before everything the consumer that removes the element
 * does after.
 *
 * Known non-guarantees. removeIf, removeAll and retainAll are two critical sections (snapshot, then removal of the
 * chosen stamps) with the user's filter running between them, outside the lock, as the iterator-based versions they
 * replace did; they are not linearizable as one operation. Running the filter under the lock, as ArrayBlockingQueue's
 * bulkRemove does, would make them atomic, but would let a slow or blocking filter stall every producer and consumer,
 * and a filter that touches this deque would corrupt the traversal.
 */
public final class ConcurrentDeque<E> extends AbstractQueue<E> implements BlockingDeque<E> {
    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int STOPPED = 2;

    private final ReentrantLock lock = new ReentrantLock();
    private Object[] items = new Object[16];
    /** ids[i] is the occurrence stamp of items[i]; see "Occurrence stamps". */
    private long[] ids = new long[16];
    /** The last stamp handed out. */
    private long lastId;
    private int head;
    private int count;
    /** count, readable without the lock by waiters' conditions and size(). */
    private volatile int size;
    private volatile int state;
    private volatile Throwable cause;
    /** The most elements the deque holds; {@link Integer#MAX_VALUE} when unbounded. */
    private final int capacity;
    private final Waiters notEmpty = new Waiters();
    /** Producers waiting for room (bounded deques only). */
    private final Waiters notFull = new Waiters();
    private final int spins;

    /** Creates an unbounded, empty deque whose blocked consumers wait by {@link WaitStrategy#BLOCKING}. */
    public ConcurrentDeque() {
        this(WaitStrategy.BLOCKING);
    }

    /**
     * Creates an unbounded, empty deque.
     *
     * @param waitStrategy how blocked consumers wait
     * @throws NullPointerException if {@code waitStrategy} is null
     */
    public ConcurrentDeque(WaitStrategy waitStrategy) {
        this.capacity = Integer.MAX_VALUE;
        this.spins = Checks.requireNonNull(waitStrategy, "waitStrategy").spins;
    }

    /**
     * Creates a bounded, empty deque, as {@link java.util.concurrent.LinkedBlockingDeque#LinkedBlockingDeque(int)}
     * does: it holds at most {@code capacity} elements; {@code offerFirst}/{@code offerLast} return false when it is
     * full, {@code putFirst}/{@code putLast} wait for room, {@code addFirst}/{@code addLast} throw. Blocked threads
     * wait by {@link WaitStrategy#BLOCKING}.
     *
     * @param capacity the most elements the deque holds, at least 1
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public ConcurrentDeque(int capacity) {
        this(capacity, WaitStrategy.BLOCKING);
    }

    /**
     * Creates a bounded, empty deque, as {@link #ConcurrentDeque(int)} does.
     *
     * @param capacity the most elements the deque holds, at least 1
     * @param waitStrategy how blocked consumers and producers wait
     * @throws IllegalArgumentException if {@code capacity < 1}
     * @throws NullPointerException if {@code waitStrategy} is null
     */
    public ConcurrentDeque(int capacity, WaitStrategy waitStrategy) {
        this.capacity = Checks.requirePositive(capacity, "capacity");
        this.spins = Checks.requireNonNull(waitStrategy, "waitStrategy").spins;
    }

    /**
     * Creates an unbounded deque holding {@code initial}'s elements in its iteration order.
     *
     * @param initial the elements
     * @throws NullPointerException if {@code initial} or any element is null
     */
    public ConcurrentDeque(Collection<? extends E> initial) {
        this();
        addAllLast(Checks.requireNonNull(initial, "initial"));
    }

    // -----------------------------------------------------------------------------------------------------------
    // Under the lock

    private void checkAccepting() {
        if (state != RUNNING) {
            throw new ShutDownException("deque is shut down: it accepts no more elements", cause);
        }
    }

    private void grow(int needed) {
        int n = items.length;
        if (count + needed <= n) {
            return;
        }
        int m = Math.max(n << 1, Integer.highestOneBit(count + needed - 1) << 1);
        Object[] a = new Object[m];
        long[] s = new long[m];
        for (int i = 0; i < count; i++) {
            int j = (head + i) & (n - 1);
            a[i] = items[j];
            s[i] = ids[j];
        }
        items = a;
        ids = s;
        head = 0;
    }

    private void linkFirst(Object e) {
        grow(1);
        head = (head - 1) & (items.length - 1);
        items[head] = e;
        ids[head] = ++lastId;
        count++;
    }

    private void linkLast(Object e) {
        grow(1);
        int i = (head + count) & (items.length - 1);
        items[i] = e;
        ids[i] = ++lastId;
        count++;
    }

    @SuppressWarnings("unchecked")
    private E unlinkFirst() {
        if (count == 0) {
            return null;
        }
        E e = (E) items[head];
        items[head] = null;
        head = (head + 1) & (items.length - 1);
        count--;
        return e;
    }

    @SuppressWarnings("unchecked")
    private E unlinkLast() {
        if (count == 0) {
            return null;
        }
        int i = (head + count - 1) & (items.length - 1);
        E e = (E) items[i];
        items[i] = null;
        count--;
        return e;
    }

    @SuppressWarnings("unchecked")
    private E at(int i) {
        return (E) items[(head + i) & (items.length - 1)];
    }

    /** Removes the i-th element (from the front), closing the gap from the nearer end; the caller publishes size. */
    private void removeAt(int i) {
        int mask = items.length - 1;
        if (i < count >>> 1) {
            for (int j = i; j > 0; j--) {
                int to = (head + j) & mask;
                int from = (head + j - 1) & mask;
                items[to] = items[from];
                ids[to] = ids[from];
            }
            items[head] = null;
            head = (head + 1) & mask;
        } else {
            for (int j = i; j < count - 1; j++) {
                int to = (head + j) & mask;
                int from = (head + j + 1) & mask;
                items[to] = items[from];
                ids[to] = ids[from];
            }
            items[(head + count - 1) & mask] = null;
        }
        count--;
    }

    /** Copies the elements, first to last, and their stamps into {@code stamps} (of length count) if not null. */
    private Object[] copyElements(long[] stamps) {
        int mask = items.length - 1;
        Object[] a = new Object[count];
        for (int i = 0; i < count; i++) {
            int j = (head + i) & mask;
            a[i] = items[j];
            if (stamps != null) {
                stamps[i] = ids[j];
            }
        }
        return a;
    }

    /** Wakes producers waiting for room after {@code n} elements left a bounded deque; call after unlocking. */
    private void signalRemoved(int n) {
        if (n > 0 && capacity != Integer.MAX_VALUE && notFull.hasWaiters()) {
            if (n == 1) {
                notFull.signal();
            } else {
                notFull.signalAll();
            }
        }
    }

    /** Wakes waiters; call after unlocking. */
    private void signalInserted(int n) {
        if (notEmpty.hasWaiters()) {
            if (n == 1) {
                notEmpty.signal();
            } else {
                notEmpty.signalAll();
            }
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // Insertion

    /** Outcomes of {@link #tryLink}. */
    private static final int LINKED = 0;
    private static final int FULL = 1;
    private static final int REFUSED = 2;

    /**
     * Inserts {@code e} at the front or back if the deque accepts it and has room; never blocks.
     *
     * @return LINKED, FULL or REFUSED (shut down)
     */
    private int tryLink(E e, boolean first) {
        lock.lock();
        try {
            if (state != RUNNING) {
                return REFUSED;
            }
            if (count >= capacity) {
                return FULL;
            }
            if (first) {
                linkFirst(e); // linearization point: the critical section
            } else {
                linkLast(e);
            }
            size = count;
        } finally {
            lock.unlock();
        }
        signalInserted(1);
        return LINKED;
    }

    /** Inserts {@code e} or throws: the add methods. */
    private void link(E e, boolean first) {
        Checks.requireNonNull(e, "e");
        int r = tryLink(e, first);
        if (r == REFUSED) {
            checkAccepting(); // throws: the state never returns to RUNNING
        } else if (r == FULL) {
            throw full(1);
        }
    }

    /** The exception for an add that does not fit, saying what to do instead. */
    private IllegalStateException full(int n) {
        String what = n == 1 ? "the element does not fit" : n + " elements do not fit";
        return new IllegalStateException("Deque full: " + what + " (capacity " + capacity + ", "
                + Math.max(0, capacity - size) + " free); nothing was added. Use offerFirst/offerLast, which return "
                + "false when full, or putFirst/putLast, which wait for room");
    }

    /**
     * Inserts {@code e} at the front or back, waiting for room while the deque is full: the put and timed offer
     * methods. The deadline is taken only once a first attempt found the deque full.
     *
     * @return true if inserted; false if timed and the timeout passed, or if timed and the deque was shut down
     * @throws ShutDownException if untimed and the deque was shut down, before or while waiting
     */
    private boolean linkWaiting(E e, boolean first, boolean timed, long timeout, TimeUnit unit)
            throws InterruptedException {
        Checks.requireNonNull(e, "e");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = 0L;
        for (boolean firstTry = true; ; firstTry = false) {
            int r = tryLink(e, first);
            if (r == LINKED) {
                return true;
            }
            if (r == REFUSED) {
                if (timed) {
                    return false;
                }
                checkAccepting(); // throws
            }
            if (firstTry && timed) {
                deadline = Waiters.deadline(timeout, unit); // only now: an insertion that fits reads no clock
            }
            if (!notFull.await(this::roomOrStopped, spins, 0, timed, deadline)) {
                return false;
            }
        }
    }

    private boolean elementOrStopped() {
        return size > 0 || state != RUNNING;
    }

    private boolean roomOrStopped() {
        return size < capacity || state != RUNNING;
    }

    /**
     * Inserts {@code e} at the front if there is room.
     *
     * @param e the element
     * @throws NullPointerException if {@code e} is null
     * @throws ShutDownException if the deque was shut down
     * @throws IllegalStateException if the deque is bounded and full
     */
    @Override
    public void addFirst(E e) {
        link(e, true);
    }

    /**
     * Inserts {@code e} at the back if there is room.
     *
     * @param e the element
     * @throws NullPointerException if {@code e} is null
     * @throws ShutDownException if the deque was shut down
     * @throws IllegalStateException if the deque is bounded and full
     */
    @Override
    public void addLast(E e) {
        link(e, false);
    }

    /**
     * Appends every element of {@code c} at the back in one atomic step: ft_utils' {@code extend}. {@code c} is copied
     * first, so {@code d.addAllLast(d)} doubles {@code d} (if it has room). All or nothing: if the deque is bounded
     * and {@code c} does not fit in its free places, nothing is added and this throws.
     *
     * @param c the elements, in iteration order
     * @return whether the deque changed
     * @throws NullPointerException if {@code c} or any element is null (then nothing is added)
     * @throws ShutDownException if the deque was shut down
     * @throws IllegalStateException if the deque is bounded and fewer than {@code c.size()} places are free (then
     *     nothing is added)
     */
    public boolean addAllLast(Collection<? extends E> c) {
        return linkAll(copyOf(c), false);
    }

    /**
     * Prepends every element of {@code c} in one atomic step: ft_utils' {@code extendleft}, so the front ends up
     * holding {@code c}'s elements in reverse order, as {@code collections.deque.extendleft} does. All or nothing, as
     * {@link #addAllLast} is.
     *
     * @param c the elements, in iteration order
     * @return whether the deque changed
     * @throws NullPointerException if {@code c} or any element is null (then nothing is added)
     * @throws ShutDownException if the deque was shut down
     * @throws IllegalStateException if the deque is bounded and fewer than {@code c.size()} places are free (then
     *     nothing is added)
     */
    public boolean addAllFirst(Collection<? extends E> c) {
        return linkAll(copyOf(c), true);
    }

    private boolean linkAll(Object[] a, boolean first) {
        lock.lock();
        try {
            checkAccepting();
            if (a.length > capacity - count) {
                throw full(a.length);
            }
            grow(a.length);
            for (Object e : a) {
                if (first) {
                    linkFirst(e);
                } else {
                    linkLast(e);
                }
            }
            size = count;
        } finally {
            lock.unlock();
        }
        signalInserted(a.length);
        return a.length > 0;
    }

    /**
     * Same as {@link #addAllLast(Collection)}: atomic, and all or nothing.
     *
     * @param c the elements, in iteration order
     * @return whether the deque changed
     * @throws NullPointerException if {@code c} or any element is null (then nothing is added)
     * @throws ShutDownException if the deque was shut down
     * @throws IllegalStateException if the deque is bounded and fewer than {@code c.size()} places are free (then
     *     nothing is added)
     */
    @Override
    public boolean addAll(Collection<? extends E> c) {
        return addAllLast(c);
    }

    private static Object[] copyOf(Collection<?> c) {
        Object[] a = Checks.requireNonNull(c, "c").toArray();
        for (Object e : a) {
            Checks.requireNonNull(e, "element of c");
        }
        return a;
    }

    /**
     * Inserts {@code e} at the front if there is room and the deque accepts elements; never blocks.
     *
     * @param e the element
     * @return true if inserted; false if the deque is full or was shut down
     * @throws NullPointerException if {@code e} is null
     */
    @Override
    public boolean offerFirst(E e) {
        return tryLink(Checks.requireNonNull(e, "e"), true) == LINKED;
    }

    /**
     * Inserts {@code e} at the back if there is room and the deque accepts elements; never blocks.
     *
     * @param e the element
     * @return true if inserted; false if the deque is full or was shut down
     * @throws NullPointerException if {@code e} is null
     */
    @Override
    public boolean offerLast(E e) {
        return tryLink(Checks.requireNonNull(e, "e"), false) == LINKED;
    }

    /**
     * Inserts {@code e} at the front, waiting for room while the deque is full.
     *
     * @param e the element
     * @throws NullPointerException if {@code e} is null
     * @throws ShutDownException if the deque was shut down, before or while waiting
     * @throws InterruptedException if interrupted before or while waiting (then nothing is inserted)
     */
    @Override
    public void putFirst(E e) throws InterruptedException {
        linkWaiting(e, true, false, 0L, TimeUnit.NANOSECONDS);
    }

    /**
     * Inserts {@code e} at the back, waiting for room while the deque is full.
     *
     * @param e the element
     * @throws NullPointerException if {@code e} is null
     * @throws ShutDownException if the deque was shut down, before or while waiting
     * @throws InterruptedException if interrupted before or while waiting (then nothing is inserted)
     */
    @Override
    public void putLast(E e) throws InterruptedException {
        linkWaiting(e, false, false, 0L, TimeUnit.NANOSECONDS);
    }

    /**
     * Inserts {@code e} at the front, waiting up to the timeout (a deadline) for room while the deque is full.
     *
     * @param e the element
     * @param timeout how long to wait for room, in {@code unit}s; zero or negative: do not wait
     * @param unit the unit of {@code timeout}
     * @return true if inserted; false if the timeout passed first, or if the deque was shut down before or while
     *     waiting
     * @throws NullPointerException if {@code e} or {@code unit} is null
     * @throws InterruptedException if interrupted before or while waiting (then nothing is inserted)
     */
    @Override
    public boolean offerFirst(E e, long timeout, TimeUnit unit) throws InterruptedException {
        Checks.requireNonNull(unit, "unit");
        return linkWaiting(e, true, true, timeout, unit);
    }

    /**
     * Inserts {@code e} at the back, waiting up to the timeout (a deadline) for room while the deque is full.
     *
     * @param e the element
     * @param timeout how long to wait for room, in {@code unit}s; zero or negative: do not wait
     * @param unit the unit of {@code timeout}
     * @return true if inserted; false if the timeout passed first, or if the deque was shut down before or while
     *     waiting
     * @throws NullPointerException if {@code e} or {@code unit} is null
     * @throws InterruptedException if interrupted before or while waiting (then nothing is inserted)
     */
    @Override
    public boolean offerLast(E e, long timeout, TimeUnit unit) throws InterruptedException {
        Checks.requireNonNull(unit, "unit");
        return linkWaiting(e, false, true, timeout, unit);
    }

    /**
     * Same as {@link #addLast}.
     *
     * @param e the element
     * @return true
     * @throws NullPointerException if {@code e} is null
     * @throws ShutDownException if the deque was shut down
     * @throws IllegalStateException if the deque is bounded and full
     */
    @Override
    public boolean add(E e) {
        addLast(e);
        return true;
    }

    /**
     * Same as {@link #offerLast(Object)}.
     *
     * @param e the element
     * @return true if inserted; false if the deque is full or was shut down
     * @throws NullPointerException if {@code e} is null
     */
    @Override
    public boolean offer(E e) {
        return offerLast(e);
    }

    /**
     * Same as {@link #putLast}.
     *
     * @param e the element
     * @throws NullPointerException if {@code e} is null
     * @throws ShutDownException if the deque was shut down, before or while waiting
     * @throws InterruptedException if interrupted before or while waiting
     */
    @Override
    public void put(E e) throws InterruptedException {
        putLast(e);
    }

    /**
     * Same as {@link #offerLast(Object, long, TimeUnit)}.
     *
     * @param e the element
     * @param timeout how long to wait for room, in {@code unit}s; zero or negative: do not wait
     * @param unit the unit of {@code timeout}
     * @return true if inserted; false if the timeout passed first or the deque was shut down
     * @throws NullPointerException if {@code e} or {@code unit} is null
     * @throws InterruptedException if interrupted before or while waiting
     */
    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        return offerLast(e, timeout, unit);
    }

    /**
     * Same as {@link #addFirst}.
     *
     * @param e the element
     * @throws NullPointerException if {@code e} is null
     * @throws ShutDownException if the deque was shut down
     * @throws IllegalStateException if the deque is bounded and full
     */
    @Override
    public void push(E e) {
        addFirst(e);
    }

    // -----------------------------------------------------------------------------------------------------------
    // Removal

    /** @return the first element, removed, or null if empty or stopped */
    @Override
    public E pollFirst() {
        E e;
        lock.lock();
        try {
            if (state == STOPPED) {
                return null;
            }
            e = unlinkFirst();
            size = count;
        } finally {
            lock.unlock();
        }
        if (e != null) {
            signalRemoved(1);
        }
        return e;
    }

    /** @return the last element, removed, or null if empty or stopped */
    @Override
    public E pollLast() {
        E e;
        lock.lock();
        try {
            if (state == STOPPED) {
                return null;
            }
            e = unlinkLast();
            size = count;
        } finally {
            lock.unlock();
        }
        if (e != null) {
            signalRemoved(1);
        }
        return e;
    }

    /**
     * Takes the first element, waiting for one.
     *
     * @throws ShutDownException once the deque is shut down and empty, or stopped; a {@link
     *     java.util.concurrent.ThreadPoolExecutor} worker fetching its next task waits until interrupted instead (see
     *     the class comment)
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public E takeFirst() throws InterruptedException {
        return await(true, false, 0L, null);
    }

    /**
     * Takes the last element, waiting for one.
     *
     * @throws ShutDownException once the deque is shut down and empty, or stopped; a {@link
     *     java.util.concurrent.ThreadPoolExecutor} worker fetching its next task waits until interrupted instead
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public E takeLast() throws InterruptedException {
        return await(false, false, 0L, null);
    }

    /**
     * Takes the first element, waiting up to the timeout (a deadline).
     *
     * @param timeout how long to wait for an element, in {@code unit}s; zero or negative: do not wait
     * @param unit the unit of {@code timeout}
     * @return the element, or null if the timeout passed first
     * @throws NullPointerException if {@code unit} is null
     * @throws ShutDownException once the deque is shut down and empty, or stopped; a {@link
     *     java.util.concurrent.ThreadPoolExecutor} worker fetching its next task waits out the timeout and gets null
     *     instead
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public E pollFirst(long timeout, TimeUnit unit) throws InterruptedException {
        return await(true, true, timeout, Checks.requireNonNull(unit, "unit"));
    }

    /**
     * Takes the last element, waiting up to the timeout (a deadline).
     *
     * @param timeout how long to wait for an element, in {@code unit}s; zero or negative: do not wait
     * @param unit the unit of {@code timeout}
     * @return the element, or null if the timeout passed first
     * @throws NullPointerException if {@code unit} is null
     * @throws ShutDownException once the deque is shut down and empty, or stopped; a {@link
     *     java.util.concurrent.ThreadPoolExecutor} worker fetching its next task waits out the timeout and gets null
     *     instead
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public E pollLast(long timeout, TimeUnit unit) throws InterruptedException {
        return await(false, true, timeout, Checks.requireNonNull(unit, "unit"));
    }

    /** Takes an element, waiting for one; a timed wait reads the clock only once it has to wait. */
    private E await(boolean first, boolean timed, long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = 0L;
        for (boolean firstTry = true; ; firstTry = false) {
            E e;
            int s;
            lock.lock();
            try {
                s = state;
                e = s == STOPPED ? null : first ? unlinkFirst() : unlinkLast();
                size = count;
            } finally {
                lock.unlock();
            }
            if (e != null) {
                signalRemoved(1);
                return e;
            }
            if (firstTry && timed) {
                deadline = Waiters.deadline(timeout, unit);
            }
            if (s != RUNNING) {
                // Insertions check the state under the lock: nothing can arrive after this.
                return ConcurrentQueue.drained("deque", notEmpty, timed, deadline, cause);
            }
            if (!notEmpty.await(this::elementOrStopped, spins, 0, timed, deadline)) {
                return null;
            }
        }
    }


    @Override
    public E take() throws InterruptedException {
        return takeFirst();
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        return pollFirst(timeout, unit);
    }

    @Override
    public E poll() {
        return pollFirst();
    }

    @Override
    public E removeFirst() {
        E e = pollFirst();
        if (e == null) {
            throw new NoSuchElementException("deque is empty");
        }
        return e;
    }

    @Override
    public E removeLast() {
        E e = pollLast();
        if (e == null) {
            throw new NoSuchElementException("deque is empty");
        }
        return e;
    }

    @Override
    public E remove() {
        return removeFirst();
    }

    @Override
    public E pop() {
        return removeFirst();
    }

    @Override
    public E peekFirst() {
         lock.lock();
         try {
            return state == STOPPED || count == 0 ? null : at(0);
         } finally {
             lock.unlock();
         }
     }

    @Override
    public E peekLast() {
         lock.lock();
         try {
            return state == STOPPED || count == 0 ? null : at(count - 1);
         } finally {
             lock.unlock();
         }
     }

    @Override
    public E peek() {
        return peekFirst();
    }

    @Override
    public E getFirst() {
        E e = peekFirst();
        if (e == null) {
            throw new NoSuchElementException("deque is empty");
        }
        return e;
    }

    @Override
    public E getLast() {
        E e = peekLast();
        if (e == null) {
            throw new NoSuchElementException("deque is empty");
        }
        return e;
    }

    @Override
    public E element() {
        return getFirst();
    }

    @Override
    public boolean removeFirstOccurrence(Object o) {
        if (o == null) {
            return false;
        }
        boolean removed = false;
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                if (o.equals(at(i))) {
                    removeAt(i);
                    size = count;
                    removed = true;
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        if (removed) {
            signalRemoved(1);
        }
        return removed;
    }

    @Override
    public boolean removeLastOccurrence(Object o) {
        if (o == null) {
            return false;
        }
        boolean removed = false;
        lock.lock();
        try {
            for (int i = count - 1; i >= 0; i--) {
                if (o.equals(at(i))) {
                    removeAt(i);
                    size = count;
                    removed = true;
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        if (removed) {
            signalRemoved(1);
        }
        return removed;
    }

    /** Removes the first element equal to {@code o}, atomically. */
    @Override
    public boolean remove(Object o) {
        return removeFirstOccurrence(o);
    }

    /** Removes the occurrence stamped {@code id}, if it is still here: an iterator's remove(). */
    private void removeOccurrence(long id) {
        boolean removed = false;
        lock.lock();
        try {
            int mask = items.length - 1;
            for (int i = 0; i < count; i++) {
                if (ids[(head + i) & mask] == id) {
                    removeAt(i); // linearization point: the critical section that finds the stamp
                    size = count;
                    removed = true;
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        if (removed) {
            signalRemoved(1);
        }
    }

    /**
     * Removes every element that {@code filter} accepts, testing a snapshot outside the lock and then removing, in one
     * atomic step, exactly the tested occurrences that are still here. Not atomic as a whole; see the class comment.
     *
     * @param filter returns true for the elements to remove
     * @return whether the deque changed
     * @throws NullPointerException if {@code filter} is null
     */
    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        Checks.requireNonNull(filter, "filter");
        return bulkRemove(filter);
    }

    /**
     * Removes every element that {@code c} contains, as {@link #removeIf} does: {@code c.contains} runs outside the
     * lock, on a snapshot.
     *
     * @param c the elements to remove
     * @return whether the deque changed
     * @throws NullPointerException if {@code c} is null
     */
    @Override
    public boolean removeAll(Collection<?> c) {
        Checks.requireNonNull(c, "c");
        return bulkRemove(c::contains);
    }

    /**
     * Removes every element that {@code c} does not contain, as {@link #removeIf} does: {@code c.contains} runs
     * outside the lock, on a snapshot.
     *
     * @param c the elements to keep
     * @return whether the deque changed
     * @throws NullPointerException if {@code c} is null
     */
    @Override
    public boolean retainAll(Collection<?> c) {
        Checks.requireNonNull(c, "c");
        return bulkRemove(e -> !c.contains(e));
    }

    @SuppressWarnings("unchecked")
    private boolean bulkRemove(Predicate<? super E> filter) {
        Object[] a;
        long[] stamps;
        lock.lock();
        try {
            stamps = new long[count];
            a = copyElements(stamps);
        } finally {
            lock.unlock();
        }
        int chosen = 0;
        for (int i = 0; i < a.length; i++) {
            if (filter.test((E) a[i])) {
                stamps[chosen++] = stamps[i]; // i >= chosen: compacts in place
            }
        }
        if (chosen == 0) {
            return false;
        }
        Arrays.sort(stamps, 0, chosen);
        int removed;
        lock.lock();
        try {
            int mask = items.length - 1;
            int kept = 0;
            for (int i = 0; i < count; i++) {
                int from = (head + i) & mask;
                if (Arrays.binarySearch(stamps, 0, chosen, ids[from]) < 0) {
                    int to = (head + kept++) & mask;
                    items[to] = items[from];
                    ids[to] = ids[from];
                }
            }
            for (int i = kept; i < count; i++) {
                items[(head + i) & mask] = null;
            }
            removed = count - kept;
            count = kept;
            size = count;
        } finally {
            lock.unlock();
        }
        signalRemoved(removed);
        return removed > 0;
    }

    @Override
    public boolean contains(Object o) {
         lock.lock();
         try {
            if (o == null) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                if (o.equals(at(i))) {
                    return true;
                }
            }
            return false;
         } finally {
             lock.unlock();
         }
     }

    /**
     * Rotates the deque {@code n} steps to the right (the last element becomes the first) in one atomic step, as
     * {@code collections.deque.rotate} does; a negative {@code n} rotates left.
     *
     * @param n steps, any value (taken modulo the size)
     */
    public void rotate(int n) {
        lock.lock();
        try {
            if (count < 2) {
                return;
            }
            int right = Math.floorMod(n, count);
            if (right == 0) {
                return;
            }
            int mask = items.length - 1;
            Object[] a = new Object[items.length];
            long[] s = new long[items.length];
            for (int i = 0; i < count; i++) {
                int j = (head + i) & mask;
                int to = (i + right) % count;
                a[to] = items[j];
                s[to] = ids[j]; // the stamps move with their elements
            }
            items = a;
            ids = s;
            head = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Removes every element, atomically, and wakes the producers waiting for room. */
    @Override
    public void clear() {
        int removed;
        lock.lock();
        try {
            removed = count;
            Arrays.fill(items, null);
            head = 0;
            count = 0;
            size = 0;
        } finally {
            lock.unlock();
        }
        signalRemoved(removed);
    }

    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    /**
     * Moves up to {@code maxElements} elements from the front into {@code c}, atomically with respect to this deque.
     *
     * @throws NullPointerException if {@code c} is null
     * @throws IllegalArgumentException if {@code c} is this deque
     */
    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Checks.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("c: this deque (expected: another collection)");
        }
        List<E> taken = new ArrayList<>();
        lock.lock();
        try {
            if (state != STOPPED) {
                for (E e; taken.size() < maxElements && (e = unlinkFirst()) != null; ) {
                    taken.add(e);
                }
                size = count;
            }
        } finally {
            lock.unlock();
        }
        signalRemoved(taken.size());
        c.addAll(taken);
        return taken.size();
    }

    /**
     * Returns how many more elements the deque would accept now, exactly, read under the lock (another thread may
     * change it as soon as it is returned).
     *
     * @return the free places of a bounded deque, in [0, capacity], or {@link Integer#MAX_VALUE} if unbounded
     */
    @Override
    public int remainingCapacity() {
        if (capacity == Integer.MAX_VALUE) {
            return Integer.MAX_VALUE;
        }
        lock.lock();
        try {
            return capacity - count;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public Object[] toArray() {
        lock.lock();
        try {
            return copyElements(null);
        } finally {
            lock.unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T[] toArray(T[] a) {
        Object[] snapshot = toArray();
        if (a.length < snapshot.length) {
            return (T[]) Arrays.copyOf(snapshot, snapshot.length, a.getClass());
        }
        System.arraycopy(snapshot, 0, a, 0, snapshot.length);
        if (a.length > snapshot.length) {
            a[snapshot.length] = null;
        }
        return a;
    }

    /**
     * An iterator over a snapshot taken atomically now, first to last: it never throws
     * ConcurrentModificationException and never sees later changes. {@code remove()} removes the occurrence the
     * iterator last returned, wherever it is now, or does nothing if that occurrence has left the deque.
     */
    @Override
    public Iterator<E> iterator() {
        return snapshot(false);
    }

    /** Like {@link #iterator()}, from last to first. */
    @Override
    public Iterator<E> descendingIterator() {
        return snapshot(true);
    }

    /**
     * A late-binding spliterator over a snapshot taken atomically when traversal starts, reporting {@link
     * Spliterator#ORDERED}, {@link Spliterator#NONNULL} and {@link Spliterator#CONCURRENT} (so not {@code SIZED}: its
     * size estimate is {@link #size()} when traversal starts).
     */
    @Override
    public Spliterator<E> spliterator() {
        return Spliterators.spliterator(this, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.CONCURRENT);
    }

    private Snapshot snapshot(boolean descending) {
        lock.lock();
        try {
            long[] stamps = new long[count];
            return new Snapshot(copyElements(stamps), stamps, descending);
        } finally {
            lock.unlock();
        }
    }

    private final class Snapshot implements Iterator<E> {
        private final Object[] a;
        private final long[] stamps;
        private final boolean descending;
        private int next;
        /** Index in {@code a} of the element last returned, or -1. */
        private int last = -1;

        Snapshot(Object[] a, long[] stamps, boolean descending) {
            this.a = a;
            this.stamps = stamps;
            this.descending = descending;
        }

        @Override
        public boolean hasNext() {
            return next < a.length;
        }

        @Override
        @SuppressWarnings("unchecked")
        public E next() {
            if (next >= a.length) {
                throw new NoSuchElementException();
            }
            int i = next++;
            last = descending ? a.length - 1 - i : i;
            return (E) a[last];
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException("next() has not been called, or remove() was already called");
            }
            removeOccurrence(stamps[last]);
            last = -1;
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // Shutdown

    /**
     * Refuses new elements from now on ({@code offer} methods return false; {@code add}, {@code put} and
     * {@code push} methods throw {@link ShutDownException}); consumers take what is left, then get ShutDownException
     * (a {@link java.util.concurrent.ThreadPoolExecutor} worker waits instead; see the class comment). Wakes every
     * blocked producer ({@code put} throws, a timed {@code offer} returns false) and consumer. Idempotent.
     */
    public void shutdown() {
        lock.lock();
        try {
            if (state == RUNNING) {
                state = SHUTDOWN;
            }
        } finally {
            lock.unlock();
        }
        notEmpty.signalAll();
        notFull.signalAll();
    }

    /**
     * Stops the deque now and returns what was not taken, first to last. New elements are refused as after
     * {@link #shutdown()}; blocked producers and consumers are woken. In a {@link
     * java.util.concurrent.ThreadPoolExecutor}, the elements returned are the queued tasks, which then never run.
     *
     * @return the elements no consumer took
     */
    public List<E> shutdownNow() {
        List<E> rest = new ArrayList<>();
        lock.lock();
        try {
            state = STOPPED;
            for (E e; (e = unlinkFirst()) != null; ) {
                rest.add(e);
            }
            size = 0;
        } finally {
            lock.unlock();
        }
        notEmpty.signalAll();
        notFull.signalAll();
        return rest;
    }

    /**
     * {@link #shutdownNow()} because a producer failed: consumers' ShutDownException carries {@code cause}.
     *
     * @param cause why production stopped
     * @return the elements no consumer took
     * @throws NullPointerException if {@code cause} is null
     */
    public List<E> poison(Throwable cause) {
        this.cause = Checks.requireNonNull(cause, "cause");
        return shutdownNow();
    }

    /**
     * Returns whether the deque refuses new elements.
     *
     * @return whether {@link #shutdown()}, {@link #shutdownNow()} or {@link #poison} was called
     */
    public boolean isShutdown() {
        return state != RUNNING;
    }

    @Override
    public String toString() {
        return Arrays.toString(toArray());
    }
}
