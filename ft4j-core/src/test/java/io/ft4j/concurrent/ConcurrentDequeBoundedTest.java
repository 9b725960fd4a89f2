package io.ft4j.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.testing.Blocked;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bounded ConcurrentDeque, in LinkedBlockingDeque's shape: refusals when full, all-or-nothing bulk insertion,
 * exact remaining capacity, blocked producers at either end woken by every kind of removal and by every kind of
 * shutdown. The same deque runs under the liveness harness in BlockingCollectionsLivenessTest and through the
 * removal paths of BoundedQueueRoomTest.
 */
@Timeout(60)
class ConcurrentDequeBoundedTest {

    @Test
    void capacityIsCheckedAndReportedExactly() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new ConcurrentDeque<>(0));
        assertEquals("capacity: 0 (expected: > 0)", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConcurrentDeque<>(-1, WaitStrategy.SPINNING));
        assertThrows(NullPointerException.class, () -> new ConcurrentDeque<>(3, null));
        assertEquals(Integer.MAX_VALUE, new ConcurrentDeque<>().remainingCapacity(), "unbounded by default");
        assertEquals(Integer.MAX_VALUE, new ConcurrentDeque<>(List.of(1, 2)).remainingCapacity());

        ConcurrentDeque<Integer> d = new ConcurrentDeque<>(3);
        assertEquals(3, d.remainingCapacity());
        d.addFirst(1);
        d.addLast(2);
        assertEquals(1, d.remainingCapacity());
        d.pollLast();
        assertEquals(2, d.remainingCapacity());
    }

    @Test
    void aFullDequeRefusesEachInsertionTheWayItsContractSays() throws Exception {
        ConcurrentDeque<String> d = new ConcurrentDeque<>(2);
        assertTrue(d.offerFirst("b"));
        assertTrue(d.offer("c"));
        assertEquals(0, d.remainingCapacity());
        assertFalse(d.offerFirst("x"));
        assertFalse(d.offerLast("x"));
        assertFalse(d.offer("x"));
        long t0 = System.nanoTime();
        assertFalse(d.offerFirst("x", 20, TimeUnit.MILLISECONDS));
        assertFalse(d.offerLast("x", 20, TimeUnit.MILLISECONDS));
        assertFalse(d.offer("x", 0, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(40), "the timed offers waited");
        for (Consumer<ConcurrentDeque<String>> add : List.<Consumer<ConcurrentDeque<String>>>of(
                q -> q.addFirst("x"), q -> q.addLast("x"), q -> q.add("x"), q -> q.push("x"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> add.accept(d));
            assertFalse(e instanceof ShutDownException, "full, not shut down");
            assertTrue(e.getMessage().startsWith("Deque full"), e.getMessage());
            assertTrue(e.getMessage().contains("offerFirst/offerLast") && e.getMessage().contains("putFirst/putLast"),
                    "the message says what to do instead: " + e.getMessage());
        }
        assertEquals(List.of("b", "c"), new ArrayList<>(d), "nothing refused got in");
    }

    @Test
    void bulkInsertionIsAllOrNothing() {
        ConcurrentDeque<Integer> d = new ConcurrentDeque<>(4);
        d.add(0);
        for (Function<List<Integer>, Boolean> bulk : List.<Function<List<Integer>, Boolean>>of(
                d::addAllLast, d::addAllFirst, d::addAll)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> bulk.apply(List.of(1, 2, 3, 4)));
            assertTrue(e.getMessage().contains("4 elements do not fit") && e.getMessage().contains("nothing was added"),
                    e.getMessage());
            assertEquals(List.of(0), new ArrayList<>(d), "nothing added");
            assertEquals(3, d.remainingCapacity());
        }
        assertTrue(d.addAllFirst(List.of(1, 2)));        // fits: 2, 1, 0
        assertTrue(d.addAllLast(List.of(3)));            // exactly full: 2, 1, 0, 3
        assertEquals(List.of(2, 1, 0, 3), new ArrayList<>(d));
        assertFalse(d.addAllLast(List.of()), "an empty collection always fits");
        assertThrows(IllegalStateException.class, () -> d.addAllLast(d), "a full deque cannot double");
        assertEquals(4, d.size());
        d.shutdown();
        assertThrows(ShutDownException.class, () -> d.addAllLast(List.of()), "shut down comes before full");
    }

    /** Which end a blocked producer waits to insert at, and how. */
    enum Producer {
        PUT_FIRST, PUT_LAST, PUT, TIMED_OFFER_FIRST, TIMED_OFFER_LAST;

        void insert(ConcurrentDeque<String> d, String e) throws InterruptedException {
            switch (this) {
                case PUT_FIRST -> d.putFirst(e);
                case PUT_LAST -> d.putLast(e);
                case PUT -> d.put(e);
                case TIMED_OFFER_FIRST -> assertTrue(d.offerFirst(e, 30, TimeUnit.SECONDS));
                case TIMED_OFFER_LAST -> assertTrue(d.offerLast(e, 30, TimeUnit.SECONDS));
            }
        }

        boolean atFront() {
            return this == PUT_FIRST || this == TIMED_OFFER_FIRST;
        }
    }

    /**
     * Every kind of removal wakes a producer blocked at either end of a full deque, which then inserts: polls, takes,
     * removes, bulk removals, clear, drainTo and both iterators' remove. Each removal takes "a", the middle element
     * of [x, a, y] or an end element, so the woken producer's element lands beside what is left.
     */
    @ParameterizedTest
    @EnumSource(Producer.class)
    void everyKindOfRemovalWakesABlockedProducer(Producer producer) throws Exception {
        record Removal(String name, List<String> start, Consumer<ConcurrentDeque<String>> remove) {}
        List<String> middle = List.of("x", "a", "y");
        List<String> front = List.of("a", "x", "y");
        List<String> back = List.of("x", "y", "a");
        List<Removal> removals = List.of(
                new Removal("pollFirst", front, d -> assertEquals("a", d.pollFirst())),
                new Removal("pollLast", back, d -> assertEquals("a", d.pollLast())),
                new Removal("poll", front, d -> assertEquals("a", d.poll())),
                new Removal("takeFirst", front, d -> assertEquals("a", uninterrupted(d::takeFirst))),
                new Removal("takeLast", back, d -> assertEquals("a", uninterrupted(d::takeLast))),
                new Removal("take", front, d -> assertEquals("a", uninterrupted(d::take))),
                new Removal("pollFirst(timeout)", front,
                        d -> assertEquals("a", uninterrupted(() -> d.pollFirst(1, TimeUnit.SECONDS)))),
                new Removal("pollLast(timeout)", back,
                        d -> assertEquals("a", uninterrupted(() -> d.pollLast(1, TimeUnit.SECONDS)))),
                new Removal("removeFirst", front, d -> assertEquals("a", d.removeFirst())),
                new Removal("removeLast", back, d -> assertEquals("a", d.removeLast())),
                new Removal("remove()", front, d -> assertEquals("a", d.remove())),
                new Removal("pop", front, d -> assertEquals("a", d.pop())),
                new Removal("remove(Object)", middle, d -> assertTrue(d.remove("a"))),
                new Removal("removeFirstOccurrence", middle, d -> assertTrue(d.removeFirstOccurrence("a"))),
                new Removal("removeLastOccurrence", middle, d -> assertTrue(d.removeLastOccurrence("a"))),
                new Removal("removeIf", middle, d -> assertTrue(d.removeIf("a"::equals))),
                new Removal("removeAll", middle, d -> assertTrue(d.removeAll(List.of("a")))),
                new Removal("retainAll", middle, d -> assertTrue(d.retainAll(List.of("x", "y")))),
                new Removal("drainTo(c, 1)", front, d -> assertEquals(1, d.drainTo(new ArrayList<>(), 1))),
                new Removal("iterator().remove()", middle, d -> {
                    Iterator<String> it = d.iterator();
                    it.next();
                    assertEquals("a", it.next());
                    it.remove();
                }),
                new Removal("descendingIterator().remove()", middle, d -> {
                    Iterator<String> it = d.descendingIterator();
                    it.next();
                    assertEquals("a", it.next());
                    it.remove();
                }));
        for (Removal r : removals) {
            ConcurrentDeque<String> d = new ConcurrentDeque<>(3);
            d.addAllLast(r.start());
            Blocked blocked = Blocked.start(() -> {
                producer.insert(d, "p");
                return null;
            });
            d.rotate(1);    // no size change: the producer stays blocked (checked below by its element's absence)
            d.rotate(-1);
            assertFalse(d.contains("p"), r.name() + ": rotate made no room");
            r.remove().accept(d);
            assertNull(blocked.outcome(), r.name() + ": the blocked " + producer + " returned normally");
            List<String> rest = new ArrayList<>(r.start());
            rest.remove("a");
            if (producer.atFront()) {
                rest.addFirst("p");
            } else {
                rest.addLast("p");
            }
            assertEquals(rest, new ArrayList<>(d), r.name());
            assertEquals(0, d.remainingCapacity(), r.name());
        }
    }

    /** clear and drainTo remove everything at once: they wake every producer blocked for room. */
    @Test
    void bulkRemovalWakesEveryBlockedProducer() throws Exception {
        for (Consumer<ConcurrentDeque<String>> bulk : List.<Consumer<ConcurrentDeque<String>>>of(
                ConcurrentDeque::clear, d -> assertEquals(2, d.drainTo(new ArrayList<>())),
                d -> assertTrue(d.removeIf(e -> true)))) {
            ConcurrentDeque<String> d = new ConcurrentDeque<>(2);
            d.addAllLast(List.of("a", "b"));
            Blocked first = Blocked.start(() -> {
                d.putFirst("f");
                return null;
            });
            Blocked last = Blocked.start(() -> {
                d.putLast("l");
                return null;
            });
            bulk.accept(d);
            assertNull(first.outcome());
            assertNull(last.outcome());
            assertEquals(List.of("f", "l"), new ArrayList<>(d));
        }
    }

    /** Each kind of shutdown wakes blocked producers: put gets ShutDownException, a timed offer false. */
    @Test
    void everyShutdownWakesBlockedProducers() throws Exception {
        RuntimeException failure = new RuntimeException("producer failed");
        List<Consumer<ConcurrentDeque<String>>> stops = List.of(ConcurrentDeque::shutdown,
                d -> assertEquals(List.of("a"), d.shutdownNow()), d -> assertEquals(List.of("a"), d.poison(failure)));
        for (int s = 0; s < stops.size(); s++) {
            ConcurrentDeque<String> d = new ConcurrentDeque<>(1);
            d.add("a");
            Blocked putFirst = Blocked.start(() -> {
                d.putFirst("p");
                return null;
            });
            Blocked putLast = Blocked.start(() -> {
                d.put("p");
                return null;
            });
            Blocked offer = Blocked.start(() -> {
                assertFalse(d.offerFirst("p", 30, TimeUnit.SECONDS), "refused by the shutdown");
                return null;
            });
            stops.get(s).accept(d);
            ShutDownException e = assertInstanceOf(ShutDownException.class, putFirst.outcome(), "stop " + s);
            assertSame(s == 2 ? failure : null, e.getCause(), "stop " + s + ": a poisoned deque says why");
            assertInstanceOf(ShutDownException.class, putLast.outcome(), "stop " + s);
            assertNull(offer.outcome(), "stop " + s);
            assertFalse(d.contains("p"), "stop " + s);
            assertFalse(d.offerLast("p"));
            assertFalse(d.offer("p", 1, TimeUnit.SECONDS));
            assertThrows(ShutDownException.class, () -> d.addLast("p"));
        }
    }

    @Test
    void aBlockedPutHonoursInterruptionAndInsertsNothing() throws Exception {
        ConcurrentDeque<Integer> d = new ConcurrentDeque<>(1, WaitStrategy.SPINNING);
        d.add(1);
        Blocked put = Blocked.start(() -> {
            d.putFirst(2);
            return null;
        });
        put.thread().interrupt();
        assertInstanceOf(InterruptedException.class, put.outcome());
        assertEquals(List.of(1), new ArrayList<>(d));
        assertEquals(1, d.pollFirst());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> d.putLast(3), "interrupted on entry, like j.u.c deques");
        assertTrue(d.isEmpty());
    }

    /** A call that may be interrupted, for removals that block only when the deque is empty. */
    private interface Interruptible<T> {
        T call() throws InterruptedException;
    }

    private static <T> T uninterrupted(Interruptible<T> call) {
        try {
            return call.call();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
