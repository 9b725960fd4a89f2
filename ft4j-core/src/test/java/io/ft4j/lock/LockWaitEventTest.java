package io.ft4j.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ft4j.testing.Blocked;
import io.ft4j.testing.Eventually;
import io.ft4j.thread.ControlledThread;
import io.ft4j.thread.Scheduling;
import io.ft4j.thread.ThreadBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The io.ft4j.LockWait JFR event: recorded for long waits with lock, owner and priorities; not for short ones. */
@Timeout(60)
class LockWaitEventTest {
    @TempDir
    Path dir;

    /** Keeps the waiter queued for a few ms: the wait's length is what is tested, not a synchronization. */
    private static void holdFor(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() - end < 0) {
            LockSupport.parkNanos(end - System.nanoTime());
        }
    }

    private List<RecordedEvent> record(Runnable scenario) throws Exception {
        return record(Duration.ofMillis(1), scenario);
    }

    private List<RecordedEvent> record(Duration threshold, Runnable scenario) throws Exception {
        Path file = dir.resolve("waits.jfr");
        try (Recording r = new Recording()) {
            r.enable(LockWaitEvent.NAME).withThreshold(threshold);
            r.start();
            scenario.run();
            r.stop();
            r.dump(file);
        }
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals(LockWaitEvent.NAME)).toList();
    }

    @Test
    void aLongPriorityLockWaitIsRecordedWithOwnerAndPriorities() throws Exception {
        PriorityLock lock = new PriorityLock("jfr-priority");
        List<RecordedEvent> events = record(() -> {
            try {
                lock.lock(5);
                Blocked waiter = Blocked.start(() -> {
                    lock.lock(77);
                    lock.unlock();
                    return null;
                });
                holdFor(Duration.ofMillis(20));
                lock.unlock();
                assertNull(waiter.outcome());
                lock.lock(); // uncontended: no event
                lock.unlock();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(1, events.size(), events.toString());
        RecordedEvent e = events.get(0);
        assertEquals("jfr-priority", e.getString("lock"));
        assertEquals("exclusive", e.getString("mode"));
        assertEquals(77, e.getInt("waiterPriority"), "the priority it asked for");
        assertEquals(Thread.currentThread().getName(), e.getThread("owner").getJavaName());
        assertEquals(LockWaitEvent.UNKNOWN, e.getInt("ownerPriority"), "ft4j cannot read a plain thread's priority");
        assertTrue(e.getDuration().toMillis() >= 15, e.getDuration().toString());
    }

    @Test
    void aBlockedReaderIsRecordedWithTheWriterAsOwner() throws Exception {
        ReaderWriterLock lock = new ReaderWriterLock("jfr-rw");
        List<RecordedEvent> events = record(() -> {
            try {
                lock.writeLock().lock();
                Blocked reader = Blocked.start(() -> {
                    lock.readLock().lock();
                    lock.readLock().unlock();
                    return null;
                });
                holdFor(Duration.ofMillis(20));
                lock.writeLock().unlock();
                assertNull(reader.outcome());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(1, events.size(), events.toString());
        assertEquals("jfr-rw", events.get(0).getString("lock"));
        assertEquals("read", events.get(0).getString("mode"));
        assertEquals(Thread.currentThread().getName(), events.get(0).getThread("owner").getJavaName());
    }

    /**
     * With a threshold of 0 every event a lock begins is recorded: the uncontended paths of every lock must begin none
     * (they never touch the event), while one contended wait is recorded.
     */
    @Test
    void onlyBlockingSlowPathsRecordEvenAtThresholdZero() throws Exception {
        IntervalLock interval = new IntervalLock(Duration.ofSeconds(100), "jfr-fast-interval");
        PriorityLock priority = new PriorityLock("jfr-fast-priority");
        ReaderWriterLock rw = new ReaderWriterLock("jfr-fast-rw");
        PriorityInheritanceLock pi = PriorityInheritanceLock.isSupported() ? new PriorityInheritanceLock("jfr-fast-pi")
                : null;
        List<RecordedEvent> events = record(Duration.ZERO, () -> {
            for (int i = 0; i < 1_000; i++) {
                interval.lock();
                interval.unlock();
                priority.lock();
                priority.unlock();
                rw.readLock().lock();
                rw.readLock().unlock();
                rw.writeLock().lock();
                rw.writeLock().unlock();
                if (pi != null) {
                    pi.lock();
                    pi.unlock();
                }
            }
            try {
                priority.lock(5);
                Blocked waiter = Blocked.start(() -> {
                    priority.lock(7);
                    priority.unlock();
                    return null;
                });
                priority.unlock();
                assertNull(waiter.outcome());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        List<String> locks = events.stream().map(e -> e.getString("lock")).filter(n -> n.startsWith("jfr-fast"))
                .toList();
        assertEquals(List.of("jfr-fast-priority"), locks, "one event: the contended wait, however short");
    }

    @Test
    void priorityInheritanceWaitsNameAControlledOwnerWithItsRank() throws Exception {
        assumeTrue(PriorityInheritanceLock.isSupported(), "PI futexes need Linux");
        PriorityInheritanceLock lock = new PriorityInheritanceLock("jfr-pi");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch exit = new CountDownLatch(1);
        List<RecordedEvent> events = record(() -> {
            try {
                ControlledThread owner = new ThreadBuilder().name("jfr-owner").nice(3).start(() -> {
                    lock.lock();
                    held.countDown();
                    try {
                        release.await();
                        lock.unlock();
                        exit.await(); // alive when the waiter reads its rank
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                held.await();
                Thread waiter = Thread.ofPlatform().name("jfr-waiter").start(() -> {
                    lock.lock();
                    lock.unlock();
                });
                Eventually.until("the waiter in the kernel", lock::hasQueuedThreads);
                holdFor(Duration.ofMillis(20));
                release.countDown();
                waiter.join(TimeUnit.SECONDS.toMillis(10));
                exit.countDown();
                owner.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(1, events.size(), events.toString());
        RecordedEvent e = events.get(0);
        assertEquals("jfr-pi", e.getString("lock"));
        assertEquals("jfr-owner", e.getThread("owner").getJavaName());
        assertEquals(17, e.getInt("ownerPriority"), "nice 3 is rank 17");
        assertEquals(Scheduling.rank(), e.getInt("waiterPriority"), "the waiter's own rank, inherited from here");
        assertEquals("jfr-waiter", e.getThread().getJavaName());
    }
}
