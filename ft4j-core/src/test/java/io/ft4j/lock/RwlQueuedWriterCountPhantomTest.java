package io.ft4j.lock;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * With one writing thread and no other lock user, no thread ever waits to write, yet getQueuedWriterCount() reports
 * 1: between the fast path's CAS of OWNED and enterWrite() setting the owner, and between unlockWrite() clearing the
 * owner and clearing OWNED, "OWNED && owner == null" is counted as a writer waiting for readers to leave.
 */
class RwlQueuedWriterCountPhantomTest {
    static volatile boolean stop;

    @Test
    void aLoneWriterIsNeverCountedAsWaiting() throws Exception {
        ReaderWriterLock lock = new ReaderWriterLock();
        stop = false;
        Thread writer = Thread.ofPlatform().start(() -> {
            while (!stop) {
                lock.writeLock().lock();
                lock.writeLock().unlock();
            }
        });
        long samples = 0, phantom = 0;
        long end = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < end) {
            samples++;
            if (lock.getQueuedWriterCount() != 0) phantom++;
        }
        stop = true;
        writer.join();
        assertEquals(0, phantom, phantom + " of " + samples + " samples reported a waiting writer; none ever waited");
    }
}
