package io.ft4j.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ft4j.testing.Eventually;
import io.ft4j.testing.Linux;
import io.ft4j.testing.Race;
import io.ft4j.thread.Affinity;
import io.ft4j.thread.ControlledThread;
import io.ft4j.thread.CpuSet;
import io.ft4j.thread.Scheduling;
import io.ft4j.thread.SchedulingPolicy;
import io.ft4j.thread.ThreadBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PriorityInheritanceLock on the real kernel: the owner's effective priority read back from /proc while a real-time
 * thread waits and after it stops, chains, grant order, timeouts and interrupts. Real-time threads here only block,
 * except one bounded hog pinned to a single CPU; every policy dies with its thread.
 */
@SuppressWarnings("try")
@Timeout(60)
class PriorityInheritanceLockTest {
    /** The kernel priority of SCHED_FIFO 10, as /proc reports it. */
    private static final int FIFO_10 = -11;

    @BeforeAll
    static void supported() {
        assumeTrue(PriorityInheritanceLock.isSupported(), "PI futexes need Linux");
    }

    private static void assumePrivileged() throws Exception {
        assumeTrue(Linux.privileged(), "real-time policies need CAP_SYS_NICE");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "latch not released");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A thread that takes {@code lock}, signals {@code held}, and releases once {@code release} opens. */
    private static ControlledThread holder(ThreadBuilder builder, PriorityInheritanceLock lock, CountDownLatch held,
            CountDownLatch release, CountDownLatch exit) {
        return builder.start(() -> {
            lock.lock();
            held.countDown();
            await(release);
            lock.unlock();
            await(exit);
        });
    }

    @Test
    void lockUnlockOwnerAndChecks() throws Exception {
        PriorityInheritanceLock lock = new PriorityInheritanceLock("basics");
        assertFalse(lock.isLocked());
        try (var held = lock.locked()) {
            assertTrue(lock.isHeldByCurrentThread());
            String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString(); // "pid/task/tid"
            assertEquals(Integer.parseInt(self.substring(self.lastIndexOf('/') + 1)), lock.ownerTid());
            IllegalStateException relock = assertThrows(IllegalStateException.class, lock::lock);
            assertTrue(relock.getMessage().contains("not re-entrant"), relock.getMessage());
            Thread.ofPlatform().start(() -> {
                assertFalse(lock.tryLock());
                assertFalse(lock.isHeldByCurrentThread());
                assertThrows(IllegalMonitorStateException.class, lock::unlock);
            }).join();
            assertTrue(lock.toString().contains("tid " + lock.ownerTid()), lock.toString());
        }
        assertFalse(lock.isLocked());
        assertEquals(0, lock.ownerTid());
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertThrows(UnsupportedOperationException.class, lock::newCondition);
        assertThrows(NullPointerException.class, () -> lock.tryLock(1, null));
        CompletableFuture<Throwable> onVirtual = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                lock.lock();
                onVirtual.complete(null);
            } catch (Throwable t) {
                onVirtual.complete(t);
            }
        }).join();
        assertInstanceOf(UnsupportedOperationException.class, onVirtual.get());
        assertFalse(lock.isLocked(), "the refused virtual thread took nothing");
    }

    @Test
    void mutualExclusionThroughTheKernel() throws Exception {
        PriorityInheritanceLock lock = new PriorityInheritanceLock();
        AtomicInteger inside = new AtomicInteger();
        long[] counter = {0};
        Race.race(4, t -> {
            for (int i = 0; i < 10_000; i++) {
                try {
                    boolean timed = (i & 1) == 0;
                    if (timed) {
                        assertTrue(lock.tryLock(10, TimeUnit.SECONDS));
                    } else {
                        lock.lock();
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                try {
                    assertEquals(0, inside.getAndIncrement());
                    counter[0]++;
                    inside.decrementAndGet();
                } finally {
                    lock.unlock();
                }
            }
        });
        assertEquals(40_000, counter[0]);
        assertFalse(lock.isLocked());
        assertFalse(lock.hasQueuedThreads());
    }

    @Test
    void timeoutAndInterruptLeaveTheLockUsable() throws Exception {
        PriorityInheritanceLock lock = new PriorityInheritanceLock();
        lock.lock();
        Thread.ofPlatform().start(() -> {
            try {
                assertFalse(lock.tryLock(0, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }).join();
        assertFalse(lock.hasQueuedThreads(), "a zero timeout never entered the kernel, so nobody boosted the owner");
        AtomicLong waited = new AtomicLong();
        Thread timed = Thread.ofPlatform().start(() -> {
            long t0 = System.nanoTime();
            try {
                assertFalse(lock.tryLock(50, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            waited.set(System.nanoTime() - t0);
        });
        timed.join();
        assertTrue(waited.get() >= TimeUnit.MILLISECONDS.toNanos(45), "gave up after " + waited.get() + " ns");
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread interruptible = Thread.ofPlatform().start(() -> {
            try {
                lock.lockInterruptibly();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        Eventually.until("the waiter in the kernel", lock::hasQueuedThreads);
        interruptible.interrupt();
        assertInstanceOf(InterruptedException.class, outcome.get(10, TimeUnit.SECONDS));
        lock.unlock();
        assertFalse(lock.isLocked());
        Thread.ofPlatform().start(() -> {
            assertTrue(lock.tryLock());
            lock.unlock();
        }).join();
    }

    /** A holds first and waits for second; B holds second and asks for first: the kernel refuses to close the cycle. */
    @Test
    void aCycleOfTwoLocksIsRefusedInsteadOfDeadlocking() throws Exception {
        PriorityInheritanceLock first = new PriorityInheritanceLock("first");
        PriorityInheritanceLock second = new PriorityInheritanceLock("second");
        CountDownLatch aHolds = new CountDownLatch(1);
        second.lock(); // this thread is B
        Thread a = Thread.ofPlatform().start(() -> {
            first.lock();
            aHolds.countDown();
            second.lock();
            second.unlock();
            first.unlock();
        });
        await(aHolds);
        Eventually.until("A waiting for second", second::hasQueuedThreads);
        IllegalStateException e = assertThrows(IllegalStateException.class, first::lock);
        assertTrue(e.getMessage().contains("would deadlock"), e.getMessage());
        second.unlock();
        a.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(a.isAlive(), "A went on once B gave up");
        assertFalse(first.isLocked());
    }

    /** A thread that ends holding the lock leaves it to its dead TID; the next acquirer is told, not hung. */
    @Test
    void aLockLeftByAnEndedThreadIsReported() throws Exception {
        PriorityInheritanceLock lock = new PriorityInheritanceLock("orphan");
        Thread careless = Thread.ofPlatform().start(lock::lock);
        careless.join();
        assertTrue(lock.isLocked());
        Path task = Path.of("/proc/self/task/" + lock.ownerTid());
        Eventually.until("the OS thread gone, not just the Java thread", () -> !Files.exists(task));
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::lock);
        assertTrue(e.getMessage().contains("ended without unlocking"), e.getMessage());
    }

    /** The owner runs at the waiter's real-time priority while it waits, and at its own again after. */
    @Test
    void ownerInheritsTheWaitersPriorityUntilItReleases() throws Exception {
        assumePrivileged();
        PriorityInheritanceLock lock = new PriorityInheritanceLock("inherit");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch exit = new CountDownLatch(1);
        ControlledThread owner = holder(new ThreadBuilder().name("pi-owner").nice(5), lock, held, release, exit);
        await(held);
        assertEquals(25, Scheduling.kernelPriority(owner), "nice 5 runs at 25");
        ControlledThread waiter = new ThreadBuilder().name("pi-waiter").policy(SchedulingPolicy.fifo(10))
                .start(() -> {
                    lock.lock();
                    lock.unlock();
                });
        Eventually.until("the owner boosted to FIFO 10", () -> Scheduling.kernelPriority(owner) == FIFO_10);
        assertEquals(SchedulingPolicy.other(), Scheduling.policy(owner), "its own setting is unchanged");
        assertTrue(lock.hasQueuedThreads());
        release.countDown();
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(waiter.isAlive());
        Eventually.until("the owner back at nice 5", () -> Scheduling.kernelPriority(owner) == 25);
        assertEquals(5, Scheduling.nice(owner));
        exit.countDown();
        owner.join();
    }

    /** A waits for B's lock while B waits for C's: C runs at A's priority. */
    @Test
    void chainsOfTwoAreFollowed() throws Exception {
        assumePrivileged();
        PriorityInheritanceLock first = new PriorityInheritanceLock("first");
        PriorityInheritanceLock second = new PriorityInheritanceLock("second");
        CountDownLatch cHeld = new CountDownLatch(1);
        CountDownLatch cRelease = new CountDownLatch(1);
        CountDownLatch exit = new CountDownLatch(1);
        ControlledThread c = holder(new ThreadBuilder().name("pi-c"), second, cHeld, cRelease, exit);
        await(cHeld);
        CountDownLatch bHeld = new CountDownLatch(1);
        ControlledThread b = new ThreadBuilder().name("pi-b").start(() -> {
            first.lock();
            bHeld.countDown();
            second.lock(); // blocks on C
            second.unlock();
            first.unlock();
            await(exit);
        });
        await(bHeld);
        Eventually.until("B waiting for C", second::hasQueuedThreads);
        ControlledThread a = new ThreadBuilder().name("pi-a").policy(SchedulingPolicy.fifo(10)).start(() -> {
            first.lock();
            first.unlock();
        });
        Eventually.until("C boosted through B", () -> Scheduling.kernelPriority(c) == FIFO_10);
        assertEquals(FIFO_10, Scheduling.kernelPriority(b));
        cRelease.countDown();
        a.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(a.isAlive());
        Eventually.until("B and C back at nice 0",
                () -> Scheduling.kernelPriority(b) == 20 && Scheduling.kernelPriority(c) == 20);
        exit.countDown();
        b.join();
        c.join();
    }

    /** The kernel grants real-time waiters highest first; time-sharing ones come after them. */
    @Test
    void realTimeWaitersAreGrantedByPriority() throws Exception {
        assumePrivileged();
        assumeTrue(Linux.knowsSyscalls(), "seeing a thread blocked in futex needs x86-64 /proc syscall numbers");
        PriorityInheritanceLock lock = new PriorityInheritanceLock("order");
        List<String> turns = new CopyOnWriteArrayList<>();
        lock.lock();
        List<ControlledThread> waiters = new java.util.ArrayList<>();
        for (SchedulingPolicy p : List.of(SchedulingPolicy.fifo(5), SchedulingPolicy.other(),
                SchedulingPolicy.fifo(20), SchedulingPolicy.fifo(10))) {
            ControlledThread w = new ThreadBuilder().name("pi-" + p.policy() + p.priority()).policy(p).start(() -> {
                lock.lock();
                turns.add(p.policy() + " " + p.priority());
                lock.unlock();
            });
            Eventually.until(w.getName() + " blocked in the kernel", () -> Linux.inFutex(w.tid()));
            waiters.add(w);
        }
        lock.unlock(); // this thread was boosted to FIFO 20 meanwhile; the boost ends here
        for (ControlledThread w : waiters) {
            w.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(w.isAlive());
        }
        assertEquals(List.of("FIFO 20", "FIFO 10", "FIFO 5", "OTHER 0"), turns);
        assertEquals(Scheduling.current().policy(), Scheduling.policy(), "own setting untouched");
    }

    /**
     * The inversion itself, bounded: on one CPU a time-sharing logger holds the lock and needs 30 ms of CPU, a FIFO 20
     * hog spins for at most 800 ms, and a FIFO 30 golden thread wants the lock. Boosted, the logger runs ahead of the
     * hog, so the golden thread gets the lock long before the hog stops. The other CPUs stay free, the hog stops by
     * its own deadline, and every policy ends with its thread.
     */
    @Test
    void inheritanceBeatsAMediumPriorityHogOnOneCpu() throws Exception {
        assumePrivileged();
        CpuSet allowed = Affinity.get();
        assumeTrue(allowed.size() >= 2, "needs a CPU to spare for the rest of the machine");
        CpuSet one = CpuSet.of(allowed.toArray()[allowed.size() - 1]);
        PriorityInheritanceLock lock = new PriorityInheritanceLock("golden");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch hogRunning = new CountDownLatch(1);
        ControlledThread logger = new ThreadBuilder().name("pi-logger").cpus(one).start(() -> {
            lock.lock();
            try {
                held.countDown();
                await(hogRunning);
                long until = Linux.threadCpuNanos() + TimeUnit.MILLISECONDS.toNanos(30);
                while (Linux.threadCpuNanos() < until) {
                    Thread.onSpinWait();
                }
            } finally {
                lock.unlock();
            }
        });
        await(held);
        long hogEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
        ControlledThread hog = new ThreadBuilder().name("pi-hog").cpus(one).policy(SchedulingPolicy.fifo(20))
                .start(() -> {
                    hogRunning.countDown();
                    while (System.nanoTime() < hogEnd) {
                        Thread.onSpinWait();
                    }
                });
        await(hogRunning);
        AtomicLong waited = new AtomicLong(-1);
        AtomicLong acquiredAt = new AtomicLong();
        ControlledThread golden = new ThreadBuilder().name("pi-golden").cpus(one).policy(SchedulingPolicy.fifo(30))
                .start(() -> {
                    long t0 = System.nanoTime();
                    try {
                        if (lock.tryLock(5, TimeUnit.SECONDS)) {
                            long t1 = System.nanoTime(); // on the thread that waited: the test thread may run late
                            acquiredAt.set(t1);
                            waited.set(t1 - t0);
                            lock.unlock();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        golden.join(TimeUnit.SECONDS.toMillis(10));
        hog.join(TimeUnit.SECONDS.toMillis(10));
        logger.join(TimeUnit.SECONDS.toMillis(10));
        assertTrue(waited.get() >= 0, "the golden thread got the lock");
        assertTrue(acquiredAt.get() - hogEnd < 0, "the golden thread got the lock while the hog was still spinning, "
                + (acquiredAt.get() - hogEnd) / 1_000_000 + " ms after the hog's end");
        assertTrue(waited.get() < TimeUnit.MILLISECONDS.toNanos(400),
                "the golden thread waited " + waited.get() / 1_000_000 + " ms behind a 30 ms section");
    }

    /**
     * The owner ends holding the lock, and a new thread is given its TID (forced through ns_last_pid, as root): the
     * kernel takes the new thread for the owner, and so does every method here, unlock included, so the lock is not
     * stuck. Skipped where the TID cannot be had again.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aNewThreadGivenADeadOwnersTidIsTakenForTheOwner() throws Exception {
        Path lastPid = Path.of("/proc/sys/kernel/ns_last_pid");
        assumeTrue(Files.isWritable(lastPid), "forcing a TID needs a writable " + lastPid);
        PriorityInheritanceLock lock = new PriorityInheritanceLock("reused");
        AtomicInteger deadTid = new AtomicInteger();
        Thread owner = Thread.ofPlatform().start(() -> {
            deadTid.set(Linux.tid());
            lock.lock();
        });
        owner.join();
        int tid = deadTid.get();
        Eventually.until("the owner's OS thread is gone", () -> !Files.exists(Path.of("/proc/self/task/" + tid)));
        List<String> seen = new CopyOnWriteArrayList<>();
        for (int attempt = 0; attempt < 20 && seen.isEmpty(); attempt++) {
            Files.writeString(lastPid, Integer.toString(tid - 1));
            Thread heir = Thread.ofPlatform().start(() -> {
                if (Linux.tid() != tid) {
                    return; // another process took the TID first: try again
                }
                seen.add("held " + lock.isHeldByCurrentThread());
                lock.unlock();
                seen.add("unlocked " + !lock.isLocked());
                lock.lock();
                lock.unlock();
                seen.add("relocked");
            });
            heir.join();
        }
        assumeTrue(!seen.isEmpty(), "TID " + tid + " could not be had again");
        assertEquals(List.of("held true", "unlocked true", "relocked"), seen);
    }
}
