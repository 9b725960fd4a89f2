package io.ft4j.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.testing.Blocked;
import io.ft4j.testing.Race;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** IntervalLock: ft_utils' test_intervallock scenarios (11, 14) and the stronger hand-off rule. */
@SuppressWarnings("try")
class IntervalLockTest {
    private static final Duration LONG = Duration.ofSeconds(1000);

    @Test
    void lockUnlockAndScope() {
        IntervalLock lock = new IntervalLock();
        assertEquals(Duration.ofMillis(5), lock.interval());
        lock.lock();
        assertTrue(lock.isLocked());
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
        assertFalse(lock.isLocked());
        try (var held = lock.locked()) {
            assertTrue(lock.isHeldByCurrentThread());
        }
        assertFalse(lock.isLocked());
    }

    @Test
    void ownerChecks() throws Exception {
        IntervalLock lock = new IntervalLock();
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertThrows(IllegalMonitorStateException.class, lock::cedeIfDue);
        assertThrows(IllegalMonitorStateException.class, lock::cede);
        lock.lock();
        IllegalStateException relock = assertThrows(IllegalStateException.class, lock::lock);
        assertTrue(relock.getMessage().contains("not re-entrant"), relock.getMessage());
        assertThrows(IllegalStateException.class, lock::tryLock);
        Thread.ofPlatform().start(() -> {
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
            assertThrows(IllegalMonitorStateException.class, lock::cedeIfDue, "a stranger's cedeIfDue is an error at any time");
            assertThrows(IllegalMonitorStateException.class, lock::cede);
        }).join();
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
    }

    @Test
    void badArguments() {
        assertThrows(NullPointerException.class, () -> new IntervalLock(null));
        assertThrows(IllegalArgumentException.class, () -> new IntervalLock(Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> new IntervalLock().tryLock(1, null));
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), new IntervalLock(Duration.ofDays(1_000_000)).interval());
    }

    @Test
    void pollAndCedeKeepTheLockWhenNobodyWaits() {
        IntervalLock lock = new IntervalLock(Duration.ZERO);
        lock.lock();
        assertTrue(lock.cedeIfDue(), "past the interval, cedeIfDue cedes");
        assertTrue(lock.isHeldByCurrentThread(), "with nobody waiting the owner keeps the lock");
        lock.cede();
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
    }

    @Test
    void tenThreadsAreMutuallyExclusive() throws Exception {
        IntervalLock lock = new IntervalLock(Duration.ofNanos(1_000));
        AtomicInteger inside = new AtomicInteger();
        long[] counter = {0};
        Race.race(10, t -> {
            for (int i = 0; i < 2_000; i++) {
                lock.lock();
                try {
                    assertEquals(0, inside.getAndIncrement());
                    counter[0]++;
                    inside.decrementAndGet();
                    lock.cedeIfDue();
                } finally {
                    lock.unlock();
                }
            }
        });
        assertEquals(20_000, counter[0]);
    }

    /** Scenario 11: one cede hands the lock to each of ten queued waiters in turn, in arrival order. */
    @Test
    void cedeHandsTheLockToEveryWaiterInTurn() throws Exception {
        IntervalLock lock = new IntervalLock(LONG);
        List<Integer> turns = new CopyOnWriteArrayList<>();
        lock.lock();
        List<Blocked> waiters = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int id = i;
            waiters.add(Blocked.start(() -> {
                lock.lock();
                turns.add(id);
                lock.unlock();
                return null;
            }));
        }
        assertEquals(10, lock.getQueueLength());
        lock.cede();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), turns, "every waiter had its turn before the owner");
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
        for (Blocked w : waiters) {
            assertNull(w.outcome());
        }
    }

    /** Scenario 11, variant: the waiters cede inside too, so turns go round the ring twice. */
    @Test
    void waitersThatCedeQueueBehindTheOthers() throws Exception {
        IntervalLock lock = new IntervalLock(Duration.ZERO);
        List<String> turns = new CopyOnWriteArrayList<>();
        lock.lock();
        List<Blocked> waiters = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int id = i;
            waiters.add(Blocked.start(() -> {
                lock.lock();
                turns.add("a" + id);
                assertTrue(lock.cedeIfDue());
                turns.add("b" + id);
                lock.unlock();
                return null;
            }));
        }
        assertTrue(lock.cedeIfDue());
        turns.add("owner");
        lock.unlock();
        for (Blocked w : waiters) {
            assertNull(w.outcome());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add("a" + i);
        }
        expected.add("owner");
        for (int i = 0; i < 10; i++) {
            expected.add("b" + i);
        }
        assertEquals(expected, turns);
    }

    /** Scenario 11: before the interval is up, poll keeps the lock and cede hands it over. */
    @Test
    void cedeYieldsBeforeTheIntervalWhilePollDoesNot() throws Exception {
        IntervalLock lock = new IntervalLock(LONG);
        lock.lock();
        AtomicInteger got = new AtomicInteger();
        Blocked waiter = Blocked.start(() -> {
            lock.lock();
            got.incrementAndGet();
            lock.unlock();
            return null;
        });
        assertFalse(lock.cedeIfDue());
        assertEquals(0, got.get());
        assertEquals(1, lock.getQueueLength());
        lock.cede();
        assertEquals(1, got.get());
        lock.unlock();
        assertNull(waiter.outcome());
    }

    @Test
    void tryLockRespectsWaiters() throws Exception {
        IntervalLock lock = new IntervalLock(LONG);
        lock.lock();
        Blocked waiter = Blocked.start(() -> {
            lock.lock();
            lock.unlock();
            return null;
        });
        Thread.ofPlatform().start(() -> {
            try {
                assertFalse(lock.tryLock(10, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }).join();
        lock.unlock();
        assertNull(waiter.outcome());
        assertTrue(lock.tryLock());
        lock.unlock();
    }

    /** A timeout of Long.MAX_VALUE days must not overflow into a deadline in the past. */
    @Test
    void hugeTimeoutWaits() throws Exception {
        IntervalLock lock = new IntervalLock(LONG);
        lock.lock();
        Blocked waiter = Blocked.start(() -> {
            assertTrue(lock.tryLock(Long.MAX_VALUE, TimeUnit.DAYS));
            lock.unlock();
            return null;
        });
        lock.unlock();
        assertNull(waiter.outcome());
    }

    /** Scenario 14: an interrupted waiter leaves, the lock stays usable. */
    @Test
    void interruptibleWait() throws Exception {
        IntervalLock lock = new IntervalLock(LONG);
        lock.lock();
        Blocked waiter = Blocked.start(() -> {
            lock.lockInterruptibly();
            return null;
        });
        waiter.thread().interrupt();
        assertInstanceOf(InterruptedException.class, waiter.outcome());
        assertEquals(0, lock.getQueueLength());
        lock.cede();
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void noConditions() {
        assertThrows(UnsupportedOperationException.class, () -> new IntervalLock().newCondition());
    }
}
