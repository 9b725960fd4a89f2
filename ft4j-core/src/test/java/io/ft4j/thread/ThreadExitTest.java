package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ThreadExitTest {
    private static final int THREADS = 16;

    /** What each thread's actions recorded, in the order they ran. */
    private final Map<String, List<Integer>> ran = new ConcurrentHashMap<>();

    private Runnable record(String thread, int i) {
        return () -> ran.computeIfAbsent(thread, k -> new CopyOnWriteArrayList<>()).add(i);
    }

    @Test
    void ft4jThreadsRunTheirActionsInOrderOnceBeforeTheyTerminate() throws Exception {
        List<Thread> threads = new ArrayList<>();
        Map<String, Thread> ranOn = new ConcurrentHashMap<>();
        ThreadBuilder builder = new ThreadBuilder().name("exit-", 0);
        for (int t = 0; t < THREADS; t++) {
            threads.add(builder.start(() -> {
                String me = Thread.currentThread().getName();
                for (int i = 0; i < 5; i++) {
                    ThreadExit.register(record(me, i));
                }
                ThreadExit.register(() -> ranOn.put(me, Thread.currentThread()));
            }));
        }
        for (Thread t : threads) {
            t.join(); // no waiting beyond join: the actions ran on the thread itself, before it terminated
        }
        for (Thread t : threads) {
            assertEquals(List.of(0, 1, 2, 3, 4), ran.get(t.getName()), t.getName());
            assertSame(t, ranOn.get(t.getName()));
        }
    }

    @Test
    void foreignThreadsRunTheirActionsInOrderOnceSoonAfterTheyEnd() throws Exception {
        CountDownLatch allDone = new CountDownLatch(THREADS);
        Map<String, Long> endedAt = new ConcurrentHashMap<>();
        Map<String, Long> delays = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            threads.add(Thread.ofPlatform().name("foreign-" + t).start(() -> {
                String me = Thread.currentThread().getName();
                for (int i = 0; i < 5; i++) {
                    ThreadExit.register(record(me, i));
                }
                ThreadExit.register(() -> {
                    delays.put(me, System.nanoTime() - endedAt.get(me));
                    allDone.countDown();
                });
                endedAt.put(me, System.nanoTime());
            }));
        }
        assertTrue(allDone.await(10, TimeUnit.SECONDS), "every foreign thread's actions ran");
        for (Thread t : threads) {
            assertFalse(t.isAlive());
            assertEquals(List.of(0, 1, 2, 3, 4), ran.get(t.getName()), t.getName());
        }
        long worst = delays.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(worst < TimeUnit.MILLISECONDS.toNanos(100), "worst delay " + worst / 1_000 + " us");
    }

    @Test
    void unregisteredActionsDoNotRunAndUnregisterAnswersOnce() throws Exception {
        ThreadExit.Registration[] keep = new ThreadExit.Registration[2];
        boolean[] answers = new boolean[2];
        Thread t = new ThreadBuilder().start(() -> {
            keep[0] = ThreadExit.register(record("u", 0));
            ThreadExit.Registration dropped = ThreadExit.register(record("u", 1));
            keep[1] = ThreadExit.register(record("u", 2));
            answers[0] = dropped.unregister();
            answers[1] = dropped.unregister();
        });
        t.join();
        assertTrue(answers[0]);
        assertFalse(answers[1], "a second unregister reports it was already withdrawn");
        assertEquals(List.of(0, 2), ran.get("u"));
        assertFalse(keep[0].unregister(), "an action that ran cannot be withdrawn");
    }

    @Test
    void aThrowingActionDoesNotStopTheOthersAndIsReported() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Thread t = new ThreadBuilder().uncaughtExceptionHandler((th, e) -> reported.add(e)).start(() -> {
            ThreadExit.register(record("x", 0));
            ThreadExit.register(() -> {
                throw new IllegalStateException("boom");
            });
            ThreadExit.register(record("x", 2));
        });
        t.join();
        assertEquals(List.of(0, 2), ran.get("x"));
        assertEquals(1, reported.size());
        assertEquals("boom", reported.get(0).getMessage());
    }

    @Test
    void actionsRunEvenWhenTheTaskThrows() throws Exception {
        Thread t = new ThreadBuilder().uncaughtExceptionHandler((th, e) -> { }).unstarted(() -> {
            ThreadExit.register(record("thrower", 0));
            throw new RuntimeException("task failed");
        });
        t.start();
        t.join();
        assertEquals(List.of(0), ran.get("thrower"));
    }

    @Test
    void nullIsRejected() {
        assertThrows(NullPointerException.class, () -> ThreadExit.register(null));
    }

    @Test
    void cleanableThreadLocalCleansEachThreadsValueOnceAtExitOrOnRemove() throws Exception {
        List<String> cleaned = new CopyOnWriteArrayList<>();
        CleanableThreadLocal<String> local = CleanableThreadLocal.withInitial(
                () -> "value-of-" + Thread.currentThread().getName(), cleaned::add);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            threads.add(new ThreadBuilder().name("local-", 0).start(() -> {
                assertFalse(local.isPresent());
                String v = local.get();
                assertSame(v, local.get());
                assertTrue(local.isPresent());
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(12, cleaned.size());
        for (Thread t : threads) {
            assertTrue(cleaned.contains("value-of-" + t.getName()));
        }

        cleaned.clear();
        Thread t = new ThreadBuilder().name("removes").start(() -> {
            local.get();
            local.remove();
            assertEquals(1, cleaned.size(), "remove cleans up at once");
            assertFalse(local.isPresent());
            local.get(); // a fresh value, cleaned at exit
        });
        t.join();
        assertEquals(List.of("value-of-removes", "value-of-removes"), cleaned);
    }
}
