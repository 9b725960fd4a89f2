package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The budget readers on fake /proc and sysfs trees laid out as Linux lays them out. */
class CpuBudgetTest {

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** 8 CPUs, 6-7 offline, 2-3 isolated and tickless; affinity 0-4. */
    private static void machine(Path root) throws IOException {
        Path cpu = root.resolve("sys/devices/system/cpu");
        write(cpu.resolve("online"), "0-5\n");
        write(cpu.resolve("offline"), "6-7\n");
        write(cpu.resolve("isolated"), "2-3\n");
        write(cpu.resolve("nohz_full"), "2-3\n");
        write(root.resolve("proc/self/status"), "Name:\tjava\nCpus_allowed:\t1f\nCpus_allowed_list:\t0-4\n");
    }

    @Test
    void cgroupV2CpusetAndTheSmallestQuotaOnThePathToTheRoot(@TempDir Path root) throws IOException {
        machine(root);
        write(root.resolve("proc/self/cgroup"), "0::/app.slice/svc\n");
        write(root.resolve("proc/self/mountinfo"),
                "30 22 0:27 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
        Path cg = root.resolve("sys/fs/cgroup");
        write(cg.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        write(cg.resolve("cpuset.cpus.effective"), "0-5\n");
        write(cg.resolve("app.slice/cpu.max"), "150000 100000\n"); // the parent caps at 1.5 CPUs
        write(cg.resolve("app.slice/svc/cpu.max"), "max 100000\n");
        write(cg.resolve("app.slice/svc/cpuset.cpus.effective"), "1-3\n");

        CpuBudget b = CpuBudget.read(root, 2);
        assertEquals(CpuSet.range(0, 5), b.online());
        assertEquals(CpuSet.of(6, 7), b.offline());
        assertEquals(CpuSet.range(0, 4), b.affinity());
        assertEquals(Optional.of(CpuSet.range(1, 3)), b.cgroupCpus());
        assertEquals(OptionalDouble.of(1.5), b.cgroupQuota());
        assertEquals(CpuSet.range(1, 3), b.usable());
        assertEquals(CpuSet.of(2, 3), b.usableIsolated());
        assertEquals(CpuSet.of(2, 3), b.nohzFull());
        assertEquals(1.5, b.cpuLimit());
        assertEquals("usable CPUs 1-3 (3), limit 1.50 CPUs (cgroup quota), Runtime.availableProcessors() 2;"
                + " online 0-5, offline 6-7, affinity 0-4, cgroup cpuset 1-3, quota 1.50 CPUs (cpuset v2"
                + " /sys/fs/cgroup/app.slice/svc, cpu v2 /sys/fs/cgroup/app.slice/svc), isolated 2-3, nohz_full 2-3",
                b.toString());
    }

    /** Hybrid: cgroup2 is mounted but holds no controllers; cpu and cpuset are v1 hierarchies. */
    @Test
    void cgroupV1ControllersWinOnAHybridSystem(@TempDir Path root) throws IOException {
        machine(root);
        write(root.resolve("proc/self/cgroup"), "4:memory:/x\n3:cpuset:/docker/c1\n1:cpu,cpuacct:/docker/c1\n0::/\n");
        write(root.resolve("proc/self/mountinfo"), String.join("\n",
                "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct",
                "33 30 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset",
                "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw", ""));
        write(root.resolve("sys/fs/cgroup/unified/cgroup.controllers"), "\n");
        Path cpu = root.resolve("sys/fs/cgroup/cpu,cpuacct");
        write(cpu.resolve("cpu.cfs_quota_us"), "-1\n");
        write(cpu.resolve("cpu.cfs_period_us"), "100000\n");
        write(cpu.resolve("docker/c1/cpu.cfs_quota_us"), "250000\n");
        write(cpu.resolve("docker/c1/cpu.cfs_period_us"), "100000\n");
        Path cpuset = root.resolve("sys/fs/cgroup/cpuset");
        write(cpuset.resolve("docker/c1/cpuset.effective_cpus"), "0-1,4\n");

        CpuBudget b = CpuBudget.read(root, 3);
        assertEquals(Optional.of(CpuSet.of(0, 1, 4)), b.cgroupCpus());
        assertEquals(OptionalDouble.of(2.5), b.cgroupQuota());
        assertEquals(CpuSet.of(0, 1, 4), b.usable());
        assertEquals(2.5, b.cpuLimit());
        assertTrue(b.toString().contains("(cpuset v1 /sys/fs/cgroup/cpuset/docker/c1, cpu v1"
                + " /sys/fs/cgroup/cpu,cpuacct/docker/c1)"), b.toString());
    }

    /** In a cgroup namespace the process's path is "/" and its own cgroup is mounted as the root. */
    @Test
    void aNamespacedContainerReadsItsMountPoint(@TempDir Path root) throws IOException {
        machine(root);
        write(root.resolve("proc/self/cgroup"), "0::/\n");
        write(root.resolve("proc/self/mountinfo"),
                "500 400 0:40 /kubepods/pod1/c2 /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw\n");
        Path cg = root.resolve("sys/fs/cgroup");
        write(cg.resolve("cgroup.controllers"), "cpuset cpu\n");
        write(cg.resolve("cpu.max"), "50000 100000\n");
        write(cg.resolve("cpuset.cpus.effective"), "4\n");

        CpuBudget b = CpuBudget.read(root, 1);
        assertEquals(OptionalDouble.of(0.5), b.cgroupQuota());
        assertEquals(CpuSet.of(4), b.usable());
        assertEquals(0.5, b.cpuLimit());
    }

    /** No cgroup files at all (or controllers nobody mounted): no limit, and the summary says so. */
    @Test
    void withoutCgroupsTheAffinityAndOnlineCpusDecide(@TempDir Path root) throws IOException {
        machine(root);
        CpuBudget b = CpuBudget.read(root, 5);
        assertEquals(Optional.empty(), b.cgroupCpus());
        assertEquals(OptionalDouble.empty(), b.cgroupQuota());
        assertEquals(CpuSet.range(0, 4), b.usable());
        assertEquals(5.0, b.cpuLimit());
        assertTrue(b.toString().contains("cgroup cpuset unlimited, quota unlimited (none found)"), b.toString());
        assertTrue(b.toString().startsWith("usable CPUs 0-4 (5), limit 5 CPUs, Runtime.availableProcessors() 5"),
                b.toString());
    }

    @Test
    void mountPointsWithEscapedSpacesAreFound(@TempDir Path root) throws IOException {
        machine(root);
        write(root.resolve("proc/self/cgroup"), "0::/a\n");
        write(root.resolve("proc/self/mountinfo"), "30 22 0:27 / /cg\\040root rw - cgroup2 cgroup2 rw\n");
        write(root.resolve("cg root/cgroup.controllers"), "cpu\n");
        write(root.resolve("cg root/a/cpu.max"), "200000 100000\n");
        assertEquals(OptionalDouble.of(2.0), CpuBudget.read(root, 2).cgroupQuota());
    }

    @Test
    void aFileThatDoesNotHoldWhatLinuxWritesIsNamed(@TempDir Path root) throws IOException {
        machine(root);
        write(root.resolve("proc/self/cgroup"), "0::/\n");
        write(root.resolve("proc/self/mountinfo"), "30 22 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        write(root.resolve("sys/fs/cgroup/cgroup.controllers"), "cpu\n");
        write(root.resolve("sys/fs/cgroup/cpu.max"), "lots 100000\n");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> CpuBudget.read(root, 2));
        assertTrue(e.getCause().getMessage().contains("cpu.max holds \"lots 100000\""), e.getCause().getMessage());

        write(root.resolve("sys/fs/cgroup/cpu.max"), "max\n");
        write(root.resolve("sys/devices/system/cpu/isolated"), "two\n");
        e = assertThrows(UncheckedIOException.class, () -> CpuBudget.read(root, 2));
        assertTrue(e.getCause().getMessage().contains("isolated holds \"two\", not a CPU list"),
                e.getCause().getMessage());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void thisMachinesBudgetIsConsistent() {
        CpuBudget b = CpuBudget.read();
        assertFalse(b.usable().isEmpty(), b::toString);
        assertEquals(b.usable(), b.usable().intersect(b.online()), b::toString);
        assertTrue(b.cpuLimit() > 0 && b.cpuLimit() <= b.usable().size(), b::toString);
        assertEquals(Runtime.getRuntime().availableProcessors(), b.availableProcessors());
    }
}
