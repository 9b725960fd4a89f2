package io.ft4j.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.testing.Eventually;
import io.ft4j.testing.Race;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ConcurrentGatheringIteratorTest {

    /** Scenario 9, larger: 10 producers insert disjoint, shuffled key ranges; the consumer reads 0..n-1 in order. */
    @Test
    void producersInAnyOrderConsumerInKeyOrder() throws Exception {
        for (int round = 0; round < 5; round++) {
            ConcurrentGatheringIterator<Long> g = new ConcurrentGatheringIterator<>();
            int producers = 10;
            int perProducer = 2_000;
            int n = producers * perProducer;
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int from = p;
                threads.add(Thread.ofPlatform().start(() -> {
                    // Interleaved ranges, inserted backwards: the consumer's next key is usually the last to arrive.
                    for (int k = n - producers + from; k >= 0; k -= producers) {
                        g.insert(k, (long) k * k);
                    }
                }));
            }
            Iterator<Long> it = g.iterator(n - 1);
            for (long k = 0; k < n; k++) {
                assertTrue(it.hasNext());
                assertEquals(k * k, it.next());
            }
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    /** Scenario 9's second half: a consumer blocked before the first insert wakes when it arrives. */
    @Test
    void aConsumerBlockedBeforeTheFirstInsertWakesUp() throws Exception {
        ConcurrentGatheringIterator<String> g = new ConcurrentGatheringIterator<>();
        AtomicReference<String> got = new AtomicReference<>();
        Thread consumer = Thread.ofPlatform().start(() -> got.set(g.iterator(0).next()));
        awaitWaiting(consumer);
        g.insert(0, "zero");
        consumer.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(consumer.isAlive());
        assertEquals("zero", got.get());
    }

    @Test
    void clearFalseLeavesTheValuesForASecondPass() {
        ConcurrentGatheringIterator<Integer> g = new ConcurrentGatheringIterator<>();
        for (int k = 2; k >= 0; k--) {
            g.insert(k, k);
        }
        List<Integer> first = new ArrayList<>();
        g.iterator(2, false).forEachRemaining(first::add);
        List<Integer> second = new ArrayList<>();
        g.iterator(2).forEachRemaining(second::add);
        assertEquals(List.of(0, 1, 2), first);
        assertEquals(List.of(0, 1, 2), second);
        assertFalse(g.iterator(-1).hasNext());
    }

    @Test
    void aProducerFailureReachesTheBlockedConsumerWithItsCauseAfterTheValuesBeforeIt() throws Exception {
        ConcurrentGatheringIterator<Integer> g = new ConcurrentGatheringIterator<>();
        g.insert(0, 0);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        List<Integer> got = new ArrayList<>();
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                g.iterator(5).forEachRemaining(got::add);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        awaitWaiting(consumer);
        IllegalStateException cause = new IllegalStateException("producer 3 crashed");
        g.fail(cause);
        consumer.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(consumer.isAlive(), "the consumer must not hang");
        assertEquals(List.of(0), got);
        assertInstanceOf(ConcurrentGatheringIterator.GatheringException.class, thrown.get());
        assertSame(cause, thrown.get().getCause());
        assertTrue(g.isFailed());
    }

    @Test
    void aRejectedInsertFailsTheGatherSoTheConsumerDoesNotHang() {
        ConcurrentGatheringIterator<String> g = new ConcurrentGatheringIterator<>();
        assertThrows(NullPointerException.class, () -> g.insert(0, null));
        ConcurrentGatheringIterator.GatheringException e = assertThrows(
                ConcurrentGatheringIterator.GatheringException.class, () -> g.iterator(0).next());
        assertInstanceOf(NullPointerException.class, e.getCause());

        ConcurrentGatheringIterator<String> g2 = new ConcurrentGatheringIterator<>();
        assertThrows(IllegalArgumentException.class, () -> g2.insert(-1, "x"));
        assertTrue(g2.isFailed());
    }

    @Test
    void duplicateKeysAreRefusedAndTheFirstValueStays() {
        ConcurrentGatheringIterator<String> g = new ConcurrentGatheringIterator<>();
        g.insert(0, "first");
        assertThrows(IllegalStateException.class, () -> g.insert(0, "second"));
        assertEquals("first", g.iterator(0).next());
        assertFalse(g.isFailed());
    }

    @Test
    void aBlockedConsumerHonoursInterruption() throws Exception {
        ConcurrentGatheringIterator<String> g = new ConcurrentGatheringIterator<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                g.iterator(0).next();
            } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitWaiting(consumer);
        consumer.interrupt();
        consumer.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(consumer.isAlive());
        assertInstanceOf(InterruptedException.class, thrown.get().getCause());
        assertTrue(stillInterrupted.get());
    }

    @Test
    void oneConsumerAtATime() throws Exception {
        ConcurrentGatheringIterator<String> g = new ConcurrentGatheringIterator<>();
        Thread first = Thread.ofPlatform().start(() -> g.iterator(0, false).next());
        awaitWaiting(first);
        assertThrows(IllegalStateException.class, () -> g.iterator(0, false).next());
        g.insert(0, "x");
        first.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(first.isAlive());
        assertEquals("x", g.iterator(0).next(), "the role is free again once the waiter is done");
        assertThrows(IllegalArgumentException.class, () -> g.iterator(-2));
    }

    @Test
    void noLostWakeUpsAcrossManyHandOffs() throws Exception {
        // One producer, one consumer, every key handed over while the consumer may be just about to park.
        int n = 200_000;
        ConcurrentGatheringIterator<Integer> g = new ConcurrentGatheringIterator<>();
        CountDownLatch go = new CountDownLatch(1);
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            for (int k = 0; k < n; k++) {
                g.insert(k, k);
            }
        });
        Iterator<Integer> it = g.iterator(n - 1);
        go.countDown();
        for (int k = 0; k < n; k++) {
            assertEquals(k, it.next());
        }
        producer.join();
    }

    @Test
    void theFirstFailureWinsAndALaterOneDoesNotReplaceIt() {
        ConcurrentGatheringIterator<String> g = new ConcurrentGatheringIterator<>();
        g.insert(0, "zero");
        IllegalStateException first = new IllegalStateException("producer 1 crashed");
        g.fail(first);
        g.fail(new IllegalStateException("producer 2 crashed"));
        assertThrows(IllegalArgumentException.class, () -> g.insert(-1, "rejected: fails the gather again"));
        Iterator<String> it = g.iterator(1);
        assertEquals("zero", it.next(), "keys inserted before the failure are still delivered");
        assertSame(first, assertThrows(ConcurrentGatheringIterator.GatheringException.class, it::next).getCause());
        assertSame(first, assertThrows(ConcurrentGatheringIterator.GatheringException.class, it::next).getCause(),
                "the failure a consumer saw never changes");
        assertThrows(NullPointerException.class, () -> g.fail(null));
    }

    /**
     * Many producers fail at once, each with its own cause, while the consumer waits: the cause that wakes it is one
     * of theirs, and every later wait sees that same cause. (ConcurrentGatheringIteratorLincheckTest forces the
     * interleaving that a check-then-set loses; this checks the same on real threads.)
     */
    @Test
    void concurrentFailuresAgreeOnOneCauseThatNeverChanges() throws Exception {
        int producers = 4;
        for (int round = 0; round < 200; round++) {
            ConcurrentGatheringIterator<String> g = new ConcurrentGatheringIterator<>();
            List<Throwable> causes = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                causes.add(new IllegalStateException("producer " + p + " crashed"));
            }
            AtomicReference<Throwable> woken = new AtomicReference<>();
            Thread consumer = Thread.ofPlatform().start(() -> {
                try {
                    g.iterator(0, false).next();
                } catch (ConcurrentGatheringIterator.GatheringException e) {
                    woken.set(e.getCause());
                }
            });
            awaitWaiting(consumer);
            Race.race(producers, p -> g.fail(causes.get(p)));
            consumer.join();
            assertTrue(causes.contains(woken.get()), "the consumer got one of the producers' causes");
            assertSame(woken.get(), assertThrows(ConcurrentGatheringIterator.GatheringException.class,
                    () -> g.iterator(0, false).next()).getCause(), "round " + round);
        }
    }

    /** Waits (without sleeping as synchronization) until {@code t} is parked in the gatherer. */
    private static void awaitWaiting(Thread t) {
        Eventually.inState(t, Thread.State.WAITING);
    }

    /** A key read by a clearing iterator was inserted: inserting it again is refused, as before it was read. */
    @Test
    void aKeyReadAndClearedCannotBeInsertedAgain() {
        ConcurrentGatheringIterator<String> g = new ConcurrentGatheringIterator<>();
        Iterator<String> it = g.iterator(1);
        g.insert(0, "first");
        assertEquals("first", it.next());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.insert(0, "second"));
        assertTrue(e.getMessage().contains("key 0"), e.getMessage());
        assertFalse(g.isFailed(), "a refused duplicate does not fail the gather");
        g.insert(1, "next");
        assertEquals("next", it.next());
    }
}
