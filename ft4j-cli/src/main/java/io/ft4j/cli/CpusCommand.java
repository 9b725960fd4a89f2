package io.ft4j.cli;

import io.ft4j.thread.CpuBudget;
import io.ft4j.thread.CpuPool;
import io.ft4j.thread.CpuSet;
import io.ft4j.thread.CpuTopology;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ft4j cpus}: the machine's CPUs, what this process may use of them, and who has reserved which. */
@Command(name = "cpus", mixinStandardHelpOptions = true,
        description = {"Print the CPU topology, this process's CPU budget (affinity, cgroup cpuset and quota, isolated",
                "and nohz_full CPUs), the reservation pool, and every CPU reservation with its holder."})
final class CpusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Directory of the reservation lock files (default: java.io.tmpdir).")
    Path directory;

    @Option(names = "--keep-for-os", paramLabel = "CPUS", converter = CpuSetConverter.class,
            description = "CPUs left out of the pool when no CPU is isolated, as a list such as 0 or 0-1 "
                    + "(default: ${DEFAULT-VALUE}).", defaultValue = "0")
    CpuSet keepForOs;

    /** Parses a Linux CPU list; picocli reports a bad one as a usage error. */
    static final class CpuSetConverter implements picocli.CommandLine.ITypeConverter<CpuSet> {
        @Override
        public CpuSet convert(String value) {
            try {
                return CpuSet.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CpuTopology topo = CpuTopology.read();
        out.println("Topology:     " + topo);
        for (CpuTopology.Core c : topo.cores()) {
            out.println("  package " + c.packageId() + ", core " + c.coreId() + ": CPU" + (c.threads().size() > 1
                    ? "s " : " ") + c.threads());
        }
        out.println("Budget:       " + CpuBudget.read());
        CpuPool.Builder b = CpuPool.builder().keepForOs(keepForOs);
        if (directory != null) {
            b.directory(directory);
        }
        CpuPool pool = b.build();
        out.println("Pool:         " + pool);
        List<CpuPool.Holder> holders = pool.holders();
        out.println("Reservations: " + (holders.isEmpty() ? "none" : ""));
        for (CpuPool.Holder h : holders) {
            out.println("  " + h + (h.stale() ? "" : ", since " + h.since()));
        }
        return 0;
    }
}
