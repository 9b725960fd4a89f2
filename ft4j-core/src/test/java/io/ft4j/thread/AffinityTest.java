package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real affinity calls on this machine: set/get round trips, pinning checked with the current CPU, errno mapping. */
@Timeout(60)
class AffinityTest {
    @BeforeAll
    static void linuxOnly() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "thread control is Linux-only");
    }

    /** Runs {@code body} on a fresh platform thread, so this test's own thread keeps its affinity. */
    static void onFreshThread(ThrowingRunnable body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join();
        if (failure.get() instanceof Exception e) {
            throw e;
        } else if (failure.get() instanceof Error e) {
            throw e;
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void isSupportedOnLinux() {
        assertTrue(Affinity.isSupported());
    }

    @Test
    void pinningToEachCpuIsVisibleInGetAndInTheCurrentCpu() throws Exception {
        CpuSet online = CpuTopology.read().cpus();
        onFreshThread(() -> {
            for (int cpu : online.toArray()) {
                try (Affinity.Scope pinned = Affinity.pin(cpu)) {
                    assertEquals(CpuSet.of(cpu), Affinity.get());
                    for (int i = 0; i < 10_000; i++) {
                        assertEquals(cpu, Affinity.currentCpu(), "pinned to " + cpu);
                    }
                }
            }
        });
    }

    @Test
    void scopeRestoresThePreviousSet() throws Exception {
        onFreshThread(() -> {
            CpuSet before = Affinity.get();
            try (Affinity.Scope s = Affinity.pin(before.first())) {
                assertEquals(before, s.previous());
                assertEquals(1, Affinity.get().size());
            }
            assertEquals(before, Affinity.get());
        });
    }

    @Test
    void setAndGetRoundTrip() throws Exception {
        CpuSet online = CpuTopology.read().cpus();
        onFreshThread(() -> {
            Affinity.set(CpuSet.of(online.first()));
            assertEquals(CpuSet.of(online.first()), Affinity.get());
            Affinity.set(online);
            assertEquals(online, Affinity.get());
        });
    }

    @Test
    void aSetWithNoUsableCpuIsEinvalWithAHint() throws Exception {
        onFreshThread(() -> {
            CpuSet before = Affinity.get();
            ThreadControlException e = assertThrows(ThreadControlException.class,
                    () -> Affinity.set(CpuSet.of(CpuSet.MAX_CPUS - 1)));
            assertEquals(22, e.errno());
            assertEquals("EINVAL", e.errnoName());
            assertEquals("sched_setaffinity", e.call());
            assertTrue(e.getMessage().contains("CpuTopology.cpus()"), e.getMessage());
            assertEquals(before, Affinity.get(), "a refused call changes nothing");
        });
    }

    @Test
    void badArgumentsAndUnaddressableThreadsAreRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Affinity.set(CpuSet.empty()));
        assertThrows(NullPointerException.class, () -> Affinity.set(null));
        Thread foreign = Thread.ofPlatform().unstarted(() -> { });
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Affinity.get(foreign));
        assertTrue(e.getMessage().contains("ThreadBuilder"), e.getMessage());
        AtomicReference<Throwable> fromVirtual = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                Affinity.get();
            } catch (Throwable t) {
                fromVirtual.set(t);
            }
        }).join();
        assertTrue(fromVirtual.get() instanceof UnsupportedOperationException u && u.getMessage().contains("virtual"),
                String.valueOf(fromVirtual.get()));
    }

    @Test
    void scopeMustBeClosedByItsOwner() throws Exception {
        onFreshThread(() -> {
            Affinity.Scope s = Affinity.pin(Affinity.get().first());
            AtomicReference<Throwable> other = new AtomicReference<>();
            Thread.ofPlatform().start(() -> {
                try {
                    s.close();
                } catch (Throwable t) {
                    other.set(t);
                }
            }).join();
            assertTrue(other.get() instanceof IllegalStateException, String.valueOf(other.get()));
            s.close();
        });
    }
}
