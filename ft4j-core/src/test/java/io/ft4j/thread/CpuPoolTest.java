package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ft4j.thread.CpuReservation.Placement;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reservations on a fake machine of 2 packages x 2 cores x 2 SMT threads (siblings 4 apart, as Linux numbers them;
 * package 0 holds CPUs 0, 1, 4, 5), with pools that do not bind (the fake CPUs do not exist here), and for real
 * against a second JVM.
 */
@Timeout(120)
class CpuPoolTest {
    @TempDir
    Path dir;

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    static CpuTopology fakeMachine(Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        write(cpu.resolve("online"), "0-7\n");
        for (int c = 0; c < 8; c++) {
            Path topo = cpu.resolve("cpu" + c).resolve("topology");
            write(topo.resolve("physical_package_id"), (c % 4 < 2 ? 0 : 1) + "\n");
            write(topo.resolve("core_id"), (c % 2) + "\n");
            write(topo.resolve("core_cpus_list"), (c % 4) + "," + (c % 4 + 4) + "\n");
        }
        return CpuTopology.read(cpu, root.resolve("node"));
    }

    private CpuPool pool(CpuSet cpus) throws IOException {
        return CpuPool.builder().directory(dir.resolve("locks")).cpus(cpus).bind(false)
                .topology(fakeMachine(dir.resolve("sys"))).build();
    }

    @Test
    void reservesFreeCpusInOrderAndSaysWhoHoldsTheRest() throws Exception {
        CpuPool pool = pool(CpuSet.range(1, 2));
        try (CpuReservation a = pool.reserveAny(); CpuReservation b = pool.reserveAny()) {
            assertEquals(1, a.cpu());
            assertEquals(2, b.cpu());
            CpuUnavailableException e = assertThrows(CpuUnavailableException.class, pool::reserveAny);
            assertTrue(e.getMessage().startsWith("no free CPU in pool 1-2: CPU 1 held by this process (thread \""
                    + Thread.currentThread().getName() + "\"), CPU 2 held by this process"), e.getMessage());
            assertEquals(List.of(1, 2), e.holders().stream().map(CpuPool.Holder::cpu).toList());
            assertEquals(List.of(1, 2), pool.holders().stream().map(CpuPool.Holder::cpu).toList());
            assertThrows(CpuUnavailableException.class, () -> pool.reserve(2));
            IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> pool.reserve(5));
            assertTrue(outside.getMessage().contains("a CPU of the pool, 1-2"), outside.getMessage());
        }
        assertEquals(List.of(), pool.holders(), "closing released both");
        try (CpuReservation again = pool.reserve(2)) {
            assertEquals(2, again.cpu());
        }
    }

    @Test
    void sixteenRacingThreadsNeverShareACpu() throws Exception {
        CpuPool pool = pool(CpuSet.range(0, 3));
        AtomicIntegerArray inUse = new AtomicIntegerArray(8);
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger reserved = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 200; i++) {
                        try (CpuReservation r = pool.reserveAny()) {
                            if (inUse.getAndIncrement(r.cpu()) != 0) {
                                overlaps.incrementAndGet();
                            }
                            reserved.incrementAndGet();
                            Thread.onSpinWait();
                            inUse.decrementAndGet(r.cpu());
                        } catch (CpuUnavailableException busy) {
                            Thread.yield();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, overlaps.get(), "two threads held one CPU at once");
        assertTrue(reserved.get() > 0);
        assertEquals(List.of(), pool.holders());
    }

    @Test
    void placesReservationsRelativeToAnother() throws Exception {
        CpuPool pool = pool(CpuSet.range(0, 7));
        try (CpuReservation first = pool.reserve(1);                              // package 0, core 1 = {1, 5}
                CpuReservation sibling = pool.reserveNear(first, Placement.SAME_CORE);
                CpuReservation samePackage = pool.reserveNear(first, Placement.SAME_PACKAGE);
                CpuReservation otherCore = pool.reserveNear(first, Placement.OTHER_CORE)) {
            assertEquals(5, sibling.cpu());
            assertEquals(0, samePackage.cpu(), "package 0's other core is {0, 4}");
            assertEquals(2, otherCore.cpu(), "0 is taken; 2 is the next CPU off core {1, 5}");
            CpuUnavailableException full = assertThrows(CpuUnavailableException.class,
                    () -> pool.reserveNear(first, Placement.SAME_CORE));
            assertTrue(full.getMessage().contains("the same core as CPU 1"), full.getMessage());
            try (CpuReservation node = pool.reserveNear(first, Placement.SAME_NODE)) {
                assertEquals(3, node.cpu(), "no NUMA nodes in sysfs: one node of every CPU");
            }
        }
    }

    @Test
    void aWholeCoreKeepsItsSiblingsFromOthers() throws Exception {
        CpuPool pool = pool(CpuSet.parse("1-3,5-6"));  // core {3, 7} is not wholly in the pool
        try (CpuReservation a = pool.reserve(1)) {
            try (CpuReservation core = pool.reserveCore()) {
                assertEquals(CpuSet.of(2, 6), core.cpus(), "{1, 5} is partly held; {2, 6} is the first free core");
                assertEquals(2, core.cpu());
                assertThrows(CpuUnavailableException.class, () -> pool.reserve(6));
                assertThrows(CpuUnavailableException.class, pool::reserveCore);
            }
            assertEquals(6, pool.reserve(6).cpu());
        }
    }

    @Test
    void aReservationEndsWithItsThread() throws Exception {
        CpuPool pool = pool(CpuSet.of(3));
        CompletableFuture<CpuReservation> held = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> held.complete(pool.reserveAny()));
        t.join();
        CpuReservation r = held.get(10, TimeUnit.SECONDS);
        io.ft4j.testing.Eventually.until("the thread's exit action to release CPU 3", () -> !r.isHeld());
        try (CpuReservation mine = pool.reserveAny()) {
            assertEquals(3, mine.cpu());
        }
    }

    @Test
    void aBuilderThreadReservesAndIsPinned() throws Exception {
        assumeTrue(Affinity.isSupported());
        CpuPool pool = CpuPool.builder().directory(dir).cpus(Affinity.get()).build(); // binds; real CPUs
        CompletableFuture<CpuSet> seen = new CompletableFuture<>();
        new ThreadBuilder().reserveCpu(pool).start(() -> seen.complete(Affinity.get())).join();
        CpuSet affinity = seen.get(10, TimeUnit.SECONDS);
        assertEquals(1, affinity.size(), "pinned to its reserved CPU");
        io.ft4j.testing.Eventually.until("the reservation to end with the thread", () -> pool.holders().isEmpty());
        assertThrows(IllegalStateException.class,
                () -> new ThreadBuilder().cpus(CpuSet.of(0)).reserveCpu(pool).start(() -> { }));
    }

    @Test
    void bindingPinsTheThreadAndClosingRestoresItsCpus() throws Exception {
        assumeTrue(Affinity.isSupported());
        AffinityTest.onFreshThread(() -> {
            CpuSet before = Affinity.get();
            CpuPool pool = CpuPool.builder().directory(dir).cpus(before).build();
            try (CpuReservation r = pool.reserveAny()) {
                assertEquals(CpuSet.of(r.cpu()), Affinity.get());
            }
            assertEquals(before, Affinity.get());
        });
    }

    /** The child: reserves CPU N in the directory given, says so, and waits to be told to go (or killed). */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            CpuPool pool = CpuPool.builder().directory(Path.of(args[0])).cpus(CpuSet.of(Integer.parseInt(args[1])))
                    .bind(false).build();
            try (CpuReservation r = pool.reserveAny()) {
                System.out.println("HELD " + r.cpu());
                System.out.flush();
                System.in.read(); // until the parent closes our input, or kills us
            }
            System.out.println("RELEASED");
        }
    }

    private Process child(int cpu) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = location(CpuPool.class) + File.pathSeparator + location(Child.class);
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                Child.class.getName(), dir.toString(), Integer.toString(cpu)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertEquals("HELD " + cpu, line, "the child reserved the CPU");
        return p;
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void anotherJvmsReservationExcludesThisOneUntilItExitsOrIsKilled() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        CpuPool pool = CpuPool.builder().directory(dir).cpus(CpuSet.of(1)).bind(false).build();
        for (boolean kill : new boolean[] {false, true}) {
            Process p = child(1);
            try {
                CpuUnavailableException e = assertThrows(CpuUnavailableException.class, pool::reserveAny);
                assertTrue(e.getMessage().contains("CPU 1 held by pid " + p.pid()), e.getMessage());
                assertFalse(e.holders().get(0).stale());
                if (kill) {
                    p.destroyForcibly(); // SIGKILL: no shutdown hook, no release; the kernel drops the lock
                } else {
                    p.getOutputStream().close();
                }
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            } finally {
                p.destroyForcibly();
            }
            if (kill) {
                List<CpuPool.Holder> left = pool.holders();
                assertEquals(1, left.size(), "a killed holder leaves its record");
                assertTrue(left.get(0).stale(), left.toString());
            }
            try (CpuReservation r = pool.reserveAny()) {
                assertEquals(1, r.cpu(), (kill ? "after kill -9" : "after a clean exit") + ": the CPU is free");
            }
        }
    }
}
