package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.testing.Collected;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(120)
class CleanableThreadLocalTest {
    private static final int CYCLES = 400;
    private static final int VALUE_BYTES = 256 * 1024;

    /** The two ways a thread's values are cleaned at exit: by the thread itself, or by ft4j's watcher. */
    enum Kind {
        CONTROLLED(task -> new ThreadBuilder().name("long-lived-controlled").start(task)),
        PLAIN(task -> Thread.ofPlatform().name("long-lived-plain").start(task));

        final Function<Runnable, Thread> start;

        Kind(Function<Runnable, Thread> start) {
            this.start = start;
        }
    }

    /**
     * A pool worker lives as long as the process: values it removed (400 x 256 KiB here) must not stay reachable
     * until it ends. Checked while the thread is still alive, parked on a latch.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void removedValuesBecomeGarbageWhileTheThreadLives(Kind kind) throws Exception {
        AtomicInteger cleaned = new AtomicInteger();
        CleanableThreadLocal<byte[]> local = CleanableThreadLocal.withInitial(
                () -> new byte[VALUE_BYTES], v -> cleaned.incrementAndGet());
        List<WeakReference<byte[]>> values = new CopyOnWriteArrayList<>();
        CountDownLatch cycled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = kind.start.apply(() -> {
            try {
                cycle(local, values);
                cycled.countDown();
                release.await();
            } catch (Throwable t) {
                failure.set(t);
                cycled.countDown();
            }
        });
        try {
            cycled.await();
            assertEquals(null, failure.get());
            assertEquals(CYCLES, values.size());
            assertEquals(CYCLES, cleaned.get(), "each removed value cleaned once, at remove");
            Collected.all("removed values", values);
            assertTrue(worker.isAlive(), "checked while the thread lives");
        } finally {
            release.countDown();
            worker.join();
        }
        assertEquals(CYCLES, cleaned.get(), "nothing left to clean at exit");
    }

    /** In its own frame, so that no local of the worker's run method can hold the last value. */
    private static void cycle(CleanableThreadLocal<byte[]> local, List<WeakReference<byte[]>> values) {
        for (int i = 0; i < CYCLES; i++) {
            byte[] v = local.get();
            v[i % VALUE_BYTES] = 1;
            values.add(new WeakReference<>(v));
            local.remove();
            assertFalse(local.isPresent());
        }
    }

    /** The value present when the thread ends is still cleaned, once, after many remove cycles. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void theLastValueIsCleanedAtExitAfterManyCycles(Kind kind) throws Exception {
        List<Integer> cleaned = new CopyOnWriteArrayList<>();
        CountDownLatch exitCleaned = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        CleanableThreadLocal<Integer> local = CleanableThreadLocal.withInitial(made::incrementAndGet, v -> {
            cleaned.add(v);
            if (v == 1_001) {
                exitCleaned.countDown();
            }
        });
        Thread t = kind.start.apply(() -> {
            for (int i = 0; i < 1_000; i++) {
                local.get();
                local.remove();
            }
            local.get(); // value 1001: cleaned when the thread ends
        });
        t.join();
        exitCleaned.await();
        assertEquals(1_001, cleaned.size());
        for (int i = 0; i < 1_001; i++) {
            assertEquals(i + 1, cleaned.get(i), "cleaned in creation order, each once");
        }
    }

    /** A value that knows whether its cleanup has run. */
    private static final class Value {
        final int id;
        volatile boolean cleaned;

        Value(int id) {
            this.id = id;
        }
    }

    /**
     * On a ControlledThread the exit cleanup runs on the thread itself: an exit action registered after it that calls
     * get() gets a fresh value, not the cleaned one, and that value is cleaned too before the thread terminates.
     */
    @Test
    void getFromALaterExitActionMakesAFreshValueThatIsCleanedToo() throws Exception {
        AtomicInteger made = new AtomicInteger();
        List<Integer> cleaned = new CopyOnWriteArrayList<>();
        CleanableThreadLocal<Value> local = CleanableThreadLocal.withInitial(() -> new Value(made.incrementAndGet()),
                v -> {
                    v.cleaned = true;
                    cleaned.add(v.id);
                });
        AtomicReference<String> seen = new AtomicReference<>("the action did not run");
        Thread t = new ThreadBuilder().start(() -> {
            local.get(); // value 1, its cleanup registered first
            ThreadExit.register(() -> {
                boolean present = local.isPresent();
                Value v = local.get();
                seen.set("present " + present + ", value " + v.id + ", cleaned " + v.cleaned + ", present after get "
                        + local.isPresent());
            });
        });
        t.join(); // the exit actions, and the cleanups they caused, ran on the thread before it terminated
        assertEquals("present false, value 2, cleaned false, present after get true", seen.get());
        assertEquals(List.of(1, 2), cleaned);
    }

    /**
     * A cleanup that calls get() gets a fresh value, never the one being cleaned; the fresh one is cleaned in turn,
     * each value once.
     */
    @Test
    void getFromTheExitCleanupItselfMakesAFreshValue() throws Exception {
        AtomicInteger made = new AtomicInteger();
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicReference<CleanableThreadLocal<Value>> self = new AtomicReference<>();
        CleanableThreadLocal<Value> local = CleanableThreadLocal.withInitial(() -> new Value(made.incrementAndGet()),
                v -> {
                    log.add("clean " + v.id + (v.cleaned ? " again" : ""));
                    v.cleaned = true;
                    if (v.id < 3) { // each of the first two cleanups asks for a value once more
                        Value next = self.get().get();
                        log.add("got " + next.id + (next == v ? " (the one being cleaned)" : ""));
                    }
                });
        self.set(local);
        Thread t = new ThreadBuilder().start(local::get);
        t.join();
        assertEquals(List.of("clean 1", "got 2", "clean 2", "got 3", "clean 3"), log);
    }
}
