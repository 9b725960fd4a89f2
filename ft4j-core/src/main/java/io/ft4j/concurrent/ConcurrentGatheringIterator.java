package io.ft4j.concurrent;

import io.ft4j.internal.util.Checks;
import io.ft4j.internal.wait.Waiters;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe buffer that gathers results that producers finish in any order, and hands them to one consumer, through
 * an {@link Iterator}, in key order. The design follows ft_utils' {@code ConcurrentGatheringIterator}.
 *
 * <pre>{@code
 * ConcurrentGatheringIterator<Result> gather = new ConcurrentGatheringIterator<>();
 * for (int i = 0; i < n; i++) {
 *     int key = i;
 *     pool.submit(() -> {
 *         try {
 *             gather.insert(key, compute(key));
 *         } catch (Throwable t) {
 *             gather.fail(t);                       // the consumer gets it instead of waiting for ever
 *         }
 *     });
 * }
 * for (Iterator<Result> it = gather.iterator(n - 1); it.hasNext(); ) {
 *     write(it.next());                             // keys 0, 1, ..., n-1 in order, each as soon as it is there
 * }
 * }</pre>
 *
 * <h2>This or {@code Gatherers.mapConcurrent}?</h2>
 * The JDK's {@link java.util.stream.Gatherers#mapConcurrent} also keeps order, but as a stream stage: it owns the
 * tasks (virtual threads, a concurrency limit) and the stream pulls. Use it when the work is a function over a
 * stream. Use this class when the producers are yours (a thread pool, callbacks, an RPC fan-out, a GPU feeder),
 * when results arrive by key rather than by position in a stream, or when the consumer must start on key 0 while later
 * keys are still being computed.
 *
 * <h2>Contract</h2>
 * Keys are dense and start at 0: the iterator reads {@code 0, 1, ..., maxKey} (inclusive) and blocks on each until it
 * is inserted. A key is inserted at most once. One consumer at a time: a second thread that tries to wait while one is
 * waiting gets {@link IllegalStateException}. With {@code clear} (the default) the iterator removes each key as it
 * reads it, so memory holds only what has arrived early.
 * If a producer calls {@link #fail(Throwable)}, or an insert is rejected (null value, negative key), the consumer's
 * next wait ends with {@link GatheringException} carrying that cause; keys already inserted are still delivered
 * first. A blocked consumer that is interrupted gets {@code GatheringException} caused by
 * {@link InterruptedException}, with its interrupt status set again.
 *
 * @param <V> the type of the values
 */
/*
 * Design notes
 *
 * Algorithm. Values live in a ConcurrentHashMap keyed by Long. The consumer looks its key up (fast path, no lock); if
 * it is absent it claims the single consumer slot (a CAS on {@code consumer}), records the key it waits for, and waits
 * on ft4j's waiter stack (internal/wait), which registers it before testing "key present or failed" again. A producer
 * inserts (a volatile write inside the map) and then, if someone waits for exactly this key, signals. Both sides
 * write before they read, with sequentially consistent accesses, so either the consumer's test sees the value or the
 * producer sees the waiter: no wake-up is lost and no timed polling is needed (ft_utils polls every 10 ms to be
 * safe). fail() publishes the cause with a CAS from null, so the first failure is the only one ever published (a
 * check-then-set let a second producer overwrite a cause the consumer had already thrown), and wakes every waiter.
 *
 * Linearization points. insert: the map insertion. fail: the CAS that sets the failure, or the failed CAS that finds
 * one set. The iterator's next: the lookup that finds the key, or the read that finds the failure.
 *
 * Memory ordering. Everything a producer wrote before insert(k, v) is visible to the consumer after next() returns
 * v (the map's put/get are a release/acquire pair).
 */
public final class ConcurrentGatheringIterator<V> {
    private static final VarHandle CONSUMER;
    private static final VarHandle FAILURE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CONSUMER = l.findVarHandle(ConcurrentGatheringIterator.class, "consumer", Thread.class);
            FAILURE = l.findVarHandle(ConcurrentGatheringIterator.class, "failure", Throwable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ConcurrentHashMap<Long, V> values = new ConcurrentHashMap<>();
    private final Waiters waiters = new Waiters();
    /** The thread waiting now, if any: one consumer at a time. */
    @SuppressWarnings("unused") // CAS through CONSUMER
    private volatile Thread consumer;
    private volatile long waitingFor = -1;
    /** Keys below this were read by a clearing iterator and removed: inserting one again is a second insert. */
    private volatile long clearedBelow;
    /** The first failure; set once, from null, through FAILURE. */
    private volatile Throwable failure;

    /** Creates an empty gatherer. */
    public ConcurrentGatheringIterator() {}

    /**
     * Inserts the value for {@code key}; wakes the consumer if it waits for this key. Callable from any thread.
     *
     * @param key 0 or more; each key once
     * @param value the result, not null
     * @throws NullPointerException if {@code value} is null (the gatherer is failed too: the consumer would wait for
     *     ever otherwise)
     * @throws IllegalArgumentException if {@code key} is negative (the gatherer is failed too)
     * @throws IllegalStateException if {@code key} was inserted before (the first value stays), including a key a
     *     clearing iterator read and removed before this call began; a second insert racing the read of the first may
     *     go undetected, and its value is then never read
     */
    public void insert(long key, V value) {
        if (value == null || key < 0) {
            RuntimeException e = value == null
                    ? new NullPointerException("value for key " + key + ": null (expected: not null)")
                    : new IllegalArgumentException(Checks.badArgument("key", key, ">= 0"));
            fail(e);
            throw e;
        }
        // A clearing iterator raises clearedBelow before it removes a key it read: a key read and cleared before this
        // call began is below it here, and one not yet cleared is still in the map.
        if (key < clearedBelow || values.putIfAbsent(key, value) != null) {
            throw new IllegalStateException("key " + key + " was inserted twice; each key takes one value");
        }
        if (waiters.hasWaiters() && waitingFor == key) {
            waiters.signal();
        }
    }

    /**
     * Fails the gather: the consumer's next wait throws {@link GatheringException} with {@code cause}. Keys already
     * inserted are still delivered. The first failure wins, atomically: once any thread has seen a failure (through
     * {@link #isFailed()} or a consumer's exception), every consumer gets that same cause, and later calls, from any
     * thread, change nothing but still wake the consumer.
     *
     * @param cause what went wrong in the producer
     * @throws NullPointerException if {@code cause} is null
     */
    public void fail(Throwable cause) {
        Checks.requireNonNull(cause, "cause");
        FAILURE.compareAndSet(this, null, cause); // linearization point; a failed CAS: a failure was already kept
        waiters.signalAll();
    }

    /**
     * Returns whether the gather has failed.
     *
     * @return true if {@link #fail(Throwable)} was called or an insert was rejected
     */
    public boolean isFailed() {
        return failure != null;
    }

    /**
     * Returns an iterator over keys {@code 0..maxKey} (inclusive), in order, that removes each key as it reads it; the
     * same as {@code iterator(maxKey, true)}.
     *
     * @param maxKey the last key, inclusive; -1 for an empty iteration
     * @return the iterator, for one consumer thread
     * @throws IllegalArgumentException if {@code maxKey < -1}
     */
    public Iterator<V> iterator(long maxKey) {
        return iterator(maxKey, true);
    }

    /**
     * Returns an iterator over keys {@code 0..maxKey} (inclusive), in order, that blocks in {@code next()} until each
     * key is inserted.
     *
     * @param maxKey the last key, inclusive; -1 for an empty iteration
     * @param clear whether to remove each key once read
     * @return the iterator, for one consumer thread. Its {@code next()} throws {@link GatheringException} if the gather
     *     failed or the waiting thread was interrupted, {@link IllegalStateException} if another thread is already
     *     waiting on this gatherer, and {@link NoSuchElementException} after {@code maxKey}
     * @throws IllegalArgumentException if {@code maxKey < -1}
     */
    public Iterator<V> iterator(long maxKey, boolean clear) {
        if (maxKey < -1) {
            throw new IllegalArgumentException(Checks.badArgument("maxKey", maxKey, ">= -1"));
        }
        return new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next <= maxKey;
            }

            @Override
            public V next() {
                if (next > maxKey) {
                    throw new NoSuchElementException("all keys 0.." + maxKey + " were read");
                }
                V v = await(next);
                if (clear) {
                    clearedBelow = next + 1; // before the removal: see insert
                    values.remove(next);
                }
                next++;
                return v;
            }
        };
    }

    private V await(long key) {
        V v = values.get(key);
        return v != null ? v : awaitSlow(key);
    }

    private V awaitSlow(long key) {
        Thread me = Thread.currentThread();
        if (!CONSUMER.compareAndSet(this, null, me)) {
            throw new IllegalStateException("another thread is already waiting on this gatherer; it has one consumer");
        }
        try {
            waitingFor = key; // before registering: a producer that sees us waiting sees which key
            for (;;) {
                V v = values.get(key);
                if (v != null) {
                    return v;
                }
                Throwable cause = failure;
                if (cause != null) {
                    // A key inserted before the failure was set is delivered: the producer's insert happens-before
                    // its fail, so having read the failure, this lookup sees the key.
                    v = values.get(key);
                    if (v != null) {
                        return v;
                    }
                    throw new GatheringException("a producer failed before key " + key + " arrived", cause);
                }
                try {
                    waiters.await(() -> values.containsKey(key) || failure != null, 0, 0, false, 0L);
                } catch (InterruptedException e) {
                    me.interrupt();
                    throw new GatheringException("interrupted while waiting for key " + key, e);
                }
            }
        } finally {
            waitingFor = -1;
            consumer = null;
        }
    }

    /**
     * Thrown by a gathering iterator's {@code next()} when the gather cannot complete: a producer failed, or the
     * waiting consumer was interrupted. The cause says which.
     */
    public static final class GatheringException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GatheringException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
