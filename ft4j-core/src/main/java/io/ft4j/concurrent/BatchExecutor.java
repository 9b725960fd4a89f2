package io.ft4j.concurrent;

import io.ft4j.internal.util.Checks;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A thread-safe source of results that calls a {@link Supplier} in batches and hands the results out lock-free. The
 * design follows ft_utils' {@code BatchExecutor}, without its stale-index race.
 *
 * <pre>{@code
 * BatchExecutor<Long> ids = new BatchExecutor<>(idService::next, 64);  // one call to refill per 64 loads
 * long id = ids.load();                                                // from any thread
 * }</pre>
 *
 * <p>Use it when a source is expensive to call concurrently but cheap per item once called in bulk (id blocks,
 * random numbers, pooled buffers): threads take items with one atomic increment, and only one thread at a time calls
 * the source to refill.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Exactly once.</b> Every result the source produces is returned by exactly one {@code load()}.</li>
 *   <li><b>Order.</b> Results are handed out in the order the source produced them (by the order in which loads take
 *       effect).</li>
 *   <li><b>Failure.</b> If the source throws, the loading thread that called it gets that exception and the executor
 *       is failed for good. Results produced before the failure are still handed out (exactly once), after which every
 *       {@code load()} throws {@link IllegalStateException} with the source's exception as its cause.</li>
 *   <li>No fairness: a thread that keeps finding the batch empty refills it; others may overtake it.</li>
 * </ul>
 *
 * @param <T> the type of the results
 */
/*
 * Design notes
 *
 * Algorithm. The current batch is an immutable array of results plus a claim counter, published through a volatile
 * field. load() reads the batch, claims an index with getAndAdd on the counter (LOCK XADD: wait-free) and returns
 * that slot. A claim past the end means the batch is spent: the thread takes the refill lock, checks that the batch
 * it saw is still current (another thread may have refilled), calls the source `size` times and publishes a new
 * batch. ft_utils reuses one buffer and one index, so a thread that read the index before a refill can take a slot
 * of the next batch twice or skip one (the stale-index race); here a batch is never reused, so a claim on an old
 * batch can only fail, never alias a new result.
 *
 * Linearization point of load(): the getAndAdd that claims an index below the batch length. Refills happen only
 * when every index of the current batch has been claimed, so results leave in production order.
 *
 * Memory ordering. The source runs under the lock and its results are stored into the array before the batch is
 * published with a volatile write; a loader reads the batch with a volatile read, so it sees the results complete
 * (and anything the source wrote before producing them).
 *
 * Contention. Loads on a full batch contend only on the counter's cache line. Threads arriving at a spent batch
 * block on the refill lock (a ReentrantLock: virtual threads park instead of pinning a carrier) for the duration of
 * one refill.
 */
public final class BatchExecutor<T> {
    private final Supplier<? extends T> source;
    private final int size;
    private final ReentrantLock refill = new ReentrantLock();
    private volatile Batch current;

    /**
     * Creates an executor that refills from {@code source}, {@code size} results at a time. The source is first
     * called by the first {@link #load()}, not here.
     *
     * @param source called {@code size} times per refill, by one thread at a time
     * @param size how many results one refill produces
     * @throws NullPointerException if {@code source} is null
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public BatchExecutor(Supplier<? extends T> source, int size) {
        this.source = Checks.requireNonNull(source, "source");
        this.size = Checks.requirePositive(size, "size");
        this.current = new Batch(new Object[0], null); // spent from the start: the first load refills
    }

    /**
     * Returns the next result, refilling the batch from the source when it is spent.
     *
     * @return a result no other {@code load()} returns
     * @throws IllegalStateException if the source failed earlier and every result it produced has been handed out;
     *     the cause is the source's exception
     * @throws RuntimeException whatever the source throws, to the thread whose refill called it (an {@link Error}
     *     from the source propagates the same way)
     */
    @SuppressWarnings("unchecked")
    public T load() {
        while (true) {
            Batch batch = current;
            long index = (long) Batch.NEXT.getAndAdd(batch, 1L);
            if (index < batch.results.length) {
                return (T) batch.results[(int) index]; // linearization point: the claim above
            }
            refill(batch);
        }
    }

    /**
     * Returns whether the source has failed; results produced before the failure may remain to be loaded.
     *
     * @return true once the source has thrown
     */
    public boolean isFailed() {
        return current.failure != null;
    }

    private void refill(Batch spent) {
        refill.lock();
        try {
            if (current != spent) {
                return; // another thread refilled while this one waited
            }
            if (spent.failure != null) {
                throw new IllegalStateException("the source failed earlier; this BatchExecutor is finished",
                        spent.failure);
            }
            Object[] results = new Object[size];
            int produced = 0;
            try {
                while (produced < size) {
                    results[produced] = source.get();
                    produced++;
                }
            } catch (Throwable t) {
                // Hand out what was produced, then fail every later load with the cause.
                Object[] partial = new Object[produced];
                System.arraycopy(results, 0, partial, 0, produced);
                current = new Batch(partial, t);
                throw t;
            }
            current = new Batch(results, null);
        } finally {
            refill.unlock();
        }
    }

    /** One immutable batch of results and its claim counter. */
    private static final class Batch {
        static final VarHandle NEXT;

        static {
            try {
                NEXT = MethodHandles.lookup().findVarHandle(Batch.class, "next", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Object[] results;
        final Throwable failure;
        /** Claims so far; a long, so that loads piling up on a spent or failed batch can never wrap it. */
        @SuppressWarnings("unused") // accessed through NEXT
        private volatile long next;

        Batch(Object[] results, Throwable failure) {
            this.results = results;
            this.failure = failure;
        }
    }
}
