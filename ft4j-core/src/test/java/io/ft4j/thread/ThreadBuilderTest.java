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
import java.util.concurrent.ThreadFactory;
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
                .policy(SchedulingPolicy.batch()).unstarted(() -> {
                    seenCpus.set(Affinity.get());
                    seenSched.set(Scheduling.current());
                });
        t.start();
        t.join();
        assertEquals(CpuSet.of(cpu), seenCpus.get());
        assertEquals(new Scheduling.Settings(SchedulingPolicy.batch(), 12), seenSched.get());
    }

    @Test
    void namesFollowThreadBuilderExactOrNumbered() {
        ThreadBuilder b = new ThreadBuilder().name("golden").daemon(true);
        assertEquals("golden", b.unstarted(() -> { }).getName());
        assertEquals("golden", b.unstarted(() -> { }).getName(), "one exact name, as Thread.Builder.name(String)");
        b.name("w-", 7);
        ControlledThread a = b.unstarted(() -> { });
        ControlledThread c = b.unstarted(() -> { });
        assertEquals("w-7", a.getName());
        assertEquals("w-8", c.getName());
        ThreadFactory f = b.factory();
        assertEquals("w-9", f.newThread(() -> { }).getName(), "a factory continues the builder's count");
        b.name("later");
        assertEquals("w-10", f.newThread(() -> { }).getName(), "a factory keeps the settings it was made with");
        assertTrue(a.isDaemon());
        assertTrue(f.newThread(() -> { }).isDaemon());
        assertFalse(new ThreadBuilder().unstarted(() -> { }).isDaemon());
        assertTrue(new ThreadBuilder().daemon().unstarted(() -> { }).isDaemon());
        assertEquals("ft4j-0", new ThreadBuilder().unstarted(() -> { }).getName());
        assertEquals("p1", new ThreadBuilder().name("p", 1).unstarted(() -> { }).getName(),
                "the prefix is used as given, as Thread.Builder does");
    }

    @Test
    void worksAsAnExecutorThreadFactory() throws Exception {
        CpuSet cpus = CpuSet.of(CpuTopology.read().cpus().first());
        ExecutorService pool = Executors.newFixedThreadPool(2,
                new ThreadBuilder().name("pool-", 0).cpus(cpus).nice(3).factory());
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
        assertThrows(IllegalStateException.class, () -> new ThreadBuilder().unstarted(() -> { }).tid(), "not started");
    }

    @Test
    void aRefusedSettingFailsStartAndIsReportedToTheCallerOnly() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((th, ex) -> uncaught.add(ex));
        try {
            ThreadControlException e = assertThrows(ThreadControlException.class,
                    () -> new ThreadBuilder().name("refused").cpus(CpuSet.of(CpuSet.MAX_CPUS - 1))
                            .start(() -> ran.set(true)));
            assertEquals("EINVAL", e.errnoName());
            // The thread has ended (start waited for its settings); join every thread of that name to be sure its
            // uncaught-exception path, if any, has run before looking.
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("refused")) {
                    t.join();
                }
            }
            List<Throwable> uncaughtSoFar = List.copyOf(uncaught);
            assertTrue(uncaughtSoFar.isEmpty(), "reported twice: " + uncaughtSoFar);
            // With its own handler, too, the refusal reaches the caller only.
            List<Throwable> own = new CopyOnWriteArrayList<>();
            assertThrows(ThreadControlException.class, () -> new ThreadBuilder().cpus(CpuSet.of(CpuSet.MAX_CPUS - 1))
                    .uncaughtExceptionHandler((th, ex) -> own.add(ex)).start(() -> ran.set(true)));
            assertTrue(own.isEmpty(), own.toString());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertFalse(ran.get());
    }

    @Test
    void aRefusedSettingReachesTheUncaughtHandlerOfAFactoryThread() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        AtomicBoolean ran = new AtomicBoolean();
        ControlledThread t = new ThreadBuilder().cpus(CpuSet.of(CpuSet.MAX_CPUS - 1))
                .uncaughtExceptionHandler((th, ex) -> uncaught.add(ex)).unstarted(() -> ran.set(true));
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
        assertThrows(NullPointerException.class, () -> b.name(null, 0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.name("w-", -1)).getMessage()
                .contains("start"));
        assertThrows(NullPointerException.class, () -> b.policy(null));
        assertThrows(NullPointerException.class, () -> b.unstarted(null));
        assertThrows(NullPointerException.class, () -> b.start(null));
        assertThrows(NullPointerException.class, () -> b.factory().newThread(null));
        assertThrows(NullPointerException.class, () -> b.uncaughtExceptionHandler(null));
    }
}
