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
}
