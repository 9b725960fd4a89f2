package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.thread.CpuTopology.Core;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuTopologyTest {

    /** 2 packages x 2 cores x 2 SMT threads, numbered the way Linux numbers them (siblings 4 apart), 2 NUMA nodes. */
    @Test
    void readsCoresSiblingsPackagesAndNodesFromSysfs(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        Path node = root.resolve("node");
        write(cpu.resolve("online"), "0-7\n");
        for (int c = 0; c < 8; c++) {
            Path topo = topology(cpu, c);
            write(topo.resolve("physical_package_id"), (c % 4 < 2 ? 0 : 1) + "\n");
            write(topo.resolve("die_id"), "0\n");
            write(topo.resolve("core_id"), (c % 2) + "\n");
            write(topo.resolve("core_cpus_list"), (c % 4) + "," + (c % 4 + 4) + "\n");
            write(topo.resolve("thread_siblings_list"), (c % 4) + "," + (c % 4 + 4) + "\n");
        }
        write(node.resolve("node0").resolve("cpulist"), "0-1,4-5\n");
        write(node.resolve("node1").resolve("cpulist"), "2-3,6-7\n");

        CpuTopology t = CpuTopology.read(cpu, node);
        assertEquals(CpuSet.range(0, 7), t.cpus());
        assertEquals(List.of(
                new Core(0, 0, 0, CpuSet.of(0, 4)),
                new Core(0, 0, 1, CpuSet.of(1, 5)),
                new Core(1, 0, 0, CpuSet.of(2, 6)),
                new Core(1, 0, 1, CpuSet.of(3, 7))), t.cores());
        assertEquals(Map.of(0, CpuSet.parse("0-1,4-5"), 1, CpuSet.parse("2-3,6-7")), t.packages());
        assertEquals(Map.of(0, CpuSet.parse("0-1,4-5"), 1, CpuSet.parse("2-3,6-7")), t.numaNodes());
        assertEquals(CpuSet.range(0, 3), t.onePerCore());
        assertEquals(CpuSet.of(1, 5), t.siblingsOf(5));
        assertThrows(IllegalArgumentException.class, () -> t.siblingsOf(9));
        assertEquals("8 CPUs on 4 cores, 2 packages, 2 NUMA nodes", t.toString());
    }

    /** Linux promises core_id unique only within a die: both dies of this package have a core 0 and a core 1. */
    @Test
    void coreIdsRepeatedAcrossDiesAreDistinctCores(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        write(cpu.resolve("online"), "0-3\n");
        for (int c = 0; c < 4; c++) {
            Path topo = topology(cpu, c);
            write(topo.resolve("physical_package_id"), "0\n");
            write(topo.resolve("die_id"), (c % 2) + "\n");
            write(topo.resolve("core_id"), (c / 2) + "\n");
            write(topo.resolve("core_cpus_list"), c + "\n");
            write(topo.resolve("thread_siblings_list"), c + "\n");
        }
        CpuTopology t = CpuTopology.read(cpu, root.resolve("no-node-dir"));
        assertEquals(List.of(
                new Core(0, 0, 0, CpuSet.of(0)),
                new Core(0, 0, 1, CpuSet.of(2)),
                new Core(0, 1, 0, CpuSet.of(1)),
                new Core(0, 1, 1, CpuSet.of(3))), t.cores());
        assertEquals(CpuSet.range(0, 3), t.onePerCore());
        for (int c = 0; c < 4; c++) {
            assertEquals(CpuSet.of(c), t.siblingsOf(c));
        }
        assertEquals("4 CPUs on 4 cores, 2 dies, 1 package, 1 NUMA node", t.toString());
    }

    /** The same with SMT: two threads per core, core ids 0 and 1 on each of two dies. */
    @Test
    void smtSiblingsOnDiesWithRepeatedCoreIds(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        write(cpu.resolve("online"), "0-7\n");
        for (int c = 0; c < 8; c++) {
            Path topo = topology(cpu, c);
            write(topo.resolve("physical_package_id"), "0\n");
            write(topo.resolve("die_id"), (c % 4 / 2) + "\n");
            write(topo.resolve("core_id"), (c % 2) + "\n");
            write(topo.resolve("core_cpus_list"), (c % 4) + "," + (c % 4 + 4) + "\n");
        }
        CpuTopology t = CpuTopology.read(cpu, root.resolve("no-node-dir"));
        assertEquals(List.of(
                new Core(0, 0, 0, CpuSet.of(0, 4)),
                new Core(0, 0, 1, CpuSet.of(1, 5)),
                new Core(0, 1, 0, CpuSet.of(2, 6)),
                new Core(0, 1, 1, CpuSet.of(3, 7))), t.cores());
        assertEquals(CpuSet.range(0, 3), t.onePerCore());
        assertEquals(CpuSet.of(2, 6), t.siblingsOf(6));
        assertEquals("8 CPUs on 4 cores, 2 dies, 1 package, 1 NUMA node", t.toString());
    }

    /**
     * CPU 3 is offline: its directory has no topology, and the sibling list of CPU 0 (its SMT sibling) and the NUMA
     * node still name it. It is on no core, in no package and in no node.
     */
    @Test
    void offlineCpusAreLeftOutOfCoresPackagesAndNodes(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        Path node = root.resolve("node");
        write(cpu.resolve("online"), "0-2,4-5\n");
        Files.createDirectories(cpu.resolve("cpu3")); // offline: no topology directory
        for (int c : new int[] {0, 1, 2, 4, 5}) {
            Path topo = topology(cpu, c);
            write(topo.resolve("physical_package_id"), "0\n");
            write(topo.resolve("core_id"), (c % 3) + "\n");
            write(topo.resolve("core_cpus_list"), (c % 3) + "," + (c % 3 + 3) + "\n");
            write(topo.resolve("thread_siblings_list"), (c % 3) + "," + (c % 3 + 3) + "\n");
        }
        write(node.resolve("node0").resolve("cpulist"), "0-5\n");
        write(node.resolve("node1").resolve("cpulist"), "\n"); // memory only
        CpuTopology t = CpuTopology.read(cpu, node);
        assertEquals(CpuSet.parse("0-2,4-5"), t.cpus());
        assertEquals(List.of(
                new Core(0, 0, 0, CpuSet.of(0)),
                new Core(0, 0, 1, CpuSet.of(1, 4)),
                new Core(0, 0, 2, CpuSet.of(2, 5))), t.cores());
        assertEquals(CpuSet.range(0, 2), t.onePerCore());
        assertEquals(CpuSet.of(0), t.siblingsOf(0));
        assertEquals(CpuSet.of(1, 4), t.siblingsOf(4));
        assertThrows(IllegalArgumentException.class, () -> t.siblingsOf(3));
        assertEquals(Map.of(0, CpuSet.parse("0-2,4-5")), t.packages());
        assertEquals(Map.of(0, CpuSet.parse("0-2,4-5")), t.numaNodes());
        assertEquals("5 CPUs on 3 cores, 1 package, 1 NUMA node", t.toString());
    }

    /** Sparse package and core ids, in no relation to the CPU numbers; two cores even carry the same ids. */
    @Test
    void nonContiguousIdsOrderTheCoresButDoNotGroupThem(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        write(cpu.resolve("online"), "0-5\n");
        int[] pkg = {0, 0, 0, 0, 3, 3};
        int[] core = {12, 4, 8, 0, 0, 0};
        for (int c = 0; c < 6; c++) {
            Path topo = topology(cpu, c);
            write(topo.resolve("physical_package_id"), pkg[c] + "\n");
            write(topo.resolve("core_id"), core[c] + "\n");
            write(topo.resolve("core_cpus_list"), c + "\n");
        }
        CpuTopology t = CpuTopology.read(cpu, root.resolve("no-node-dir"));
        assertEquals(List.of(
                new Core(0, 0, 0, CpuSet.of(3)),
                new Core(0, 0, 4, CpuSet.of(1)),
                new Core(0, 0, 8, CpuSet.of(2)),
                new Core(0, 0, 12, CpuSet.of(0)),
                new Core(3, 0, 0, CpuSet.of(4)),
                new Core(3, 0, 0, CpuSet.of(5))), t.cores());
        assertEquals(CpuSet.range(0, 5), t.onePerCore());
        assertEquals(CpuSet.of(5), t.siblingsOf(5));
        assertEquals(Map.of(0, CpuSet.range(0, 3), 3, CpuSet.of(4, 5)), t.packages());
        assertEquals("6 CPUs on 6 cores, 2 packages, 1 NUMA node", t.toString());
    }

    /** Sub-NUMA clustering: two nodes per package; a memory-only node and a node of offline CPUs are left out. */
    @Test
    void moreThanOneNumaNodePerPackage(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        Path node = root.resolve("node");
        write(cpu.resolve("online"), "0-7\n");
        for (int c = 0; c < 8; c++) {
            Path topo = topology(cpu, c);
            write(topo.resolve("physical_package_id"), (c / 4) + "\n");
            write(topo.resolve("core_id"), (c % 4) + "\n");
            write(topo.resolve("core_cpus_list"), c + "\n");
        }
        write(node.resolve("node0").resolve("cpulist"), "0-1\n");
        write(node.resolve("node1").resolve("cpulist"), "2-3\n");
        write(node.resolve("node2").resolve("cpulist"), "4-5\n");
        write(node.resolve("node3").resolve("cpulist"), "6-7\n");
        write(node.resolve("node4").resolve("cpulist"), "\n");
        write(node.resolve("node5").resolve("cpulist"), "8-9\n");
        write(node.resolve("online"), "0-5\n"); // not a node directory
        CpuTopology t = CpuTopology.read(cpu, node);
        assertEquals(Map.of(0, CpuSet.of(0, 1), 1, CpuSet.of(2, 3), 2, CpuSet.of(4, 5), 3, CpuSet.of(6, 7)),
                t.numaNodes());
        assertEquals(List.of(0, 1, 2, 3), List.copyOf(t.numaNodes().keySet()), "ascending node ids");
        assertEquals(Map.of(0, CpuSet.range(0, 3), 1, CpuSet.range(4, 7)), t.packages());
        assertEquals(8, t.cores().size());
        assertEquals("8 CPUs on 8 cores, 2 packages, 4 NUMA nodes", t.toString());
    }

    /** Kernels before 5.3 have thread_siblings_list only; it groups the threads even where core ids say otherwise. */
    @Test
    void oldKernelsThreadSiblingsListGroupsTheThreads(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        write(cpu.resolve("online"), "0-3\n");
        for (int c = 0; c < 4; c++) {
            Path topo = topology(cpu, c);
            write(topo.resolve("physical_package_id"), "0\n");
            write(topo.resolve("core_id"), "0\n"); // as some hypervisors report it
            write(topo.resolve("thread_siblings_list"), (c < 2 ? "0-1" : "2-3") + "\n");
        }
        CpuTopology t = CpuTopology.read(cpu, root.resolve("no-node-dir"));
        assertEquals(List.of(
                new Core(0, 0, 0, CpuSet.of(0, 1)),
                new Core(0, 0, 0, CpuSet.of(2, 3))), t.cores());
        assertEquals(CpuSet.of(0, 2), t.onePerCore());
        assertEquals(CpuSet.of(2, 3), t.siblingsOf(3));
        assertEquals("4 CPUs on 2 cores, 1 package, 1 NUMA node", t.toString());
    }

    /** Lists that disagree (CPU 1 claims 2 as well, which CPU 2 does not) still put each CPU on exactly one core. */
    @Test
    void inconsistentSiblingListsStillPutEachCpuOnOneCore(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        write(cpu.resolve("online"), "0-2\n");
        String[] lists = {"0-1", "0-2", "2"};
        for (int c = 0; c < 3; c++) {
            write(topology(cpu, c).resolve("core_cpus_list"), lists[c] + "\n");
        }
        CpuTopology t = CpuTopology.read(cpu, root.resolve("no-node-dir"));
        assertEquals(List.of(new Core(0, 0, 0, CpuSet.of(0, 1)), new Core(0, 0, 2, CpuSet.of(2))), t.cores());
    }

    /** Without sibling lists, CPUs with equal (package, die, core_id) share a core; the die is part of the key. */
    @Test
    void withoutSiblingListsIdsGroupTheThreads(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        write(cpu.resolve("online"), "0-8\n");
        for (int c = 0; c < 8; c++) {
            Path topo = topology(cpu, c);
            write(topo.resolve("physical_package_id"), "1\n");
            write(topo.resolve("die_id"), (c % 4 / 2) + "\n");
            write(topo.resolve("core_id"), (c % 2) + "\n");
        }
        write(topology(cpu, 8).resolve("physical_package_id"), "1\n"); // no core_id: a core of its own
        CpuTopology t = CpuTopology.read(cpu, root.resolve("no-node-dir"));
        assertEquals(List.of(
                new Core(1, 0, 0, CpuSet.of(0, 4)),
                new Core(1, 0, 1, CpuSet.of(1, 5)),
                new Core(1, 0, 8, CpuSet.of(8)),
                new Core(1, 1, 0, CpuSet.of(2, 6)),
                new Core(1, 1, 1, CpuSet.of(3, 7))), t.cores());
        assertEquals(CpuSet.parse("0-3,8"), t.onePerCore());
        assertEquals(CpuSet.of(3, 7), t.siblingsOf(7));
        assertEquals(Map.of(1, CpuSet.range(0, 8)), t.packages());
    }

    /**
     * CPU 0 has ids but no sibling list; CPU 1's list names it. The list is the kernel's word on which CPUs share a
     * core, so both are on one core, and CPU 0 on no other.
     */
    @Test
    void aCpuWithoutAListThatAnotherListNamesIsOnThatCoreOnly(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        write(cpu.resolve("online"), "0-2\n");
        for (int c = 0; c < 3; c++) {
            Path topo = topology(cpu, c);
            write(topo.resolve("physical_package_id"), "0\n");
            write(topo.resolve("core_id"), (c < 2 ? 7 : 9) + "\n");
        }
        write(topology(cpu, 1).resolve("core_cpus_list"), "0-1\n");
        CpuTopology t = CpuTopology.read(cpu, root.resolve("no-node-dir"));
        assertEquals(List.of(new Core(0, 0, 7, CpuSet.of(0, 1)), new Core(0, 0, 9, CpuSet.of(2))), t.cores());
        assertEquals(CpuSet.of(0, 1), t.siblingsOf(0));
        assertEquals(CpuSet.of(0, 2), t.onePerCore());
    }

    /**
     * An empty id file is no id, like a missing one; so is -1, which Linux writes where the platform gives no package
     * or die: package and die 0, and a CPU without a core id (and without a list) is its own core.
     */
    @Test
    void emptyAndMinusOneIdsCountAsAbsent(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        write(cpu.resolve("online"), "0-3\n");
        for (int c = 0; c < 4; c++) {
            Path topo = topology(cpu, c);
            write(topo.resolve("physical_package_id"), c < 2 ? "-1\n" : "\n");
            write(topo.resolve("die_id"), c < 2 ? "\n" : "-1\n");
        }
        write(topology(cpu, 0).resolve("core_id"), "\n");
        write(topology(cpu, 1).resolve("core_id"), "-1\n");
        write(topology(cpu, 2).resolve("core_id"), "5\n");
        write(topology(cpu, 3).resolve("core_id"), "5\n");
        CpuTopology t = CpuTopology.read(cpu, root.resolve("no-node-dir"));
        assertEquals(List.of(
                new Core(0, 0, 0, CpuSet.of(0)),
                new Core(0, 0, 1, CpuSet.of(1)),
                new Core(0, 0, 5, CpuSet.of(2, 3))), t.cores());
        assertEquals(Map.of(0, CpuSet.range(0, 3)), t.packages());
        assertEquals("4 CPUs on 3 cores, 1 package, 1 NUMA node", t.toString());
    }

    /** Linux built for 8192 CPUs may name CPUs beyond CpuSet.MAX_CPUS in lists; offline, they are left out. */
    @Test
    void listsNamingCpusBeyondTheLimitAreReadWithoutThem(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        Path node = root.resolve("node");
        write(cpu.resolve("online"), "0-1\n");
        write(topology(cpu, 0).resolve("core_cpus_list"), "0,2000\n");
        write(topology(cpu, 1).resolve("core_cpus_list"), "1,1000-5000\n");
        write(node.resolve("node0").resolve("cpulist"), "0-1,4000-4095\n");
        CpuTopology t = CpuTopology.read(cpu, node);
        assertEquals(List.of(new Core(0, 0, 0, CpuSet.of(0)), new Core(0, 0, 1, CpuSet.of(1))), t.cores());
        assertEquals(Map.of(0, CpuSet.of(0, 1)), t.numaNodes());
    }

    /** An online CPU a CpuSet cannot hold is refused with the documented exception, naming the CPU and the limit. */
    @Test
    void anOnlineCpuBeyondTheLimitIsUnsupported(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        write(cpu.resolve("online"), "0-1,4095\n");
        String message = assertThrows(UnsupportedOperationException.class,
                () -> CpuTopology.read(cpu, root.resolve("no-node-dir"))).getMessage();
        assertTrue(message.contains("4095") && message.contains("1023"), message);
    }

    /** A file that holds something other than what Linux writes there is reported as unreadable, naming the file. */
    @Test
    void malformedFilesAreReportedAsUnreadable(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        write(cpu.resolve("online"), "0-1\n");
        write(topology(cpu, 1).resolve("core_id"), "one\n");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> CpuTopology.read(cpu, root.resolve("no-node-dir")));
        assertTrue(e.getCause().getMessage().contains("core_id"), e.getCause().getMessage());

        write(cpu.resolve("online"), "0-x\n");
        assertThrows(UncheckedIOException.class, () -> CpuTopology.read(cpu, root.resolve("no-node-dir")));
    }

    @Test
    void withoutNumaInformationEveryCpuIsOnNodeZero(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        write(cpu.resolve("online"), "0-1\n");
        CpuTopology t = CpuTopology.read(cpu, root.resolve("no-such-dir"));
        assertEquals(Map.of(0, CpuSet.of(0, 1)), t.numaNodes());
        assertEquals(List.of(new Core(0, 0, 0, CpuSet.of(0)), new Core(0, 0, 1, CpuSet.of(1))), t.cores(),
                "without core ids every CPU counts as its own core");
    }

    @Test
    void toStringSaysOneWithoutAPlural(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        write(cpu.resolve("online"), "0\n");
        assertEquals("1 CPU on 1 core, 1 package, 1 NUMA node",
                CpuTopology.read(cpu, root.resolve("no-such-dir")).toString());
    }

    @Test
    void thisMachineHasAConsistentTopology() {
        CpuTopology t = CpuTopology.read();
        assertTrue(Runtime.getRuntime().availableProcessors() <= t.cpus().size(), t.toString());
        CpuSet fromCores = CpuSet.empty();
        for (Core c : t.cores()) {
            assertTrue(fromCores.intersect(c.threads()).isEmpty(), "a CPU on two cores");
            fromCores = fromCores.union(c.threads());
        }
        assertEquals(t.cpus(), fromCores);
        assertEquals(t.cores().size(), t.onePerCore().size());
    }

    private static Path topology(Path cpuDir, int cpu) {
        return cpuDir.resolve("cpu" + cpu).resolve("topology");
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
