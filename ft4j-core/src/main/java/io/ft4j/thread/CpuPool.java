package io.ft4j.thread;

import io.ft4j.internal.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The CPUs that threads may reserve for themselves alone, across threads and across JVMs on the machine, as OpenHFT's
 * Java-Thread-Affinity {@code AffinityLock} does: a {@link CpuReservation} for any free CPU, a given one, a whole
 * physical core, or one placed relative to another reservation (same core, same package, same NUMA node, another
 * core).
 *
 * <pre>{@code
 * CpuPool pool = CpuPool.defaultPool();
 * try (CpuReservation feed = pool.reserveAny()) {            // this thread, pinned to a CPU of its own
 *     Thread consumer = new ThreadBuilder().start(() -> {
 *         try (CpuReservation c = pool.reserveNear(feed, CpuReservation.Placement.SAME_PACKAGE)) { ... }
 *     });
 *     ...
 * }
 * }</pre>
 *
 * <p><b>The pool.</b> By default: the isolated CPUs ({@code isolcpus}) this process may use, if there are any, since
 * the scheduler puts nothing else there; otherwise every CPU the process may use ({@link CpuBudget#usable()}) except
 * the ones kept for the OS, CPU 0 by default, where interrupts and housekeeping land. {@link #builder()} sets another
 * pool, directory or topology.
 *
 * <p><b>Across JVMs.</b> Each CPU has a lock file, {@code ft4j-cpu-N.lock}, in the pool's directory
 * ({@code java.io.tmpdir} by default). A reservation holds an OS lock on it ({@link FileChannel#tryLock()}) and
 * writes its holder into it: process id, process start time, thread name, time reserved. The kernel drops the lock
 * when the process ends, however it ends, so a killed process never blocks a CPU; a record left behind by such a
 * process is recognised as stale (its process id is gone, or now belongs to a process started at another time) and
 * overwritten. Processes share CPUs only if they use the same directory. Within one JVM, reservations are exclusive
 * among every pool using the same directory.
 *
 * <p><b>Binding.</b> A pool binds by default: reserving pins the calling thread to the reserved CPU (the core's first
 * CPU for a whole core) and closing the reservation on that thread restores its previous CPU set. A pool built with
 * {@code bind(false)} only reserves; the caller places threads itself.
 */
public final class CpuPool {
    private static final String PREFIX = "ft4j-cpu-";
    private static final String SUFFIX = ".lock";

    /**
     * Every open and close of a lock file in this JVM happens under this monitor: closing any channel to a file drops
     * every lock the process holds on it (POSIX record locks), so no file is opened while another thread of this JVM
     * could hold its lock, except through the holding channel.
     */
    private static final Object FILES = new Object();
    /** The lock files this JVM holds, by absolute path; guarded by FILES. */
    private static final Map<Path, Slot> HELD = new HashMap<>();
    private static final ProcessHandle SELF = ProcessHandle.current();

    private static volatile CpuPool defaultPool;

    private final Path directory;
    private final CpuSet cpus;
    private final CpuTopology topology;
    private final boolean bind;

    private CpuPool(Path directory, CpuSet cpus, CpuTopology topology, boolean bind) {
        this.directory = directory;
        this.cpus = cpus;
        this.topology = topology;
        this.bind = bind;
    }

    /**
     * Returns the pool with the default settings (see the class comment), built on first use.
     *
     * @return the default pool
     * @throws UnsupportedOperationException if this is not Linux
     */
    public static CpuPool defaultPool() {
        CpuPool p = defaultPool;
        if (p == null) {
            synchronized (CpuPool.class) {
                if ((p = defaultPool) == null) {
                    defaultPool = p = builder().build();
                }
            }
        }
        return p;
    }

    /**
     * Returns a builder for a pool with settings of its own.
     *
     * @return a builder with the default settings
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for a {@link CpuPool}. */
    public static final class Builder {
        private Path directory;
        private CpuSet cpus;
        private CpuSet keepForOs = CpuSet.of(0);
        private CpuTopology topology;
        private boolean bind = true;

        private Builder() {}

        /**
         * Sets the directory of the lock files; processes share CPUs only if they use the same one.
         *
         * @param directory the directory, created if missing
         * @return this builder
         * @throws NullPointerException if {@code directory} is null
         */
        public Builder directory(Path directory) {
            this.directory = Checks.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Sets the CPUs of the pool, instead of the isolated or usable ones.
         *
         * @param cpus the CPUs threads may reserve
         * @return this builder
         * @throws NullPointerException if {@code cpus} is null
         * @throws IllegalArgumentException if {@code cpus} is empty
         */
        public Builder cpus(CpuSet cpus) {
            Checks.requireNonNull(cpus, "cpus");
            if (cpus.isEmpty()) {
                throw new IllegalArgumentException(Checks.badArgument("cpus", "{}", "at least one CPU"));
            }
            this.cpus = cpus;
            return this;
        }

        /**
         * Sets the CPUs left to the OS when the pool is the process's usable CPUs (no isolated CPUs, no
         * {@link #cpus(CpuSet)}); CPU 0 by default.
         *
         * @param keepForOs the CPUs never reserved; may be empty
         * @return this builder
         * @throws NullPointerException if {@code keepForOs} is null
         */
        public Builder keepForOs(CpuSet keepForOs) {
            this.keepForOs = Checks.requireNonNull(keepForOs, "keepForOs");
            return this;
        }

        /**
         * Sets whether reserving pins the calling thread to the reserved CPU; true by default.
         *
         * @param bind whether to pin the reserving thread
         * @return this builder
         */
        public Builder bind(boolean bind) {
            this.bind = bind;
            return this;
        }

        /** The machine layout to place reservations on; tests pass a fake one. */
        Builder topology(CpuTopology topology) {
            this.topology = topology;
            return this;
        }

        /**
         * Builds the pool, reading the topology and (unless {@link #cpus(CpuSet)} was set) the CPU budget now.
         *
         * @return the pool
         * @throws UnsupportedOperationException if this is not Linux
         */
        public CpuPool build() {
            CpuTopology topo = topology != null ? topology : CpuTopology.read();
            CpuSet pool = cpus;
            if (pool == null) {
                CpuBudget budget = CpuBudget.read();
                pool = budget.usableIsolated();
                if (pool.isEmpty()) {
                    pool = CpuSet.of(budget.usable().stream().filter(c -> !keepForOs.contains(c)).toArray());
                }
            }
            Path dir = directory != null ? directory : Path.of(System.getProperty("java.io.tmpdir"));
            try {
                // one name per file, links resolved: this JVM's map of held files must not miss one reached otherwise
                Files.createDirectories(dir);
                dir = dir.toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException("could not create the lock directory " + dir, e);
            }
            return new CpuPool(dir, pool, topo, bind);
        }
    }

    /**
     * Who holds a CPU, as its lock file records it.
     *
     * @param cpu the CPU
     * @param pid the holding process's id
     * @param thread the holding thread's name
     * @param since when it was reserved
     * @param thisProcess whether the holder is this JVM
     * @param stale whether the record was left by a process that has ended (the CPU is free)
     */
    public record Holder(int cpu, long pid, String thread, Instant since, boolean thisProcess, boolean stale) {
        /**
         * Returns a description such as {@code "CPU 3 held by pid 4242 (thread \"feed\")"}.
         *
         * @return the description
         */
        @Override
        public String toString() {
            return "CPU " + cpu + (stale ? " free (stale record of ended pid " + pid + ")"
                    : " held by " + (thisProcess ? "this process" : "pid " + pid) + " (thread \"" + thread + "\")");
        }
    }

    /** One reserved CPU: its lock file, the open channel and the OS lock. */
    record Slot(int cpu, Path file, FileChannel channel, FileLock lock) {}

    /**
     * Returns the CPUs of this pool.
     *
     * @return the CPUs threads may reserve
     */
    public CpuSet cpus() {
        return cpus;
    }

    /**
     * Returns the directory of the lock files.
     *
     * @return the absolute directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * Reserves the lowest-numbered free CPU of the pool for the calling thread.
     *
     * @return the reservation
     * @throws CpuUnavailableException if every CPU of the pool is held
     * @throws UnsupportedOperationException if the pool binds and the calling thread is virtual
     * @throws ThreadControlException if the OS refuses to pin the thread
     * @throws UncheckedIOException if a lock file cannot be created or written
     */
    public CpuReservation reserveAny() {
        return reserveFirst(cpus, cpu -> true, "no free CPU in pool " + cpus);
    }

    /**
     * Reserves a given CPU for the calling thread.
     *
     * @param cpu a CPU of the pool
     * @return the reservation
     * @throws IllegalArgumentException if {@code cpu} is not in the pool
     * @throws CpuUnavailableException if it is held
     * @throws UnsupportedOperationException if the pool binds and the calling thread is virtual
     * @throws ThreadControlException if the OS refuses to pin the thread
     * @throws UncheckedIOException if its lock file cannot be created or written
     */
    public CpuReservation reserve(int cpu) {
        if (!cpus.contains(cpu)) {
            throw new IllegalArgumentException(Checks.badArgument("cpu", cpu, "a CPU of the pool, " + cpus));
        }
        return reserveFirst(CpuSet.of(cpu), c -> true, "CPU " + cpu + " is not free");
    }

    /**
     * Reserves a whole physical core, every SMT sibling of it, for the calling thread, which is pinned to the core's
     * first CPU; the siblings stay idle, so nothing shares the core's execution units and caches with it. Only cores
     * whose every CPU is in the pool qualify.
     *
     * @return the reservation; {@link CpuReservation#cpus()} is the whole core
     * @throws CpuUnavailableException if no core of the pool is wholly free
     * @throws UnsupportedOperationException if the pool binds and the calling thread is virtual
     * @throws ThreadControlException if the OS refuses to pin the thread
     * @throws UncheckedIOException if a lock file cannot be created or written
     */
    public CpuReservation reserveCore() {
        List<Holder> seen = new ArrayList<>();
        for (CpuTopology.Core core : topology.cores()) {
            CpuSet threads = core.threads();
            if (!threads.equals(threads.intersect(cpus))) {
                continue;
            }
            List<Slot> taken = new ArrayList<>();
            try {
                for (int c : threads.toArray()) {
                    Slot s = take(c);
                    if (s == null) {
                        holder(c).ifPresent(seen::add);
                        release(taken);
                        taken = null;
                        break;
                    }
                    taken.add(s);
                }
            } catch (RuntimeException e) {
                release(taken); // a sibling's file failed: let go of the ones already taken
                throw e;
            }
            if (taken != null) {
                return reserved(threads.first(), threads, taken);
            }
        }
        throw unavailable("no wholly free core in pool " + cpus, seen);
    }

    /**
     * Reserves a CPU placed relative to an existing reservation, for the calling thread.
     *
     * @param other a reservation, of this pool or another one on the same machine
     * @param placement where the new CPU lies relative to {@code other}'s CPU
     * @return the reservation
     * @throws NullPointerException if an argument is null
     * @throws CpuUnavailableException if no CPU of the pool so placed is free
     * @throws UnsupportedOperationException if the pool binds and the calling thread is virtual
     * @throws ThreadControlException if the OS refuses to pin the thread
     * @throws UncheckedIOException if a lock file cannot be created or written
     */
    public CpuReservation reserveNear(CpuReservation other, CpuReservation.Placement placement) {
        Checks.requireNonNull(other, "other");
        Checks.requireNonNull(placement, "placement");
        int ref = other.cpu();
        CpuSet core = topology.cpus().contains(ref) ? topology.siblingsOf(ref) : CpuSet.of(ref);
        IntPredicate fits = switch (placement) {
            case SAME_CORE -> core::contains;
            case SAME_PACKAGE -> c -> !core.contains(c) && groupOf(topology.packages(), ref).contains(c);
            case SAME_NODE -> c -> !core.contains(c) && groupOf(topology.numaNodes(), ref).contains(c);
            case OTHER_CORE -> c -> !core.contains(c);
        };
        return reserveFirst(cpus, fits, "no free CPU in pool " + cpus + " on " + switch (placement) {
            case SAME_CORE -> "the same core as CPU " + ref;
            case SAME_PACKAGE -> "another core of the package of CPU " + ref;
            case SAME_NODE -> "another core of the NUMA node of CPU " + ref;
            case OTHER_CORE -> "another core than CPU " + ref + "'s";
        });
    }

    private static CpuSet groupOf(Map<Integer, CpuSet> groups, int cpu) {
        return groups.values().stream().filter(s -> s.contains(cpu)).findFirst().orElse(CpuSet.of(cpu));
    }

    /** Reserves the first free CPU of {@code candidates} that fits, or throws naming the holders of the others. */
    private CpuReservation reserveFirst(CpuSet candidates, IntPredicate fits, String none) {
        List<Holder> seen = new ArrayList<>();
        for (int c : candidates.toArray()) {
            if (!fits.test(c)) {
                continue;
            }
            Slot s = take(c);
            if (s != null) {
                return reserved(c, CpuSet.of(c), List.of(s));
            }
            holder(c).ifPresent(seen::add);
        }
        throw unavailable(none, seen);
    }

    private static CpuUnavailableException unavailable(String what, List<Holder> holders) {
        StringBuilder sb = new StringBuilder(what);
        if (!holders.isEmpty()) {
            sb.append(": ");
            for (int i = 0; i < holders.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(holders.get(i));
            }
        }
        sb.append("; release one, or widen the pool (CpuPool.builder().cpus(...))");
        return new CpuUnavailableException(sb.toString(), holders);
    }

    private CpuReservation reserved(int cpu, CpuSet all, List<Slot> slots) {
        Thread me = Thread.currentThread();
        CpuSet previous = null;
        try {
            if (bind) {
                previous = Affinity.get();
                Affinity.set(CpuSet.of(cpu));
            }
        } catch (RuntimeException e) {
            release(slots);
            throw e;
        }
        CpuReservation r = new CpuReservation(this, cpu, all, List.copyOf(slots), me, previous);
        r.releaseAtExit();
        return r;
    }

    private Path lockFile(int cpu) {
        return directory.resolve(PREFIX + cpu + SUFFIX);
    }

    /** Takes a CPU's lock file for the calling thread, or returns null if this JVM or another process holds it. */
    private Slot take(int cpu) {
        Path file = lockFile(cpu);
        synchronized (FILES) {
            if (HELD.containsKey(file)) {
                return null;
            }
            FileChannel channel = null;
            FileLock lock = null;
            try {
                Files.createDirectories(directory);
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // held by this JVM through a path HELD does not know (a link): taken
                }
                if (lock == null) {
                    return null;
                }
                channel.truncate(0L);
                channel.write(ByteBuffer.wrap(record(cpu).getBytes(StandardCharsets.UTF_8)), 0L);
                Slot s = new Slot(cpu, file, channel, lock);
                HELD.put(file, s);
                channel = null; // kept open: it holds the lock
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException("could not take the lock file " + file + " of CPU " + cpu, e);
            } finally {
                if (channel != null) {
                    try {
                        channel.close(); // also drops the lock, if it was taken and the record failed
                    } catch (IOException ignored) {
                        // nothing held through it
                    }
                }
            }
        }
    }

    void release(List<Slot> slots) {
        synchronized (FILES) {
            for (Slot s : slots) {
                try {
                    s.channel.truncate(0L); // no record: a reader sees the CPU free at once
                } catch (IOException ignored) {
                    // the record stays, but it names this process, which is seen to have let go once it ends
                } finally {
                    try {
                        s.channel.close(); // releases the lock
                    } catch (IOException ignored) {
                        // the lock goes with the process at the latest
                    }
                    HELD.remove(s.file);
                }
            }
        }
    }

    private static String record(int cpu) {
        long start = SELF.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        String name = Thread.currentThread().getName().replace('\n', ' ').replace('\r', ' ');
        return "pid=" + SELF.pid() + " start=" + start + " since=" + System.currentTimeMillis() + " cpu=" + cpu
                + " thread=" + name + "\n";
    }

    /** The holder of a CPU as its lock file records it; empty if the file has no record. */
    private Optional<Holder> holder(int cpu) {
        Path file = lockFile(cpu);
        synchronized (FILES) {
            Slot mine = HELD.get(file);
            if (mine != null) {
                return Optional.of(parse(cpu, readRecord(mine)));
            }
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the lock file " + file + " of CPU " + cpu, e);
            }
            return text.isBlank() ? Optional.empty() : Optional.of(parse(cpu, text));
        }
    }

    private static String readRecord(Slot s) {
        try {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(s.channel.size(), 4096));
            s.channel.read(b, 0L);
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static Holder parse(int cpu, String text) {
        long pid = -1;
        long start = -1;
        long since = 0;
        String thread = "?";
        String line = text.strip();
        int t = line.indexOf(" thread=");
        if (t >= 0) {
            thread = line.substring(t + 8);
            line = line.substring(0, t);
        }
        for (String field : line.split(" ")) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                continue;
            }
            try {
                long v = Long.parseLong(field.substring(eq + 1));
                switch (field.substring(0, eq)) {
                    case "pid" -> pid = v;
                    case "start" -> start = v;
                    case "since" -> since = v;
                    default -> { }
                }
            } catch (NumberFormatException ignored) {
                // a field this version does not know
            }
        }
        boolean self = pid == SELF.pid();
        return new Holder(cpu, pid, thread, Instant.ofEpochMilli(since), self, !self && !alive(pid, start));
    }

    /** Whether the process that wrote a record still runs: its pid exists and started when the record says. */
    private static boolean alive(long pid, long start) {
        Optional<ProcessHandle> p = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = p.get().info().startInstant();
        return started.isEmpty() || start <= 0 || started.get().toEpochMilli() == start;
    }

    /**
     * Returns who holds the CPUs of this pool and any other CPU with a lock file in the directory, as the files record
     * it, including stale records of processes that have ended.
     *
     * @return the holders, by CPU number
     * @throws UncheckedIOException if the directory or a lock file cannot be read
     */
    public List<Holder> holders() {
        TreeMap<Integer, Holder> found = new TreeMap<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
                for (Path f : files) {
                    String n = f.getFileName().toString();
                    try {
                        int cpu = Integer.parseInt(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
                        holder(cpu).ifPresent(h -> found.put(cpu, h));
                    } catch (NumberFormatException ignored) {
                        // not one of ours
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not list the lock files in " + directory, e);
            }
        }
        return List.copyOf(found.values());
    }

    /**
     * Returns a description such as {@code "CPU pool 1-3 (lock files in /tmp, binding)"}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "CPU pool " + (cpus.isEmpty() ? "(empty)" : cpus.toString()) + " (lock files in " + directory
                + (bind ? ", binding)" : ", not binding)");
    }
}
