package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ThreadBuilderTest {
    @BeforeAll
    static void linuxOnly() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "thread control is Linux-only");
    }

    @Test
    void settingsAreInPlaceBeforeUserCodeRuns() throws Exception {
        int cpu = CpuTopology.read().cpus().first();
        AtomicReference<CpuSet> seenCpus = new AtomicReference<>();
        AtomicReference<Scheduling.Settings> seenSched = new AtomicReference<>();
        ControlledThread t = new ThreadBuilder().name("cfg").cpus(CpuSet.of(cpu)).nice(12)
                .policy(SchedulingPolicy.batch()).newThread(() -> {
                    seenCpus.set(Affinity.get());
                    seenSched.set(Scheduling.current());
                });
        t.start();
        t.join();
        assertEquals(CpuSet.of(cpu), seenCpus.get());
        assertEquals(new Scheduling.Settings(SchedulingPolicy.batch(), 12), seenSched.get());
    }

    @Test
    void namesAreNumberedAndDaemonIsApplied() {
        ThreadBuilder b = new ThreadBuilder().name("w").daemon(true);
        ControlledThread a = b.newThread(() -> { });
        ControlledThread c = b.newThread(() -> { });
        assertEquals("w-0", a.getName());
        assertEquals("w-1", c.getName());
        assertTrue(a.isDaemon());
        assertFalse(new ThreadBuilder().newThread(() -> { }).isDaemon());
    }

    @Test
    void worksAsAnExecutorThreadFactory() throws Exception {
        CpuSet cpus = CpuSet.of(CpuTopology.read().cpus().first());
        ExecutorService pool = Executors.newFixedThreadPool(2, new ThreadBuilder().name("pool").cpus(cpus).nice(3));
        try {
            List<Future<CpuSet>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    assertEquals(3, Scheduling.nice());
                    assertTrue(Thread.currentThread().getName().startsWith("pool-"));
                    return Affinity.get();
                }));
            }
            for (Future<CpuSet> f : results) {
                assertEquals(cpus, f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aControllerCanReconfigureARunningWorker() throws Exception {
        CountDownLatch reconfigured = new CountDownLatch(1);
        AtomicReference<Scheduling.Settings> seen = new AtomicReference<>();
        AtomicReference<CpuSet> seenCpus = new AtomicReference<>();
        int cpu = CpuTopology.read().cpus().first();
        ControlledThread worker = new ThreadBuilder().name("worker").start(() -> {
            try {
                reconfigured.await();
            } catch (InterruptedException e) {
                return;
            }
            seen.set(Scheduling.current());
            seenCpus.set(Affinity.get());
        });
        assertTrue(worker.tid() > 0);
        Scheduling.setNice(worker, 9);
        Scheduling.setPolicy(worker, SchedulingPolicy.batch());
        Affinity.set(worker, CpuSet.of(cpu));
        assertEquals(9, Scheduling.nice(worker));
        assertEquals(CpuSet.of(cpu), Affinity.get(worker));
        reconfigured.countDown();
        worker.join();
        assertEquals(new Scheduling.Settings(SchedulingPolicy.batch(), 9), seen.get());
        assertEquals(CpuSet.of(cpu), seenCpus.get());
        assertThrows(IllegalStateException.class, worker::tid, "terminated");
        assertThrows(IllegalStateException.class, () -> new ThreadBuilder().newThread(() -> { }).tid(), "not started");
    }

    @Test
    void aRefusedSettingFailsStartAndTheTaskNeverRuns() {
        AtomicBoolean ran = new AtomicBoolean();
        ThreadControlException e = assertThrows(ThreadControlException.class,
                () -> new ThreadBuilder().cpus(CpuSet.of(CpuSet.MAX_CPUS - 1)).start(() -> ran.set(true)));
        assertEquals("EINVAL", e.errnoName());
        assertFalse(ran.get());
    }

    @Test
    void aRefusedSettingReachesTheUncaughtHandlerOfAFactoryThread() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        AtomicBoolean ran = new AtomicBoolean();
        ControlledThread t = new ThreadBuilder().cpus(CpuSet.of(CpuSet.MAX_CPUS - 1))
                .uncaughtExceptionHandler((th, ex) -> uncaught.add(ex)).newThread(() -> ran.set(true));
        t.start();
        t.join();
        assertFalse(ran.get());
        assertEquals(1, uncaught.size());
        assertTrue(uncaught.get(0) instanceof ThreadControlException);
    }

    @Test
    void badSettingsAreRefusedAtOnce() {
        ThreadBuilder b = new ThreadBuilder();
        assertThrows(IllegalArgumentException.class, () -> b.nice(42));
        assertThrows(IllegalArgumentException.class, () -> b.cpus(CpuSet.empty()));
        assertThrows(NullPointerException.class, () -> b.name(null));
        assertThrows(NullPointerException.class, () -> b.policy(null));
        assertThrows(NullPointerException.class, () -> b.newThread(null));
    }
}
