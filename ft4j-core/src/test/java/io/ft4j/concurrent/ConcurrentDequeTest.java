package io.ft4j.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import io.ft4j.testing.Blocked;
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
}
