package io.ft4j.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.testing.Blocked;
import io.ft4j.testing.Eventually;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ft4j's queues as the work queue of a {@link ThreadPoolExecutor}. Before this behaviour existed, a pool whose queue
 * was shut down lost its workers in a loop (each {@code take()} threw ShutDownException, the worker died, the pool
 * started a replacement, which did the same: 110 threads in a short run), and {@code execute} threw ShutDownException
 * instead of going through the RejectedExecutionHandler. Every test here counts the threads the pool's ThreadFactory
 * created and the exceptions that escaped a thread, so a worker death loop fails it; none waits by sleeping.
 */
@Timeout(60)
class QueuesInExecutorsTest {

    /** A queue type under test: a factory and its shutdown operations, which are not on BlockingQueue. */
    record Kind(String name, Supplier<BlockingQueue<Runnable>> make) {
        @Override
        public String toString() {
            return name;
        }

        void shutdown(BlockingQueue<Runnable> q) {
            switch (q) {
                case ConcurrentQueue<Runnable> c -> c.shutdown();
                case StdConcurrentQueue<Runnable> c -> c.shutdown();
                case ConcurrentDeque<Runnable> c -> c.shutdown();
                default -> throw new AssertionError(q.getClass());
            }
        }

        List<Runnable> shutdownNow(BlockingQueue<Runnable> q) {
            return switch (q) {
                case ConcurrentQueue<Runnable> c -> c.shutdownNow();
                case StdConcurrentQueue<Runnable> c -> c.shutdownNow();
                case ConcurrentDeque<Runnable> c -> c.shutdownNow();
                default -> throw new AssertionError(q.getClass());
            };
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(
                new Kind("ConcurrentQueue", ConcurrentQueue::new),
                new Kind("ConcurrentQueue(1000)", () -> new ConcurrentQueue<>(1000)),
                new Kind("StdConcurrentQueue", StdConcurrentQueue::new),
                new Kind("ConcurrentDeque", ConcurrentDeque::new),
                new Kind("ConcurrentDeque(1000)", () -> new ConcurrentDeque<>(1000)));
    }

    /** Creates the pool's threads, counting them and every exception that escapes one. */
    static final class CountingFactory implements ThreadFactory {
        final List<Thread> created = new CopyOnWriteArrayList<>();
        final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = Thread.ofPlatform().name("pool-worker-" + created.size()).daemon().unstarted(r);
            t.setUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
            created.add(t);
            return t;
        }

        List<Thread> alive() {
            return created.stream().filter(Thread::isAlive).toList();
        }

        void assertNoDeathLoop(int maxPoolSize) {
            assertTrue(uncaught.isEmpty(), () -> "exceptions escaped pool threads: " + uncaught);
            assertTrue(created.size() <= maxPoolSize, () -> created.size() + " threads created for a pool of at most "
                    + maxPoolSize + ": workers died and were replaced");
        }
    }

    /** Counts the tasks the pool rejects through its handler. */
    static final class CountingHandler implements RejectedExecutionHandler {
        final AtomicInteger calls = new AtomicInteger();
        final Set<Runnable> rejected = ConcurrentHashMap.newKeySet();

        @Override
        public void rejectedExecution(Runnable r, ThreadPoolExecutor executor) {
            calls.incrementAndGet();
            rejected.add(r);
        }
    }

    /** A pool that records the tasks that failed (afterExecute's throwable). */
    static final class Pool extends ThreadPoolExecutor {
        final List<Throwable> taskFailures = new CopyOnWriteArrayList<>();

        Pool(int core, int max, long keepAliveMillis, BlockingQueue<Runnable> q, ThreadFactory f,
                RejectedExecutionHandler h) {
            super(core, max, keepAliveMillis, TimeUnit.MILLISECONDS, q, f, h);
        }

        @Override
        protected void afterExecute(Runnable r, Throwable t) {
            if (t != null) {
                taskFailures.add(t);
            }
        }

        void assertNoTaskFailed() {
            assertTrue(taskFailures.isEmpty(), () -> "tasks failed: " + taskFailures);
        }
    }

    /**
     * Queues {@code tasks} gated tasks on a pool of {@code poolSize} threads, shuts the queue down, opens the gate and
     * returns once every task ran: the workers are then idle on a shut-down, drained queue.
     */
    private static void runQueuedTasksAcrossAQueueShutdown(Kind kind, BlockingQueue<Runnable> q, Pool pool,
            int poolSize, int tasks) throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            pool.execute(() -> {
                await(gate);
                ran.countDown();
            });
        }
        assertEquals(tasks - poolSize, q.size(), "the first tasks went to new workers, the rest were queued");
        kind.shutdown(q);
        gate.countDown();
        assertTrue(ran.await(20, TimeUnit.SECONDS), "tasks queued before the shutdown all run");
    }

    /**
     * (a) A fixed pool whose queue is shut down: later tasks are rejected through the handler (and by AbortPolicy's
     * RejectedExecutionException), every task queued before the shutdown runs, the idle workers wait in take()
     * instead of dying, and executor.shutdown() ends them. Old behaviour: execute threw ShutDownException, and the
     * workers died and were replaced in a loop.
     */
    @ParameterizedTest
    @MethodSource("kinds")
    void fixedPoolRejectsThroughItsHandlerAfterTheQueueIsShutDownAndKeepsItsWorkers(Kind kind) throws Exception {
        int poolSize = 2;
        int tasks = 20;
        BlockingQueue<Runnable> q = kind.make().get();
        CountingFactory threads = new CountingFactory();
        CountingHandler handler = new CountingHandler();
        Pool pool = new Pool(poolSize, poolSize, 0L, q, threads, handler);
        runQueuedTasksAcrossAQueueShutdown(kind, q, pool, poolSize, tasks);
        // The workers are now idle on a shut-down, drained queue: the old code's death loop would be running here.
        for (Thread w : threads.alive()) {
            Eventually.until(w.getName() + " idle, parked in take()", () -> w.getState() == Thread.State.WAITING);
        }
        for (int i = 0; i < 100; i++) {
            pool.execute(() -> { });
        }
        assertEquals(100, handler.calls.get(), "every task after the shutdown went through the handler");
        assertEquals(poolSize, pool.getPoolSize(), "no worker died");

        pool.setRejectedExecutionHandler(new ThreadPoolExecutor.AbortPolicy());
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));

        pool.shutdown();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS), "executor.shutdown() ends the idle workers");
        assertEquals(tasks, pool.getCompletedTaskCount());
        pool.assertNoTaskFailed();
        threads.assertNoDeathLoop(poolSize);
    }

    /** A decorating work queue, as users write for metrics or logging: every call passed on to the ft4j queue. */
    static final class Forwarding extends java.util.AbstractQueue<Runnable> implements BlockingQueue<Runnable> {
        final BlockingQueue<Runnable> d;
        final java.util.concurrent.atomic.AtomicInteger takes = new java.util.concurrent.atomic.AtomicInteger();

        Forwarding(BlockingQueue<Runnable> d) {
            this.d = d;
        }

        @Override public java.util.Iterator<Runnable> iterator() { return d.iterator(); }
        @Override public int size() { return d.size(); }
        @Override public boolean offer(Runnable e) { return d.offer(e); }
        @Override public Runnable poll() { return d.poll(); }
        @Override public Runnable peek() { return d.peek(); }
        @Override public void put(Runnable e) throws InterruptedException { d.put(e); }
        @Override public boolean offer(Runnable e, long t, TimeUnit u) throws InterruptedException { return d.offer(e, t, u); }
        @Override public int remainingCapacity() { return d.remainingCapacity(); }
        @Override public int drainTo(java.util.Collection<? super Runnable> c) { return d.drainTo(c); }
        @Override public int drainTo(java.util.Collection<? super Runnable> c, int n) { return d.drainTo(c, n); }

        @Override
        public Runnable take() throws InterruptedException {
            takes.incrementAndGet();
            return d.take();
        }

        @Override
        public Runnable poll(long t, TimeUnit u) throws InterruptedException {
            takes.incrementAndGet();
            return d.poll(t, u);
        }
    }

    /**
     * (a'') The same through a wrapper that forwards take/poll (metrics, logging): the workers are still recognized
     * and idle instead of dying in a loop. Found by replaying ThreadPoolExecutor set-ups with decorated queues.
     */
    @ParameterizedTest
    @MethodSource("kinds")
    void aForwardingWrapperAroundTheQueueKeepsTheWorkersAlive(Kind kind) throws Exception {
        int poolSize = 2;
        int tasks = 10;
        BlockingQueue<Runnable> q = kind.make().get();
        Forwarding wrapper = new Forwarding(q);
        CountingFactory threads = new CountingFactory();
        CountingHandler handler = new CountingHandler();
        Pool pool = new Pool(poolSize, poolSize, 0L, wrapper, threads, handler);
        runQueuedTasksAcrossAQueueShutdown(kind, q, pool, poolSize, tasks);
        for (Thread w : threads.alive()) {
            Eventually.until(w.getName() + " idle, parked in take()", () -> w.getState() == Thread.State.WAITING);
        }
        assertTrue(wrapper.takes.get() > 0, "the pool fetched its tasks through the wrapper");
        pool.execute(() -> { });
        assertEquals(1, handler.calls.get());
        assertEquals(poolSize, pool.getPoolSize(), "no worker died");
        pool.shutdown();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
        pool.assertNoTaskFailed();
        threads.assertNoDeathLoop(poolSize);
    }

    /**
     * (a') Below its maximum size, a pool hands a task its queue refuses straight to a new worker
     * (ThreadPoolExecutor's own rule); at the maximum, it rejects. The extra worker then idles as well.
     */
    @ParameterizedTest
    @MethodSource("kinds")
    void belowItsMaximumAPoolHandsARefusedTaskToANewWorker(Kind kind) throws Exception {
        BlockingQueue<Runnable> q = kind.make().get();
        CountingFactory threads = new CountingFactory();
        CountingHandler handler = new CountingHandler();
        Pool pool = new Pool(1, 2, 60_000L, q, threads, handler);
        runQueuedTasksAcrossAQueueShutdown(kind, q, pool, 1, 5);
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(ran::countDown);                 // refused by the queue: a second worker runs it
        assertTrue(ran.await(20, TimeUnit.SECONDS));
        assertEquals(0, handler.calls.get());
        pool.execute(() -> { });                      // at the maximum: rejected
        assertEquals(1, handler.calls.get());
        pool.shutdown();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
        pool.assertNoTaskFailed();
        threads.assertNoDeathLoop(2);
    }

    /**
     * (b) A ScheduledThreadPoolExecutor-style load on a ThreadPoolExecutor: chains of tasks that re-submit themselves
     * when they run, while another thread shuts the queue down (gracefully or with shutdownNow) at a random point.
     * Every task submitted is, exactly once, either run, handed back by shutdownNow, or rejected through the handler;
     * none runs twice; the executor terminates after shutdown(); no worker dies.
     */
    @ParameterizedTest
    @MethodSource("kinds")
    void selfResubmittingTasksRacingAQueueShutdownAreRunOnceHandedBackOrRejected(Kind kind) throws Exception {
        for (int round = 0; round < 12; round++) {
            boolean now = round % 2 == 1;
            int core = 2;
            int max = round % 4 < 2 ? 2 : 3;
            new Chains(kind, now, core, max, ThreadLocalRandom.current().nextInt(1, 2_000)).run("round " + round);
        }
    }

    /**
     * One run of self-resubmitting chains racing a queue shutdown. The chains have no length limit: each goes on until
     * a re-submission is refused, so however late the stopper thread gets a CPU, its shutdown ends them.
     */
    static final class Chains {
        final Kind kind;
        final boolean now;
        final int max;
        final int stopAfter;
        final BlockingQueue<Runnable> q;
        final CountingFactory threads = new CountingFactory();
        final CountingHandler handler = new CountingHandler();
        final Pool pool;
        final AtomicInteger nextId = new AtomicInteger();
        /** Task id to how many times it ran. */
        final ConcurrentHashMap<Integer, Integer> runs = new ConcurrentHashMap<>();
        final CountDownLatch threshold;
        final List<Runnable> handedBack = new ArrayList<>();

        Chains(Kind kind, boolean now, int core, int max, int stopAfter) {
            this.kind = kind;
            this.now = now;
            this.max = max;
            this.stopAfter = stopAfter;
            this.q = kind.make().get();
            this.pool = new Pool(core, max, 60_000L, q, threads, handler);
            this.threshold = new CountDownLatch(stopAfter);
        }

        /** A periodic task: runs, then schedules its next execution (as a new task with a new id). */
        final class Periodic implements Runnable {
            final int id;

            Periodic(int id) {
                this.id = id;
            }

            @Override
            public void run() {
                runs.merge(id, 1, Integer::sum);
                threshold.countDown();
                submitNext();
            }
        }

        void submitNext() {
            pool.execute(new Periodic(nextId.getAndIncrement())); // accepted, given a new worker, or rejected
        }

        void run(String round) throws Exception {
            Thread stopper = Thread.ofPlatform().start(() -> {
                await(threshold);
                if (now) {
                    handedBack.addAll(kind.shutdownNow(q));
                } else {
                    kind.shutdown(q);
                }
            });
            for (int i = 0; i < 4; i++) {
                submitNext();
            }
            stopper.join();
            // Chains end at their first refused re-submission; the executor's shutdown would end any left.
            pool.shutdown();
            assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS), round + ": the executor terminates");

            int n = nextId.get();
            Set<Integer> back = ConcurrentHashMap.newKeySet();
            for (Runnable r : handedBack) {
                assertTrue(back.add(((Periodic) r).id), round + ": handed back twice");
            }
            Set<Integer> rejected = ConcurrentHashMap.newKeySet();
            for (Runnable r : handler.rejected) {
                rejected.add(((Periodic) r).id);
            }
            assertEquals(handler.calls.get(), rejected.size(), round + ": a task rejected twice");
            int ran = 0;
            for (int id = 0; id < n; id++) {
                int r = runs.getOrDefault(id, 0);
                assertTrue(r <= 1, round + ": task " + id + " ran " + r + " times");
                int fates = r + (back.contains(id) ? 1 : 0) + (rejected.contains(id) ? 1 : 0);
                assertEquals(1, fates, round + ": task " + id + " ran " + r + " time(s), handed back "
                        + back.contains(id) + ", rejected " + rejected.contains(id));
                ran += r;
            }
            assertEquals(n, ran + back.size() + rejected.size(), round + ": ids outside [0, " + n + ")");
            assertTrue(ran >= stopAfter, round + ": the shutdown came after " + stopAfter + " runs");
            assertEquals(4, rejected.size() + back.size(), round + ": each of the 4 chains ended once, by a "
                    + "rejection or a hand-back");
            pool.assertNoTaskFailed();
            threads.assertNoDeathLoop(max);
        }
    }

    /**
     * (c) Keep-alive workers (allowCoreThreadTimeOut) fetch with poll(timeout): on a shut-down, drained queue that
     * poll waits its timeout instead of throwing. With a long keep-alive the workers idle in it, rejections go
     * through the handler and executor.shutdown() ends them, as in (a).
     */
    @ParameterizedTest
    @MethodSource("kinds")
    void keepAliveWorkersIdleInTimedPollOnAShutDownQueue(Kind kind) throws Exception {
        int poolSize = 2;
        BlockingQueue<Runnable> q = kind.make().get();
        CountingFactory threads = new CountingFactory();
        CountingHandler handler = new CountingHandler();
        Pool pool = new Pool(poolSize, poolSize, 60_000L, q, threads, handler);
        pool.allowCoreThreadTimeOut(true);
        runQueuedTasksAcrossAQueueShutdown(kind, q, pool, poolSize, 10);
        for (Thread w : threads.alive()) {
            Eventually.until(w.getName() + " idle in poll(timeout)",
                    () -> w.getState() == Thread.State.TIMED_WAITING);
        }
        for (int i = 0; i < 100; i++) {
            pool.execute(() -> { });
        }
        assertEquals(100, handler.calls.get());
        assertEquals(poolSize, pool.getPoolSize(), "no worker died");
        pool.shutdown();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
        assertEquals(10, pool.getCompletedTaskCount());
        pool.assertNoTaskFailed();
        threads.assertNoDeathLoop(poolSize);
    }

    /**
     * (c') With a short keep-alive, poll(timeout) on the shut-down queue returns null when the timeout passes, so the
     * workers retire normally, none replaced; a task submitted to the empty pool then goes straight to a new worker
     * (below the core size, ThreadPoolExecutor does not offer to the queue).
     */
    @ParameterizedTest
    @MethodSource("kinds")
    void keepAliveWorkersRetireNormallyOnAShutDownQueue(Kind kind) throws Exception {
        int poolSize = 2;
        BlockingQueue<Runnable> q = kind.make().get();
        CountingFactory threads = new CountingFactory();
        CountingHandler handler = new CountingHandler();
        Pool pool = new Pool(poolSize, poolSize, 20L, q, threads, handler);
        pool.allowCoreThreadTimeOut(true);
        runQueuedTasksAcrossAQueueShutdown(kind, q, pool, poolSize, 10);
        Eventually.until("the idle workers to time out", () -> pool.getPoolSize() == 0);
        for (Thread w : threads.created) {
            w.join(TimeUnit.SECONDS.toMillis(10));
        }
        threads.assertNoDeathLoop(poolSize);
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(ran::countDown);
        assertTrue(ran.await(20, TimeUnit.SECONDS));
        assertEquals(0, handler.calls.get());
        pool.shutdown();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
        pool.assertNoTaskFailed();
        threads.assertNoDeathLoop(poolSize + 1);
    }

    /**
     * (d) Every other consumer still learns the end from ShutDownException: the test thread, a thread blocked in
     * take() or poll(timeout) when the shutdown comes, and a task running in a pool that takes from the queue itself
     * (only the pool's own fetch of its next task is exempt).
     */
    @ParameterizedTest
    @MethodSource("kinds")
    void ordinaryConsumersStillGetShutDownException(Kind kind) throws Exception {
        BlockingQueue<Runnable> q = kind.make().get();
        Runnable x = () -> { };
        assertTrue(q.offer(x));
        kind.shutdown(q);
        assertEquals(x, q.take(), "drains what is queued");
        assertThrows(ShutDownException.class, q::take);
        long t0 = System.nanoTime();
        assertThrows(ShutDownException.class, () -> q.poll(30, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20), "at once, not after the timeout");
        assertNull(q.poll());

        BlockingQueue<Runnable> r = kind.make().get();
        Blocked taker = Blocked.start(r::take);
        Blocked poller = Blocked.start(() -> r.poll(30, TimeUnit.SECONDS));
        kind.shutdown(r);
        assertInstanceOf(ShutDownException.class, taker.outcome());
        assertInstanceOf(ShutDownException.class, poller.outcome());

        ThreadPoolExecutor other = new ThreadPoolExecutor(2, 2, 0L, TimeUnit.MILLISECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>());
        try {
            Future<Runnable> take = other.submit(r::take);
            Future<Runnable> poll = other.submit(() -> r.poll(30, TimeUnit.SECONDS));
            assertInstanceOf(ShutDownException.class, assertThrows(ExecutionException.class, take::get).getCause());
            assertInstanceOf(ShutDownException.class, assertThrows(ExecutionException.class, poll::get).getCause());
            other.execute(() -> {
                try {
                    r.take();
                    throw new AssertionError("take returned on a shut-down, drained queue");
                } catch (ShutDownException expected) {
                    // a task that consumes the queue itself is an ordinary consumer
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
        } finally {
            other.shutdown();
            assertTrue(other.awaitTermination(20, TimeUnit.SECONDS));
        }
        assertEquals(3, other.getCompletedTaskCount());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("latch never opened");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
