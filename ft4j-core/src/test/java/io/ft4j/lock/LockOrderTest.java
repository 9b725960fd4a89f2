package io.ft4j.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.testing.Race;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;

/** The lock-order checker: cycles from sequential runs, read locks, levels, critical sections, the checkers' race. */
class LockOrderTest extends LockOrderReports {
    private static void inThread(Runnable r) throws Exception {
        Race.race(1, i -> r.run());
    }

    /** Takes {@code outer}, then {@code inner} while holding it, then releases both. */
    private static void nested(Lock outer, Lock inner) {
        outer.lock();
        try {
            inner.lock();
            inner.unlock();
        } finally {
            outer.unlock();
        }
    }

    /** A→B in one thread, later B→A in another, never overlapping: reported, naming both acquisition sites. */
    @Test
    void cycleFromSequentialRunsIsReportedWithBothSites() throws Exception {
        ReaderWriterLock a = new ReaderWriterLock("A");
        ReaderWriterLock b = new ReaderWriterLock("B");
        inThread(() -> {
            a.writeLock().lock();
            b.writeLock().lock(); // site 1
            b.writeLock().unlock();
            a.writeLock().unlock();
        });
        assertEquals(List.of(), reports);
        inThread(() -> {
            b.writeLock().lock();
            a.writeLock().lock(); // site 2
            a.writeLock().unlock();
            b.writeLock().unlock();
        });
        assertEquals(1, reports.size());
        String m = reports.get(0).getMessage();
        assertTrue(m.startsWith("Potential deadlock"), m);
        assertTrue(m.contains("B (write) then A (write) at io.ft4j.lock.LockOrderTest"), m);
        assertTrue(m.contains("A (write) then B (write) at io.ft4j.lock.LockOrderTest"), m);
        assertEquals(2, m.split("LockOrderTest.java:").length - 1, "both acquisition lines are named: " + m);

        inThread(() -> {
            b.writeLock().lock();
            a.writeLock().lock();
            a.writeLock().unlock();
            b.writeLock().unlock();
        });
        assertEquals(1, reports.size(), "a cycle is reported once");
    }

    @Test
    void strictModeThrowsBeforeAcquiring() throws Exception {
        LockOrder.setMode(LockOrder.Mode.STRICT);
        IntervalLock a = new IntervalLock(Duration.ofMillis(5), "A");
        IntervalLock b = new IntervalLock(Duration.ofMillis(5), "B");
        a.lock();
        b.lock();
        b.unlock();
        a.unlock();
        b.lock();
        assertThrows(LockOrderViolationException.class, a::lock);
        assertFalse(a.isLocked(), "the lock is not taken when the checker refuses");
        assertThrows(LockOrderViolationException.class, a::lock, "a refused edge stays refused");
        b.unlock();
        a.lock(); // alone, fine
        a.unlock();
        assertEquals(List.of(), reports, "strict mode throws instead of reporting");
    }

    @Test
    void aCycleReportedEarlierIsRefusedOnceStrict() throws Exception {
        ReaderWriterLock a = new ReaderWriterLock("A");
        ReaderWriterLock b = new ReaderWriterLock("B");
        for (ReaderWriterLock[] order : new ReaderWriterLock[][] {{a, b}, {b, a}}) {
            inThread(() -> nested(order[0].writeLock(), order[1].writeLock()));
        }
        assertEquals(1, reports.size());
        LockOrder.setMode(LockOrder.Mode.STRICT);
        b.writeLock().lock();
        try {
            assertThrows(LockOrderViolationException.class, () -> a.writeLock().lock());
        } finally {
            b.writeLock().unlock();
        }
        a.writeLock().lock();
        b.writeLock().lock(); // the first order was never a violation
        b.writeLock().unlock();
        a.writeLock().unlock();
    }

    @Test
    void cyclesThroughThreeLocks() throws Exception {
        Lock a = LockOrder.wrap(new ReentrantLock(), "A");
        ReaderWriterLock b = new ReaderWriterLock("B");
        IntervalLock c = new IntervalLock(Duration.ofMillis(5), "C");
        inThread(() -> nested(a, b.writeLock()));
        inThread(() -> nested(b.readLock(), c));
        assertEquals(List.of(), reports);
        inThread(() -> nested(c, a));
        assertEquals(1, reports.size());
        String m = reports.get(0).getMessage();
        assertTrue(m.contains("between 3 locks"), m);
        assertTrue(m.contains("C (write) then A (write)") && m.contains("A (write) then B (write)")
                && m.contains("B (read) then C (write)"), m);
    }

    /** Readers never block readers unless a writer can queue between them: a lock never written makes no cycle. */
    @Test
    void readOnlyCycleIsNotADeadlockUntilTheLockIsWritten() throws Exception {
        ReaderWriterLock a = new ReaderWriterLock("A");
        ReaderWriterLock b = new ReaderWriterLock("B");
        inThread(() -> nested(a.readLock(), b.readLock()));
        inThread(() -> nested(b.readLock(), a.readLock()));
        assertEquals(List.of(), reports, "Guava reports this; no reader here can wait for another");

        ReaderWriterLock e = new ReaderWriterLock("E");
        ReaderWriterLock f = new ReaderWriterLock("F");
        inThread(() -> {
            e.writeLock().lock(); // only E has a writer: F's readers never wait, so the cycle cannot close
            e.writeLock().unlock();
            e.readLock().lock();
            f.readLock().lock();
            f.readLock().unlock();
            e.readLock().unlock();
            f.readLock().lock();
            e.readLock().lock();
            e.readLock().unlock();
            f.readLock().unlock();
        });
        assertEquals(List.of(), reports);

        ReaderWriterLock c = new ReaderWriterLock("C");
        ReaderWriterLock d = new ReaderWriterLock("D");
        inThread(() -> {
            c.writeLock().lock(); // both have writers: new readers can queue behind them
            c.writeLock().unlock();
            d.writeLock().lock();
            d.writeLock().unlock();
            c.readLock().lock();
            d.readLock().lock();
            d.readLock().unlock();
            c.readLock().unlock();
        });
        inThread(() -> nested(d.readLock(), c.readLock()));
        assertEquals(1, reports.size(), "writers waiting on C and D would close the deadlock between the readers");
    }

    /**
     * read(A) then B, and B then read(A), while A has no writer: harmless, and not reported. A's first writer makes it
     * a deadlock (a thread holding read(A) waits for B; the one holding B waits behind the writer queued on A): it is
     * reported then, once, naming both orders, and not again when both orders repeat.
     */
    @Test
    void aReadCycleIsReportedWhenItsLockFirstGetsAWriter() throws Exception {
        ReaderWriterLock a = new ReaderWriterLock("A");
        Lock b = LockOrder.wrap(new ReentrantLock(), "B");
        inThread(() -> nested(a.readLock(), b));
        inThread(() -> nested(b, a.readLock()));
        assertEquals(List.of(), reports, "no writer of A yet: readers of A never wait for each other");

        inThread(() -> {
            a.writeLock().lock();
            a.writeLock().unlock();
        });
        assertEquals(1, reports.size(), reports.toString());
        String m = reports.get(0).getMessage();
        assertTrue(m.contains("A was first write-locked at io.ft4j.lock.LockOrderTest"), m);
        assertTrue(m.contains("A (read) then B (write)") && m.contains("B (write) then A (read)"), m);

        inThread(() -> nested(a.readLock(), b));
        inThread(() -> nested(b, a.readLock()));
        assertEquals(1, reports.size(), "reported once: " + reports);
    }

    /** read(A) then B, B then read(A), each in its own thread; then A's first writer, in a third. */
    private static void readCycleThenFirstWrite(ReaderWriterLock a, Lock b) throws Exception {
        inThread(() -> nested(a.readLock(), b));
        inThread(() -> nested(b, a.readLock()));
        inThread(() -> {
            a.writeLock().lock();
            a.writeLock().unlock();
        });
    }

    /** The same in strict mode: the write goes ahead, and the next acquisition that closes the cycle is refused. */
    @Test
    void inStrictModeTheNextAcquisitionOfAReadCycleMadeRealIsRefused() throws Exception {
        LockOrder.setMode(LockOrder.Mode.STRICT);
        ReaderWriterLock a = new ReaderWriterLock("A");
        Lock b = LockOrder.wrap(new ReentrantLock(), "B");
        readCycleThenFirstWrite(a, b);
        inThread(() -> {
            b.lock();
            try {
                LockOrderViolationException x = assertThrows(LockOrderViolationException.class,
                        () -> a.readLock().lock());
                assertTrue(x.getMessage().contains("B (write) then A (read)"), x.getMessage());
                assertFalse(a.isWriteLocked() || a.getReadLockCount() > 0, "refused before acquiring");
            } finally {
                b.unlock();
            }
        });
        assertEquals(List.of(), reports);
    }

    /**
     * Found in strict mode at the first write (marked, not reported), then the mode turns to report: the next
     * acquisition closing the cycle reports it, once.
     */
    @Test
    void aReadCycleMadeRealInStrictModeIsReportedAfterSwitchingToReport() throws Exception {
        LockOrder.setMode(LockOrder.Mode.STRICT);
        ReaderWriterLock a = new ReaderWriterLock("A");
        Lock b = LockOrder.wrap(new ReentrantLock(), "B");
        readCycleThenFirstWrite(a, b);
        LockOrder.setMode(LockOrder.Mode.REPORT);
        inThread(() -> nested(b, a.readLock()));
        inThread(() -> nested(b, a.readLock()));
        assertEquals(1, reports.size(), reports.toString());
        assertTrue(reports.get(0).getMessage().contains("B (write) then A (read)"), reports.get(0).getMessage());
    }

    /**
     * A's first writer and the acquisition that closes the read cycle, at once: whichever comes second under the
     * graph's lock sees the other, so the cycle is reported exactly once.
     */
    @Test
    void theFirstWriterRacingTheClosingAcquisitionReportsOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            reports.clear();
            ReaderWriterLock a = new ReaderWriterLock("A");
            Lock b = LockOrder.wrap(new ReentrantLock(), "B");
            inThread(() -> nested(a.readLock(), b));
            Race.race(2, i -> {
                if (i == 0) {
                    a.writeLock().lock();
                    a.writeLock().unlock();
                } else {
                    nested(b, a.readLock());
                }
            });
            assertEquals(1, reports.size(), "round " + round + ": " + reports);
        }
    }

    /** The same read-only cycle through Guava's checker: it treats read locks as exclusive and reports it. */
    @Test
    void guavaReportsTheReadOnlyCycleThatIsNoDeadlock() throws Exception {
        List<Exception> guavaReports = new CopyOnWriteArrayList<>();
        com.google.common.util.concurrent.CycleDetectingLockFactory guava =
                com.google.common.util.concurrent.CycleDetectingLockFactory.newInstance(guavaReports::add);
        ReentrantReadWriteLock a = guava.newReentrantReadWriteLock("A");
        ReentrantReadWriteLock b = guava.newReentrantReadWriteLock("B");
        ReaderWriterLock ourA = new ReaderWriterLock("A");
        ReaderWriterLock ourB = new ReaderWriterLock("B");
        inThread(() -> {
            a.readLock().lock();
            b.readLock().lock();
            b.readLock().unlock();
            a.readLock().unlock();
            ourA.readLock().lock();
            ourB.readLock().lock();
            ourB.readLock().unlock();
            ourA.readLock().unlock();
        });
        inThread(() -> {
            b.readLock().lock();
            a.readLock().lock();
            a.readLock().unlock();
            b.readLock().unlock();
            ourB.readLock().lock();
            ourA.readLock().lock();
            ourA.readLock().unlock();
            ourB.readLock().unlock();
        });
        assertEquals(1, guavaReports.size(), "Guava's false positive between readers");
        assertEquals(List.of(), reports);
    }

    @Test
    void reentrantReadsAndDowngradeAddNoEdges() throws Exception {
        ReaderWriterLock a = new ReaderWriterLock("A");
        ReaderWriterLock b = new ReaderWriterLock("B");
        inThread(() -> {
            a.writeLock().lock();
            b.writeLock().lock();
            a.readLock().lock(); // downgrade-style read under our own write lock: no B -> A edge
            a.writeLock().lock(); // re-entrant write: no B -> A edge either
            a.writeLock().unlock();
            a.readLock().unlock();
            b.writeLock().unlock();
            a.writeLock().unlock();
        });
        inThread(() -> nested(a.writeLock(), b.writeLock()));
        assertEquals(List.of(), reports);
    }

    @Test
    void levelsMustIncrease() throws Exception {
        ReaderWriterLock low = new ReaderWriterLock("low", 1);
        ReaderWriterLock high = new ReaderWriterLock("high", 2);
        ReaderWriterLock unranked = new ReaderWriterLock("free");
        inThread(() -> {
            low.writeLock().lock();
            high.readLock().lock();
            unranked.writeLock().lock();
            unranked.writeLock().unlock();
            high.readLock().unlock();
            low.writeLock().unlock();
        });
        assertEquals(List.of(), reports);
        inThread(() -> nested(high.writeLock(), low.readLock()));
        assertEquals(2, reports.size(), "the hierarchy breach, and the cycle it closes");
        assertTrue(reports.get(0).getMessage().contains("Lock hierarchy broken: acquiring low (level 1, read)"
                + " while holding high (level 2)"), reports.get(0).getMessage());
    }

    @Test
    void nestedCriticalSectionsAreChecked() throws Exception {
        Object a = new Object();
        Object b = new Object();
        boolean aFirst = System.identityHashCode(a) < System.identityHashCode(b);
        Object low = aFirst ? a : b;
        Object high = aFirst ? b : a;
        CriticalSection.run(low, high, () -> {});
        CriticalSection.run(high, low, () -> {});
        assertEquals(List.of(), reports, "one call orders its objects itself");
        CriticalSection.run(low, () -> CriticalSection.run(high, () -> {}));
        assertEquals(List.of(), reports, "nesting in the sections' own order is fine");
        inThread(() -> CriticalSection.run(high, () -> CriticalSection.run(low, () -> {})));
        assertEquals(1, reports.size(), "nesting against it can deadlock with a two-object section");
        assertTrue(reports.get(0).getMessage().contains("Object@"), reports.get(0).getMessage());
    }

    /** Tied objects are ordered by the argument order, which may differ between calls: no false cycle from that. */
    @Test
    void tiedObjectsInOneSectionAddNoOrderBetweenThem() throws Exception {
        java.util.Map<Integer, Object> seen = new java.util.HashMap<>();
        Object[] tie = null;
        while (tie == null) {
            Object o = new Object();
            Object before = seen.putIfAbsent(System.identityHashCode(o), o);
            tie = before == null ? null : new Object[] {before, o};
        }
        Object p = tie[0];
        Object q = tie[1];
        LockOrder.setMode(LockOrder.Mode.STRICT);
        CriticalSection.run(p, q, () -> {});
        CriticalSection.run(q, p, () -> {});
        CriticalSection.run(new Object[] {q, p}, () -> {});
    }

    /**
     * cede() gives the lock up and waits for it again while keeping the locks taken since: with a waiter that then
     * wants one of those, that is a deadlock, and the checker reports it at the cede.
     */
    @Test
    void cedeUnderAnotherLockIsAnAcquisition() throws Exception {
        IntervalLock interval = new IntervalLock(Duration.ofSeconds(1000), "I");
        Lock m = LockOrder.wrap(new ReentrantLock(), "M");
        interval.lock();
        m.lock();
        io.ft4j.testing.Blocked waiter = io.ft4j.testing.Blocked.start(() -> {
            interval.lock();
            interval.unlock();
            return null;
        });
        interval.cede();
        m.unlock();
        interval.unlock();
        assertEquals(null, waiter.outcome());
        assertEquals(1, reports.size(), reports.toString());
        assertTrue(reports.get(0).getMessage().contains("M (write) then I (write)"), reports.get(0).getMessage());
    }

    @Test
    void wrappedReadWriteLocks() throws Exception {
        ReadWriteLock a = LockOrder.wrap(new ReentrantReadWriteLock(), "A");
        ReaderWriterLock b = new ReaderWriterLock("B");
        inThread(() -> {
            a.writeLock().lock();
            a.writeLock().unlock();
            a.readLock().lock();
            b.writeLock().lock();
            b.writeLock().unlock();
            a.readLock().unlock();
        });
        inThread(() -> nested(b.writeLock(), a.readLock()));
        assertEquals(1, reports.size());
    }

    /** Untimed tryLock cannot wait, so cannot deadlock: it records no order, but what it takes counts as held. */
    @Test
    void tryLockAddsNoEdgeButCountsAsHeld() throws Exception {
        ReaderWriterLock a = new ReaderWriterLock("A");
        ReaderWriterLock b = new ReaderWriterLock("B");
        inThread(() -> {
            assertTrue(a.writeLock().tryLock());
            assertTrue(b.writeLock().tryLock());
            b.writeLock().unlock();
            a.writeLock().unlock();
        });
        inThread(() -> nested(b.writeLock(), a.writeLock()));
        assertEquals(List.of(), reports);
        inThread(() -> {
            assertTrue(a.writeLock().tryLock());
            b.writeLock().lock(); // A held (by tryLock), B wanted: closes the cycle with B -> A
            b.writeLock().unlock();
            a.writeLock().unlock();
        });
        assertEquals(1, reports.size());
    }

    /**
     * Guava's open race (#2048): two threads each add one half of a cycle at the same moment, and each one's search
     * misses the other's edge. Here edges are added under one lock, so every round reports exactly once.
     */
    @Test
    void twoThreadsClosingACycleAtOnceAreSeen() throws Exception {
        for (int round = 0; round < 50; round++) {
            LockOrder.reset();
            reports.clear();
            ReaderWriterLock a = new ReaderWriterLock("A");
            ReaderWriterLock b = new ReaderWriterLock("B");
            CyclicBarrier both = new CyclicBarrier(2);
            Race.race(2, t -> {
                ReaderWriterLock first = t == 0 ? a : b;
                ReaderWriterLock second = t == 0 ? b : a;
                first.writeLock().lock();
                try {
                    both.await();
                    if (second.writeLock().tryLock(1, TimeUnit.MILLISECONDS)) { // timed: waits, so it is checked
                        second.writeLock().unlock();
                    }
                    both.await();
                } catch (Exception e) {
                    throw new AssertionError(e);
                } finally {
                    first.writeLock().unlock();
                }
            });
            assertEquals(1, reports.size(), "round " + round + ": " + reports);
        }
    }

    @Test
    void locksTakenWhileOffAreForgotten() throws Exception {
        ReaderWriterLock a = new ReaderWriterLock("A");
        ReaderWriterLock b = new ReaderWriterLock("B");
        LockOrder.setMode(LockOrder.Mode.OFF);
        a.writeLock().lock();
        b.writeLock().lock();
        b.writeLock().unlock();
        LockOrder.setMode(LockOrder.Mode.REPORT);
        b.writeLock().lock(); // A is held, but the checker did not see it taken: no A -> B edge
        b.writeLock().unlock();
        a.writeLock().unlock(); // releasing what the checker never saw is fine
        inThread(() -> nested(b.writeLock(), a.writeLock()));
        assertEquals(List.of(), reports);
    }

    @Test
    void modeFromTextAndBadArguments() {
        assertEquals(LockOrder.Mode.STRICT, LockOrder.parse(" Strict "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LockOrder.parse("loud"));
        assertTrue(e.getMessage().contains("off, report or strict"), e.getMessage());
        assertThrows(NullPointerException.class, () -> LockOrder.setMode(null));
        assertThrows(NullPointerException.class, () -> LockOrder.onViolation(null));
        assertThrows(NullPointerException.class, () -> LockOrder.wrap((Lock) null, "x"));
        assertThrows(NullPointerException.class, () -> LockOrder.wrap(new ReentrantLock(), null));
        assertEquals(LockOrder.Mode.REPORT, LockOrder.mode());
    }
}
