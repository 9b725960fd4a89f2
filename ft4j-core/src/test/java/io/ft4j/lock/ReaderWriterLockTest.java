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

/** ReaderWriterLock: ft_utils' RWLock scenarios (12, 14), owner checks, re-entrancy, downgrade, refused upgrade. */
@SuppressWarnings("try")
class ReaderWriterLockTest {
    private final ReaderWriterLock lock = new ReaderWriterLock("test");

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
    void slotsOfEndedThreadsAreReused() throws Exception {
        for (int i = 0; i < 50; i++) {
            Thread t = Thread.ofPlatform().start(() -> {
                lock.readLock().lock();
                lock.readLock().unlock();
            });
            t.join();
        }
        assertEquals(1, lock.slotCount(), "each ended thread's slot is handed to the next");
        lock.readLock().lock();
        assertEquals(1, lock.slotCount(), "this thread takes the slot of an ended one too");
        Thread.ofPlatform().start(() -> {
            lock.readLock().lock();
            lock.readLock().unlock();
        }).join();
        assertEquals(2, lock.slotCount(), "a slot whose owner still runs is never shared");
        lock.readLock().unlock();
    }

    @Test
    void badArguments() {
        assertThrows(NullPointerException.class, () -> new ReaderWriterLock(null));
        assertThrows(NullPointerException.class, () -> lock.readLock().tryLock(1, null));
        assertThrows(UnsupportedOperationException.class, () -> lock.writeLock().newCondition());
        assertThrows(UnsupportedOperationException.class, () -> lock.readLock().newCondition());
    }
}
