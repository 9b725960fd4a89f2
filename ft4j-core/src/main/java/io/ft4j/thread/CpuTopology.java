package io.ft4j.thread;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;

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
     * <p>The ids are the kernel's ({@code physical_package_id}, {@code die_id} and {@code core_id} of the core's first
     * CPU) and only label the core: a core id may repeat across the dies of a package (Linux promises it unique only
     * within a die) and may be sparse, so two cores can carry the same ids. Which CPUs share a core comes from the
     * kernel's sibling lists ({@code core_cpus_list}, or {@code thread_siblings_list} on older kernels); only where
     * sysfs has neither are CPUs with equal ids taken to share a core.
     *
     * <p>The kernel "reports no id" where the file is missing or empty, or holds -1, which Linux writes when the
     * platform does not say (some ARM and virtual machines); the ids below are then replaced as stated, so they are
     * never negative.
     *
     * @param packageId its package (socket); 0 where the kernel reports none
     * @param dieId its die within the package; 0 where the kernel reports none (one die per package)
     * @param coreId its {@code core_id} as the kernel reports it; the core's first CPU where the kernel reports none
     * @param threads its online logical CPUs (SMT siblings), never empty
     */
    public record Core(int packageId, int dieId, int coreId, CpuSet threads) {}

    /* Cores in the order cores() promises. */
    private static final Comparator<Core> CORE_ORDER = Comparator.comparingInt(Core::packageId)
            .thenComparingInt(Core::dieId)
            .thenComparingInt(Core::coreId)
            .thenComparingInt(c -> c.threads().first());

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
     * @throws UnsupportedOperationException if this is not Linux (no sysfs CPU tree), or if a CPU numbered
     *     {@link CpuSet#MAX_CPUS} or higher is online (Linux supports up to 8192), since a {@link CpuSet} cannot
     *     hold it
     * @throws java.io.UncheckedIOException if sysfs cannot be read, or a file in it does not hold the number or CPU
     *     list Linux writes there
     */
    public static CpuTopology read() {
        if (!Files.isDirectory(SYS_CPU)) {
            throw new UnsupportedOperationException("CPU topology is read from Linux sysfs (" + SYS_CPU
                    + "), which this system does not have");
        }
        return read(SYS_CPU, SYS_NODE);
    }

    /*
     * Which CPUs share a core. The kernel states it directly: topology/core_cpus_list (Linux 5.3+) or its older name
     * topology/thread_siblings_list, both "the CPUs of this CPU's core". The ids cannot be trusted to say it: core_id
     * is unique only within a die on multi-die packages (two dies of one package both have a core 0), and other
     * architectures add clusters and books above it.
     *
     * So the lists come first. Pass 1: each online CPU not yet placed that has a list opens a core made of that list,
     * cut to the online CPUs not yet placed (a list may name offline CPUs, even ones beyond CpuSet.MAX_CPUS on
     * kernels built for 8192, and a kernel bug must not put one CPU on two cores); a list may so place a CPU that has
     * no list of its own. Pass 2, the fallback for the CPUs still unplaced, all without a list (very old kernels, odd
     * sysfs): those share a core when their (package, die, core_id) match, and a CPU without core_id is its own core.
     * Pass 1 places disjoint sets, pass 2 only CPUs pass 1 left, each once: every online CPU lands on exactly one
     * core.
     *
     * Ids. A missing file, an empty one and a negative id (Linux writes -1 where the platform gives none) all mean
     * "no id", replaced as Core documents. Anything else that is not a number or a CPU list is reported as an
     * IOException naming the file, as is a file that cannot be read.
     */
    /** Reads from the given sysfs directories; tests pass a fake tree. */
    static CpuTopology read(Path sysCpu, Path sysNode) {
        try {
            Path onlineFile = sysCpu.resolve("online");
            CpuSet online = parseList(onlineFile, Files.readString(onlineFile), cpu -> {
                throw new UnsupportedOperationException("CPU " + cpu + " is online, but a CpuSet holds CPUs 0.."
                        + (CpuSet.MAX_CPUS - 1) + " only (CpuSet.MAX_CPUS)");
            });
            int[] packageOf = new int[CpuSet.MAX_CPUS];
            Map<Integer, CpuSet> packages = new TreeMap<>();
            List<Core> cores = new ArrayList<>();
            List<Integer> unlisted = new ArrayList<>();
            CpuSet placed = CpuSet.empty();
            for (int cpu : online.toArray()) { // pass 1: the sibling lists
                Path topo = topology(sysCpu, cpu);
                int pkg = readId(topo.resolve("physical_package_id"), 0);
                packageOf[cpu] = pkg;
                packages.merge(pkg, CpuSet.of(cpu), CpuSet::union);
                if (placed.contains(cpu)) {
                    continue; // a sibling of a CPU already seen
                }
                CpuSet siblings = readList(topo.resolve("core_cpus_list"));
                if (siblings == null) {
                    siblings = readList(topo.resolve("thread_siblings_list"));
                }
                if (siblings == null) {
                    unlisted.add(cpu);
                    continue;
                }
                CpuSet threads = without(siblings.intersect(online), placed).union(CpuSet.of(cpu));
                placed = placed.union(threads);
                int first = threads.first(); // below cpu where the list names an earlier CPU without a list
                Path firstTopo = topology(sysCpu, first);
                cores.add(new Core(packageOf[first], readId(firstTopo.resolve("die_id"), 0),
                        readId(firstTopo.resolve("core_id"), first), threads));
            }
            Map<List<Integer>, CpuSet> byIds = new LinkedHashMap<>(); // (package, die, core_id) -> CPUs
            for (int cpu : unlisted) { // pass 2: the ids, for CPUs no list placed
                if (placed.contains(cpu)) {
                    continue;
                }
                Path topo = topology(sysCpu, cpu);
                int die = readId(topo.resolve("die_id"), 0);
                int coreId = readId(topo.resolve("core_id"), -1);
                if (coreId < 0) {
                    cores.add(new Core(packageOf[cpu], die, cpu, CpuSet.of(cpu)));
                } else {
                    byIds.merge(List.of(packageOf[cpu], die, coreId), CpuSet.of(cpu), CpuSet::union);
                }
            }
            byIds.forEach((ids, threads) -> cores.add(new Core(ids.get(0), ids.get(1), ids.get(2), threads)));
            cores.sort(CORE_ORDER);
            Map<Integer, CpuSet> nodes = new TreeMap<>();
            if (Files.isDirectory(sysNode)) {
                try (DirectoryStream<Path> dirs = Files.newDirectoryStream(sysNode,
                        dir -> dir.getFileName().toString().matches("node[0-9]{1,9}"))) {
                    for (Path dir : dirs) {
                        int id = Integer.parseInt(dir.getFileName().toString().substring(4));
                        CpuSet nodeCpus = readList(dir.resolve("cpulist"));
                        if (nodeCpus != null && !(nodeCpus = nodeCpus.intersect(online)).isEmpty()) {
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

    private static Path topology(Path sysCpu, int cpu) {
        return sysCpu.resolve("cpu" + cpu).resolve("topology");
    }

    /** Returns the file's text, or null if there is no such file. */
    private static String readIfPresent(Path file) throws IOException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Returns the id in {@code file}, or {@code none} where it has none: no file, an empty one, or a negative id. */
    private static int readId(Path file, int none) throws IOException {
        String text = readIfPresent(file);
        if (text == null || text.isBlank()) {
            return none;
        }
        try {
            int id = Integer.parseInt(text.strip());
            return id < 0 ? none : id;
        } catch (NumberFormatException e) {
            throw new IOException(file + " holds \"" + text.strip() + "\", not a number", e);
        }
    }

    /**
     * Returns the CPU list in {@code file}, without CPUs numbered {@link CpuSet#MAX_CPUS} or higher (never online
     * here), or null where there is none: no file or an empty one.
     */
    private static CpuSet readList(Path file) throws IOException {
        String text = readIfPresent(file);
        return text == null || text.isBlank() ? null : parseList(file, text, cpu -> { });
    }

    private static CpuSet parseList(Path file, String text, IntConsumer beyondMax) throws IOException {
        try {
            return CpuSet.parse(text, beyondMax);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " holds \"" + text.strip() + "\", not a CPU list", e);
        }
    }

    private static CpuSet without(CpuSet set, CpuSet removed) {
        return CpuSet.of(set.stream().filter(cpu -> !removed.contains(cpu)).toArray());
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
     * @return an unmodifiable list of the cores, ordered by package id, die id, core id, then first CPU
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
     * Returns a one-line summary of the topology; dies are counted only where a package has more than one.
     *
     * @return a summary such as {@code "4 CPUs on 2 cores, 1 package, 1 NUMA node"} or
     *     {@code "64 CPUs on 32 cores, 4 dies, 2 packages, 2 NUMA nodes"}
     */
    @Override
    public String toString() {
        long dies = cores.stream().map(c -> List.of(c.packageId(), c.dieId())).distinct().count();
        return count(cpus.size(), "CPU") + " on " + count(cores.size(), "core") + ", "
                + (dies > packages.size() ? count(dies, "die") + ", " : "")
                + count(packages.size(), "package") + ", " + count(nodes.size(), "NUMA node");
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
