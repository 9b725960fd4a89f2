package io.ft4j.lock;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A reader whose biased slot is full (2^20 - 1 holds) counts further holds centrally. If it takes such a hold while a
 * writer is already past the central drain and waits for slots, the writer gets in as soon as the slot empties,
 * although the reader still holds a (central) read lock.
 */
class RwlSlotOverflowDuringDrainTest {
    static final int SLOT_FULL = (1 << 20) - 1;

    @Test
    void aWriterNeverEntersWhileAReaderHoldsACentralOverflowHold() throws Exception {
        ReaderWriterLock lock = new ReaderWriterLock(null, LockOrder.NO_LEVEL, ReaderWriterLock.ALWAYS);
        for (int i = 0; i < SLOT_FULL; i++) {
            lock.readLock().lock(); // all on this thread's slot
        }
        AtomicInteger readHoldsSeenByWriter = new AtomicInteger(-1);
        Thread writer = Thread.ofPlatform().start(() -> {
            lock.writeLock().lock();
            readHoldsSeenByWriter.set(lock.getReadLockCount());
            lock.writeLock().unlock();
        });
        // wait until the writer owns the lock and waits for the slot (bias revoked, no writer entered yet)
        long until = System.nanoTime() + 5_000_000_000L;
        while ((lock.isReadBiased() || lock.getQueuedWriterCount() != 1
                || writer.getState() != Thread.State.WAITING) && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.WAITING, writer.getState(), "the writer waits for the reader: " + lock);
        lock.readLock().lock(); // re-entrant: must not wait; the slot is full so it is counted centrally
        for (int i = 0; i < SLOT_FULL; i++) {
            lock.readLock().unlock(); // releases the slot holds first
        }
        assertEquals(1, lock.getReadHoldCount(), "this thread still reads");
        writer.join(500);
        boolean writerGotIn = !writer.isAlive();
        lock.readLock().unlock();
        writer.join(5_000);
        assertFalse(writerGotIn, "the writer entered while this thread held a read lock; it saw "
                + readHoldsSeenByWriter.get() + " read holds");
        assertEquals(0, readHoldsSeenByWriter.get());
    }
}
