package io.ft4j.thread;

import static io.ft4j.thread.AffinityTest.onFreshThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real nice and policy round trips, read back from the kernel through /proc (not only through ft4j's own getters).
 * Real-time tests never spin: they set the policy, read it back and restore it at once.
 */
@Timeout(60)
class SchedulingTest {
    @BeforeAll
    static void linuxOnly() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "thread control is Linux-only");
    }

    /** The thread's nice value and policy as the kernel reports them: fields 19 and 41 of /proc/.../stat. */
    static int[] procNiceAndPolicy() throws Exception {
        int tid = io.ft4j.internal.os.Os.THREADS.currentTid();
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new int[] {Integer.parseInt(f[16]), Integer.parseInt(f[38])};
    }

    static boolean privileged() throws Exception {
        return io.ft4j.testing.Linux.privileged();
    }

    @Test
    void niceRoundTripsUpAndDown() throws Exception {
        onFreshThread(() -> {
            int before = Scheduling.nice();
            assertEquals(before, procNiceAndPolicy()[0]);
            Scheduling.setNice(10);
            assertEquals(10, Scheduling.nice());
            assertEquals(10, procNiceAndPolicy()[0]);
            if (privileged()) {
                Scheduling.setNice(-5);
                assertEquals(-5, Scheduling.nice());
                assertEquals(-5, procNiceAndPolicy()[0]);
                Scheduling.setNice(-1); // -1 is also getpriority's error return: must still read back as -1
                assertEquals(-1, Scheduling.nice());
            } else {
                ThreadControlException e = assertThrows(ThreadControlException.class, () -> Scheduling.setNice(-5));
                assertEquals("EACCES", e.errnoName());
            }
        });
    }

    @Test
    void niceIsPerThread() throws Exception {
        int mine = Scheduling.nice();
        onFreshThread(() -> Scheduling.setNice(15));
        assertEquals(mine, Scheduling.nice());
    }

    @Test
    void batchAndIdleRoundTripAndRestore() throws Exception {
        onFreshThread(() -> {
            Scheduling.Settings saved = Scheduling.current();
            Scheduling.setPolicy(SchedulingPolicy.batch());
            assertEquals(SchedulingPolicy.batch(), Scheduling.policy());
            assertEquals(3, procNiceAndPolicy()[1]);
            Scheduling.setPolicy(SchedulingPolicy.idle());
            assertEquals(SchedulingPolicy.idle(), Scheduling.policy());
            assertEquals(5, procNiceAndPolicy()[1]);
            Scheduling.restore(saved);
            assertEquals(saved, Scheduling.current());
        });
    }

    @Test
    void realTimePoliciesRoundTripBoundedAndRestored() throws Exception {
        onFreshThread(() -> {
            Scheduling.Settings saved = Scheduling.current();
            if (!privileged()) {
                ThreadControlException e = assertThrows(ThreadControlException.class,
                        () -> Scheduling.setPolicy(SchedulingPolicy.fifo(10)));
                assertEquals("EPERM", e.errnoName());
                assertTrue(e.hint().contains("CAP_SYS_NICE"));
                return;
            }
            // No loop runs at real-time priority here: set, read back, restore.
            try (Scheduling.Scope rt = Scheduling.apply(SchedulingPolicy.fifo(10))) {
                assertEquals(SchedulingPolicy.fifo(10), Scheduling.policy());
                assertEquals(1, procNiceAndPolicy()[1]);
            }
            assertEquals(saved, Scheduling.current());
            try (Scheduling.Scope rt = Scheduling.apply(SchedulingPolicy.rr(5))) {
                assertEquals(SchedulingPolicy.rr(5), Scheduling.policy());
                assertEquals(2, procNiceAndPolicy()[1]);
            }
            assertEquals(saved, Scheduling.current());
            assertEquals(0, procNiceAndPolicy()[1]);
        });
    }

    @Test
    void niceScopeRestores() throws Exception {
        onFreshThread(() -> {
            Scheduling.Settings saved = Scheduling.current();
            try (Scheduling.Scope s = Scheduling.applyNice(7)) {
                assertEquals(7, Scheduling.nice());
                assertEquals(saved, s.saved());
            }
            assertEquals(saved, Scheduling.current());
        });
    }

    @Test
    void badArgumentsAreRefusedBeforeTheOsSeesThem() {
        assertThrows(IllegalArgumentException.class, () -> Scheduling.setNice(20));
        assertThrows(IllegalArgumentException.class, () -> Scheduling.setNice(-21));
        assertThrows(IllegalArgumentException.class, () -> SchedulingPolicy.fifo(0));
        assertThrows(IllegalArgumentException.class, () -> SchedulingPolicy.rr(100));
        assertThrows(IllegalArgumentException.class, () -> new SchedulingPolicy(SchedulingPolicy.Policy.OTHER, 3));
        assertThrows(NullPointerException.class, () -> new SchedulingPolicy(null, 0));
        assertThrows(NullPointerException.class, () -> Scheduling.setPolicy(null));
    }
}
