package io.ft4j.lock;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A writer that revokes bias and then gives up (tryLock, timeout, interrupt, refused upgrade) must not leave the
 * biased readers unprotected: the next writer must still wait for them.
 */
class RwlAbandonedRevocationTest {
    interface Attempt { void run(ReaderWriterLock lock) throws Exception; }

    static ReaderWriterLock biasedWithReaderIn(int policy, CountDownLatch release, Thread[] readerOut)
            throws Exception {
        ReaderWriterLock lock = new ReaderWriterLock(null, LockOrder.NO_LEVEL, policy);
        if (policy == ReaderWriterLock.ADAPTIVE) { // overlapping central readers turn bias on
            lock.readLock().lock();
            Thread.ofPlatform().start(() -> { lock.readLock().lock(); lock.readLock().unlock(); }).join();
            lock.readLock().unlock();
            assertTrue(lock.isReadBiased());
        }
        CountDownLatch in = new CountDownLatch(1);
        readerOut[0] = Thread.ofPlatform().start(() -> {
            lock.readLock().lock();
            in.countDown();
            try { release.await(); } catch (InterruptedException e) { }
            lock.readLock().unlock();
        });
        in.await();
        return lock;
    }

    void check(int policy, Attempt giveUp) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread[] reader = new Thread[1];
        ReaderWriterLock lock = biasedWithReaderIn(policy, release, reader);
        assertEquals(1, lock.getReadLockCount());
        giveUp.run(lock);
        assertFalse(lock.writeLock().tryLock(), "a reader holds the lock: " + lock);
        assertFalse(lock.writeLock().tryLock(20, TimeUnit.MILLISECONDS), "a reader holds the lock: " + lock);
        AtomicReference<Integer> seen = new AtomicReference<>();
        Thread w = Thread.ofPlatform().start(() -> {
            lock.writeLock().lock();
            seen.set(lock.getReadLockCount());
            lock.writeLock().unlock();
        });
        w.join(200);
        assertTrue(w.isAlive(), "writer entered while a reader held; saw " + seen.get() + " readers");
        release.countDown();
        w.join(5_000);
        assertFalse(w.isAlive(), "writer never got in: " + lock);
        assertEquals(0, seen.get());
        reader[0].join();
    }

    static final Attempt TRY = l -> assertFalse(l.writeLock().tryLock());
    static final Attempt TIMED = l -> assertFalse(l.writeLock().tryLock(10, TimeUnit.MILLISECONDS));
    static final Attempt INTERRUPTED = l -> {
        Thread t = Thread.ofPlatform().start(() -> {
            try { l.writeLock().lockInterruptibly(); fail("got in"); } catch (InterruptedException expected) { }
        });
        Thread.sleep(50);
        t.interrupt();
        t.join();
    };
    static final Attempt UPGRADE = l -> {
        // a second biased reader asks to write
        Thread t = Thread.ofPlatform().start(() -> {
            l.readLock().lock();
            assertThrows(IllegalStateException.class, () -> l.writeLock().lock());
            assertThrows(IllegalStateException.class, () -> l.writeLock().lock(), "second upgrade must fail too");
            l.readLock().unlock();
        });
        t.join();
    };

    @Test void tryLockAlways() throws Exception { check(ReaderWriterLock.ALWAYS, TRY); }
    @Test void tryLockAdaptive() throws Exception { check(ReaderWriterLock.ADAPTIVE, TRY); }
    @Test void timedAlways() throws Exception { check(ReaderWriterLock.ALWAYS, TIMED); }
    @Test void timedAdaptive() throws Exception { check(ReaderWriterLock.ADAPTIVE, TIMED); }
    @Test void interruptedAlways() throws Exception { check(ReaderWriterLock.ALWAYS, INTERRUPTED); }
    @Test void upgradeAlways() throws Exception { check(ReaderWriterLock.ALWAYS, UPGRADE); }

    /** writeLock().lock() with an interrupt pending: drain throws inside, lock() retries; must still wait. */
    @Test
    void uninterruptibleLockWithPendingInterrupt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread[] reader = new Thread[1];
        ReaderWriterLock lock = biasedWithReaderIn(ReaderWriterLock.ALWAYS, release, reader);
        AtomicReference<Integer> seen = new AtomicReference<>();
        Thread w = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt();
            lock.writeLock().lock();
            seen.set(lock.getReadLockCount());
            lock.writeLock().unlock();
        });
        w.join(200);
        assertTrue(w.isAlive(), "writer entered while a reader held; saw " + seen.get());
        release.countDown();
        w.join(5_000);
        assertEquals(0, seen.get());
    }
}
