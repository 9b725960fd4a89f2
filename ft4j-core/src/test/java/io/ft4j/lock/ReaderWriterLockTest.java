package io.ft4j.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.testing.Blocked;
import io.ft4j.testing.Eventually;
import io.ft4j.testing.Race;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * ReaderWriterLock: ft_utils' RWLock scenarios (12, 14), owner checks, re-entrancy, downgrade, refused upgrade,
 * optimistic reads and parked writers. Runs on the adaptive lock; {@code ReaderWriterLockBiasedTest} and
 * {@code ReaderWriterLockCompactTest} run every test again with bias always on (readers take slots whenever no writer
 * has just revoked them) and never on.
 */
@SuppressWarnings("try")
class ReaderWriterLockTest {
    final ReaderWriterLock lock = newLock("test");

    /** @return the lock under test, with the bias policy of this class */
    ReaderWriterLock newLock(String name) {
        return new ReaderWriterLock(name);
    }

    @Test
    void readAndWriteScopes() {
        try (var r = lock.read()) {
            assertEquals(1, lock.getReadLockCount());
            assertEquals(1, lock.getReadHoldCount());
            assertFalse(lock.isWriteLocked());
        }
        assertEquals(0, lock.getReadLockCount());
        try (var w = lock.write()) {
            assertTrue(lock.isWriteLocked());
            assertTrue(lock.isWriteLockedByCurrentThread());
            assertEquals(0, lock.getQueuedWriterCount());
        }
        assertFalse(lock.isWriteLocked());
    }

    @Test
    void unlockingWhatIsNotHeldThrows() throws Exception {
        assertThrows(IllegalMonitorStateException.class, () -> lock.readLock().unlock());
        assertThrows(IllegalMonitorStateException.class, () -> lock.writeLock().unlock());
        lock.writeLock().lock();
        Thread other = Thread.ofPlatform().start(() -> {
            assertThrows(IllegalMonitorStateException.class, () -> lock.writeLock().unlock());
            assertThrows(IllegalMonitorStateException.class, () -> lock.readLock().unlock());
        });
        other.join();
        assertTrue(lock.isWriteLockedByCurrentThread(), "a stranger's unlock must not release the writer");
        lock.writeLock().unlock();
        lock.readLock().lock();
        lock.readLock().unlock();
        assertThrows(IllegalMonitorStateException.class, () -> lock.readLock().unlock(), "unbalanced unlock");
    }

    @Test
    void upgradeFailsFastAndKeepsTheReadHold() {
        lock.readLock().lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> lock.writeLock().lock());
        assertTrue(e.getMessage().contains("release the read lock"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> lock.writeLock().tryLock());
        assertEquals(1, lock.getReadHoldCount());
        assertEquals(0, lock.getQueuedWriterCount());
        lock.readLock().unlock();
        assertTrue(lock.writeLock().tryLock());
        lock.writeLock().unlock();
    }

    @Test
    void downgradeKeepsWritersOutBetweenWriteAndRead() throws Exception {
        lock.writeLock().lock();
        lock.readLock().lock(); // allowed under our own write lock
        Blocked writer = Blocked.start(() -> {
            lock.writeLock().lock();
            lock.writeLock().unlock();
            return null;
        });
        lock.writeLock().unlock();
        assertEquals(1, lock.getReadHoldCount());
        assertEquals(1, lock.getReadLockCount());
        Thread.ofPlatform().start(() -> assertFalse(lock.writeLock().tryLock(), "the downgraded read hold keeps"
                + " writers out")).join();
        assertFalse(lock.isWriteLocked(), "the queued writer must wait for the downgraded read hold");
        assertTrue(writer.thread().isAlive());
        lock.readLock().unlock();
        assertNull(writer.outcome());
    }

    @Test
    void bothSidesAreReentrant() throws Exception {
        lock.writeLock().lock();
        lock.writeLock().lock();
        lock.writeLock().unlock();
        assertTrue(lock.isWriteLocked());
        lock.writeLock().unlock();
        assertFalse(lock.isWriteLocked());

        lock.readLock().lock();
        Blocked writer = Blocked.start(() -> {
            lock.writeLock().lock();
            lock.writeLock().unlock();
            return null;
        });
        assertEquals(1, lock.getQueuedWriterCount());
        // ft_utils deadlocks here: a second read hold waits behind the queued writer that waits for the first.
        assertTrue(lock.readLock().tryLock(), "a re-entrant read must not queue behind a waiting writer");
        assertEquals(2, lock.getReadHoldCount());
        lock.readLock().unlock();
        lock.readLock().unlock();
        assertNull(writer.outcome());
    }

    /** ft_utils scenario 12: 5 readers hold, 1 writer queues, 5 new readers wait behind it. */
    @Test
    void writerPreference() throws Exception {
        CountDownLatch holding = new CountDownLatch(5);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> holders = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            holders.add(Thread.ofPlatform().start(() -> {
                lock.readLock().lock();
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lock.readLock().unlock();
                }
            }));
        }
        holding.await();
        AtomicInteger order = new AtomicInteger();
        AtomicInteger writerTurn = new AtomicInteger(-1);
        Blocked writer = Blocked.start(() -> {
            lock.writeLock().lock();
            writerTurn.set(order.getAndIncrement());
            lock.writeLock().unlock();
            return null;
        });
        List<Blocked> late = new ArrayList<>();
        AtomicInteger firstLateTurn = new AtomicInteger(Integer.MAX_VALUE);
        for (int i = 0; i < 5; i++) {
            late.add(Blocked.start(() -> {
                lock.readLock().lock();
                firstLateTurn.accumulateAndGet(order.getAndIncrement(), Math::min);
                lock.readLock().unlock();
                return null;
            }));
        }
        assertEquals(5, lock.getReadLockCount());
        assertEquals(1, lock.getQueuedWriterCount());
        assertFalse(lock.isWriteLocked());
        release.countDown();
        for (Thread t : holders) {
            t.join();
        }
        assertNull(writer.outcome());
        for (Blocked b : late) {
            assertNull(b.outcome());
        }
        assertEquals(0, writerTurn.get(), "the queued writer goes before the readers that came after it");
        assertEquals(1, firstLateTurn.get());
    }

    @Test
    void writersWaitingWhileTenReadersHold() throws Exception {
        CountDownLatch holding = new CountDownLatch(10);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            readers.add(Thread.ofPlatform().start(() -> {
                try (var r = lock.read()) {
                    holding.countDown();
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        holding.await();
        assertEquals(10, lock.getReadLockCount());
        Blocked writer = Blocked.start(() -> {
            try (var w = lock.write()) {
                return null;
            }
        });
        assertEquals(1, lock.getQueuedWriterCount());
        release.countDown();
        assertNull(writer.outcome());
        for (Thread t : readers) {
            t.join();
        }
        assertEquals(0, lock.getQueuedWriterCount());
    }

    @Test
    void readersOverlap() throws Exception {
        CountDownLatch all = new CountDownLatch(4);
        Race.race(4, i -> {
            try (var r = lock.read()) {
                all.countDown();
                assertTrue(all.await(10, TimeUnit.SECONDS), "four readers must be inside together");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    /** Serialisation: plain increments under the write lock, read back under the read lock, lose nothing. */
    @Test
    void writersExcludeEveryone() throws Exception {
        long[] counter = {0};
        AtomicInteger inside = new AtomicInteger();
        Race.race(4, t -> {
            for (int i = 0; i < 20_000; i++) {
                if (i % 4 == t) {
                    try (var w = lock.write()) {
                        assertEquals(0, inside.getAndIncrement(), "a writer shares the lock");
                        counter[0]++;
                        inside.decrementAndGet();
                    }
                } else {
                    try (var r = lock.read()) {
                        assertTrue(counter[0] >= 0);
                    }
                }
            }
        });
        assertEquals(20_000, counter[0]);
    }

    @Test
    void timedAttemptsGiveUpAndLeaveNothingBehind() throws Exception {
        lock.readLock().lock();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                assertFalse(lock.writeLock().tryLock(20, TimeUnit.MILLISECONDS));
                assertFalse(lock.writeLock().tryLock());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        writer.join();
        assertEquals(0, lock.getQueuedWriterCount(), "a writer that gave up must withdraw");
        assertTrue(lock.readLock().tryLock(), "readers are not held off by a writer that left");
        lock.readLock().unlock();
        lock.readLock().unlock();

        lock.writeLock().lock();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                assertFalse(lock.readLock().tryLock(20, TimeUnit.MILLISECONDS));
                assertEquals(0, lock.getReadHoldCount());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        reader.join();
        assertEquals(0, lock.getReadLockCount());
        lock.writeLock().unlock();
    }

    /** ft_utils scenario 14: interrupting a thread blocked on either side. */
    @Test
    void interruptibleAcquisition() throws Exception {
        lock.writeLock().lock();
        Blocked reader = Blocked.start(() -> {
            lock.readLock().lockInterruptibly();
            return null;
        });
        reader.thread().interrupt();
        assertInstanceOf(InterruptedException.class, reader.outcome());
        lock.writeLock().unlock();

        lock.readLock().lock();
        Blocked writer = Blocked.start(() -> {
            lock.writeLock().lockInterruptibly();
            return null;
        });
        assertEquals(1, lock.getQueuedWriterCount());
        writer.thread().interrupt();
        assertInstanceOf(InterruptedException.class, writer.outcome());
        assertEquals(0, lock.getQueuedWriterCount());
        lock.readLock().unlock();
        assertTrue(lock.writeLock().tryLock());
        lock.writeLock().unlock();
    }

    @Test
    void uninterruptibleLockKeepsTheInterrupt() throws Exception {
        lock.writeLock().lock();
        Blocked reader = Blocked.start(() -> {
            lock.readLock().lock();
            boolean interrupted = Thread.currentThread().isInterrupted();
            lock.readLock().unlock();
            return interrupted ? null : new AssertionError("interrupt status lost");
        });
        reader.thread().interrupt();
        Eventually.until("the interrupted reader waiting again", () -> reader.thread().getState() != Thread.State.RUNNABLE);
        assertTrue(reader.thread().isAlive(), "lock() must keep waiting when interrupted");
        lock.writeLock().unlock();
        assertNull(reader.outcome());
    }

    /** A timeout of Long.MAX_VALUE days must not overflow into a deadline in the past. */
    @Test
    void hugeTimeoutsWait() throws Exception {
        lock.writeLock().lock();
        Blocked reader = Blocked.start(() -> {
            assertTrue(lock.readLock().tryLock(Long.MAX_VALUE, TimeUnit.DAYS));
            lock.readLock().unlock();
            return null;
        });
        Blocked writer = Blocked.start(() -> {
            assertTrue(lock.writeLock().tryLock(Long.MAX_VALUE, TimeUnit.NANOSECONDS));
            lock.writeLock().unlock();
            return null;
        });
        lock.writeLock().unlock();
        assertNull(reader.outcome());
        assertNull(writer.outcome());
    }

    @Test
    void theSlotTableHasAFixedSizeWhateverTheNumberOfReadingThreads() throws Exception {
        ReaderWriterLock biased = new ReaderWriterLock(null, LockOrder.NO_LEVEL, ReaderWriterLock.ALWAYS);
        int size = biased.slotCount();
        assertTrue(size >= 4 && size <= 256, "slots: " + size);
        CountDownLatch holding = new CountDownLatch(64);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            readers.add(Thread.ofVirtual().start(() -> {
                biased.readLock().lock();
                biased.readLock().lock(); // re-entrant, on whichever path the first hold took
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    biased.readLock().unlock();
                    biased.readLock().unlock();
                }
            }));
        }
        holding.await();
        assertEquals(128, biased.getReadLockCount(), "every hold counted, in a slot or centrally");
        assertEquals(size, biased.slotCount(), "64 readers at once on a table of " + size);
        release.countDown();
        for (Thread t : readers) {
            t.join();
        }
        assertEquals(0, biased.getReadLockCount());
        assertEquals(size, biased.slotCount());
        assertTrue(biased.writeLock().tryLock(), "every slot was cleared: " + biased);
        biased.writeLock().unlock();
    }

    @Test
    void badArguments() {
        assertThrows(NullPointerException.class, () -> new ReaderWriterLock(null));
        assertThrows(NullPointerException.class, () -> lock.readLock().tryLock(1, null));
        assertThrows(UnsupportedOperationException.class, () -> lock.writeLock().newCondition());
        assertThrows(UnsupportedOperationException.class, () -> lock.readLock().newCondition());
    }

    // ------------------------------------------------------------------ optimistic reads

    @Test
    void anOptimisticStampValidatesUntilAWriterEnters() throws Exception {
        long stamp = lock.tryOptimisticRead();
        assertTrue(stamp != 0L);
        assertTrue(lock.validate(stamp), "nothing happened since the stamp");
        try (var r = lock.read()) {
            assertTrue(lock.validate(stamp), "readers do not invalidate stamps");
            assertEquals(stamp, lock.tryOptimisticRead());
        }
        try (var w = lock.write()) {
            assertEquals(0L, lock.tryOptimisticRead(), "no stamp while a writer is inside");
            assertFalse(lock.validate(stamp), "a writer is inside");
        }
        assertFalse(lock.validate(stamp), "a writer came and went");
        long next = lock.tryOptimisticRead();
        assertTrue(next != 0L && next != stamp);
        assertTrue(lock.validate(next));
        assertFalse(lock.validate(0L), "0 never validates");
        Thread.ofPlatform().start(() -> {
            lock.writeLock().lock();
            lock.writeLock().unlock();
        }).join();
        assertFalse(lock.validate(next), "a writer on another thread came and went");
    }

    @Test
    void aReentrantWriteDoesNotEndTheWriterSectionEarly() {
        lock.writeLock().lock();
        lock.writeLock().lock();
        lock.writeLock().unlock();
        assertEquals(0L, lock.tryOptimisticRead(), "the outer write hold is still inside");
        lock.writeLock().unlock();
        assertTrue(lock.tryOptimisticRead() != 0L);
    }

    @Test
    void aValidatedOptimisticReadNeverSeesHalfAWrite() throws Exception {
        long[] pair = new long[2];
        AtomicInteger torn = new AtomicInteger();
        AtomicInteger validated = new AtomicInteger();
        Race.race(2, t -> {
            for (int i = 0; i < 20_000; i++) {
                if (t == 0) {
                    try (var w = lock.write()) {
                        pair[0]++;
                        pair[1]++;
                    }
                } else {
                    long stamp = lock.tryOptimisticRead();
                    long a = pair[0];
                    long b = pair[1];
                    if (lock.validate(stamp)) {
                        validated.incrementAndGet();
                        if (a != b) {
                            torn.incrementAndGet();
                        }
                    }
                }
            }
        });
        assertEquals(0, torn.get(), "validated reads that saw half a write");
        assertTrue(validated.get() > 0, "no optimistic read validated at all");
    }

    // ------------------------------------------------------------------ parked writers

    @Test
    void aWriterWaitingForAReaderParksAndGetsInWhenItLeaves() throws Exception {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            lock.readLock().lock();
            reading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.readLock().unlock();
            }
        });
        reading.await();
        long[] acquiredAt = new long[1];
        Blocked writer = Blocked.start(() -> {
            lock.writeLock().lock();
            acquiredAt[0] = System.nanoTime();
            lock.writeLock().unlock();
            return null;
        });
        long cpuBefore = mx.getThreadCpuTime(writer.thread().threadId());
        Thread.sleep(500); // the reader holds for half a second: a spinning writer would burn it all
        long cpu = mx.getThreadCpuTime(writer.thread().threadId()) - cpuBefore;
        long releasedAt = System.nanoTime();
        release.countDown();
        assertNull(writer.outcome());
        reader.join();
        assertTrue(cpu < 20_000_000L, "the waiting writer used " + cpu / 1_000 + " us of CPU in 500 ms");
        long lag = acquiredAt[0] - releasedAt;
        assertTrue(lag < 200_000_000L, "the writer got in " + lag / 1_000 + " us after the reader left");
    }

    // ------------------------------------------------------------------ bias

    @Test
    void overlappingReadersTurnBiasOnAndAWriterTurnsItOff() throws Exception {
        ReaderWriterLock adaptive = new ReaderWriterLock();
        assertFalse(adaptive.isReadBiased(), "a new lock starts compact");
        adaptive.readLock().lock();
        Thread.ofPlatform().start(() -> {
            adaptive.readLock().lock(); // a second reader while the first holds: reads overlap
            adaptive.readLock().unlock();
        }).join();
        adaptive.readLock().unlock();
        assertTrue(adaptive.isReadBiased(), "readers overlapped: " + adaptive);
        assertTrue(adaptive.slotCount() >= 4);
        adaptive.writeLock().lock();
        assertFalse(adaptive.isReadBiased(), "the writer revoked the bias");
        adaptive.writeLock().unlock();
        assertFalse(adaptive.isReadBiased(), "bias stays off until readers overlap again");
        assertEquals(0, adaptive.getReadLockCount());
    }

    @Test
    void aWriterWaitsForEveryBiasedReader() throws Exception {
        ReaderWriterLock biased = new ReaderWriterLock(null, LockOrder.NO_LEVEL, ReaderWriterLock.ALWAYS);
        CountDownLatch holding = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readers.add(Thread.ofPlatform().start(() -> {
                biased.readLock().lock();
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    biased.readLock().unlock();
                }
            }));
        }
        holding.await();
        assertEquals(3, biased.getReadLockCount());
        assertFalse(biased.writeLock().tryLock(), "three readers hold the lock");
        assertFalse(biased.writeLock().tryLock(50, TimeUnit.MILLISECONDS), "three readers hold the lock");
        AtomicInteger readersInside = new AtomicInteger(-1);
        Blocked writer = Blocked.start(() -> {
            biased.writeLock().lock();
            readersInside.set(biased.getReadLockCount());
            biased.writeLock().unlock();
            return null;
        });
        release.countDown();
        assertNull(writer.outcome());
        for (Thread t : readers) {
            t.join();
        }
        assertEquals(0, readersInside.get(), "the writer got in while readers held the lock");
    }

    @Test
    void aBiasedReaderAskingToWriteIsRefused() {
        ReaderWriterLock biased = new ReaderWriterLock(null, LockOrder.NO_LEVEL, ReaderWriterLock.ALWAYS);
        biased.readLock().lock();
        assertEquals(1, biased.getReadHoldCount());
        assertThrows(IllegalStateException.class, () -> biased.writeLock().lock());
        assertThrows(IllegalStateException.class, () -> biased.writeLock().tryLock());
        assertEquals(1, biased.getReadHoldCount(), "the read hold is kept");
        biased.readLock().unlock();
        assertTrue(biased.writeLock().tryLock(), "nothing was left behind by the refused upgrades");
        biased.writeLock().unlock();
    }
}
