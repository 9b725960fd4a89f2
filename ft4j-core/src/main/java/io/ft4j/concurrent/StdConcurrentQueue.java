package io.ft4j.concurrent;

import io.ft4j.atomic.PaddedAtomicLong;
import io.ft4j.internal.util.Checks;
import io.ft4j.internal.wait.Waiters;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link BlockingQueue} that counts tasks, built on a {@link ConcurrentQueue}: the shape of Python's
 * {@code queue.Queue}, as ft_utils' {@code StdConcurrentQueue} brings it to free-threaded Python. It adds task
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
 * puts cannot overfill) and a surplus {@code taskDone()} throws instead of driving the count negative.
 *
 * <p><b>Tasks and shutdown.</b> As in Python 3.13, {@link #shutdownNow()} discounts only the elements it hands back:
 * elements consumers took before it stay unfinished until they are marked done, so {@code join()} keeps waiting for
 * them. {@code join()} returning always means every element taken was marked done. Elements removed out of turn
 * ({@code remove(Object)}, {@code removeIf}, {@code removeAll}, {@code retainAll}, {@code clear}, an iterator's
 * {@code remove}) stop being tasks; elements taken by {@code poll}, {@code take} or {@code drainTo} remain tasks
 * until {@link #taskDone()}.
 *
 * <p><b>Shutdown</b> is that of {@link ConcurrentQueue}: after {@link #shutdown()}, {@code offer} returns false and
 * {@code add} and {@code put} throw {@link ShutDownException}; a refused element is not a task. Consumers drain
 * what is queued, then get ShutDownException from {@code take} and timed {@code poll}.
 *
 * <p><b>Inside a ThreadPoolExecutor.</b> As for {@link ConcurrentQueue}: a pool worker fetching its next task from
 * a shut-down, drained queue is not given ShutDownException; its {@code take()} waits until the worker is
 * interrupted and its timed {@code poll} waits out its timeout and returns null. So after {@code queue.shutdown()}
 * the pool rejects new tasks through its {@link java.util.concurrent.RejectedExecutionHandler} (or, below its maximum
 * pool size, hands a refused task straight to a new worker, ThreadPoolExecutor's own rule), the queued tasks still
 * run, and the workers idle until {@code executor.shutdown()}; {@code queue.shutdownNow()} hands the queued tasks
 * back. Every other consumer gets ShutDownException as usual.
 *
 * <p>Capacity, size, iteration and memory consistency are those of {@link ConcurrentQueue}.
 *
 * @param <E> the element type
 */
/*
 * Design notes
 *
 * The unfinished-task count is incremented before an element is stored and decremented again if the store is
 * refused, so a consumer can never call taskDone() for an element the count does not yet include: the count never
 * goes below the number of elements taken and not yet done. taskDone() decrements by CAS, refusing at zero; the
 * decrement to zero signals the join waiters (internal/wait), which test "count == 0" after registering,
 * so no wake-up is lost. Linearization points: those of the ConcurrentQueue, and for taskDone the CAS.
 */
public final class StdConcurrentQueue<E> extends AbstractQueue<E> implements BlockingQueue<E> {
    private final ConcurrentQueue<E> queue;
    private final PaddedAtomicLong unfinished = new PaddedAtomicLong();
    private final Waiters joiners = new Waiters();

    /** Creates an unbounded queue. */
    public StdConcurrentQueue() {
        this(0);
    }

    /**
     * Creates a queue, bounded unless {@code maxSize} is 0.
     *
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
     * Waits until every element put has been marked done with {@link #taskDone()}, handed back by
     * {@link #shutdownNow()} or removed out of turn. After a shutdown it still waits for the elements consumers took.
     *
     * <p>Memory consistency effects: actions of a thread before its {@link #taskDone()} call <i>happen-before</i>
     * the return of a {@code join()} that the call released.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        joiners.await(() -> unfinished.get() == 0, 0, 0, false, 0L);
    }

    /**
     * Returns the number of unfinished tasks.
     *
     * @return the number of elements put and not yet marked done
     */
    public long unfinishedTasks() {
        return unfinished.get();
    }

    private void undoTask() {
        undoTasks(1);
    }

    private void undoTasks(int n) {
        if (n > 0 && unfinished.getAndAdd(-n) == n) {
            joiners.signalAll();
        }
    }

    /**
     * Inserts {@code e} if there is room and the queue accepts elements; never blocks. An inserted element is an
     * unfinished task; a refused one is not.
     *
     * @return true if inserted; false if the queue is full or was shut down
     * @throws NullPointerException if {@code e} is null
     */
    @Override
    public boolean offer(E e) {
        unfinished.incrementAndGet();
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

    /**
     * Inserts {@code e} if there is room, or throws; an inserted element is an unfinished task.
     *
     * @return true (as {@link java.util.Collection#add} requires)
     * @throws NullPointerException if {@code e} is null
     * @throws ShutDownException if the queue was shut down
     * @throws IllegalStateException if the queue is bounded and full
     */
    @Override
    public boolean add(E e) {
        if (offer(e)) {
            return true;
        }
        throw queue.refusal(); // offer counted and uncounted the task
    }

    /**
     * Inserts {@code e}, waiting for room if the queue is bounded and full; an inserted element is an unfinished task.
     *
     * @throws NullPointerException if {@code e} is null
     * @throws ShutDownException if the queue was shut down, before or while waiting
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public void put(E e) throws InterruptedException {
        unfinished.incrementAndGet();
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

    /**
     * Inserts {@code e}, waiting up to the timeout for room if the queue is bounded and full; an inserted element is
     * an unfinished task.
     *
     * @param timeout how long to wait for room, in {@code unit}s; zero or negative: do not wait
     * @param unit the unit of {@code timeout}
     * @return true if inserted; false if the timeout passed first or the queue was shut down, before or while waiting
     * @throws NullPointerException if {@code e} or {@code unit} is null
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        unfinished.incrementAndGet();
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

    /**
     * Takes the head element, waiting for one; it stays an unfinished task until {@link #taskDone()}.
     *
     * @throws ShutDownException once the queue is shut down and empty, or stopped; a {@link
     *     java.util.concurrent.ThreadPoolExecutor} worker fetching its next task waits instead (see the class comment)
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public E take() throws InterruptedException {
        return queue.take();
    }

    /**
     * Takes the head element, waiting up to the timeout (a deadline) for one; it stays an unfinished task until
     * {@link #taskDone()}.
     *
     * @param timeout how long to wait for an element, in {@code unit}s; zero or negative: do not wait
     * @param unit the unit of {@code timeout}
     * @return the head element, or null if the timeout passed first
     * @throws NullPointerException if {@code unit} is null
     * @throws ShutDownException once the queue is shut down and empty, or stopped; a {@link
     *     java.util.concurrent.ThreadPoolExecutor} worker fetching its next task waits out the timeout instead
     * @throws InterruptedException if interrupted while waiting
     */
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
        return queue.drainTo(notThis(c));
    }

    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        return queue.drainTo(notThis(c), maxElements);
    }

    /** The BlockingQueue contract: draining into the queue itself is refused (the inner queue sees another target). */
    private Collection<? super E> notThis(Collection<? super E> c) {
        if (c == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself: pass another collection");
        }
        return c;
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

    /**
     * Removes every element out of turn; they stop being tasks (unlike {@link #drainTo}, which takes them).
     */
    @Override
    public void clear() {
        undoTasks(queue.removeMatching(e -> true));
    }

    /**
     * Removes every element that matches {@code filter} out of turn; they stop being tasks.
     *
     * @return true if this call removed an element
     * @throws NullPointerException if {@code filter} is null
     */
    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        int n = queue.removeMatching(Checks.requireNonNull(filter, "filter"));
        undoTasks(n);
        return n > 0;
    }

    /**
     * Removes every element contained in {@code c} out of turn; they stop being tasks.
     *
     * @return true if this call removed an element
     * @throws NullPointerException if {@code c} is null
     */
    @Override
    public boolean removeAll(Collection<?> c) {
        Checks.requireNonNull(c, "c");
        return removeIf(c::contains);
    }

    /**
     * Removes every element not contained in {@code c} out of turn; they stop being tasks.
     *
     * @return true if this call removed an element
     * @throws NullPointerException if {@code c} is null
     */
    @Override
    public boolean retainAll(Collection<?> c) {
        Checks.requireNonNull(c, "c");
        return removeIf(e -> !c.contains(e));
    }

    /**
     * Returns a weakly consistent spliterator, as {@link ConcurrentQueue#spliterator()} does.
     *
     * @return a spliterator reporting ORDERED, NONNULL and CONCURRENT
     */
    @Override
    public Spliterator<E> spliterator() {
        return Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.CONCURRENT);
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
     * See {@link ConcurrentQueue#shutdownNow()}. The elements handed back stop being tasks; elements consumers took
     * stay unfinished until {@link #taskDone()}, so {@link #join()} keeps waiting for them.
     *
     * @return the elements not taken; they are no longer unfinished tasks
     */
    public List<E> shutdownNow() {
        return stop(queue.shutdownNow());
    }

    /**
     * See {@link ConcurrentQueue#poison(Throwable)}; tasks are discounted as by {@link #shutdownNow()}.
     *
     * @param cause why production stopped
     * @return the elements not taken
     */
    public List<E> poison(Throwable cause) {
        return stop(queue.poison(cause));
    }

    private List<E> stop(List<E> rest) {
        undoTasks(rest.size());
        return rest;
    }

    /**
     * Returns whether the queue refuses new elements.
     *
     * @return whether the queue was shut down
     */
    public boolean isShutdown() {
        return queue.isShutdown();
    }
}
