package io.ft4j.concurrent;

import io.ft4j.atomic.AtomicInt64;
import io.ft4j.internal.util.Checks;
import io.ft4j.internal.wait.Waiters;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code queue.Queue} on a {@link ConcurrentQueue}: ft_utils' {@code StdConcurrentQueue}. Adds task
 * accounting: every element put counts as an unfinished task until a consumer calls {@link #taskDone()} for it, and
 * {@link #join()} waits until no task is unfinished.
 *
 * <pre>{@code
 * StdConcurrentQueue<Path> work = new StdConcurrentQueue<>(1_000);   // put blocks beyond 1000
 * // consumers:  Path p = work.take(); try { process(p); } finally { work.taskDone(); }
 * work.join();                                                      // every file processed
 * }</pre>
 *
 * <p>Python names map to Java ones: {@code put}/{@code get} are {@link #put}/{@link #take}, {@code put_nowait}/
 * {@code get_nowait} are {@link #offer(Object)}/{@link #poll()}, {@code qsize} is {@link #size()}, {@code
 * shutdown(immediate=True)} is {@link #shutdownNow()}. Unlike ft_utils', {@code maxSize} is a hard bound (concurrent
 * puts cannot overfill), a surplus {@code taskDone()} throws instead of driving the count negative, and
 * {@code join()} is released by {@link #shutdownNow()} (the returned elements are no longer tasks).
 *
 * @param <E> the element type
 */
/*
 * Design notes
 *
 * The unfinished-task count is incremented before an element is stored and decremented again if the store is
 * refused, so a consumer can never call taskDone() for an element the count does not yet include: the count never
 * goes below the number of elements taken and not yet done. taskDone() decrements by CAS, refusing at zero; the
 * decrement to zero signals the join waiters (internal/wait), which test "count == 0 or stopped" after registering,
 * so no wake-up is lost. Linearization points: those of the ConcurrentQueue, and for taskDone the CAS.
 */
public final class StdConcurrentQueue<E> extends AbstractQueue<E> implements BlockingQueue<E> {
    private final ConcurrentQueue<E> queue;
    private final AtomicInt64 unfinished = new AtomicInt64();
    private final Waiters joiners = new Waiters();
    private volatile boolean stopped;

    /** Creates an unbounded queue. */
    public StdConcurrentQueue() {
        this(0);
    }

    /**
     * @param maxSize the most elements the queue holds, or 0 for unbounded (Python's {@code maxsize})
     * @throws IllegalArgumentException if {@code maxSize < 0}
     */
    public StdConcurrentQueue(int maxSize) {
        if (maxSize < 0) {
            throw new IllegalArgumentException(Checks.badArgument("maxSize", maxSize, ">= 0, 0 for unbounded"));
        }
        ConcurrentQueue.Builder<E> b = ConcurrentQueue.builder();
        queue = (maxSize == 0 ? b : b.capacity(maxSize)).build();
    }

    /**
     * Marks one taken element as processed.
     *
     * @throws IllegalStateException if there is no unfinished task (more calls than elements put)
     */
    public void taskDone() {
        for (;;) {
            long u = unfinished.get();
            if (u <= 0) {
                throw new IllegalStateException("taskDone() called more times than elements were put: call it once "
                        + "per element taken");
            }
            if (unfinished.compareAndSet(u, u - 1)) {
                if (u == 1) {
                    joiners.signalAll();
                }
                return;
            }
        }
    }

    /**
     * Waits until every element put has been marked done with {@link #taskDone()}, or the queue was stopped with
     * {@link #shutdownNow()}.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        joiners.await(() -> unfinished.get() == 0 || stopped, 0, 0, false, 0L);
    }

    /** @return the number of elements put and not yet marked done */
    public long unfinishedTasks() {
        return unfinished.get();
    }

    private void undoTask() {
        if (unfinished.decr() == 0) {
            joiners.signalAll();
        }
    }

    @Override
    public boolean offer(E e) {
        unfinished.incr();
        boolean ok = false;
        try {
            ok = queue.offer(e);
            return ok;
        } finally {
            if (!ok) {
                undoTask();
            }
        }
    }

    @Override
    public void put(E e) throws InterruptedException {
        unfinished.incr();
        boolean ok = false;
        try {
            queue.put(e);
            ok = true;
        } finally {
            if (!ok) {
                undoTask();
            }
        }
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        unfinished.incr();
        boolean ok = false;
        try {
            ok = queue.offer(e, timeout, unit);
            return ok;
        } finally {
            if (!ok) {
                undoTask();
            }
        }
    }

    @Override
    public E poll() {
        return queue.poll();
    }

    @Override
    public E take() throws InterruptedException {
        return queue.take();
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        return queue.poll(timeout, unit);
    }

    @Override
    public E peek() {
        return queue.peek();
    }

    /** Removes an element out of turn; it stops being a task. */
    @Override
    public boolean remove(Object o) {
        if (queue.remove(o)) {
            undoTask();
            return true;
        }
        return false;
    }

    @Override
    public int drainTo(Collection<? super E> c) {
        return queue.drainTo(c);
    }

    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        return queue.drainTo(c, maxElements);
    }

    @Override
    public int remainingCapacity() {
        return queue.remainingCapacity();
    }

    @Override
    public int size() {
        return queue.size();
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** A weakly consistent iterator; {@code remove()} removes the element out of turn, ending its task. */
    @Override
    public Iterator<E> iterator() {
        Iterator<E> it = queue.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public E next() {
                return it.next();
            }

            @Override
            public void remove() {
                if (queue.removeReturned(it)) {
                    undoTask();
                }
            }
        };
    }

    /** See {@link ConcurrentQueue#shutdown()}; {@link #join()} still waits for the remaining tasks. */
    public void shutdown() {
        queue.shutdown();
    }

    /**
     * See {@link ConcurrentQueue#shutdownNow()}; also releases every {@link #join()}.
     *
     * @return the elements not taken; they are no longer unfinished tasks
     */
    public List<E> shutdownNow() {
        return stop(queue.shutdownNow());
    }

    /**
     * See {@link ConcurrentQueue#poison(Throwable)}; also releases every {@link #join()}.
     *
     * @param cause why production stopped
     * @return the elements not taken
     */
    public List<E> poison(Throwable cause) {
        return stop(queue.poison(cause));
    }

    private List<E> stop(List<E> rest) {
        unfinished.fetchSub(rest.size());
        stopped = true;
        joiners.signalAll();
        return rest;
    }

    /** @return whether the queue was shut down */
    public boolean isShutdown() {
        return queue.isShutdown();
    }
}
