package io.ft4j.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import io.ft4j.testing.Blocked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ConcurrentQueueTest {

    @Test
    void fifoAcrossManySegments() {
        ConcurrentQueue<Integer> q = ConcurrentQueue.<Integer>builder().scaling(1).build(); // 256-slot segments
        for (int i = 0; i < 10_000; i++) {
            assertTrue(q.offer(i));
            if (i % 3 == 0) {
                assertEquals(i / 3, q.poll());
            }
        }
        assertEquals(10_000 - 3334, q.size());
        for (int i = 3334; i < 10_000; i++) {
            assertEquals(i, q.peek());
            assertEquals(i, q.poll());
        }
        assertNull(q.poll());
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
    }

    @Test
    void badArgumentsAreRejected() {
        ConcurrentQueue<String> q = new ConcurrentQueue<>();
        assertThrows(NullPointerException.class, () -> q.offer(null));
        assertThrows(NullPointerException.class, () -> q.put(null));
        assertThrows(NullPointerException.class, () -> q.poll(1, null));
        assertThrows(NullPointerException.class, () -> q.drainTo(null));
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
        assertThrows(IllegalArgumentException.class, () -> ConcurrentQueue.builder().capacity(0));
        assertThrows(IllegalArgumentException.class, () -> ConcurrentQueue.builder().scaling(0));
        assertThrows(NullPointerException.class, () -> ConcurrentQueue.builder().waitStrategy(null));
        assertThrows(NullPointerException.class, () -> q.poison(null));
        assertFalse(q.remove(null));
    }

    @Test
    void constructorsHaveTheJdkShape() {
        ConcurrentQueue<Integer> bounded = new ConcurrentQueue<>(2);   // as new LinkedBlockingQueue<>(2)
        assertEquals(2, bounded.remainingCapacity());
        assertTrue(bounded.offer(1));
        assertTrue(bounded.add(2));
        assertFalse(bounded.offer(3));
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> bounded.add(3));
        assertFalse(full instanceof ShutDownException, "full is not shut down");
        assertTrue(full.getMessage().contains("put"), "the message says what to do: " + full.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new ConcurrentQueue<>(0));
        assertEquals("capacity: 0 (expected: > 0)", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConcurrentQueue<>(-5));

        ConcurrentQueue<Integer> copy = new ConcurrentQueue<>(List.of(3, 1, 2)); // as new LinkedBlockingQueue<>(c)
        assertEquals(List.of(3, 1, 2), new ArrayList<>(copy));
        assertEquals(Integer.MAX_VALUE, copy.remainingCapacity(), "unbounded");
        assertEquals(3, copy.poll());
        assertThrows(NullPointerException.class, () -> new ConcurrentQueue<>(java.util.Arrays.asList(1, null)));
        assertThrows(NullPointerException.class, () -> new ConcurrentQueue<Integer>((List<Integer>) null));
    }

    @Test
    void boundedQueueRefusesWhenFullAndPutWaitsForRoom() throws Exception {
        ConcurrentQueue<Integer> q = ConcurrentQueue.<Integer>builder().capacity(2).build();
        assertTrue(q.offer(1));
        assertTrue(q.offer(2));
        assertFalse(q.offer(3));
        assertEquals(0, q.remainingCapacity());
        assertFalse(q.offer(3, 20, TimeUnit.MILLISECONDS));
        Blocked put = Blocked.start(() -> {
            q.put(3); // full: parks
            return null;
        });
        assertEquals(1, q.take()); // makes room: the parked put completes
        assertNull(put.outcome());
        assertEquals(List.of(2, 3), new ArrayList<>(q));
        assertEquals(2, q.size());
    }

    /** Racing producers never overfill a bounded queue (ft_utils' maxsize is soft; this one is hard). */
    @Test
    void racingProducersNeverOverfillABoundedQueue() throws Exception {
        for (int round = 0; round < 50; round++) {
            ConcurrentQueue<Integer> q = ConcurrentQueue.<Integer>builder().scaling(1).capacity(100).build();
            java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
            io.ft4j.testing.Race.race(4, t -> {
                for (int i = 0; i < 1000; i++) {
                    if (q.offer(i)) {
                        accepted.incrementAndGet();
                    }
                }
            });
            assertTrue(accepted.get() <= 100, "accepted " + accepted.get() + " into a queue of capacity 100");
            assertTrue(accepted.get() >= 90, "refused while far from full: " + accepted.get());
            assertEquals(accepted.get(), q.size());
            assertEquals(accepted.get(), q.drainTo(new ArrayList<>()));
        }
    }

    @Test
    void timeoutsAreDeadlinesAndLeaveNothingBehind() throws Exception {
        ConcurrentQueue<Integer> q = new ConcurrentQueue<>();
        long t0 = System.nanoTime();
        assertNull(q.poll(50, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50));
        for (int i = 0; i < 100; i++) {
            assertNull(q.poll(0, TimeUnit.MILLISECONDS));
        }
        assertEquals(0, q.size()); // ft_utils would count 101 placeholders here
        q.offer(7);
        assertEquals(1, q.size());
        assertEquals(7, q.poll(1, TimeUnit.SECONDS));
        assertNull(q.poll(-5, TimeUnit.SECONDS));
    }

    @Test
    void gracefulShutdownDrainsThenWakesConsumersWithShutDown() throws Exception {
        ConcurrentQueue<Integer> q = new ConcurrentQueue<>();
        List<Blocked> consumers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            consumers.add(Blocked.start(q::take));
        }
        q.offer(1); // one consumer gets it
        q.offer(2); // so does the other
        q.offer(3);
        q.shutdown();
        assertTrue(q.isShutdown());
        assertFalse(q.offer(4), "offer reports a refusal by returning false");
        assertFalse(q.offer(4, 1, TimeUnit.SECONDS), "a timed offer too, at once");
        assertThrows(ShutDownException.class, () -> q.put(4));
        assertThrows(ShutDownException.class, () -> q.add(4));
        for (Blocked c : consumers) {
            assertNull(c.outcome());
        }
        assertEquals(3, q.take()); // still drains
        ShutDownException e = assertThrows(ShutDownException.class, q::take);
        assertNull(e.getCause());
        assertThrows(ShutDownException.class, () -> q.poll(1, TimeUnit.SECONDS));
        assertNull(q.poll());
        assertTrue(e instanceof IllegalStateException);
    }

    @Test
    void shutdownWakesABlockedConsumer() throws Exception {
        ConcurrentQueue<Integer> q = new ConcurrentQueue<>();
        Blocked blocked = Blocked.start(q::take);
        q.shutdown();
        assertInstanceOf(ShutDownException.class, blocked.outcome());
    }

    @Test
    void shutdownNowReturnsWhatWasNotTakenAndPoisonCarriesTheCause() throws Exception {
        ConcurrentQueue<Integer> q = ConcurrentQueue.<Integer>builder().scaling(1).build();
        for (int i = 0; i < 1000; i++) {
            q.offer(i);
        }
        q.poll();
        List<Integer> rest = q.shutdownNow();
        assertEquals(999, rest.size());
        assertEquals(1, rest.get(0));
        assertEquals(999, rest.get(998));
        assertNull(q.poll());
        assertThrows(ShutDownException.class, q::take);
        assertEquals(List.of(), q.shutdownNow());

        ConcurrentQueue<String> p = new ConcurrentQueue<>();
        p.offer("a");
        IllegalStateException failure = new IllegalStateException("disk full");
        assertEquals(List.of("a"), p.poison(failure));
        ShutDownException e = assertThrows(ShutDownException.class, p::take);
        assertSame(failure, e.getCause());
        assertFalse(p.offer("b"));
        assertSame(failure, assertThrows(ShutDownException.class, () -> p.add("b")).getCause());
        assertSame(failure, assertThrows(ShutDownException.class, () -> p.put("b")).getCause());
    }

    @Test
    void blockedTakeAndPutHonourInterruption() throws Exception {
        for (BlockingQueue<Integer> q : List.<BlockingQueue<Integer>>of(new ConcurrentQueue<>(),
                ConcurrentQueue.<Integer>builder().waitStrategy(WaitStrategy.SPINNING).build())) {
            assertInterruptible(q::take);
        }
        ConcurrentQueue<Integer> full = ConcurrentQueue.<Integer>builder().capacity(1).build();
        full.offer(1);
        assertInterruptible(() -> {
            full.put(2);
            return null;
        });
        assertEquals(List.of(1), new ArrayList<>(full)); // the interrupted put left nothing
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, full::take); // interrupted on entry, like j.u.c queues
        assertFalse(Thread.interrupted());
    }

    @Test
    void iteratorAndRemoveWorkInPlace() {
        ConcurrentQueue<Integer> q = ConcurrentQueue.<Integer>builder().scaling(1).build();
        for (int i = 0; i < 600; i++) {
            q.offer(i);
        }
        assertTrue(q.remove((Object) 300));
        assertFalse(q.remove((Object) 300));
        for (Iterator<Integer> it = q.iterator(); it.hasNext(); ) {
            if (it.next() % 2 == 1) {
                it.remove();
            }
        }
        assertEquals(299, q.size());
        List<Integer> drained = new ArrayList<>();
        assertEquals(10, q.drainTo(drained, 10));
        assertEquals(List.of(0, 2, 4, 6, 8, 10, 12, 14, 16, 18), drained);
        assertEquals(289, q.drainTo(drained));
        assertFalse(drained.contains(300));
        assertEquals(0, q.size());
        assertThrows(IllegalStateException.class, () -> q.iterator().remove());
    }

    private static void assertInterruptible(Blocked.Call op) throws Exception {
        Blocked blocked = Blocked.start(op);
        blocked.thread().interrupt();
        assertInstanceOf(InterruptedException.class, blocked.outcome());
    }
}
