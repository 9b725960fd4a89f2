package io.ft4j.bench;

import io.ft4j.thread.Affinity;
import io.ft4j.thread.CpuSet;
import io.ft4j.thread.Scheduling;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Thread-control calls, nanoseconds per call: ft4j's FFM bindings against OpenHFT Java-Thread-Affinity (JNA), the
 * anchor, for the calls it has. OpenHFT has no nice-value call, so {@code ft4j_setNice}/{@code ft4j_getNice} report
 * ft4j's cost alone. Each set call re-applies the thread's current setting, so the run changes nothing.
 *
 * {@snippet lang="shell" :
 * java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
 *      -cp ft4j-bench/target/benchmarks.jar io.ft4j.bench.Ratios ThreadControlBench -t 1 -f 3
 * }
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"})
public class ThreadControlBench {
    private CpuSet cpus;
    private BitSet cpuBits;
    private int nice;

    @Setup
    public void readCurrentSettings() {
        cpus = Affinity.get();
        cpuBits = new BitSet();
        cpus.stream().forEach(cpuBits::set);
        nice = Scheduling.nice();
    }

    @Benchmark public int ft4j_currentCpu() { return Affinity.currentCpu(); }
    @Benchmark public int anchor_currentCpu() { return net.openhft.affinity.Affinity.getCpu(); }

    @Benchmark public CpuSet ft4j_getAffinity() { return Affinity.get(); }
    @Benchmark public BitSet anchor_getAffinity() { return net.openhft.affinity.Affinity.getAffinity(); }

    @Benchmark public void ft4j_setAffinity() { Affinity.set(cpus); }
    @Benchmark public void anchor_setAffinity() { net.openhft.affinity.Affinity.setAffinity(cpuBits); }

    @Benchmark public void ft4j_setNice() { Scheduling.setNice(nice); }
    @Benchmark public int ft4j_getNice() { return Scheduling.nice(); }
}
