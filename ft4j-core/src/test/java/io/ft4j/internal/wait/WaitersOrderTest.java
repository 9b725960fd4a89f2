package io.ft4j.internal.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ft4j.testing.Blocked;
import io.ft4j.testing.Eventually;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Wake order of the two wait points. Each waiter returns once more grants were made than waiters have returned; a
 * test grants one at a time and signals once, so the order of returns is the order in which the wait point woke them.
 */
class WaitersOrderTest {
    private final AtomicInteger granted = new AtomicInteger();
    private final AtomicInteger returned = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();

    private Blocked waiter(Waiters w, String name, BooleanSupplier ready) {
        return Blocked.start(() -> {
            boolean ok = w.await(ready, 0, 0, false, 0L);
            order.add(name);
            returned.incrementAndGet();
            return ok;
        });
    }

    private Blocked waiter(Waiters w, String name) {
        return waiter(w, name, () -> granted.get() > returned.get());
    }

    private void grantOne(Waiters w) {
        int target = returned.get() + 1;
        granted.incrementAndGet();
        w.signal();
        Eventually.until("a woken waiter to return", () -> returned.get() == target);
    }

    @Test
    void fifoWakesTheLongestWaitingFirst() throws Exception {
        Waiters w = Waiters.fifo();
        Blocked a = waiter(w, "a");
        Blocked b = waiter(w, "b");
        Blocked c = waiter(w, "c");
        for (int i = 0; i < 3; i++) {
            grantOne(w);
        }
        assertEquals(List.of("a", "b", "c"), List.copyOf(order));
        for (Blocked x : List.of(a, b, c)) {
            assertNull(x.outcome());
        }
        assertFalse(w.hasWaiters());
    }

    @Test
    void aStackWakesTheMostRecentFirst() throws Exception {
        Waiters w = new Waiters();
        waiter(w, "a");
        waiter(w, "b");
        waiter(w, "c");
        for (int i = 0; i < 3; i++) {
            grantOne(w);
        }
        assertEquals(List.of("c", "b", "a"), List.copyOf(order));
    }

    @Test
    void aWokenWaiterThatFindsTheConditionTakenKeepsItsPlaceAtTheFront() throws Exception {
        Waiters w = Waiters.fifo();
        AtomicInteger testsByA = new AtomicInteger();
        Blocked a = waiter(w, "a", () -> {
            testsByA.incrementAndGet();
            return granted.get() > returned.get();
        });
        waiter(w, "b");
        int before = testsByA.get();
        w.signalUnlessPending(); // nothing granted: a wakes, finds nothing, registers again
        Eventually.until("the woken waiter to test again and park", () -> testsByA.get() > before
                && a.thread().getState() == Thread.State.WAITING);
        grantOne(w);
        assertEquals(List.of("a"), List.copyOf(order));
        grantOne(w);
        assertEquals(List.of("a", "b"), List.copyOf(order));
    }

    @Test
    void aWaiterThatTimesOutLeavesTheListAndTheOthersKeepTheirOrder() throws Exception {
        Waiters w = Waiters.fifo();
        waiter(w, "a");
        Blocked b = Blocked.start(() -> w.await(() -> false, 0, 0, true, System.nanoTime() + 50_000_000L));
        waiter(w, "c");
        assertNull(b.outcome());
        grantOne(w);
        grantOne(w);
        assertEquals(List.of("a", "c"), List.copyOf(order));
        assertFalse(w.hasWaiters());
    }

    @Test
    void signalAllWakesEveryWaiterOfAList() throws Exception {
        Waiters w = Waiters.fifo();
        List<Blocked> all = List.of(waiter(w, "a"), waiter(w, "b"), waiter(w, "c"));
        granted.set(3);
        w.signalAll();
        for (Blocked x : all) {
            assertNull(x.outcome());
        }
        assertEquals(3, returned.get());
        assertFalse(w.hasWaiters());
    }

    @Test
    void aSignalNotUsedByAnInterruptedWaiterIsPassedOn() throws Exception {
        Waiters w = Waiters.fifo();
        Blocked a = Blocked.start(() -> w.await(() -> granted.get() > returned.get(), 0, 0, false, 0L));
        waiter(w, "b");
        // a is woken and interrupted at once: whichever it sees first, b must not be left parked with a grant
        granted.incrementAndGet();
        w.signal();
        a.thread().interrupt();
        Throwable t = a.outcome();
        if (t instanceof InterruptedException) {
            Eventually.until("the passed-on signal to wake b", () -> returned.get() == 1);
            assertEquals(List.of("b"), List.copyOf(order));
        } else {
            assertNull(t); // a took the grant
        }
    }
}
