package io.ft4j.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.Spliterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import io.ft4j.testing.Blocked;
import io.ft4j.testing.Membership;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ConcurrentDequeTest {

    @Test
    void bothEndsBulkInsertionAndRotationBehaveLikeCollectionsDeque() {
        ConcurrentDeque<Integer> d = new ConcurrentDeque<>(List.of(1, 2, 3));
        d.addAllLast(List.of(4, 5));
        d.addAllFirst(List.of(0, -1)); // extendleft reverses: -1, 0, 1, ...
        assertEquals(List.of(-1, 0, 1, 2, 3, 4, 5), new ArrayList<>(d));
        d.rotate(2);
        assertEquals(List.of(4, 5, -1, 0, 1, 2, 3), new ArrayList<>(d));
        d.rotate(-3);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, -1), new ArrayList<>(d));
        d.rotate(7 * 1000);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, -1), new ArrayList<>(d));
        d.addAllLast(d); // snapshot first, then append
        assertEquals(14, d.size());
        assertEquals(-1, d.pollLast());
        assertEquals(0, d.pollFirst());
        assertEquals(1, d.peekFirst());
        assertEquals(5, d.peekLast());
        assertTrue(d.removeLastOccurrence(1));
        assertEquals(List.of(1, 2, 3, 4, 5, -1, 0, 2, 3, 4, 5), new ArrayList<>(d));
        List<Integer> reversed = new ArrayList<>();
        d.descendingIterator().forEachRemaining(reversed::add);
        assertEquals(List.of(5, 4, 3, 2, 0, -1, 5, 4, 3, 2, 1), reversed);
        d.clear();
        assertThrows(NoSuchElementException.class, d::removeFirst);
        assertThrows(NoSuchElementException.class, d::getLast);
        assertNull(d.pollLast());
    }

    @Test
    void bulkInsertionWithANullAddsNothing() {
        ConcurrentDeque<String> d = new ConcurrentDeque<>();
        assertThrows(NullPointerException.class, () -> d.addAllLast(Arrays.asList("a", null)));
        assertThrows(NullPointerException.class, () -> d.addFirst(null));
        assertThrows(NullPointerException.class, () -> d.addAllFirst(null));
        assertThrows(NullPointerException.class, () -> new ConcurrentDeque<String>((WaitStrategy) null));
        assertTrue(d.isEmpty());
    }

    @Test
    void growsPastItsInitialArrayFromBothEnds() {
        ConcurrentDeque<Integer> d = new ConcurrentDeque<>();
        for (int i = 0; i < 1000; i++) {
            d.addFirst(-i);
            d.addLast(i);
        }
        assertEquals(2000, d.size());
        for (int i = 999; i >= 0; i--) {
            assertEquals(-i, d.pollFirst());
        }
        for (int i = 999; i >= 0; i--) {
            assertEquals(i, d.pollLast());
        }
    }

    @Test
    void iteratorIsASnapshotWhoseRemoveWritesThrough() {
        ConcurrentDeque<String> d = new ConcurrentDeque<>(List.of("a", "b", "c"));
        Iterator<String> it = d.iterator();
        d.addLast("d"); // not seen: the snapshot was taken
        assertEquals("a", it.next());
        it.remove();
        assertThrows(IllegalStateException.class, it::remove);
        assertEquals("b", it.next());
        assertEquals("c", it.next());
        assertFalse(it.hasNext());
        assertEquals("[b, c, d]", d.toString());
    }

    @Test
    void blockingTakesAtBothEndsTimeoutsAndShutdown() throws Exception {
        ConcurrentDeque<Integer> d = new ConcurrentDeque<>();
        long t0 = System.nanoTime();
        assertNull(d.pollLast(30, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(30));
        AtomicReference<Integer> taken = new AtomicReference<>();
        Blocked last = Blocked.start(() -> {
            taken.set(d.takeLast());
            return null;
        });
        d.addAllLast(List.of(1, 2));
        assertNull(last.outcome());
        assertEquals(2, taken.get());
        d.shutdown();
        assertThrows(ShutDownException.class, () -> d.addFirst(3));
        assertThrows(ShutDownException.class, () -> d.push(3));
        assertThrows(ShutDownException.class, () -> d.putLast(3));
        assertThrows(ShutDownException.class, () -> d.addAllLast(List.of(3)));
        assertFalse(d.offer(3), "offer reports the refusal by returning false");
        assertFalse(d.offerFirst(3));
        assertFalse(d.offerLast(3, 1, TimeUnit.SECONDS));
        assertEquals(1, d.takeFirst());
        assertThrows(ShutDownException.class, d::takeFirst);

        ConcurrentDeque<Integer> e = new ConcurrentDeque<>(List.of(1, 2, 3));
        RuntimeException failure = new RuntimeException("source gone");
        assertEquals(List.of(1, 2, 3), e.poison(failure));
        assertEquals(failure, assertThrows(ShutDownException.class, e::takeLast).getCause());
        assertNull(e.pollFirst());

        ConcurrentDeque<Integer> f = new ConcurrentDeque<>();
        Blocked blocked = Blocked.start(f::takeFirst);
        blocked.thread().interrupt();
        assertInstanceOf(InterruptedException.class, blocked.outcome());
    }

    /** A job held twice: identical objects, so only the position tells the two occurrences apart. */
    private static final String JOB = new String("job");
    private static final String OTHER = "other";

    /** The elements in order, compared by identity: JOB, OTHER or the element itself. */
    private static List<String> identities(ConcurrentDeque<String> d) {
        List<String> out = new ArrayList<>();
        for (Object e : d.toArray()) {
            out.add(e == JOB ? "JOB" : e == OTHER ? "OTHER" : String.valueOf(e));
        }
        return out;
    }

    @Test
    void iteratorRemoveRemovesTheOccurrenceItReturnedNotTheFirstIdenticalOne() {
        ConcurrentDeque<String> d = new ConcurrentDeque<>(List.of(JOB, OTHER, JOB));
        Iterator<String> it = d.iterator();
        it.next();
        it.next();
        assertSame(JOB, it.next());
        it.remove();
        assertEquals(List.of("JOB", "OTHER"), identities(d));

        ConcurrentDeque<String> e = new ConcurrentDeque<>(List.of(JOB, OTHER, JOB));
        Iterator<String> down = e.descendingIterator();
        assertSame(JOB, down.next()); // the last element
        down.remove();
        assertEquals(List.of("JOB", "OTHER"), identities(e));
        assertSame(OTHER, down.next());
        assertSame(JOB, down.next()); // the first element
        down.remove();
        assertEquals(List.of("OTHER"), identities(e));
        assertThrows(IllegalStateException.class, down::remove);
    }

    @Test
    void iteratorRemoveFollowsItsOccurrenceThroughChangesAtBothEndsAndRotation() {
        ConcurrentDeque<String> d = new ConcurrentDeque<>(List.of(JOB, "a", JOB, "b"));
        Iterator<String> it = d.iterator();
        for (int i = 0; i < 3; i++) {
            it.next(); // the second JOB
        }
        d.addFirst(JOB);
        d.addLast(JOB);
        d.pollFirst();
        d.rotate(1);                                                   // [JOB, JOB, a, JOB, b]
        assertEquals(List.of("JOB", "JOB", "a", "JOB", "b"), identities(d));
        it.remove();
        assertEquals(List.of("JOB", "JOB", "a", "b"), identities(d));

        // Wrapped around the ring's end, and past a doubling of the array.
        ConcurrentDeque<String> w = new ConcurrentDeque<>();
        for (String e : List.of("c", JOB, "b", JOB, "a")) {
            w.addFirst(e);                                             // [a, JOB, b, JOB, c]
        }
        Iterator<String> down = w.descendingIterator();
        assertEquals("c", down.next());
        assertSame(JOB, down.next());                                  // the JOB between b and c
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            w.addFirst("f" + i);
            w.addLast("l" + i);
            expected.addFirst("f" + i);
        }
        down.remove();
        expected.addAll(List.of("a", "JOB", "b", "c"));
        for (int i = 0; i < 40; i++) {
            expected.add("l" + i);
        }
        assertEquals(expected, identities(w));
    }

    @Test
    void iteratorRemoveOfAnOccurrenceAlreadyGoneDoesNothing() {
        ConcurrentDeque<String> d = new ConcurrentDeque<>(List.of(JOB, OTHER, JOB));
        Iterator<String> it = d.iterator();
        it.next();
        it.next();
        assertSame(JOB, it.next());
        assertSame(JOB, d.pollLast()); // the returned occurrence leaves by another path
        it.remove();                   // nothing to do: the JOB at the front is another occurrence
        assertEquals(List.of("JOB", "OTHER"), identities(d));
        assertThrows(IllegalStateException.class, it::remove);

        Iterator<String> again = d.iterator();
        again.next();
        d.clear();
        d.addLast(JOB);
        again.remove();
        assertEquals(List.of("JOB"), identities(d));
    }

    @Test
    void removeAfterForEachRemainingRemovesTheLastElementItReturned() {
        ConcurrentDeque<String> d = new ConcurrentDeque<>(List.of(JOB, OTHER, JOB));
        Iterator<String> it = d.iterator();
        it.next();
        List<String> rest = new ArrayList<>();
        it.forEachRemaining(rest::add);
        assertEquals(2, rest.size());
        it.remove();
        assertEquals(List.of("JOB", "OTHER"), identities(d));

        ConcurrentDeque<String> e = new ConcurrentDeque<>(List.of(JOB, OTHER, JOB));
        Iterator<String> down = e.descendingIterator();
        down.forEachRemaining(x -> { });
        down.remove();
        assertEquals(List.of("OTHER", "JOB"), identities(e));

        Iterator<String> empty = new ConcurrentDeque<String>().iterator();
        empty.forEachRemaining(x -> { });
        assertThrows(IllegalStateException.class, empty::remove);
    }

    @Test
    void spliteratorIsOrderedNonNullAndConcurrentLikeTheJdkDeques() {
        ConcurrentDeque<Integer> d = new ConcurrentDeque<>(List.of(3, 1, 2));
        d.addFirst(0);
        Spliterator<Integer> s = d.spliterator();
        int required = Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.CONCURRENT;
        assertEquals(required, s.characteristics() & required);
        assertFalse(s.hasCharacteristics(Spliterator.SIZED), "a concurrent source promises no exact size");
        assertEquals(List.of(0, 3, 1, 2), d.stream().toList());
        assertEquals(List.of(0, 3, 1, 2), d.parallelStream().toList());
        assertEquals(required, d.stream().spliterator().characteristics() & required);
        List<Integer> seen = new ArrayList<>();
        d.forEach(seen::add);
        assertEquals(List.of(0, 3, 1, 2), seen);

        // Late-binding: the spliterator traverses what the deque holds when traversal starts, then a snapshot.
        Spliterator<Integer> late = d.spliterator();
        d.addLast(4);
        List<Integer> got = new ArrayList<>();
        assertTrue(late.tryAdvance(got::add));
        d.addLast(5);
        late.forEachRemaining(got::add);
        assertEquals(List.of(0, 3, 1, 2, 4), got);
    }

    @Test
    void removeIfRemovesExactlyTheOccurrencesItTested() {
        ConcurrentDeque<String> d = new ConcurrentDeque<>(List.of(OTHER, JOB));
        // While the filter runs, a producer puts another JOB at the front; the filter never saw it.
        assertTrue(d.removeIf(e -> {
            if (e == OTHER) {
                d.addFirst(JOB);
            }
            return e == JOB;
        }));
        assertEquals(List.of("JOB", "OTHER"), identities(d));
        assertEquals(2, d.size());

        ConcurrentDeque<String> all = new ConcurrentDeque<>(List.of(JOB, OTHER, JOB, "x"));
        assertTrue(all.removeIf(e -> e == JOB));
        assertEquals(List.of("OTHER", "x"), identities(all));
        assertFalse(all.removeIf(e -> e == JOB));
        assertTrue(all.removeIf(e -> true));
        assertTrue(all.isEmpty());
        assertEquals(0, all.size());
        assertThrows(NullPointerException.class, () -> all.removeIf(null));
    }

    @Test
    void removeAllAndRetainAllRemoveExactlyTheOccurrencesTheyTested() {
        ConcurrentDeque<String> d = new ConcurrentDeque<>(List.of(OTHER, JOB));
        assertTrue(d.removeAll(Membership.of(e -> {
            if (e == OTHER) {
                d.addFirst(JOB); // not seen by removeAll: it must stay
            }
            return e == JOB;
        }, 1)));
        assertEquals(List.of("JOB", "OTHER"), identities(d));

        ConcurrentDeque<String> r = new ConcurrentDeque<>(List.of(OTHER, JOB));
        assertTrue(r.retainAll(Membership.of(e -> {
            if (e == OTHER) {
                r.addFirst(JOB); // not seen by retainAll: it must stay
            }
            return e != JOB;
        }, 1)));
        assertEquals(List.of("JOB", "OTHER"), identities(r));

        ConcurrentDeque<Integer> n = new ConcurrentDeque<>(List.of(1, 2, 3, 2, 1));
        assertTrue(n.removeAll(List.of(2)));
        assertEquals(List.of(1, 3, 1), new ArrayList<>(n));
        assertFalse(n.removeAll(List.of(7)));
        assertTrue(n.retainAll(List.of(1)));
        assertEquals(List.of(1, 1), new ArrayList<>(n));
        assertEquals(2, n.size());
        assertThrows(NullPointerException.class, () -> n.removeAll(null));
        assertThrows(NullPointerException.class, () -> n.retainAll(null));
    }

    @Test
    void bulkRemovalKeepsTheDequeUsableForBlockedTakers() throws Exception {
        ConcurrentDeque<Integer> d = new ConcurrentDeque<>(List.of(1, 2, 3));
        assertTrue(d.removeIf(e -> true));
        assertTrue(d.isEmpty());
        AtomicReference<Integer> taken = new AtomicReference<>();
        Blocked taker = Blocked.start(() -> {
            taken.set(d.takeFirst());
            return null;
        });
        assertFalse(d.removeIf(e -> true));
        assertFalse(d.retainAll(List.of()));
        assertFalse(d.removeAll(List.of(1)));
        assertTrue(taker.thread().isAlive(), "nothing was inserted: the taker must still wait");
        d.addLast(4);
        assertNull(taker.outcome());
        assertEquals(4, taken.get());
    }

    /**
     * Random operations, from a fixed seed, against a model that tags every occurrence: the deque holds three values
     * many times over, so removing the wrong occurrence of a value shows as a different order of values.
     */
    @Test
    void iteratorAndBulkRemovalsAgreeWithAnOccurrenceModelUnderRandomOperations() {
        record Tagged(String value, long tag) { }
        List<String> values = List.of("A", "B", "C");
        Random random = new Random(42);
        ConcurrentDeque<String> d = new ConcurrentDeque<>();
        List<Tagged> model = new ArrayList<>();
        long[] tags = {0};
        Iterator<String> it = null;
        List<Tagged> itSnapshot = null;
        int itNext = 0;
        Tagged itLast = null;
        for (int step = 0; step < 20_000; step++) {
            String v = values.get(random.nextInt(3));
            switch (random.nextInt(11)) {
                case 0, 1 -> {
                    d.addFirst(v);
                    model.addFirst(new Tagged(v, tags[0]++));
                }
                case 2, 3 -> {
                    d.addLast(v);
                    model.addLast(new Tagged(v, tags[0]++));
                }
                case 4 -> assertEquals(model.isEmpty() ? null : model.removeFirst().value(), d.pollFirst());
                case 5 -> assertEquals(model.isEmpty() ? null : model.removeLast().value(), d.pollLast());
                case 6 -> {
                    int n = random.nextInt(7) - 3;
                    d.rotate(n);
                    if (!model.isEmpty()) {
                        Collections.rotate(model, n);
                    }
                }
                case 7 -> {
                    boolean descending = random.nextBoolean();
                    it = descending ? d.descendingIterator() : d.iterator();
                    itSnapshot = descending ? new ArrayList<>(model.reversed()) : new ArrayList<>(model);
                    itNext = 0;
                    itLast = null;
                }
                case 8, 9 -> {
                    if (it != null && it.hasNext()) {
                        itLast = itSnapshot.get(itNext++);
                        assertEquals(itLast.value(), it.next());
                    } else if (it != null && itLast != null) {
                        it.remove();
                        model.remove(itLast); // by tag: nothing if that occurrence is gone
                        itLast = null;
                    }
                }
                default -> {
                    if (random.nextInt(8) == 0) {
                        List<Tagged> snapshot = new ArrayList<>(model);
                        Set<Long> doomed = new HashSet<>();
                        int[] i = {0};
                        int produceAt = random.nextInt(snapshot.size() + 1);
                        d.removeIf(e -> {
                            if (i[0] == produceAt) { // a producer meanwhile: never tested, so never removed
                                d.addFirst(v);
                                model.addFirst(new Tagged(v, tags[0]++));
                            }
                            Tagged t = snapshot.get(i[0]++);
                            assertEquals(t.value(), e);
                            boolean remove = e.equals(v) && random.nextBoolean();
                            if (remove) {
                                doomed.add(t.tag());
                            }
                            return remove;
                        });
                        model.removeIf(t -> doomed.contains(t.tag()));
                    } else if (random.nextBoolean()) {
                        model.stream().filter(t -> t.value().equals(v)).findFirst().ifPresent(model::remove);
                        d.removeFirstOccurrence(v);
                    } else {
                        model.reversed().stream().filter(t -> t.value().equals(v)).findFirst()
                                .ifPresent(model::remove);
                        d.removeLastOccurrence(v);
                    }
                }
            }
            assertEquals(model.stream().map(Tagged::value).toList(), new ArrayList<>(d), "step " + step);
            assertEquals(model.size(), d.size());
        }
    }

}
