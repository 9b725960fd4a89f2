package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.testing.Collected;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ThreadExit keeps an action, and its record of it, only until the action runs or is withdrawn. */
@Timeout(120)
class ThreadExitRetentionTest {
    private static final int CYCLES = 400;
    private static final int VALUE_BYTES = 256 * 1024;

    private final List<WeakReference<Object>> values = new CopyOnWriteArrayList<>();
    private final List<WeakReference<Object>> registrations = new CopyOnWriteArrayList<>();
    private final AtomicInteger ran = new AtomicInteger();

    /** Registers an action holding a fresh 256 KiB value; remembers the value and the handle weakly. */
    private ThreadExit.Registration registerBigAction() {
        byte[] value = new byte[VALUE_BYTES];
        ThreadExit.Registration r = ThreadExit.register(() -> ran.addAndGet(value.length > 0 ? 1 : 0));
        values.add(new WeakReference<>(value));
        registrations.add(new WeakReference<>(r));
        return r;
    }

    private void registerAndWithdraw(int cycles) {
        for (int i = 0; i < cycles; i++) {
            assertTrue(registerBigAction().unregister());
        }
    }

    @Test
    void withdrawnActionsAndTheirHandlesBecomeGarbageWhileTheThreadLives() throws Exception {
        CountDownLatch cycled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = Thread.ofPlatform().name("long-lived").start(() -> {
            try {
                registerAndWithdraw(CYCLES);
            } catch (Throwable t) {
                failure.set(t);
            }
            cycled.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                failure.set(e);
            }
        });
        try {
            cycled.await();
            assertNull(failure.get());
            Collected.all("withdrawn actions' values", values);
            Collected.all("withdrawn registrations", registrations);
            assertTrue(worker.isAlive(), "checked while the thread lives");
        } finally {
            release.countDown();
            worker.join();
        }
        assertEquals(0, ran.get(), "no withdrawn action ran");
    }

    @Test
    void actionsWithdrawnByAnotherThreadBecomeGarbageWhileTheOwnerLives() throws Exception {
        ArrayBlockingQueue<ThreadExit.Registration> handOff = new ArrayBlockingQueue<>(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new ThreadBuilder().name("long-lived-owner").start(() -> {
            try {
                for (int i = 0; i < CYCLES; i++) {
                    handOff.put(registerBigAction());
                }
                release.await();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try {
            for (int i = 0; i < CYCLES; i++) {
                assertTrue(handOff.take().unregister());
            }
            Collected.all("values of actions withdrawn by another thread", values);
            Collected.all("registrations withdrawn by another thread", registrations);
            assertTrue(worker.isAlive(), "checked while the owner lives");
        } finally {
            release.countDown();
            worker.join();
        }
        assertNull(failure.get());
        assertEquals(0, ran.get(), "no withdrawn action ran");
    }

    /**
     * While a ControlledThread runs its actions, the ones that already ran are garbage: checked by its last action,
     * on the thread itself.
     */
    @Test
    void actionsThatRanBecomeGarbageBeforeTheRunEnds() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger seenBefore = new AtomicInteger(-1);
        Thread worker = new ThreadBuilder().name("runs-its-actions").start(() -> {
            for (int i = 0; i < CYCLES; i++) {
                registerBigAction();
            }
            ThreadExit.register(() -> {
                try {
                    seenBefore.set(ran.get());
                    Collected.all("values of actions that ran", values);
                    Collected.all("registrations of actions that ran", registrations);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        });
        worker.join();
        assertEquals(CYCLES, seenBefore.get(), "the checking action ran last");
        assertNull(failure.get());
        assertFalse(worker.isAlive());
    }

    /** A handle kept after its action ran or was withdrawn does not keep the registering thread reachable. */
    @Test
    void keptRegistrationsDoNotKeepTheirThreadsReachable() throws Exception {
        List<ThreadExit.Registration> kept = new CopyOnWriteArrayList<>();
        List<WeakReference<Thread>> threads = new CopyOnWriteArrayList<>();
        CountDownLatch controlledRan = new CountDownLatch(1);
        Runnable task = () -> {
            kept.add(ThreadExit.register(() -> { }));
            ThreadExit.Registration withdrawn = ThreadExit.register(() -> { });
            assertTrue(withdrawn.unregister());
            kept.add(withdrawn);
            kept.add(ThreadExit.register(controlledRan::countDown)); // runs last
        };
        Thread controlled = new ThreadBuilder().name("controlled-owner").start(task);
        threads.add(new WeakReference<>(controlled));
        controlled.join();
        controlled = null;
        assertEquals(0, controlledRan.getCount(), "a ControlledThread runs its actions before it terminates");
        CountDownLatch watchedRan = new CountDownLatch(1);
        Thread plain = Thread.ofPlatform().name("plain-owner").start(() -> {
            ThreadExit.Registration withdrawn = ThreadExit.register(() -> { });
            assertTrue(withdrawn.unregister());
            kept.add(withdrawn);
            kept.add(ThreadExit.register(watchedRan::countDown));
        });
        threads.add(new WeakReference<>(plain));
        plain = null;
        assertTrue(watchedRan.await(10, TimeUnit.SECONDS), "the watcher ran the plain thread's action");
        Collected.all("terminated threads whose registrations are kept", threads);
        assertEquals(5, kept.size());
        for (ThreadExit.Registration r : kept) {
            assertFalse(r.unregister(), "ran or already withdrawn");
        }
    }
}
