package io.ft4j.thread;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * An immutable snapshot of the CPUs this process may run on and how much of them it may use, from every place Linux
 * keeps a limit: the online CPUs, the process's affinity mask, its cgroup's cpuset and CPU quota (cgroup v2, or the
 * v1 controllers where the system still mounts them), and the CPUs the kernel keeps quiet for latency work
 * ({@code isolcpus} and {@code nohz_full}). {@link Runtime#availableProcessors()} folds all of this into one number;
 * this class keeps the parts, which is what a latency engineer needs before pinning threads:
 *
 * <pre>{@code
 * CpuBudget budget = CpuBudget.read();
 * CpuSet mine = budget.usable();          // where this process's threads may run
 * double share = budget.cpuLimit();       // how many CPUs' worth of time it may use there
 * CpuSet quiet = budget.usableIsolated(); // usable CPUs the scheduler leaves alone
 * System.out.println(budget);             // all of it, beside availableProcessors()
 * }</pre>
 *
 * <p>Sources, all text files: {@code /sys/devices/system/cpu/{online,offline,isolated,nohz_full}}; the process's
 * affinity from {@code Cpus_allowed_list} in {@code /proc/self/status} (the mask its first thread had, which threads
 * inherit unless they change their own: {@link Affinity#get()} gives the calling thread's); its cgroups from
 * {@code /proc/self/cgroup}, found where {@code /proc/self/mountinfo} says their hierarchies are mounted. Per
 * controller, a cgroup v1 hierarchy that has it wins over the v2 one (hybrid systems mount both, with the controllers
 * on v1). cpuset: {@code cpuset.cpus.effective} (v2) or {@code cpuset.effective_cpus} (v1), read from the process's
 * cgroup or the nearest ancestor that has it. CPU quota: the smallest quota/period among the process's cgroup and its
 * ancestors up to the mount point ({@code cpu.max}, or v1 {@code cpu.cfs_quota_us} and {@code cpu.cfs_period_us}),
 * since each level caps its children.
 *
 * <p>The snapshot is taken when {@link #read()} returns; limits changed later are not seen.
 */
public final class CpuBudget {
    private final CpuSet online;
    private final CpuSet offline;
    private final CpuSet affinity;
    private final Optional<CpuSet> cgroupCpus;
    private final OptionalDouble cgroupQuota;
    private final String cgroup;
    private final CpuSet isolated;
    private final CpuSet nohzFull;
    private final int availableProcessors;

    private CpuBudget(CpuSet online, CpuSet offline, CpuSet affinity, Optional<CpuSet> cgroupCpus,
            OptionalDouble cgroupQuota, String cgroup, CpuSet isolated, CpuSet nohzFull, int availableProcessors) {
        this.online = online;
        this.offline = offline;
        this.affinity = affinity;
        this.cgroupCpus = cgroupCpus;
        this.cgroupQuota = cgroupQuota;
        this.cgroup = cgroup;
        this.isolated = isolated;
        this.nohzFull = nohzFull;
        this.availableProcessors = availableProcessors;
    }

    /**
     * Reads this process's CPU budget.
     *
     * @return the snapshot
     * @throws UnsupportedOperationException if this is not Linux (no {@code /proc/self/status} or sysfs CPU tree)
     * @throws UncheckedIOException if a file that exists cannot be read, or does not hold what Linux writes there
     *     (the message names it)
     */
    public static CpuBudget read() {
        Path root = Path.of("/");
        if (!Files.isRegularFile(root.resolve("proc/self/status"))
                || !Files.isDirectory(root.resolve("sys/devices/system/cpu"))) {
            throw new UnsupportedOperationException("the CPU budget is read from Linux's /proc and sysfs, which this"
                    + " system does not have");
        }
        return read(root, Runtime.getRuntime().availableProcessors());
    }

    /** Reads from a tree laid out as / is on Linux; tests pass a fake one. */
    static CpuBudget read(Path root, int availableProcessors) {
        try {
            Path sysCpu = root.resolve("sys/devices/system/cpu");
            CpuSet online = list(sysCpu.resolve("online"));
            if (online == null) {
                throw new IOException(sysCpu.resolve("online") + " is missing or empty");
            }
            CpuSet offline = orEmpty(list(sysCpu.resolve("offline")));
            CpuSet isolated = orEmpty(list(sysCpu.resolve("isolated")));
            CpuSet nohzFull = orEmpty(list(sysCpu.resolve("nohz_full")));
            CpuSet affinity = affinity(root.resolve("proc/self/status"), online);
            Cgroups cgroups = Cgroups.read(root);
            return new CpuBudget(online, offline, affinity, cgroups.cpus, cgroups.quota, cgroups.describe(), isolated,
                    nohzFull, availableProcessors);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the CPU budget under " + root, e);
        }
    }

    private static CpuSet affinity(Path status, CpuSet online) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return parse(status, line.substring(line.indexOf(':') + 1));
            }
        }
        return online; // kernels before 2.6.26 have no such line
    }

    /** The cgroup limits that apply to CPUs, and where they were read. */
    private record Cgroups(Optional<CpuSet> cpus, OptionalDouble quota, String cpusFrom, String quotaFrom) {
        String describe() {
            if (cpusFrom == null && quotaFrom == null) {
                return "none found";
            }
            return "cpuset " + (cpusFrom == null ? "none found" : cpusFrom) + ", cpu " + (quotaFrom == null
                    ? "none found" : quotaFrom);
        }

        static Cgroups read(Path root) throws IOException {
            List<String> memberships = lines(root.resolve("proc/self/cgroup"));
            List<String> mounts = lines(root.resolve("proc/self/mountinfo"));
            Optional<CpuSet> cpus = Optional.empty();
            OptionalDouble quota = OptionalDouble.empty();
            String cpusFrom = null;
            String quotaFrom = null;
            Located cpuset = locate(root, memberships, mounts, "cpuset");
            if (cpuset != null) {
                Path dir = cpuset.dir;
                String file = cpuset.v2 ? "cpuset.cpus.effective" : "cpuset.effective_cpus";
                for (; dir != null && dir.startsWith(cpuset.mount); dir = dir.getParent()) {
                    CpuSet s = list(dir.resolve(file));
                    if (s == null && !cpuset.v2) {
                        s = list(dir.resolve("cpuset.cpus")); // older v1 kernels have no effective_cpus
                    }
                    if (s != null) {
                        cpus = Optional.of(s);
                        cpusFrom = (cpuset.v2 ? "v2 " : "v1 ") + shown(root, dir);
                        break;
                    }
                }
            }
            Located cpu = locate(root, memberships, mounts, "cpu");
            if (cpu != null) {
                double smallest = Double.POSITIVE_INFINITY;
                boolean any = false;
                for (Path dir = cpu.dir; dir != null && dir.startsWith(cpu.mount); dir = dir.getParent()) {
                    double q = cpu.v2 ? cpuMax(dir.resolve("cpu.max"))
                            : cfsQuota(dir.resolve("cpu.cfs_quota_us"), dir.resolve("cpu.cfs_period_us"));
                    any |= !Double.isNaN(q);
                    if (q < smallest) {
                        smallest = q;
                    }
                }
                if (any) {
                    quotaFrom = (cpu.v2 ? "v2 " : "v1 ") + shown(root, cpu.dir);
                    if (smallest != Double.POSITIVE_INFINITY) {
                        quota = OptionalDouble.of(smallest);
                    }
                }
            }
            return new Cgroups(cpus, quota, cpusFrom, quotaFrom);
        }
    }

    private static String shown(Path root, Path dir) {
        return "/" + root.relativize(dir).toString().replace('\\', '/');
    }

    /** A controller's directory for this process, under the mount point of its hierarchy. */
    private record Located(Path mount, Path dir, boolean v2) {}

    /*
     * /proc/self/cgroup has one line per hierarchy: "id:controllers:path", with id 0 and no controllers for v2. A v1
     * line naming the controller wins; otherwise the v2 line, if the v2 hierarchy has the controller enabled (its
     * cgroup.controllers lists it). mountinfo fields: id parent major:minor root mount-point options [optional...] -
     * fstype source super-options; for v1 the super-options name the controllers. The process's directory is the
     * mount point plus its cgroup path relative to the mount's root (a container's namespaced view mounts its own
     * cgroup as the root, and then the path may not lie under the mount's root: the mount point itself is used).
     */
    private static Located locate(Path root, List<String> memberships, List<String> mounts, String controller)
            throws IOException {
        String v2Path = null;
        for (String line : memberships) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2Path = f[2];
            } else if (List.of(f[1].split(",")).contains(controller)) {
                for (String m : mounts) {
                    Mount mount = Mount.parse(m);
                    if (mount != null && mount.fsType.equals("cgroup")
                            && List.of(mount.superOptions.split(",")).contains(controller)) {
                        return located(root, mount, f[2], false);
                    }
                }
            }
        }
        if (v2Path != null) {
            for (String m : mounts) {
                Mount mount = Mount.parse(m);
                if (mount != null && mount.fsType.equals("cgroup2")) {
                    Located l = located(root, mount, v2Path, true);
                    String controllers = text(l.mount.resolve("cgroup.controllers"));
                    if (controllers != null && List.of(controllers.strip().split("\\s+")).contains(controller)) {
                        return l;
                    }
                }
            }
        }
        return null;
    }

    private static Located located(Path root, Mount mount, String cgroupPath, boolean v2) {
        Path mountPoint = root.resolve(mount.mountPoint.substring(1));
        String rel;
        if (mount.root.equals("/")) {
            rel = cgroupPath;
        } else if (cgroupPath.equals(mount.root) || cgroupPath.startsWith(mount.root + "/")) {
            rel = cgroupPath.substring(mount.root.length());
        } else {
            rel = "/";
        }
        Path dir = rel.equals("/") || rel.isEmpty() ? mountPoint : mountPoint.resolve(rel.substring(1));
        return new Located(mountPoint, dir.normalize(), v2);
    }

    private record Mount(String root, String mountPoint, String fsType, String superOptions) {
        static Mount parse(String line) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 5 || dash + 1 >= f.length) {
                return null; // not a mountinfo line
            }
            return new Mount(unescape(f[3]), unescape(f[4]), f[dash + 1], dash + 3 < f.length ? f[dash + 3] : "");
        }

        /** mountinfo writes space, tab, newline and backslash as octal escapes. */
        private static String unescape(String s) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
    }

    /** v2 {@code cpu.max}: "max period" or "quota period"; NaN if absent, +inf if unlimited. */
    private static double cpuMax(Path file) throws IOException {
        String t = text(file);
        if (t == null || t.isBlank()) {
            return Double.NaN;
        }
        String[] f = t.strip().split("\\s+");
        try {
            long period = f.length > 1 ? Long.parseLong(f[1]) : 100_000L;
            if (f[0].equals("max")) {
                return Double.POSITIVE_INFINITY;
            }
            long quota = Long.parseLong(f[0]);
            if (quota <= 0 || period <= 0) {
                throw new NumberFormatException("not positive");
            }
            return (double) quota / period;
        } catch (NumberFormatException e) {
            throw new IOException(file + " holds \"" + t.strip() + "\", not \"max PERIOD\" or \"QUOTA PERIOD\"", e);
        }
    }

    /** v1 quota and period in microseconds; a quota of -1 is no limit. NaN if absent, +inf if unlimited. */
    private static double cfsQuota(Path quotaFile, Path periodFile) throws IOException {
        String q = text(quotaFile);
        String p = text(periodFile);
        if (q == null || p == null || q.isBlank() || p.isBlank()) {
            return Double.NaN;
        }
        try {
            long quota = Long.parseLong(q.strip());
            long period = Long.parseLong(p.strip());
            if (quota < 0) {
                return Double.POSITIVE_INFINITY;
            }
            if (quota == 0 || period <= 0) {
                throw new NumberFormatException("not positive");
            }
            return (double) quota / period;
        } catch (NumberFormatException e) {
            throw new IOException(quotaFile + " and " + periodFile + " hold \"" + q.strip() + "\" and \""
                    + p.strip() + "\", not a quota (-1 or a positive count of microseconds) and a period", e);
        }
    }

    private static List<String> lines(Path file) throws IOException {
        String t = text(file);
        return t == null ? List.of() : t.lines().toList();
    }

    private static String text(Path file) throws IOException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The CPU list in {@code file}, or null if there is none: no file, or an empty one. */
    private static CpuSet list(Path file) throws IOException {
        String t = text(file);
        return t == null || t.isBlank() ? null : parse(file, t);
    }

    private static CpuSet parse(Path file, String text) throws IOException {
        try {
            return CpuSet.parse(text, cpu -> { });
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " holds \"" + text.strip() + "\", not a CPU list", e);
        }
    }

    private static CpuSet orEmpty(CpuSet s) {
        return s == null ? CpuSet.empty() : s;
    }

    /**
     * Returns the CPUs that were online.
     *
     * @return the online CPUs
     */
    public CpuSet online() {
        return online;
    }

    /**
     * Returns the CPUs the kernel knows but that were offline (hot-unplugged or disabled at boot).
     *
     * @return the offline CPUs; empty if none
     */
    public CpuSet offline() {
        return offline;
    }

    /**
     * Returns the process's affinity mask ({@code Cpus_allowed_list}): where its threads may run unless they change
     * their own.
     *
     * @return the CPUs in the process's affinity mask
     */
    public CpuSet affinity() {
        return affinity;
    }

    /**
     * Returns the CPUs the process's cgroup allows (its effective cpuset), if a cpuset controller applies to it.
     *
     * @return the cgroup's effective CPUs, or empty if no cpuset controller was found
     */
    public Optional<CpuSet> cgroupCpus() {
        return cgroupCpus;
    }

    /**
     * Returns the process's CPU quota: the CPU time its cgroup may use per period, divided by the period, i.e. how
     * many CPUs' worth of time it may use (1.5 means one and a half CPUs, spread over any of its CPUs). The
     * smallest quota of its cgroup and every ancestor.
     *
     * @return the quota in CPUs, or empty if none of those cgroups limits it (or no cpu controller was found)
     */
    public OptionalDouble cgroupQuota() {
        return cgroupQuota;
    }

    /**
     * Returns the CPUs the kernel keeps general scheduling off ({@code isolcpus}, {@code isolated} in sysfs): only
     * threads pinned there run there.
     *
     * @return the isolated CPUs; empty if none
     */
    public CpuSet isolated() {
        return isolated;
    }

    /**
     * Returns the CPUs that stop the scheduler tick while they run one task ({@code nohz_full}).
     *
     * @return the tickless CPUs; empty if none (or the kernel was built without it)
     */
    public CpuSet nohzFull() {
        return nohzFull;
    }

    /**
     * Returns the CPUs this process may run on: online, in its affinity mask, and in its cgroup's cpuset.
     *
     * @return the usable CPUs
     */
    public CpuSet usable() {
        CpuSet s = online.intersect(affinity);
        return cgroupCpus.map(s::intersect).orElse(s);
    }

    /**
     * Returns the usable CPUs that are also isolated: the ones a latency-critical thread may be pinned to without
     * the scheduler placing other work there.
     *
     * @return the usable isolated CPUs; empty if none
     */
    public CpuSet usableIsolated() {
        return usable().intersect(isolated);
    }

    /**
     * Returns how many CPUs' worth of time this process may count on: the number of usable CPUs, or the cgroup
     * quota if that is smaller.
     *
     * @return the limit in CPUs, at most {@code usable().size()}
     */
    public double cpuLimit() {
        int n = usable().size();
        return cgroupQuota.isPresent() ? Math.min(n, cgroupQuota.getAsDouble()) : n;
    }

    /**
     * Returns what {@link Runtime#availableProcessors()} said when the snapshot was taken, for comparison.
     *
     * @return the JVM's processor count
     */
    public int availableProcessors() {
        return availableProcessors;
    }

    /**
     * Returns a summary of every part of the budget, with the JVM's count beside it, such as
     * {@code "usable CPUs 0-3 (4), limit 1.5 CPUs (cgroup quota), Runtime.availableProcessors() 2; online 0-7,
     * offline none, affinity 0-3, cgroup cpuset 0-5 (v2 /sys/fs/cgroup/app), cpu quota 1.5 (v2 /sys/fs/cgroup/app),
     * isolated 2-3, nohz_full none"}.
     *
     * @return the summary
     */
    @Override
    public String toString() {
        CpuSet usable = usable();
        double limit = cpuLimit();
        List<String> parts = new ArrayList<>();
        parts.add("online " + shown(online));
        parts.add("offline " + shown(offline));
        parts.add("affinity " + shown(affinity));
        parts.add("cgroup " + cgroupCpus.map(s -> "cpuset " + shown(s)).orElse("cpuset unlimited")
                + (cgroupQuota.isPresent() ? ", quota " + number(cgroupQuota.getAsDouble()) + " CPUs"
                        : ", quota unlimited")
                + " (" + cgroup + ")");
        parts.add("isolated " + shown(isolated));
        parts.add("nohz_full " + shown(nohzFull));
        return "usable CPUs " + shown(usable) + " (" + usable.size() + "), limit " + number(limit) + " CPUs"
                + (limit < usable.size() ? " (cgroup quota)" : "") + ", Runtime.availableProcessors() "
                + availableProcessors + "; " + String.join(", ", parts);
    }

    private static String shown(CpuSet s) {
        return s.isEmpty() ? "none" : s.toString();
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }
}
