package io.ft4j.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.atomic.PaddedAtomicLong;
import io.ft4j.testing.Race;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class BatchExecutorTest {

    @Test
    void singleThreadGetsTheSourceSequenceInOrder() {
        PaddedAtomicLong source = new PaddedAtomicLong();
        BatchExecutor<Long> b = new BatchExecutor<>(source::incrementAndGet, 8);
        for (long i = 1; i <= 100; i++) {
            assertEquals(i, b.load());
        }
        assertEquals(104L, source.get(), "the source ran in whole batches of 8");
    }

    /** Scenario 10, at much higher counts: every produced result is loaded exactly once, under heavy contention. */
    @Test
    void everyResultIsLoadedExactlyOnce() throws Exception {
        for (int size : new int[] {1, 8, 1000}) {
            PaddedAtomicLong source = new PaddedAtomicLong();
            BatchExecutor<Long> b = new BatchExecutor<>(source::incrementAndGet, size);
            int threads = 8;
            int perThread = 100_000;
            long[][] got = new long[threads][perThread];
            Race.race(threads, t -> {
                for (int i = 0; i < perThread; i++) {
                    got[t][i] = b.load();
                }
            });
            Set<Long> all = new HashSet<>();
            for (long[] row : got) {
                long prev = 0;
                for (long v : row) {
                    assertTrue(all.add(v), "result " + v + " loaded twice (size " + size + ")");
                    assertTrue(v > prev, "one thread saw results out of production order");
                    prev = v;
                }
            }
            long loaded = (long) threads * perThread;
            long produced = source.get();
            assertTrue(produced >= loaded && produced < loaded + size, "produced " + produced);
            for (long v = 1; v <= loaded - size; v++) {
                assertTrue(all.contains(v), "result " + v + " was produced but never loaded");
            }
        }
    }

    @Test
    void theSourceRunsOnOneThreadAtATime() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        BatchExecutor<Integer> b = new BatchExecutor<>(() -> {
            int n = inside.incrementAndGet();
            maxInside.accumulateAndGet(n, Math::max);
            inside.decrementAndGet();
            return n;
        }, 4);
        Race.race(8, t -> {
            for (int i = 0; i < 20_000; i++) {
                b.load();
            }
        });
        assertEquals(1, maxInside.get());
    }

    @Test
    void aSourceFailureGoesToItsCallerThenEveryLaterLoadFailsAfterTheProducedResultsAreHandedOut() {
        PaddedAtomicLong calls = new PaddedAtomicLong();
        RuntimeException boom = new RuntimeException("source broke");
        BatchExecutor<Long> b = new BatchExecutor<>(() -> {
            long n = calls.incrementAndGet();
            if (n == 7) {
                throw boom;
            }
            return n;
        }, 4);
        assertEquals(1L, b.load());
        assertEquals(2L, b.load());
        assertEquals(3L, b.load());
        assertEquals(4L, b.load());
        assertSame(boom, assertThrows(RuntimeException.class, b::load), "the refilling caller gets the source's exception");
        assertTrue(b.isFailed());
        assertEquals(5L, b.load(), "results produced before the failure are not lost");
        assertEquals(6L, b.load());
        IllegalStateException later = assertThrows(IllegalStateException.class, b::load);
        assertSame(boom, later.getCause());
        assertThrows(IllegalStateException.class, b::load);
        assertEquals(7L, calls.get(), "the source is never called again");
    }

    @Test
    void nullResultsAreDeliveredLikeAnyOther() {
        BatchExecutor<String> b = new BatchExecutor<>(() -> null, 3);
        assertEquals(null, b.load());
        assertFalse(b.isFailed());
    }

    @Test
    void badArgumentsAreRefusedAtConstruction() {
        assertThrows(NullPointerException.class, () -> new BatchExecutor<>(null, 4));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BatchExecutor<>(() -> 1, 0))
                .getMessage().contains("size: 0"));
    }

    @Test
    void concurrentFailureStillHandsOutEveryProducedResultOnce() throws Exception {
        PaddedAtomicLong calls = new PaddedAtomicLong();
        BatchExecutor<Long> b = new BatchExecutor<>(() -> {
            long n = calls.incrementAndGet();
            if (n == 50_001) {
                throw new IllegalStateException("boom");
            }
            return n;
        }, 16);
        Set<Long> got = ConcurrentHashMap.newKeySet();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        Race.race(4, t -> {
            while (true) {
                try {
                    assertTrue(got.add(b.load()), "loaded twice");
                } catch (IllegalStateException e) {
                    errors.add(e);
                    if (e.getCause() != null) {
                        return;
                    }
                }
            }
        });
        assertEquals(50_000, got.size());
        List<Long> sorted = new ArrayList<>(got);
        sorted.sort(null);
        assertEquals(1L, sorted.get(0));
        assertEquals(50_000L, sorted.get(sorted.size() - 1));
    }
}
