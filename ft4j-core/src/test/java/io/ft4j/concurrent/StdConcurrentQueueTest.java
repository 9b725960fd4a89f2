package io.ft4j.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StdConcurrentQueueTest {

    @Test
    void everyAcceptedElementIsOneTaskUntilDone() throws Exception {
        StdConcurrentQueue<String> q = new StdConcurrentQueue<>(2);
        q.join(); // nothing put: returns at once
        assertTrue(q.offer("a"));
        q.put("b");
        assertFalse(q.offer("c"));                                   // full: refused, not a task
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> q.add("c"));
        assertFalse(full instanceof ShutDownException, "full, not shut down");
        assertFalse(q.offer("c", 10, TimeUnit.MILLISECONDS));
        assertEquals(2, q.unfinishedTasks());
        assertEquals("a", q.take());
        assertEquals(2, q.unfinishedTasks(), "taking does not finish a task; taskDone does");
        q.taskDone();
        assertTrue(q.remove("b"));                                   // removed out of turn: no longer a task
        assertEquals(0, q.unfinishedTasks());
        IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
        assertTrue(e.getMessage().contains("taskDone()"), e.getMessage());
        assertEquals(0, q.unfinishedTasks(), "a surplus taskDone leaves the count alone");
    }

    @Test
    void iteratorRemoveEndsTheTaskAndShutdownNowReleasesJoin() throws Exception {
        StdConcurrentQueue<Integer> q = new StdConcurrentQueue<>();
        q.addAll(List.of(1, 2, 3));
        Iterator<Integer> it = q.iterator();
        it.next();
        it.remove();
        assertEquals(2, q.unfinishedTasks());
        assertEquals(List.of(2, 3), q.shutdownNow());
        assertEquals(0, q.unfinishedTasks());
        q.join(); // released
        assertTrue(q.isShutdown());
        assertThrows(ShutDownException.class, () -> q.put(4));
        assertThrows(ShutDownException.class, () -> q.add(4));
        assertFalse(q.offer(4), "offer reports the refusal by returning false");
        assertFalse(q.offer(4, 1, TimeUnit.SECONDS));
        assertEquals(0, q.unfinishedTasks(), "the refused insertions are not tasks");
    }

    @Test
    void badMaxSizeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StdConcurrentQueue<>(-1));
        assertTrue(e.getMessage().contains("maxSize"), e.getMessage());
    }

    @Test
    void drainToItselfIsRefusedAndChangesNothing() {
        StdConcurrentQueue<Integer> q = new StdConcurrentQueue<>();
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q), "even when empty");
        q.add(1);
        q.add(2);
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q, 5));
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
        assertEquals(2, q.size());
        assertEquals(2, q.unfinishedTasks(), "no element went round as a new task");
    }
}
