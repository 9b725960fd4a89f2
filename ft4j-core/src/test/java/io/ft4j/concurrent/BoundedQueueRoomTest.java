package io.ft4j.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.testing.Blocked;
import io.ft4j.testing.Eventually;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bounded queues: readers never change what producers may do, and every removal gives its place back and wakes a
 * producer blocked for it. Each bounded blocking queue of ft4j (the bounded ConcurrentDeque included, used through
 * its BlockingQueue methods), under both wait strategies.
 */
@Timeout(60)
class BoundedQueueRoomTest {

    /** A bounded queue under test: its name and a factory taking the capacity. */
    record Kind(String name, IntFunction<BlockingQueue<String>> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> kinds() {
        List<Kind> kinds = new ArrayList<>();
        for (WaitStrategy ws : WaitStrategy.values()) {
            kinds.add(new Kind("ConcurrentQueue/" + ws,
                    c -> ConcurrentQueue.<String>builder().capacity(c).waitStrategy(ws).build()));
            kinds.add(new Kind("ConcurrentDeque/" + ws, c -> new ConcurrentDeque<>(c, ws)));
        }
        kinds.add(new Kind("ConcurrentQueue(int)", ConcurrentQueue::new));
        kinds.add(new Kind("StdConcurrentQueue", StdConcurrentQueue::new));
        return kinds.stream();
    }

    /**
     * Failing input 1: one thread offers then polls on a capacity-1 queue while another only peeks and asks
     * isEmpty(). Every offer finds the queue empty, so every offer must succeed.
     */
    @ParameterizedTest
    @MethodSource("kinds")
    void observersNeverMakeAnOfferOnAnEmptyQueueFail(Kind kind) throws Exception {
        BlockingQueue<String> q = kind.make.apply(1);
        AtomicBoolean stop = new AtomicBoolean();
        Thread observer = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                q.peek();
                q.isEmpty();
                q.size();
                q.contains("x");
            }
        });
        try {
            for (int i = 0; i < 300_000; i++) {
                String e = Integer.toString(i & 1023);
                if (!q.offer(e)) {
                    throw new AssertionError("offer " + i + " refused on an empty queue: size " + q.size()
                            + ", remainingCapacity " + q.remainingCapacity());
                }
                assertEquals(e, q.poll());
            }
        } finally {
            stop.set(true);
            observer.join();
        }
        assertEquals(0, q.size());
        assertEquals(1, q.remainingCapacity());
    }

    /**
     * Failing input 2 and its kind: a producer blocked on a full capacity-1 queue is woken by each way of removing
     * the element out of turn, and a consumer then gets the producer's element.
     */
    @ParameterizedTest
    @MethodSource("kinds")
    void everyRemovalGivesItsPlaceBackAndWakesABlockedProducer(Kind kind) throws Exception {
        // Each removes exactly "a"; clear and drainTo, which may also take "b" once it arrives, are below.
        List<Consumer<BlockingQueue<String>>> removals = List.of(
                q -> assertTrue(q.remove("a")),
                q -> assertTrue(q.removeIf("a"::equals)),
                q -> assertTrue(q.removeAll(List.of("a"))),
                q -> assertTrue(q.retainAll(List.of("zzz"))),
                q -> assertEquals(1, q.drainTo(new ArrayList<>(), 1)),
                q -> assertEquals("a", q.poll()),
                q -> {
                    Iterator<String> it = q.iterator();
                    assertEquals("a", it.next());
                    it.remove();
                },
                q -> {
                    Iterator<String> it = q.iterator();
                    it.forEachRemaining(e -> { });
                    it.remove();
                });
        for (int r = 0; r < removals.size(); r++) {
            BlockingQueue<String> q = kind.make.apply(1);
            Blocked producer = fullWithAProducerBlocked(q);
            removals.get(r).accept(q);
            assertEquals("b", q.poll(3, TimeUnit.SECONDS), "removal " + r + ": the blocked producer's element");
            assertNull(producer.outcome(), "removal " + r + ": put returned normally");
            assertEquals(0, q.size(), "removal " + r);
            assertEquals(1, q.remainingCapacity(), "removal " + r);
            assertTrue(q.offer("c"), "removal " + r + ": the place is free again");
            assertFalse(q.offer("d"), "removal " + r + ": and only one");
        }
        List<Consumer<BlockingQueue<String>>> bulk = List.of(BlockingQueue::clear, q -> q.drainTo(new ArrayList<>()));
        for (int r = 0; r < bulk.size(); r++) {
            BlockingQueue<String> q = kind.make.apply(1);
            Blocked producer = fullWithAProducerBlocked(q);
            bulk.get(r).accept(q);
            assertNull(producer.outcome(), "bulk removal " + r + ": the blocked put returned normally");
            assertFalse(q.contains("a"), "bulk removal " + r);
            assertTrue(q.size() <= 1, "bulk removal " + r + ": \"b\" is in the queue or was removed with \"a\"");
            assertEquals(1 - q.size(), q.remainingCapacity(), "bulk removal " + r);
        }
    }

    /** Puts "a" into an empty capacity-1 queue, then returns a producer blocked in put("b"). */
    private static Blocked fullWithAProducerBlocked(BlockingQueue<String> q) throws InterruptedException {
        q.put("a");
        return Blocked.start(() -> {
            q.put("b");
            return null;
        });
    }

    /** Places freed out of turn are free at once: fill, remove from the middle, refill, many times over. */
    @ParameterizedTest
    @MethodSource("kinds")
    void outOfTurnRemovalsNeverShrinkTheCapacity(Kind kind) {
        BlockingQueue<String> q = kind.make.apply(4);
        for (int round = 0; round < 2_000; round++) {
            while (q.offer("r" + round)) {
                // fill
            }
            assertEquals(4, q.size());
            assertEquals(0, q.remainingCapacity());
            // remove an element that is neither head nor tail, then the head by an iterator
            Iterator<String> it = q.iterator();
            it.next();
            it.next();
            it.remove();
            assertEquals(3, q.size());
            assertEquals(1, q.remainingCapacity());
            assertTrue(q.offer("again"), "round " + round);
            assertFalse(q.offer("over"), "round " + round);
            q.clear();
            assertTrue(q.isEmpty());
            assertEquals(4, q.remainingCapacity(), "round " + round);
        }
    }

    /**
     * Elements removed out of turn while no consumer polls do not pile up: at the head they are skipped at once, and
     * behind a head element that stays, segments whose slots were all removed are unlinked. 100,000 offer-and-remove
     * pairs (about 400 segments' worth of slots) leave the queue holding a few segments.
     */
    @Test
    void outOfTurnRemovalsWithoutConsumersKeepTheQueueSmall() {
        ConcurrentQueue<Integer> q = ConcurrentQueue.<Integer>builder().capacity(1).build();
        for (int i = 0; i < 100_000; i++) {
            assertTrue(q.offer(i));
            assertTrue(q.remove(i));
        }
        assertTrue(q.linkedSegments() <= 2, "segments held: " + q.linkedSegments());
        assertTrue(q.isEmpty());
        ConcurrentQueue<Integer> stuck = ConcurrentQueue.<Integer>builder().capacity(4).build();
        assertTrue(stuck.offer(-1)); // a head element no consumer takes
        for (int i = 0; i < 100_000; i++) {
            assertTrue(stuck.offer(i));
            assertTrue(stuck.remove(i));
        }
        assertTrue(stuck.linkedSegments() <= 3, "segments held: " + stuck.linkedSegments());
        assertEquals(1, stuck.size());
        assertEquals(-1, stuck.poll());
        assertTrue(stuck.isEmpty());
        assertEquals(0, stuck.size());
        assertEquals(4, stuck.remainingCapacity());
    }

    /** A queue's spliterator and stream report what the Queue contract requires, in queue order. */
    @ParameterizedTest
    @MethodSource("kinds")
    void spliteratorIsOrderedNonNullConcurrent(Kind kind) throws Exception {
        BlockingQueue<String> q = kind.make.apply(8);
        for (String s : List.of("a", "b", "c")) {
            q.put(s);
        }
        Spliterator<String> sp = q.spliterator();
        assertTrue(sp.hasCharacteristics(Spliterator.ORDERED));
        assertTrue(sp.hasCharacteristics(Spliterator.NONNULL));
        assertTrue(sp.hasCharacteristics(Spliterator.CONCURRENT));
        assertFalse(sp.hasCharacteristics(Spliterator.SIZED), "a concurrent queue's size is not fixed");
        assertEquals("abc", q.stream().collect(Collectors.joining()));
        StringBuilder seen = new StringBuilder();
        q.forEach(seen::append);
        assertEquals("abc", seen.toString());
    }

    /**
     * Failing input 5: after shutdownNow, join() still waits for the task a consumer took, and returns once it is
     * marked done.
     */
    @Test
    void joinAfterShutdownNowWaitsForTakenTasks() throws Exception {
        StdConcurrentQueue<Integer> q = new StdConcurrentQueue<>();
        q.put(0);
        q.put(1);
        assertEquals(0, q.take()); // a consumer is still working on task 0
        Blocked joiner = Blocked.start(() -> {
            q.join();
            return null;
        });
        assertEquals(List.of(1), q.shutdownNow());
        assertEquals(1, q.unfinishedTasks());
        assertTrue(joiner.thread().isAlive(), "join() returned although task 0 is unfinished");
        Eventually.until("join to stay parked", () -> joiner.thread().getState() == Thread.State.WAITING);
        q.taskDone();
        assertNull(joiner.outcome(), "join returns once task 0 is done");
        assertEquals(0, q.unfinishedTasks());
    }

    /** Removing every element out of turn (clear) ends their tasks; drainTo takes them, so they stay tasks. */
    @Test
    void clearEndsTasksAndDrainToKeepsThem() throws Exception {
        StdConcurrentQueue<Integer> q = new StdConcurrentQueue<>(4);
        q.addAll(List.of(1, 2, 3));
        q.clear();
        assertEquals(0, q.unfinishedTasks());
        q.join();
        q.addAll(List.of(4, 5));
        List<Integer> taken = new ArrayList<>();
        assertEquals(2, q.drainTo(taken));
        assertEquals(2, q.unfinishedTasks());
    }
}
