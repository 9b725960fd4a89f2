package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.testing.Eventually;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Some threads erase all their thread-locals between tasks: ForkJoinPool.commonPool()'s workers, and any
 * ForkJoinWorkerThread built with preserveThreadLocals = false (the pool clears them each time the worker goes idle).
 * ThreadExit must still keep one list of actions, and one watcher, per thread.
 */
@Timeout(60)
class ThreadExitErasedThreadLocalsTest {
    private static final int TASKS = 300;

    /**
     * A dedicated pool of one worker that erases its thread-locals, so that the worker can be made to end: each task
     * registers an action; the worker keeps one list throughout, and when it ends all the actions run once, in
     * registration order.
     */
    @Test
    void aWorkerThatErasesItsThreadLocalsKeepsOneListAndRunsAllItsActionsInOrder() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(1, p -> new ForkJoinWorkerThread(null, p, false) {}, null, false);
        ThreadLocal<Boolean> marker = new ThreadLocal<>();
        AtomicInteger erasures = new AtomicInteger();
        Set<Object> lists = Collections.newSetFromMap(new IdentityHashMap<>());
        AtomicReference<Thread> worker = new AtomicReference<>();
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch allRan = new CountDownLatch(TASKS);
        try {
            for (int i = 0; i < TASKS; i++) {
                int id = i;
                pool.submit(() -> {
                    Thread self = Thread.currentThread();
                    assertTrue(worker.compareAndSet(null, self) || worker.get() == self, "one worker");
                    if (id > 0 && marker.get() == null) {
                        erasures.incrementAndGet();
                    }
                    marker.set(Boolean.TRUE);
                    ThreadExit.register(() -> {
                        ran.add(id);
                        allRan.countDown();
                    });
                    lists.add(ThreadExit.watchedActionsOf(self));
                }).get(); // one task at a time: between two, the worker goes idle and its thread-locals are erased
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "the worker ended");
        assertTrue(erasures.get() > 0, "the worker's thread-locals were erased between tasks");
        assertEquals(1, lists.size(), "one list of actions (so one watcher) for the worker, across "
                + erasures.get() + " erasures");
        assertNotNull(lists.iterator().next());
        assertTrue(allRan.await(10, TimeUnit.SECONDS), "all actions ran: " + ran.size() + " of " + TASKS);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            expected.add(i);
        }
        assertEquals(expected, ran, "once each, in registration order");
        Thread w = worker.get();
        Eventually.until("the ended worker is forgotten", () -> ThreadExit.watchedActionsOf(w) == null);
    }

    /** The common pool's workers erase their thread-locals after each task too; each keeps one list all the same. */
    @Test
    void commonPoolWorkersKeepOneListEach() throws Exception {
        Map<Thread, Set<Object>> listsByThread = new ConcurrentHashMap<>();
        for (int i = 0; i < TASKS; i++) {
            ForkJoinPool.commonPool().submit(() -> {
                Thread self = Thread.currentThread();
                ThreadExit.Registration r = ThreadExit.register(() -> { });
                listsByThread.computeIfAbsent(self, k -> Collections.newSetFromMap(new IdentityHashMap<>()))
                        .add(ThreadExit.watchedActionsOf(self));
                assertTrue(r.unregister()); // nothing left to run while the common pool lives on
            }).get();
        }
        assertTrue(!listsByThread.isEmpty());
        listsByThread.forEach((thread, lists) -> assertEquals(1, lists.size(), thread + " had " + lists.size()
                + " lists"));
    }
}
