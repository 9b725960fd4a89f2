package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
            Path topo = cpu.resolve("cpu" + c).resolve("topology");
            write(topo.resolve("physical_package_id"), (c % 4 < 2 ? 0 : 1) + "\n");
            write(topo.resolve("core_id"), (c % 2) + "\n");
        }
        write(node.resolve("node0").resolve("cpulist"), "0-1,4-5\n");
        write(node.resolve("node1").resolve("cpulist"), "2-3,6-7\n");

        CpuTopology t = CpuTopology.read(cpu, node);
        assertEquals(CpuSet.range(0, 7), t.cpus());
        assertEquals(List.of(
                new CpuTopology.Core(0, 0, CpuSet.of(0, 4)),
                new CpuTopology.Core(0, 1, CpuSet.of(1, 5)),
                new CpuTopology.Core(1, 0, CpuSet.of(2, 6)),
                new CpuTopology.Core(1, 1, CpuSet.of(3, 7))), t.cores());
        assertEquals(Map.of(0, CpuSet.parse("0-1,4-5"), 1, CpuSet.parse("2-3,6-7")), t.packages());
        assertEquals(Map.of(0, CpuSet.parse("0-1,4-5"), 1, CpuSet.parse("2-3,6-7")), t.numaNodes());
        assertEquals(CpuSet.range(0, 3), t.onePerCore());
        assertEquals(CpuSet.of(1, 5), t.siblingsOf(5));
        assertThrows(IllegalArgumentException.class, () -> t.siblingsOf(9));
        assertEquals("8 CPUs on 4 cores, 2 packages, 2 NUMA nodes", t.toString());
    }

    @Test
    void withoutNumaInformationEveryCpuIsOnNodeZero(@TempDir Path root) throws IOException {
        Path cpu = root.resolve("cpu");
        write(cpu.resolve("online"), "0-1\n");
        CpuTopology t = CpuTopology.read(cpu, root.resolve("no-such-dir"));
        assertEquals(Map.of(0, CpuSet.of(0, 1)), t.numaNodes());
        assertEquals(2, t.cores().size(), "without core ids every CPU counts as its own core");
    }

    @Test
    void thisMachineHasAConsistentTopology() {
        CpuTopology t = CpuTopology.read();
        assertTrue(Runtime.getRuntime().availableProcessors() <= t.cpus().size(), t.toString());
        CpuSet fromCores = CpuSet.empty();
        for (CpuTopology.Core c : t.cores()) {
            assertTrue(fromCores.intersect(c.threads()).isEmpty(), "a CPU on two cores");
            fromCores = fromCores.union(c.threads());
        }
        assertEquals(t.cpus(), fromCores);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
