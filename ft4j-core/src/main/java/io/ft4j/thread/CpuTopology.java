package io.ft4j.thread;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable snapshot of the machine's CPU layout, read from Linux's sysfs: logical CPUs, physical cores and their
 * SMT siblings (hyper-threads), packages (sockets) and NUMA nodes. Enough to say "one thread per physical core" or
 * "keep these threads on one socket" without guessing:
 *
 * <pre>{@code
 * CpuTopology topo = CpuTopology.read();
 * for (int cpu : topo.onePerCore().toArray()) { ... pin one worker per physical core ... }
 * }</pre>
 *
 * <p>CPUs brought online or offline after the snapshot are not seen; call {@link #read()} again.
 */
public final class CpuTopology {
    private static final Path SYS_CPU = Path.of("/sys/devices/system/cpu");
    private static final Path SYS_NODE = Path.of("/sys/devices/system/node");

    /**
     * A physical core and its logical CPUs.
     *
     * @param packageId its package (socket)
     * @param coreId its id within the package
     * @param threads its logical CPUs (SMT siblings)
     */
    public record Core(int packageId, int coreId, CpuSet threads) {}

    private final CpuSet cpus;
    private final List<Core> cores;
    private final Map<Integer, CpuSet> packages;
    private final Map<Integer, CpuSet> nodes;

    private CpuTopology(CpuSet cpus, List<Core> cores, Map<Integer, CpuSet> packages, Map<Integer, CpuSet> nodes) {
        this.cpus = cpus;
        this.cores = cores;
        this.packages = packages;
        this.nodes = nodes;
    }

    /**
     * Reads the topology of the online CPUs.
     *
     * @return the snapshot
     * @throws UnsupportedOperationException if this is not Linux (no sysfs CPU tree)
     * @throws java.io.UncheckedIOException if sysfs cannot be read
     */
    public static CpuTopology read() {
        if (!Files.isDirectory(SYS_CPU)) {
            throw new UnsupportedOperationException("CPU topology is read from Linux sysfs (" + SYS_CPU
                    + "), which this system does not have");
        }
        return read(SYS_CPU, SYS_NODE);
    }

    /** Reads from the given sysfs directories; tests pass a fake tree. */
    static CpuTopology read(Path sysCpu, Path sysNode) {
        try {
            CpuSet online = CpuSet.parse(Files.readString(sysCpu.resolve("online")));
            Map<List<Integer>, CpuSet> coreThreads = new TreeMap<>(
                    (a, b) -> a.get(0).equals(b.get(0)) ? Integer.compare(a.get(1), b.get(1)) : Integer.compare(a.get(0), b.get(0)));
            Map<Integer, CpuSet> packages = new TreeMap<>();
            for (int cpu : online.toArray()) {
                Path topo = sysCpu.resolve("cpu" + cpu).resolve("topology");
                int pkg = readInt(topo.resolve("physical_package_id"), 0);
                int core = readInt(topo.resolve("core_id"), cpu);
                coreThreads.merge(List.of(pkg, core), CpuSet.of(cpu), CpuSet::union);
                packages.merge(pkg, CpuSet.of(cpu), CpuSet::union);
            }
            List<Core> cores = new ArrayList<>();
            coreThreads.forEach((key, threads) -> cores.add(new Core(key.get(0), key.get(1), threads)));
            Map<Integer, CpuSet> nodes = new TreeMap<>();
            if (Files.isDirectory(sysNode)) {
                try (DirectoryStream<Path> dirs = Files.newDirectoryStream(sysNode, "node[0-9]*")) {
                    for (Path dir : dirs) {
                        int id = Integer.parseInt(dir.getFileName().toString().substring(4));
                        CpuSet nodeCpus = CpuSet.parse(Files.readString(dir.resolve("cpulist"))).intersect(online);
                        if (!nodeCpus.isEmpty()) {
                            nodes.put(id, nodeCpus);
                        }
                    }
                }
            }
            if (nodes.isEmpty()) {
                nodes.put(0, online);
            }
            return new CpuTopology(online, List.copyOf(cores), Collections.unmodifiableMap(packages),
                    Collections.unmodifiableMap(nodes));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the CPU topology from " + sysCpu, e);
        }
    }

    private static int readInt(Path file, int fallback) throws IOException {
        return Files.exists(file) ? Integer.parseInt(Files.readString(file).strip()) : fallback;
    }

    /**
     * Returns the logical CPUs that were online when the snapshot was taken.
     *
     * @return the online logical CPUs
     */
    public CpuSet cpus() {
        return cpus;
    }

    /**
     * Returns the physical cores.
     *
     * @return an unmodifiable list of the cores, ordered by package id then core id
     */
    public List<Core> cores() {
        return cores;
    }

    /**
     * Returns the packages (sockets) and their CPUs.
     *
     * @return an unmodifiable map from package id to its online CPUs, in ascending id order
     */
    public Map<Integer, CpuSet> packages() {
        return packages;
    }

    /**
     * Returns the NUMA nodes and their CPUs; one node 0 holding every CPU where the kernel reports no nodes.
     *
     * @return an unmodifiable map from NUMA node id to its online CPUs, in ascending id order
     */
    public Map<Integer, CpuSet> numaNodes() {
        return nodes;
    }

    /**
     * Returns the first logical CPU of every physical core: one thread per core, no two sharing a core.
     *
     * @return one CPU per physical core
     */
    public CpuSet onePerCore() {
        CpuSet s = CpuSet.empty();
        for (Core c : cores) {
            s = s.union(CpuSet.of(c.threads().first()));
        }
        return s;
    }

    /**
     * Returns the SMT siblings of a CPU: the logical CPUs on the same physical core.
     *
     * @param cpu a CPU number
     * @return the logical CPUs on the same physical core, {@code cpu} included
     * @throws IllegalArgumentException if the CPU is not online
     */
    public CpuSet siblingsOf(int cpu) {
        for (Core c : cores) {
            if (c.threads().contains(cpu)) {
                return c.threads();
            }
        }
        throw new IllegalArgumentException("cpu: " + cpu + " (expected: an online CPU, one of " + cpus + ")");
    }

    /**
     * Returns a one-line summary of the topology.
     *
     * @return a summary such as {@code "4 CPUs on 2 cores, 1 package, 1 NUMA node"}
     */
    @Override
    public String toString() {
        return cpus.size() + " CPUs on " + cores.size() + " cores, " + packages.size()
                + (packages.size() == 1 ? " package, " : " packages, ") + nodes.size()
                + (nodes.size() == 1 ? " NUMA node" : " NUMA nodes");
    }
}
