package io.ft4j.thread;

import static io.ft4j.thread.AffinityTest.onFreshThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timer slack, absolute sleeps and memory locking, checked against what the kernel reports in /proc. */
@Timeout(60)
class RealTimeHygieneTest {
    @BeforeAll
    static void linuxOnly() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "thread control is Linux-only");
    }

    private static long procTimerSlack() throws Exception {
        int tid = io.ft4j.internal.os.Os.THREADS.currentTid();
        return Long.parseLong(Files.readString(Path.of("/proc/" + tid + "/timerslack_ns")).strip());
    }

    @Test
    void timerSlackRoundTripsAndIsPerThread() throws Exception {
        long mine = Scheduling.timerSlack();
        onFreshThread(() -> {
            assertEquals(procTimerSlack(), Scheduling.timerSlack());
            Scheduling.setTimerSlack(1);
            assertEquals(1, Scheduling.timerSlack());
            assertEquals(1, procTimerSlack());
            Scheduling.setTimerSlack(3_000_000_000L); // larger than an int: read back whole
            assertEquals(3_000_000_000L, Scheduling.timerSlack());
        });
        assertEquals(mine, Scheduling.timerSlack(), "another thread's setting left this one alone");
    }

    @Test
    void badTimerSlackAndVirtualThreadsAreRefused() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scheduling.setTimerSlack(0));
        assertTrue(e.getMessage().contains("nanos"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ThreadBuilder().timerSlack(-1));
        CompletableFuture<Throwable> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                Scheduling.setTimerSlack(1);
                f.complete(null);
            } catch (Throwable t) {
                f.complete(t);
            }
        });
        assertTrue(f.get(10, TimeUnit.SECONDS) instanceof UnsupportedOperationException);
    }

    @Test
    void aBuiltThreadStartsWithItsTimerSlack() throws Exception {
        CompletableFuture<Long> seen = new CompletableFuture<>();
        new ThreadBuilder().timerSlack(7).start(() -> seen.complete(Scheduling.timerSlack())).join();
        assertEquals(7L, seen.get(10, TimeUnit.SECONDS));
    }

    @Test
    void sleepUntilWakesAtOrAfterANanoTimeDeadline() throws Exception {
        onFreshThread(() -> {
            for (int i = 0; i < 20; i++) {
                long deadline = System.nanoTime() + 2_000_000L;
                Scheduling.sleepUntil(deadline);
                long now = System.nanoTime();
                assertTrue(now - deadline >= 0L, "woke " + (deadline - now) + " ns early");
                assertTrue(now - deadline < 1_000_000_000L, "woke " + (now - deadline) + " ns late");
            }
            long start = System.nanoTime();
            Scheduling.sleepUntil(start - 1_000_000_000L); // in the past: returns at once
            assertTrue(System.nanoTime() - start < 500_000_000L);
            Thread.currentThread().interrupt();
            Scheduling.sleepUntil(System.nanoTime() + 1_000_000L);
            assertTrue(Thread.interrupted(), "the interrupt flag is left for the caller");
        });
    }

    @Test
    void lockingMemoryShowsInProcAndUnlockingUndoesIt() throws Exception {
        assumeTrue(io.ft4j.testing.Linux.privileged(), "locking a JVM's memory needs CAP_IPC_LOCK");
        assertEquals(0L, MemoryLock.lockedBytes(), "nothing locked before");
        try {
            MemoryLock.lockAll(true);
            byte[] touched = new byte[1 << 20];
            touched[touched.length - 1] = 1;
            assertTrue(MemoryLock.lockedBytes() > 0L, "VmLck shows locked pages");
        } finally {
            MemoryLock.unlockAll();
        }
        assertEquals(0L, MemoryLock.lockedBytes());
    }

    @Test
    void lockingMemoryWithoutTheCapabilityIsRefusedWithAHint() throws Exception {
        onFreshThread(() -> {
            try {
                assumeTrue(UnprivilegedTest.dropOnThisThread(UnprivilegedTest.CAP_IPC_LOCK), "capset unavailable");
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
            ThreadControlException e = assertThrows(ThreadControlException.class, () -> MemoryLock.lockAll(true));
            assertTrue(e.errnoName().equals("ENOMEM") || e.errnoName().equals("EPERM"), e.getMessage());
            assertTrue(e.hint().contains("RLIMIT_MEMLOCK"), e.hint());
            assertEquals(0L, MemoryLock.lockedBytes(), "a refused call locks nothing");
        });
    }
}
