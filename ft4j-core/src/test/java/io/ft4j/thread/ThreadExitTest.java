package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

    /** Who runs the actions: the thread itself (built by ThreadBuilder), or ft4j's watcher (any other thread). */
    enum Kind {
        CONTROLLED(task -> new ThreadBuilder().name("controlled").start(task)),
        PLAIN(task -> Thread.ofPlatform().name("plain").start(task));

        final Function<Runnable, Thread> start;

        Kind(Function<Runnable, Thread> start) {
            this.start = start;
        }
    }

    /**
     * Thousands of registrations withdrawn from the head, the middle and the tail of the pending ones, in random order:
     * the survivors run at exit, once each, in registration order.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void survivorsOfManyRegisterUnregisterCyclesRunOnceInOrder(Kind kind) throws Exception {
        List<Integer> ranHere = new CopyOnWriteArrayList<>();
        List<Integer> survivors = new ArrayList<>();
        CountDownLatch finished = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = kind.start.apply(() -> {
            try {
                Random random = new Random(42);
                Map<Integer, ThreadExit.Registration> pending = new LinkedHashMap<>();
                for (int i = 0; i < 5_000; i++) {
                    if (pending.isEmpty() || random.nextInt(3) != 0) {
                        int id = i;
                        pending.put(id, ThreadExit.register(() -> ranHere.add(id)));
                    } else {
                        List<Integer> ids = new ArrayList<>(pending.keySet());
                        int victim = ids.get(random.nextInt(ids.size()));
                        ThreadExit.Registration r = pending.remove(victim);
                        assertTrue(r.unregister(), "first withdrawal of " + victim);
                        assertFalse(r.unregister(), "second withdrawal of " + victim);
                    }
                }
                survivors.addAll(pending.keySet());
            } catch (Throwable e) {
                failure.set(e);
            }
            ThreadExit.register(finished::countDown);
        });
        t.join();
        assertTrue(finished.await(10, TimeUnit.SECONDS), "the last action ran");
        assertEquals(null, failure.get());
        assertTrue(survivors.size() > 1_000, "most registrations survive: " + survivors.size());
        assertEquals(survivors, ranHere);
    }

    /**
     * Another thread withdraws a thread's actions while the thread ends and its actions run first to last. The
     * withdrawing thread goes first to last or last to first, and starts as the owner ends or once the first action
     * has run (a watcher starts a little after the owner ends). Each action either ran or was withdrawn, never both
     * and never neither, and those that ran ran in order.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void unregisterRacingWithTheExitRunDecidesEachActionOnce(Kind kind) throws Exception {
        int actions = 512;
        int mixedRounds = 0;
        for (int round = 0; round < 100; round++) {
            boolean forward = round % 2 == 0;
            boolean afterFirstRan = round % 4 >= 2;
            AtomicIntegerArray runs = new AtomicIntegerArray(actions);
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            boolean[] withdrawn = new boolean[actions];
            ThreadExit.Registration[] handles = new ThreadExit.Registration[actions];
            AtomicBoolean go = new AtomicBoolean();
            CountDownLatch finished = new CountDownLatch(1);
            // Spins rather than parks, so that it starts withdrawing at once, not a wake-up later.
            Thread racer = Thread.ofPlatform().start(() -> {
                while (!go.get() || afterFirstRan && runs.get(0) == 0) {
                    Thread.onSpinWait();
                }
                for (int k = 0; k < actions; k++) {
                    int i = forward ? k : actions - 1 - k;
                    withdrawn[i] = handles[i].unregister();
                }
            });
            Thread owner = kind.start.apply(() -> {
                for (int i = 0; i < actions; i++) {
                    int id = i;
                    handles[i] = ThreadExit.register(() -> {
                        runs.incrementAndGet(id);
                        order.add(id);
                    });
                }
                ThreadExit.register(finished::countDown); // never withdrawn: runs after every decision above
                go.set(true); // the owner ends right after this
            });
            owner.join();
            racer.join();
            assertTrue(finished.await(10, TimeUnit.SECONDS), "round " + round + ": the last action ran");
            int ran = 0;
            for (int i = 0; i < actions; i++) {
                assertEquals(1, runs.get(i) + (withdrawn[i] ? 1 : 0),
                        "round " + round + ", action " + i + ": ran " + runs.get(i) + " time(s), withdrawn "
                                + withdrawn[i]);
                ran += runs.get(i);
            }
            for (int i = 1; i < order.size(); i++) {
                assertTrue(order.get(i - 1) < order.get(i), "round " + round + ": out of order at " + i);
            }
            if (ran > 0 && ran < actions) {
                mixedRounds++;
            }
        }
        // Not asserted: how often the two threads overlap depends on the scheduler. Printed for whoever tunes this.
        System.out.println(kind + ": " + mixedRounds + " of 100 rounds had both ran and withdrawn actions");
    }

    /** On a ControlledThread, an action registered by an exit action runs too, after those registered before it. */
    @Test
    void actionsRegisteredByExitActionsRunOnTheThreadInOrder() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        Thread t = new ThreadBuilder().name("nested").start(() -> {
            ThreadExit.register(() -> {
                order.add("a");
                ranOn.add(Thread.currentThread());
                ThreadExit.register(() -> {
                    order.add("c");
                    ranOn.add(Thread.currentThread());
                    ThreadExit.register(() -> {
                        order.add("d");
                        ranOn.add(Thread.currentThread());
                    });
                });
            });
            ThreadExit.register(() -> {
                order.add("b");
                ranOn.add(Thread.currentThread());
            });
        });
        t.join(); // the nested ones ran before the thread terminated
        assertEquals(List.of("a", "b", "c", "d"), order);
        assertEquals(List.of(t, t, t, t), ranOn);
    }

    /** On any other thread, an action registered by an exit action (on ft4j's watcher) still runs. */
    @Test
    void anActionRegisteredByAWatchedExitActionRuns() throws Exception {
        CountDownLatch nestedRan = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> ThreadExit.register(() -> ThreadExit.register(nestedRan::countDown)));
        t.join();
        assertTrue(nestedRan.await(10, TimeUnit.SECONDS), "the action registered at exit ran");
    }
}
