package io.ft4j.concurrent;

import io.ft4j.internal.util.Checks;
import io.ft4j.internal.wait.Waiters;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A {@link BlockingQueue}: an unbounded or bounded multi-producer multi-consumer FIFO queue of array segments, with
 * timeouts, shutdown and poisoning, where a consumer never waits for one particular producer. The design follows the
 * {@code ConcurrentQueue} of ft_utils, a library for free-threaded Python.
 *
 * <pre>{@code
 * ConcurrentQueue<Job> q = new ConcurrentQueue<>(10_000);   // bounded, like LinkedBlockingQueue(10_000)
 * q.put(job);                               // blocks while full
 * Job next = q.take();                      // blocks while empty; ShutDownException once shut down and drained
 * q.shutdown();                             // refuse new jobs, let consumers finish the rest
 * List<Job> left = q.shutdownNow();         // or: stop now, and get back what was not taken
 * }</pre>
 *
 * <p>The constructors have the JDK's shape: {@link #ConcurrentQueue()} and {@link #ConcurrentQueue(Collection)} are
 * unbounded, {@link #ConcurrentQueue(int)} is bounded; {@link #builder()} adds the scaling and the
 * {@link WaitStrategy}.
 *
 * <p><b>Shutdown</b> follows Python 3.13's {@code queue.Queue}: after {@link #shutdown()} every insertion is
 * refused: {@code offer} returns false (the {@link BlockingQueue} way of reporting a refusal), {@code add} and
 * {@code put} throw {@link ShutDownException}. Consumers still take what is queued, and once it is empty every blocked
 * or later {@code take}/timed {@code poll} throws ShutDownException (but see <i>Inside a ThreadPoolExecutor</i>).
 * After {@link #shutdownNow()} consumers get nothing more and the elements not taken are returned. <b>Nothing
 * accepted is lost:</b> every element whose insertion succeeded (returned normally, or true) is taken exactly once or
 * returned by shutdownNow exactly once; an insertion that races a shutdown either succeeds (and the element is in the
 * queue) or is refused (false or ShutDownException, and it is not). {@link #poison(Throwable)} is shutdownNow with a
 * cause, ft_utils' "failed" queue: a producer that cannot go on tells the consumers why, and they get the cause in
 * their ShutDownException instead of waiting for elements that will never come.
 *
 * <p><b>Fairness.</b> Blocked threads are not served in arrival order: when room or an element appears, the thread
 * woken is the one that blocked most recently. A thread that blocks again and again can therefore be served many
 * times before one that blocked once and has kept waiting, for as long as the others keep blocking, as with a
 * non-fair lock. Use {@link java.util.concurrent.ArrayBlockingQueue} with fairness on where arrival order
 * matters more than throughput.
 *
 * <p><b>Inside a ThreadPoolExecutor.</b> The queue can be a {@link java.util.concurrent.ThreadPoolExecutor}'s work
 * queue. A worker of such a pool fetching its next task is the one consumer that does not get ShutDownException
 * from a shut-down, drained queue: its {@code take()} waits as on an empty queue until the worker is interrupted
 * (then throws {@link InterruptedException}, which the pool handles by checking its own state), and its timed
 * {@code poll} waits out its timeout and returns null. The caller is recognized, on that terminal path only, by a
 * stack walk: {@code ThreadPoolExecutor.getTask} calling {@code take} or {@code poll}, directly or through the
 * {@code take}/{@code poll} of a wrapping {@code BlockingQueue} that forwards to this one (a dynamic proxy is not
 * recognized). Every other consumer, including a task running in a pool that calls {@code take()} itself, gets
 * ShutDownException as usual.
 * So after {@code queue.shutdown()} the pool rejects new tasks through its
 * {@link java.util.concurrent.RejectedExecutionHandler} (or, while it has fewer than its maximum number of
 * threads, hands a refused task straight to a new worker: that is ThreadPoolExecutor's own rule for a queue that
 * refuses), the tasks already queued still run, and the workers stay idle until {@code executor.shutdown()} ends
 * them. {@code queue.shutdownNow()} returns the queued tasks instead of letting them run.
 *
 * <p><b>Timeouts</b> are deadlines: a wake-up that finds nothing does not restart the clock. A consumer that times
 * out leaves nothing behind (ft_utils leaves a placeholder element; here a waiting consumer holds no claim on the
 * queue), so sizes stay exact.
 *
 * <p><b>Ordering.</b> FIFO in the order producers claimed their slots (a fetch-and-add): an element whose offer
 * returned before another's began is taken first. Null elements are rejected.
 *
 * <p><b>Capacity.</b> A bounded queue counts places, not slots: an element holds a place from the moment its
 * insertion begins until its removal ends, and every removal, in turn ({@code poll}, {@code take}, {@code drainTo},
 * {@code clear}) or out of turn ({@code remove(Object)}, {@code removeIf}, {@code removeAll}, {@code retainAll},
 * an iterator's {@code remove}), gives its place back at once and wakes a producer blocked for room. So:
 * <ul>
 *   <li>{@code offer} returns false only if, at some instant during the call, {@code capacity} places were held;
 *       in particular, with no other insertion or removal in progress, an offer on a queue holding fewer than
 *       {@code capacity} elements succeeds;</li>
 *   <li>the queue never holds more than {@code capacity} elements;</li>
 *   <li>reading operations ({@code peek}, {@code isEmpty}, {@code size}, {@code contains}, {@code iterator},
 *       {@code toArray}, {@code remainingCapacity}) never change what producers or consumers can do.</li>
 * </ul>
 * Every operation is linearizable except an {@code offer} refused while another insertion or a removal is in
 * progress: an element holds its place while its {@code offer} has not yet made it visible and while its
 * {@code poll} has already taken it, so in those instants a refusal can follow a reader that saw room. A refusal
 * with no other insertion or removal in progress is linearizable. Unbounded queues are linearizable throughout.
 *
 * <p><b>Size and iteration.</b> {@link #size()} and {@link #remainingCapacity()} are estimates while other threads
 * work (see each); iterators and spliterators are weakly consistent, and an iterator's {@code remove()} removes the
 * element it returned, not an equal one.
 *
 * <p><b>Memory consistency effects:</b> as with other concurrent collections, actions in a thread prior to placing
 * an element into the queue <i>happen-before</i> actions subsequent to the access or removal of that element from
 * the queue in another thread.
 *
 * @param <E> the element type
 */
/*
 * Design notes
 *
 * Algorithm. A linked list of array segments, each with its own enqueue and dequeue index (the fetch-and-add array
 * queue of Ramalhete and Correia, also the idea behind LCRQ and JCTools' xadd queues), written anew with blocking and
 * shutdown. A producer takes a slot index with getAndAdd on the tail segment's enqueue index and CASes its element
 * into that slot; a consumer takes an index on the head segment with getAndAdd and swaps TAKEN into the slot. Indexes
 * never contend by retrying (a fetch-and-add always succeeds), unlike a CAS-on-index array queue. When a consumer
 * reaches a slot before its producer wrote it, its swap finds null and leaves TAKEN: the producer's CAS then fails and
 * it takes a new slot. So a consumer never waits on one producer (no head-of-line blocking, which ft_utils' ticket
 * queue has), and blocking needs no claim: a consumer that finds the queue empty waits on the notEmpty waiters
 * (internal/wait), holding no slot. A full segment is followed by a new one, linked by CAS; the head moves on when a
 * segment is used up, and the garbage collector reclaims it.
 *
 * Out-of-turn removal (remove(Object), Iterator.remove, a producer taking its element back at shutdown, peek and
 * remove(Object) closing a slot whose producer has not stored yet, so that no later element is seen ahead of it)
 * CASes REMOVED into the slot and counts a hole; the consumer that reaches it uncounts it. Holes at the head are
 * skipped at once by removers and readers (skipRemovedHead), so a queue whose elements are removed out of turn while
 * no consumer polls stays small; a hole behind a live head element waits for the consumers. size() is (tail
 * position - head position - holes).
 *
 * Linearization points. offer: the CAS that stores the element. poll that returns an element: its getAndAdd on the
 * dequeue index when the element was already stored, otherwise the producer's store; poll that returns null: the
 * read of the enqueue index that shows the head segment empty, with no next segment. peek: the read of the slot it
 * returns (a consumer reads its slot before the enqueue index, and the index only when the slot looks empty, so
 * while elements wait it does not touch the producers' line).
 *
 * Capacity (bounded queues). Slots are not places: a slot closed by a reader or a consumer ahead of its producer, or
 * emptied out of turn, stays behind in the segment until the consumers pass it, and must not cost a place, or
 * readers would change what producers may do. So places are counted apart from slots, in three padded longs of
 * `room`: PRODUCED (places taken, by CAS, only while PRODUCED < RELEASED + capacity), a cached LIMIT (RELEASED +
 * capacity as last read) on the same line, and RELEASED (places given back, by getAndAdd) on its own line. A
 * producer takes its place before it claims a slot and keeps it across slot retries, so once it holds a place its
 * store cannot fail; the consumer that takes an element, and the thread whose CAS empties a slot out of turn, give
 * one back. The producer reads RELEASED only when PRODUCED reaches its cached limit (the idea of JCTools' producer
 * limit), so at 1p1c producers and consumers each write their own line and share no read-modify-write counter.
 * RELEASED only grows, so any cached limit is at or below the true one: the bound is hard.
 * Not linearizable, by design: a producer holds its place before its store and the consumer gives its place back
 * just after its swap, so in either window an offer can be refused while a reader sees room. BoundedQueueLincheckTest
 * checks that every other result, and every refusal with no other insertion or removal in progress, is linearizable.
 *
 * Shutdown. The state is checked on entry and again after the element is stored: if the queue was shut down in
 * between, the producer CASes its own element out (REMOVED) and reports a refusal (offer's false, which add and put
 * turn into ShutDownException). The CAS and the consumers' swaps decide ownership of the slot, so the element is
 * either taken (by a consumer or by shutdownNow's drain) or refused, never both or neither.
 *
 * Pool workers. ThreadPoolExecutor treats any exception from its queue's take/poll as the death of the worker and
 * starts a replacement, which takes, throws and dies in turn: a shut-down queue would make a pool loop creating
 * threads. So on the terminal path of pollWaiting (shut down, and the re-check found nothing), and only there, a
 * StackWalker looks at the first frame that does not merely forward the call (ft4j's queue classes, and take/poll of
 * any other BlockingQueue, such as a decorating wrapper): if it is ThreadPoolExecutor.getTask, the caller is a worker
 * asking for its next task, and it is parked instead (take: until interrupted; poll: until its deadline), as if the
 * queue were empty. Nothing can arrive after that point (insertions are refused and the re-check saw every element
 * stored before the shutdown), so the parked worker waits for its pool's interrupt or its keep-alive, exactly as on
 * an idle queue. It parks on notEmpty with a condition that is never true: after a shutdown no other consumer
 * parks there (their condition, elementOrStopped, holds), so the signals it absorbs are nobody else's. The walk
 * costs microseconds, on a path that each consumer otherwise reaches once, at its end.
 *
 * Memory ordering. Everything a producer did before offer happens-before everything the consumer that takes the
 * element does after (the CAS store and the swap are volatile accesses on the same slot).
 *
 * Contention. The enqueue index, the dequeue index and the place counts sit 128 bytes apart in padded long arrays,
 * so producers and consumers do not false-share. A producer pays one volatile read of the waiter stack after its
 * store; it signals only when a consumer is parked.
 */
public final class ConcurrentQueue<E> extends AbstractQueue<E> implements BlockingQueue<E> {
    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int STOPPED = 2;

    /** In a slot: its element was consumed, or a consumer claimed the slot before any element arrived. */
    private static final Object TAKEN = new Object();
    /** In a slot: its element, or the slot itself, was removed out of turn; counted in {@code holes}. */
    private static final Object REMOVED = new Object();

    /** Index counters sit 16 longs (128 bytes) from each other and from the array's ends. */
    private static final int ENQ = 16;
    private static final int DEQ = 32;
    private static final int COUNTERS = 48;
    /** In {@code room}: the producers' count and cached limit share a line, the consumers' count has its own. */
    private static final int PRODUCED = ENQ;
    private static final int LIMIT = ENQ + 1;
    private static final int RELEASED = DEQ;

    private static final int MIN_SEGMENT = 256;
    private static final int MAX_SEGMENT = 1 << 14;

    /** A wait condition that never holds: a pool worker on a drained queue waits for its interrupt or its deadline. */
    private static final BooleanSupplier NEVER = () -> false;
    /** Recognizes pool workers on the terminal path of take and timed poll; see "Pool workers". */
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle COUNTER = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle STATE;
    private static final VarHandle HOLES;
    private static final VarHandle NEXT;
    private static final VarHandle DEAD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(ConcurrentQueue.class, "head", Segment.class);
            TAIL = l.findVarHandle(ConcurrentQueue.class, "tail", Segment.class);
            STATE = l.findVarHandle(ConcurrentQueue.class, "state", int.class);
            HOLES = l.findVarHandle(ConcurrentQueue.class, "holes", long.class);
            NEXT = l.findVarHandle(Segment.class, "next", Segment.class);
            DEAD = l.findVarHandle(Segment.class, "dead", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Segment<E> head;
    private volatile Segment<E> tail;
    private volatile int state;
    private volatile Throwable cause;
    private volatile long holes;
    private final int segmentLength;
    /** Integer.MAX_VALUE when unbounded. */
    private final int capacity;
    private final boolean bounded;
    /**
     * Bounded queues only, else null: the place count. room[PRODUCED] counts places taken by producers and
     * room[LIMIT] caches (RELEASED + capacity), both written by producers only; room[RELEASED], on its own line,
     * counts places given back by consumers and removers. The places in use are PRODUCED - RELEASED.
     */
    private final long[] room;
    private final Waiters notEmpty = new Waiters();
    private final Waiters notFull = new Waiters();
    private final int spins;
    private final int yields;

    /** Creates an unbounded queue that waits by {@link WaitStrategy#BLOCKING}, scaled for the number of CPUs. */
    public ConcurrentQueue() {
        this(segmentLengthFor(Runtime.getRuntime().availableProcessors()), Integer.MAX_VALUE, WaitStrategy.BLOCKING);
    }

    private static int segmentLengthFor(int scaling) {
        return Math.clamp(Integer.highestOneBit(scaling) * 128L, MIN_SEGMENT, MAX_SEGMENT);
    }

    /**
     * Creates a bounded queue, as {@link java.util.concurrent.LinkedBlockingQueue#LinkedBlockingQueue(int)} does: it
     * holds at most {@code capacity} elements, {@link #put} waits for room and {@link #offer(Object)} returns false
     * when full. It waits by {@link WaitStrategy#BLOCKING} and is scaled for the number of CPUs; use
     * {@link #builder()} for another wait strategy or scaling.
     *
     * @param capacity the most elements the queue holds, at least 1
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public ConcurrentQueue(int capacity) {
        this(segmentLengthFor(Runtime.getRuntime().availableProcessors()), Checks.requirePositive(capacity, "capacity"),
                WaitStrategy.BLOCKING);
    }

    /**
     * Creates an unbounded queue holding the elements of {@code c} in its iteration order, as
     * {@link java.util.concurrent.LinkedBlockingQueue#LinkedBlockingQueue(Collection)} does. It waits by
     * {@link WaitStrategy#BLOCKING} and is scaled for the number of CPUs.
     *
     * @param c the initial elements
     * @throws NullPointerException if {@code c} or any of its elements is null
     */
    public ConcurrentQueue(Collection<? extends E> c) {
        this();
        for (E e : Checks.requireNonNull(c, "c")) {
            store(Checks.requireNonNull(e, "element of c")); // unbounded and not shut down: always accepted
        }
    }

    /** Any segment length of 1 or more: tests use tiny segments to put segment hand-overs under the model checker. */
    ConcurrentQueue(int segmentLength, int capacity, WaitStrategy strategy) {
        this.segmentLength = segmentLength;
        this.capacity = capacity;
        this.bounded = capacity != Integer.MAX_VALUE;
        this.room = bounded ? new long[COUNTERS] : null;
        if (bounded) {
            room[LIMIT] = capacity;
        }
        this.spins = strategy.spins;
        this.yields = strategy.yields;
        Segment<E> s = new Segment<>(0, segmentLength);
        this.head = s;
        this.tail = s;
    }

    /**
     * Starts configuring a queue with a non-default scaling, capacity or wait strategy.
     *
     * @param <E> the element type
     * @return a builder for a queue with a non-default scaling, capacity or wait strategy
     */
    public static <E> Builder<E> builder() {
        return new Builder<>();
    }

    /**
     * Configures a {@link ConcurrentQueue}. Not thread-safe; reusable.
     *
     * @param <E> the element type of the queues it builds
     */
    public static final class Builder<E> {
        private int scaling = Runtime.getRuntime().availableProcessors();
        private int capacity = Integer.MAX_VALUE;
        private WaitStrategy waitStrategy = WaitStrategy.BLOCKING;

        Builder() {}

        /**
         * Sets the scaling, which chooses the segment length.
         *
         * @param scaling about how many threads use the queue at once (ft_utils' meaning); longer segments for more
         *     threads, so that segment hand-overs stay rare. Default: the number of CPUs
         * @return this builder
         * @throws IllegalArgumentException if {@code scaling < 1}
         */
        public Builder<E> scaling(int scaling) {
            this.scaling = Checks.requirePositive(scaling, "scaling");
            return this;
        }

        /**
         * Bounds the queue.
         *
         * @param capacity the most elements the queue holds; {@code put} blocks and {@code offer} fails beyond it.
         *     Default: unbounded
         * @return this builder
         * @throws IllegalArgumentException if {@code capacity < 1}
         */
        public Builder<E> capacity(int capacity) {
            this.capacity = Checks.requirePositive(capacity, "capacity");
            return this;
        }

        /**
         * Sets how blocked producers and consumers wait.
         *
         * @param waitStrategy how blocked threads wait. Default: {@link WaitStrategy#BLOCKING}
         * @return this builder
         * @throws NullPointerException if {@code waitStrategy} is null
         */
        public Builder<E> waitStrategy(WaitStrategy waitStrategy) {
            this.waitStrategy = Checks.requireNonNull(waitStrategy, "waitStrategy");
            return this;
        }

        /**
         * Builds a queue with this configuration.
         *
         * @return a new, empty queue
         */
        public ConcurrentQueue<E> build() {
            return new ConcurrentQueue<>(segmentLengthFor(scaling), capacity, waitStrategy);
        }
    }

    /** A run of slots with its own enqueue and dequeue index (padded apart in {@code idx}). */
    static final class Segment<E> {
        final long id;
        final Object[] items;
        final long[] idx = new long[COUNTERS];
        volatile Segment<E> next;
        /** Slots of this segment removed out of turn (REMOVED); at the segment's length, it can be unlinked. */
        volatile int dead;

        Segment(long id, int length) {
            this.id = id;
            this.items = new Object[length];
        }

        long enq() {
            return (long) COUNTER.getVolatile(idx, ENQ);
        }

        long deq() {
            return (long) COUNTER.getVolatile(idx, DEQ);
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // Insertion

    /**
     * Inserts {@code e} if there is room and the queue accepts elements; never blocks.
     *
     * @return true if inserted; false if the queue was shut down, or if it is bounded and all its places were held at
     *     an instant during the call, counting insertions and removals in progress (see the class comment, Capacity)
     * @throws NullPointerException if {@code e} is null
     */
    @Override
    public boolean offer(E e) {
        Checks.requireNonNull(e, "e");
        return state == RUNNING && enqueue(e);
    }

    /**
     * Inserts {@code e} if there is room, or throws.
     *
     * @return true (as {@link java.util.Collection#add} requires)
     * @throws NullPointerException if {@code e} is null
     * @throws ShutDownException if the queue was shut down (a subclass of IllegalStateException)
     * @throws IllegalStateException if the queue is bounded and full, as {@link #offer(Object)} counts it
     */
    @Override
    public boolean add(E e) {
        if (offer(e)) {
            return true;
        }
        throw refusal();
    }

    /** Why an offer just returned false: shut down (the state never returns to RUNNING), or else full. */
    IllegalStateException refusal() {
        if (state != RUNNING) {
            return new ShutDownException("queue is shut down: it accepts no more elements "
                    + "(check isShutdown() before producing, or create a new queue)", cause);
        }
        return new IllegalStateException("queue full: all " + capacity + " places are taken (use offer, which returns "
                + "false when full, or put, which waits for room)");
    }

    /**
     * Inserts {@code e}, waiting for room if the queue is bounded and full.
     *
     * @throws NullPointerException if {@code e} is null
     * @throws ShutDownException if the queue was shut down, before or while waiting
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public void put(E e) throws InterruptedException {
        offerWaiting(e, false, 0L, TimeUnit.NANOSECONDS);
    }

    /**
     * Inserts {@code e}, waiting up to the timeout for room if the queue is bounded and full.
     *
     * @param timeout how long to wait for room, in {@code unit}s; zero or negative: do not wait
     * @param unit the unit of {@code timeout}
     * @return true if inserted; false if the timeout passed first, or if the queue was shut down before or while
     *     waiting (a refusal, as {@link #offer(Object)} reports one)
     * @throws NullPointerException if {@code e} or {@code unit} is null
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        Checks.requireNonNull(unit, "unit");
        return offerWaiting(e, true, timeout, unit);
    }

    private boolean offerWaiting(E e, boolean timed, long timeout, TimeUnit unit) throws InterruptedException {
        Checks.requireNonNull(e, "e");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (offer(e)) {
            return true; // the common case reads no clock
        }
        long deadline = timed ? Waiters.deadline(timeout, unit) : 0L;
        for (;;) {
            if (state != RUNNING) {
                if (timed) {
                    return false;
                }
                checkAccepting(); // throws
            }
            if (!notFull.await(this::roomOrStopped, spins, yields, timed, deadline)) {
                return false;
            }
            if (offer(e)) {
                return true;
            }
        }
    }

    private boolean roomOrStopped() {
        return placesInUse() < capacity || state != RUNNING;
    }

    /**
     * Bounded queues: places taken and not given back, in [0, capacity]. RELEASED is read first: it never passes
     * PRODUCED, so the difference of a later PRODUCED is not negative; it may pass capacity when places were given
     * back and taken again between the reads, hence the clamp.
     */
    private long placesInUse() {
        long released = (long) COUNTER.getVolatile(room, RELEASED);
        long produced = (long) COUNTER.getVolatile(room, PRODUCED);
        return Math.min(produced - released, capacity);
    }

    private void checkAccepting() {
        if (state != RUNNING) {
            throw refusal();
        }
    }

    /** Position of the next slot a consumer will claim (slots before it are claimed). */
    private long headPosition() {
        Segment<E> h = head;
        return h.id * segmentLength + Math.min(h.deq(), segmentLength);
    }

    /** Position of the next slot a producer will claim. */
    private long tailPosition() {
        Segment<E> t = tail;
        return t.id * segmentLength + Math.min(t.enq(), segmentLength);
    }

    /** @return false if the queue is bounded and full, or was shut down before the element settled */
    private boolean enqueue(E e) {
        if (bounded && !acquireRoom()) {
            return false;
        }
        return store(e);
    }

    /**
     * Bounded queues: takes one place, if one is free. Producers count the places they took in PRODUCED and
     * compare it with a cached LIMIT (RELEASED + capacity as last read), so while there is room a producer touches
     * only the producers' line; RELEASED, the consumers' line, is read only when the cached limit is reached.
     * RELEASED only grows, so a cached limit is never above the true one and the bound is hard.
     */
    private boolean acquireRoom() {
        long[] r = room;
        long p = (long) COUNTER.getVolatile(r, PRODUCED);
        for (;;) {
            if (p >= (long) COUNTER.getOpaque(r, LIMIT)) {
                long limit = (long) COUNTER.getVolatile(r, RELEASED) + capacity;
                COUNTER.setOpaque(r, LIMIT, limit);
                if (p >= limit) {
                    // When PRODUCED was read as p, RELEASED was at most limit - capacity (it only grows): at that
                    // instant, within this call, capacity places were taken and not given back.
                    return false;
                }
            }
            long witness = (long) COUNTER.compareAndExchange(r, PRODUCED, p, p + 1L);
            if (witness == p) {
                return true;
            }
            p = witness;
        }
    }

    /** Bounded queues: gives one place back (an element was taken or removed) and wakes a producer waiting for it. */
    private void releaseRoom() {
        if (bounded) {
            COUNTER.getAndAdd(room, RELEASED, 1L);
            if (notFull.hasWaiters()) {
                notFull.signal();
            }
        }
    }

    /**
     * Stores {@code e} in the next free slot (a bounded queue's place is already taken, so a slot is always found).
     *
     * @return false if a shutdown came before the element settled, and it was taken back
     */
    private boolean store(E e) {
        for (;;) {
            Segment<E> t = tail;
            long i = (long) COUNTER.getAndAdd(t.idx, ENQ, 1L);
            if (i < segmentLength) {
                if (SLOT.compareAndSet(t.items, (int) i, null, e)) { // linearization point
                    return settle(t, (int) i, e);
                }
                continue; // a consumer or a reader closed the slot first: take another
            }
            Segment<E> next = t.next;
            if (next == null) {
                Segment<E> s = new Segment<>(t.id + 1, segmentLength);
                s.items[0] = e;
                s.idx[ENQ] = 1L; // both published by the CAS below
                if (NEXT.compareAndSet(t, null, s)) { // linearization point
                    TAIL.compareAndSet(this, t, s);
                    if (t.dead == segmentLength) {
                        unlinkDead(t); // emptied out of turn while it was the tail
                    }
                    return settle(s, 0, e);
                }
                next = t.next;
            }
            TAIL.compareAndSet(this, t, next);
        }
    }

    /**
     * After the store: take the element back if a shutdown came in between, otherwise wake a consumer.
     *
     * @return false if the element was taken back (refused); true if it stays (accepted)
     */
    private boolean settle(Segment<E> s, int i, E e) {
        if (state != RUNNING && SLOT.compareAndSet(s.items, i, e, REMOVED)) {
            holeMade(s);
            releaseRoom();
            return false;
        }
        if (notEmpty.hasWaiters()) {
            notEmpty.signal();
        }
        return true;
    }

    // -----------------------------------------------------------------------------------------------------------
    // Removal

    /**
     * Takes the head element if there is one; never blocks.
     *
     * @return the head element, or null if the queue is empty or was stopped by shutdownNow
     */
    @Override
    public E poll() {
        return state == STOPPED ? null : dequeue();
    }

    /**
     * Takes the head element, waiting for one.
     *
     * <p>Once the queue is shut down and empty this throws ShutDownException, except to a
     * {@link ThreadPoolExecutor} worker fetching its next task, which waits until interrupted (see the class
     * comment, <i>Inside a ThreadPoolExecutor</i>).
     *
     * @throws ShutDownException once the queue is shut down and empty, or stopped (the cause, if poisoned)
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public E take() throws InterruptedException {
        return pollWaiting(false, 0L, TimeUnit.NANOSECONDS);
    }

    /**
     * Takes the head element, waiting up to the timeout (a deadline) for one.
     *
     * <p>Once the queue is shut down and empty this throws ShutDownException, except to a
     * {@link ThreadPoolExecutor} worker fetching its next task, which waits out the timeout and gets null (see the
     * class comment, <i>Inside a ThreadPoolExecutor</i>).
     *
     * @param timeout how long to wait for an element, in {@code unit}s; zero or negative: do not wait
     * @param unit the unit of {@code timeout}
     * @return the head element, or null if the timeout passed first
     * @throws NullPointerException if {@code unit} is null
     * @throws ShutDownException once the queue is shut down and empty, or stopped
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        Checks.requireNonNull(unit, "unit");
        return pollWaiting(true, timeout, unit);
    }

    private E pollWaiting(boolean timed, long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = 0L;
        for (boolean first = true; ; first = false) {
            E e = poll();
            if (e != null) {
                return e;
            }
            int s = state;
            if (first && timed) {
                deadline = Waiters.deadline(timeout, unit); // only now: the common case reads no clock
            }
            if (s != RUNNING) {
                // An element stored before the shutdown may have landed after our poll: look once more.
                if (s == SHUTDOWN && (e = dequeue()) != null) {
                    return e;
                }
                return drained("queue", notEmpty, timed, deadline, cause);
            }
            if (!notEmpty.await(this::elementOrStopped, spins, yields, timed, deadline)) {
                return null;
            }
        }
    }

    /**
     * The terminal path of a blocking take or timed poll on a shut-down queue (or deque) that has nothing more to give:
     * throws ShutDownException, unless the caller is a ThreadPoolExecutor worker fetching its next task, which waits
     * instead, as on an empty queue (see the design notes, "Pool workers").
     *
     * @param name "queue" or "deque", for the message
     * @param idle where a pool worker parks: the structure's not-empty waiters
     * @param timed whether the caller was a timed poll
     * @param deadline its deadline, if timed
     * @param cause the poisoning failure, or null
     * @return null, to a timed pool worker whose deadline passed
     * @throws InterruptedException if a pool worker is interrupted while it waits
     * @throws ShutDownException to every other caller
     */
    static <T> T drained(String name, Waiters idle, boolean timed, long deadline, Throwable cause)
            throws InterruptedException {
        if (!calledByPoolWorkerFetchingATask()) {
            throw new ShutDownException(name + " is shut down and has no more elements: its producers are done "
                    + "(end the consumer here; getCause() is the producer's failure if it was poisoned)", cause);
        }
        idle.await(NEVER, 0, 0, timed, deadline); // returns only past the deadline; interrupt throws
        return null;
    }

    /**
     * Whether the caller is {@code ThreadPoolExecutor.getTask}, the method by which a pool worker fetches its next
     * task: the first frame that does not just forward the call. Forwarding frames are those of ft4j's three queue
     * classes and the {@code take}/{@code poll} methods of any other {@link BlockingQueue} (a wrapper that counts,
     * logs or decorates and passes the call on). Slow (a stack walk): for terminal paths only.
     */
    static boolean calledByPoolWorkerFetchingATask() {
        return WALKER.walk(frames -> frames
                .limit(FORWARDING_FRAMES_SEEN)
                .filter(f -> !forwards(f))
                .findFirst()
                .map(f -> f.getDeclaringClass() == ThreadPoolExecutor.class && f.getMethodName().equals("getTask"))
                .orElse(false));
    }

    /** How deep the stack walk of {@link #calledByPoolWorkerFetchingATask()} looks: nesting of wrappers it allows. */
    private static final long FORWARDING_FRAMES_SEEN = 24;

    private static boolean forwards(StackWalker.StackFrame f) {
        Class<?> c = f.getDeclaringClass();
        Class<?> host = c.getNestHost();
        if (host == ConcurrentQueue.class || host == StdConcurrentQueue.class || host == ConcurrentDeque.class) {
            return true;
        }
        String m = f.getMethodName();
        return (m.equals("take") || m.equals("poll")) && BlockingQueue.class.isAssignableFrom(c);
    }

    private boolean elementOrStopped() {
        if (state != RUNNING) {
            return true;
        }
        Segment<E> h = head;
        long d = h.deq();
        return d < segmentLength ? d < h.enq() : h.next != null;
    }

    @SuppressWarnings("unchecked")
    private E dequeue() {
        for (;;) {
            Segment<E> h = head;
            long d = h.deq();
            if (d >= segmentLength) {
                if (!moveHeadOn(h)) {
                    return null;
                }
                continue;
            }
            // The slot is read first: while elements wait, it holds one and the producers' index line (written by
            // every offer) is left alone. Only a slot that looks empty sends us to the index to tell "empty" from
            // "a producer is about to store".
            if (SLOT.getVolatile(h.items, (int) d) == null && d >= h.enq()) {
                return null; // linearization point of an empty poll (a full segment has enq >= its length)
            }
            long i = (long) COUNTER.getAndAdd(h.idx, DEQ, 1L);
            if (i >= segmentLength) {
                continue;
            }
            Object item = SLOT.getAndSet(h.items, (int) i, TAKEN);
            if (item == null || item == TAKEN) {
                continue; // claimed before its producer stored: the producer takes another slot
            }
            if (item == REMOVED) {
                HOLES.getAndAdd(this, -1L);
                continue;
            }
            releaseRoom();
            return (E) item;
        }
    }

    /**
     * Returns the head element without taking it.
     *
     * @return the head element, or null if the queue is empty or was stopped
     */
    @Override
    @SuppressWarnings("unchecked")
    public E peek() {
        if (state == STOPPED) {
            return null;
        }
        boolean first = true;
        for (Segment<E> s = head; s != null; s = s.next) {
            long i = s.deq();
            // The bound is read again at every step: an element stored behind slots that emptied meanwhile is the
            // head now, and the final read that shows no slot left is where an empty peek takes effect.
            for (; i < Math.min(s.enq(), segmentLength); i++) {
                Object item = closeGap(s, (int) i);
                if (item != TAKEN && item != REMOVED) {
                    return (E) item; // linearization point
                }
                if (first && item == REMOVED) {
                    skipRemovedHead(); // the head is a hole: move the consumers' position past it for later readers
                }
                first = false;
            }
            if (i < segmentLength) {
                return null;
            }
        }
        return null;
    }

    /** Counts a slot of {@code s} just made REMOVED, and unlinks {@code s} once every one of its slots is. */
    private void holeMade(Segment<E> s) {
        HOLES.getAndAdd(this, 1L);
        if ((int) DEAD.getAndAdd(s, 1) + 1 == segmentLength) {
            unlinkDead(s);
        }
    }

    /**
     * Unlinks a segment whose slots were all removed out of turn, so that a queue whose head element stays while
     * later ones are removed does not keep a chain of dead segments. The head segment is left to the consumers, and
     * the tail to the producer that links its successor (which checks {@code dead} after linking, as the remover
     * checks {@code next} after counting: one of them sees the other). The dead segment keeps its next link, so a
     * reader or iterator standing on it walks on; two adjacent dead segments unlinked at once may leave one linked,
     * which costs a segment of memory until the consumers pass it, nothing else.
     */
    private void unlinkDead(Segment<E> s) {
        Segment<E> next = s.next;
        if (next == null) {
            return;
        }
        for (Segment<E> p = head; p != null && p != s; p = p.next) {
            if (p.next == s) {
                NEXT.compareAndSet(p, s, next);
                return;
            }
        }
    }

    /**
     * Moves the head segment from {@code h} to {@code next}. Slots of segments unlinked between them were counted as
     * holes and no consumer will claim them: the thread whose CAS moves the head uncounts them.
     */
    private void advanceHead(Segment<E> h, Segment<E> next) {
        if (HEAD.compareAndSet(this, h, next)) {
            long skipped = next.id - h.id - 1L;
            if (skipped > 0L) {
                HOLES.getAndAdd(this, -skipped * segmentLength);
            }
        }
    }

    /**
     * Moves the consumers' position past removed slots at the head and the head segment past its end, so that slots
     * removed out of turn do not pile up (in memory, and in every reader's walk) while no consumer polls. A CAS on
     * the dequeue index from d to d + 1 claims slot d exactly as a consumer's getAndAdd would, so the hole is uncounted
     * once: by this thread if its CAS wins, otherwise by the consumer that claimed the slot.
     */
    private void skipRemovedHead() {
        for (;;) {
            Segment<E> h = head;
            long d = h.deq();
            if (d >= segmentLength) {
                if (!moveHeadOn(h)) {
                    return;
                }
            } else if (SLOT.getVolatile(h.items, (int) d) != REMOVED) {
                return;
            } else if (COUNTER.compareAndSet(h.idx, DEQ, d, d + 1L)) {
                HOLES.getAndAdd(this, -1L);
            }
        }
    }

    /**
     * The head segment {@code h} is used up (consumers claimed all its slots): moves the head to its successor.
     *
     * @return false if {@code h} has no successor yet
     */
    private boolean moveHeadOn(Segment<E> h) {
        Segment<E> next = h.next;
        if (next == null) {
            return false;
        }
        advanceHead(h, next);
        return true;
    }

    /**
     * Reads a slot below the enqueue index; if its producer took it but has not stored yet, closes it (REMOVED), so
     * that the producer takes a later slot. A reader that skipped such a slot and went on to later elements would
     * otherwise see them ahead of an element that is then stored in front of them: not FIFO, not linearizable.
     */
    private Object closeGap(Segment<E> s, int i) {
        Object item = SLOT.getVolatile(s.items, i);
        if (item == null) {
            if (SLOT.compareAndSet(s.items, i, null, REMOVED)) {
                holeMade(s);
                return REMOVED;
            }
            item = SLOT.getVolatile(s.items, i);
        }
        return item;
    }

    /**
     * Removes one element equal to {@code o}, wherever it is in the queue.
     *
     * @return whether an element was removed
     */
    @Override
    public boolean remove(Object o) {
        if (o == null) {
            return false;
        }
        restart:
        for (;;) {
            for (Itr it = new Itr(true); it.hasNext(); ) {
                if (o.equals(it.next())) {
                    if (it.removeLast()) {
                        return true;
                    }
                    // A consumer took that one first. The iterator looked ahead before this, so an equal element
                    // stored meanwhile could lie behind its cursor: look again from the head.
                    continue restart;
                }
            }
            return false; // linearization point: the last read of the enqueue index, with no equal element left
        }
    }

    /**
     * Removes every element that matches {@code filter}, each out of turn as an iterator's {@code remove()} does,
     * giving its place back.
     *
     * @param filter says which elements to remove
     * @return true if this call removed an element (not one a consumer took while it looked)
     * @throws NullPointerException if {@code filter} is null
     */
    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        return removeMatching(Checks.requireNonNull(filter, "filter")) > 0;
    }

    /**
     * Removes every element contained in {@code c}; see {@link #removeIf}.
     *
     * @return true if this call removed an element
     * @throws NullPointerException if {@code c} is null
     */
    @Override
    public boolean removeAll(Collection<?> c) {
        Checks.requireNonNull(c, "c");
        return removeMatching(c::contains) > 0;
    }

    /**
     * Removes every element not contained in {@code c}; see {@link #removeIf}.
     *
     * @return true if this call removed an element
     * @throws NullPointerException if {@code c} is null
     */
    @Override
    public boolean retainAll(Collection<?> c) {
        Checks.requireNonNull(c, "c");
        return removeMatching(e -> !c.contains(e)) > 0;
    }

    /** @return how many elements this call removed (those a consumer took first are not counted) */
    int removeMatching(Predicate<? super E> filter) {
        int removed = 0;
        for (Itr it = new Itr(false); it.hasNext(); ) {
            if (filter.test(it.next()) && it.removeLast()) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Moves up to every available element into {@code c}; elements are taken one at a time, so a concurrent
     * consumer may take some of them first.
     *
     * @throws NullPointerException if {@code c} is null
     * @throws IllegalArgumentException if {@code c} is this queue
     */
    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    /**
     * @throws NullPointerException if {@code c} is null
     * @throws IllegalArgumentException if {@code c} is this queue
     */
    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Checks.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("c: this queue (expected: another collection)");
        }
        int n = 0;
        for (E e; n < maxElements && (e = poll()) != null; n++) {
            c.add(e);
        }
        return n;
    }

    // -----------------------------------------------------------------------------------------------------------
    // Shutdown

    /**
     * Refuses new elements from now on ({@code offer} returns false, {@code add} and {@code put} throw
     * {@link ShutDownException}); consumers take what is queued, then get ShutDownException (a
     * {@link ThreadPoolExecutor} worker waits instead; see the class comment). Wakes every blocked producer ({@code put}
     * throws, a timed {@code offer} returns false) and consumer (which takes or throws). Idempotent.
     */
    public void shutdown() {
        STATE.compareAndSet(this, RUNNING, SHUTDOWN);
        notEmpty.signalAll();
        notFull.signalAll();
    }

    /**
     * Stops the queue now: new elements are refused as after {@link #shutdown()}, consumers get
     * {@link ShutDownException} (or null from {@link #poll()}), and the elements not yet taken are returned. In a
     * {@link ThreadPoolExecutor}, those are the queued tasks, which then never run.
     *
     * @return the elements no consumer took, in queue order; each accepted element is either taken or in this list
     */
    public List<E> shutdownNow() {
        state = STOPPED;
        notEmpty.signalAll();
        notFull.signalAll();
        List<E> rest = new ArrayList<>();
        for (E e; (e = dequeue()) != null; ) {
            rest.add(e);
        }
        return rest;
    }

    /**
     * Stops the queue because a producer failed: {@link #shutdownNow()}, and every consumer's ShutDownException
     * carries {@code cause}. ft_utils marks such a queue "failed"; here the failure is the producer's to report.
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
     * Returns whether the queue refuses new elements.
     *
     * @return whether {@link #shutdown()}, {@link #shutdownNow()} or {@link #poison} was called
     */
    public boolean isShutdown() {
        return state != RUNNING;
    }

    // -----------------------------------------------------------------------------------------------------------
    // Size and iteration

    /**
     * Returns the number of elements. While other threads insert or remove, the value is an estimate: an element
     * counts from the moment its insertion begins until its removal ends, so a result may include elements whose
     * {@code offer} has not yet returned or whose {@code poll} already returned them elsewhere. It is never negative
     * and, for a bounded queue, never above the capacity. Exact when no operation is in progress.
     *
     * @return the number of elements, at most {@link Integer#MAX_VALUE}
     */
    @Override
    public int size() {
        if (bounded) {
            return (int) Math.max(placesInUse(), 0L);
        }
        long head = headPosition();
        return (int) Math.clamp(tailPosition() - head - holes, 0L, Integer.MAX_VALUE);
    }

    /**
     * Returns whether the queue holds no element: {@code peek() == null}, so it takes effect at one instant and, unlike
     * {@link #size()}, does not count insertions in progress.
     *
     * @return true if no element is in the queue, or the queue was stopped
     */
    @Override
    public boolean isEmpty() {
        return peek() == null;
    }

    /**
     * Returns how many more elements a bounded queue would accept now: the capacity less {@link #size()}, with the
     * same counting (insertions and removals in progress hold their place). Every removal, in turn or out of turn,
     * gives its place back at once.
     *
     * @return the free places of a bounded queue, in [0, capacity], or {@link Integer#MAX_VALUE} if unbounded
     */
    @Override
    public int remainingCapacity() {
        return bounded ? capacity - size() : Integer.MAX_VALUE;
    }

    /**
     * Returns a weakly consistent iterator: it never throws {@link java.util.ConcurrentModificationException},
     * returns elements in queue order, each at most once, including every element present for the whole iteration,
     * and may or may not return elements inserted or removed meanwhile. {@code remove()} removes the very element
     * returned last (that slot, not an equal element elsewhere), unless a consumer took it meanwhile, and gives its
     * place back; it never removes another element.
     *
     * @return an iterator over the elements in queue order
     */
    @Override
    public Iterator<E> iterator() {
        return new Itr(false);
    }

    /**
     * Returns a weakly consistent {@link Spliterator} over the elements in queue order, reporting
     * {@link Spliterator#ORDERED}, {@link Spliterator#NONNULL} and {@link Spliterator#CONCURRENT}, as the JDK's
     * concurrent queues do.
     *
     * @return a spliterator over the elements
     */
    @Override
    public Spliterator<E> spliterator() {
        return Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.CONCURRENT);
    }

    /** @return how many segments are reachable from the head: for tests of memory held by removed slots */
    int linkedSegments() {
        int n = 0;
        for (Segment<E> seg = head; seg != null; seg = seg.next) {
            n++;
        }
        return n;
    }

    /** Iterator.remove that says whether it removed (false: a consumer took the element first). */
    boolean removeReturned(Iterator<E> it) {
        return ((Itr) it).removeLast();
    }

    private final class Itr implements Iterator<E> {
        private Segment<E> seg = head;
        private long index = seg.deq();
        private Segment<E> nextSeg;
        private int nextIndex;
        private E nextItem;
        private Segment<E> lastSeg;
        private int lastIndex;
        private E lastItem;
        /** Close the slots of producers that have not stored yet (remove(Object) must, to be linearizable). */
        private final boolean closeGaps;

        Itr(boolean closeGaps) {
            this.closeGaps = closeGaps;
            advance();
        }

        @SuppressWarnings("unchecked")
        private void advance() {
            nextItem = null;
            while (seg != null) {
                while (index < Math.min(seg.enq(), segmentLength)) {
                    int i = (int) index++;
                    Object item = closeGaps ? closeGap(seg, i) : SLOT.getVolatile(seg.items, i);
                    if (item != null && item != TAKEN && item != REMOVED) {
                        nextSeg = seg;
                        nextIndex = i;
                        nextItem = (E) item;
                        return;
                    }
                }
                if (index < segmentLength) {
                    return;
                }
                seg = seg.next;
                index = 0;
            }
        }

        @Override
        public boolean hasNext() {
            return nextItem != null;
        }

        @Override
        public E next() {
            E e = nextItem;
            if (e == null) {
                throw new NoSuchElementException();
            }
            lastSeg = nextSeg;
            lastIndex = nextIndex;
            lastItem = e;
            advance();
            return e;
        }

        boolean removeLast() {
            if (lastItem == null) {
                throw new IllegalStateException("next() has not been called, or remove() was already called");
            }
            boolean removed = SLOT.compareAndSet(lastSeg.items, lastIndex, lastItem, REMOVED);
            lastItem = null;
            if (removed) {
                holeMade(lastSeg);
                releaseRoom();
                skipRemovedHead();
            }
            return removed;
        }

        @Override
        public void remove() {
            removeLast();
        }
    }

}
