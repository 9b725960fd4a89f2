package io.ft4j.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ft4j.testing.Blocked;
import io.ft4j.testing.Eventually;
import io.ft4j.testing.Race;
import io.ft4j.thread.Scheduling;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PriorityLock: grant order by priority, FIFO among equals, and the Lock contract's edges. */
@SuppressWarnings("try")
@Timeout(60)
class PriorityLockTest {
    /** Queues one waiter per priority, in this order, behind the test thread; returns the order they got the lock. */
    private static List<Integer> grantOrder(PriorityLock lock, int... priorities) throws Exception {
        List<Integer> turns = new CopyOnWriteArrayList<>();
        lock.lock();
        List<Blocked> waiters = new ArrayList<>();
        for (int i = 0; i < priorities.length; i++) {
            int id = i;
            int priority = priorities[i];
            waiters.add(Blocked.start(() -> {
                lock.lock(priority);
                turns.add(id);
                lock.unlock();
                return null;
            }));
        }
        assertEquals(priorities.length, lock.getQueueLength());
        lock.unlock();
        for (Blocked w : waiters) {
            assertNull(w.outcome());
        }
        return turns;
    }

    @Test
    void grantsHighestPriorityFirstAndFifoAmongEquals() throws Exception {
        PriorityLock lock = new PriorityLock("grants");
        //                               ids: 0  1   2  3    4   5  6    7
        List<Integer> turns = grantOrder(lock, 5, 30, 5, 150, 30, 0, 150, 5);
        assertEquals(List.of(3, 6, 1, 4, 0, 2, 7, 5), turns);
        assertFalse(lock.isLocked());
    }

    @Test
    void equalPrioritiesAreServedInArrivalOrder() throws Exception {
        assertEquals(List.of(0, 1, 2, 3, 4, 5), grantOrder(new PriorityLock(), 20, 20, 20, 20, 20, 20));
    }

    /** Without an explicit priority a waiter queues at its OS priority: lower nice first. */
    @Test
    void waitersQueueAtTheirOsPriority() throws Exception {
        assumeTrue(Scheduling.isSupported(), "OS priorities need Linux thread control");
        PriorityLock lock = new PriorityLock();
        int[] nices = {15, 5, 10, 0, 5}; // raising nice needs no privilege
        List<Integer> turns = new CopyOnWriteArrayList<>();
        lock.lock();
        List<Blocked> waiters = new ArrayList<>();
        for (int i = 0; i < nices.length; i++) {
            int id = i;
            int nice = nices[i];
            waiters.add(Blocked.start(() -> {
                Scheduling.setNice(nice); // this thread ends after the call, taking its nice value with it
                lock.lock();
                turns.add(id);
                lock.unlock();
                return null;
            }));
        }
        lock.unlock();
        for (Blocked w : waiters) {
            assertNull(w.outcome());
        }
        assertEquals(List.of(3, 1, 4, 2, 0), turns);
    }

    @Test
    void timedOutAndInterruptedWaitersLeaveTheQueue() throws Exception {
        PriorityLock lock = new PriorityLock();
        List<String> turns = new CopyOnWriteArrayList<>();
        lock.lock();
        Blocked low = Blocked.start(() -> {
            lock.lock(1);
            turns.add("low");
            lock.unlock();
            return null;
        });
        Blocked timed = Blocked.start(() -> lock.tryLock(100, 50, TimeUnit.MILLISECONDS));
        Blocked interrupted = Blocked.start(() -> {
            lock.lockInterruptibly(120);
            return null;
        });
        interrupted.thread().interrupt();
        assertInstanceOf(InterruptedException.class, interrupted.outcome());
        assertNull(timed.outcome(), "the timed wait returned (false) rather than throwing");
        assertEquals(1, lock.getQueueLength(), "only the low-priority waiter is left");
        lock.unlock();
        assertNull(low.outcome());
        assertEquals(List.of("low"), turns);
        assertFalse(lock.isLocked());
    }

    @Test
    void timedWaitReportsFailureAndSuccess() throws Exception {
        PriorityLock lock = new PriorityLock();
        lock.lock();
        Thread.ofPlatform().start(() -> {
            try {
                assertFalse(lock.tryLock(10, TimeUnit.MILLISECONDS));
                assertFalse(lock.tryLock(150, 10, TimeUnit.MILLISECONDS));
                assertFalse(lock.tryLock());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }).join();
        Blocked waiter = Blocked.start(() -> {
            assertTrue(lock.tryLock(Long.MAX_VALUE, TimeUnit.DAYS));
            lock.unlock();
            return null;
        });
        lock.unlock();
        assertNull(waiter.outcome());
    }

    @Test
    void mutualExclusionUnderMixedPriorities() throws Exception {
        PriorityLock lock = new PriorityLock();
        AtomicInteger inside = new AtomicInteger();
        long[] counter = {0};
        Race.race(6, t -> {
            for (int i = 0; i < 5_000; i++) {
                int priority = ThreadLocalRandom.current().nextInt(0, Scheduling.MAX_RANK + 1);
                try (var held = lock.locked(priority)) {
                    assertEquals(0, inside.getAndIncrement());
                    counter[0]++;
                    inside.decrementAndGet();
                }
            }
        });
        assertEquals(30_000, counter[0]);
        assertEquals(0, lock.getQueueLength());
    }

    @Test
    void ownerChecksAndBadArguments() throws Exception {
        PriorityLock lock = new PriorityLock();
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertThrows(IllegalArgumentException.class, () -> lock.lock(-1));
        assertThrows(IllegalArgumentException.class, () -> lock.lock(Scheduling.MAX_RANK + 1));
        assertThrows(IllegalArgumentException.class, () -> lock.tryLock(200, 1, TimeUnit.SECONDS));
        assertThrows(NullPointerException.class, () -> lock.tryLock(1, null));
        assertFalse(lock.isLocked(), "a refused call takes nothing");
        lock.lock(7);
        IllegalStateException relock = assertThrows(IllegalStateException.class, lock::lock);
        assertTrue(relock.getMessage().contains("not re-entrant"), relock.getMessage());
        Thread.ofPlatform().start(() -> assertThrows(IllegalMonitorStateException.class, lock::unlock)).join();
        assertTrue(lock.isHeldByCurrentThread());
        assertTrue(lock.toString().contains(Thread.currentThread().getName()), lock.toString());
        lock.unlock();
        assertThrows(UnsupportedOperationException.class, lock::newCondition);
    }

    @Test
    void virtualThreadsQueueAtTheirJavaPriority() throws Exception {
        PriorityLock lock = new PriorityLock();
        lock.lock(19);
        List<String> turns = new CopyOnWriteArrayList<>();
        Blocked platform = Blocked.start(() -> {
            lock.lock(19);
            turns.add("platform");
            lock.unlock();
            return null;
        });
        Thread virtual = Thread.ofVirtual().start(() -> {
            lock.lock(); // 4 x NORM_PRIORITY = 20: ahead of the platform thread queued before it at 19
            turns.add("virtual");
            lock.unlock();
        });
        Eventually.until("both waiters queued", () -> lock.getQueueLength() == 2);
        assertEquals(2, lock.getQueueLength());
        lock.unlock();
        virtual.join();
        assertNull(platform.outcome());
        assertEquals(List.of("virtual", "platform"), turns);
    }
}
