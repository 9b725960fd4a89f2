package io.ft4j.bench;

import io.ft4j.atomic.PaddedAtomicLong;
import java.util.concurrent.TimeUnit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost that padding removes: two threads, each incrementing <em>its own</em> counter. The anchor is two
 * adjacent {@code volatile long} fields of one object, incremented with {@code VarHandle.getAndAdd} (what
 * {@link java.util.concurrent.atomic.AtomicLong} does), so every increment steals the line from the other core; ft4j's
 * are two {@link PaddedAtomicLong}s allocated back to back, whose padding keeps 128 bytes between the values. Nothing is
 * shared logically, so any gap between the two is false sharing. The forks run with
 * {@code -XX:ObjectAlignmentInBytes=64} so that the two anchor fields always share one line (with the default
 * 8-byte alignment they straddle a line boundary in one fork out of eight, and two separately allocated
 * {@code AtomicLong}s in one out of three, which made earlier runs bimodal).
 *
 * {@snippet lang="shell" :
 * java --sun-misc-unsafe-memory-access=allow -cp ft4j-bench/target/benchmarks.jar io.ft4j.bench.Ratios \
 *      FalseSharingBench -f 3
 * }
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "-XX:ObjectAlignmentInBytes=64"})
public class FalseSharingBench {
    /** Two counters on one cache line, as unpadded neighbours end up. */
    public static final class Neighbours {
        static final VarHandle A;
        static final VarHandle B;

        static {
            try {
                A = MethodHandles.lookup().findVarHandle(Neighbours.class, "a", long.class);
                B = MethodHandles.lookup().findVarHandle(Neighbours.class, "b", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        volatile long a;
        volatile long b;
    }

    private PaddedAtomicLong paddedA;
    private PaddedAtomicLong paddedB;
    private Neighbours unpadded;

    @Setup
    public void allocateNeighbours() {
        paddedA = new PaddedAtomicLong();
        paddedB = new PaddedAtomicLong();
        unpadded = new Neighbours();
    }

    @Benchmark @Group("ft4j_neighbours") @GroupThreads(1)
    public long paddedA() { return paddedA.incrementAndGet(); }

    @Benchmark @Group("ft4j_neighbours") @GroupThreads(1)
    public long paddedB() { return paddedB.incrementAndGet(); }

    @Benchmark @Group("anchor_neighbours") @GroupThreads(1)
    public long unpaddedA() { return (long) Neighbours.A.getAndAdd(unpadded, 1L) + 1L; }

    @Benchmark @Group("anchor_neighbours") @GroupThreads(1)
    public long unpaddedB() { return (long) Neighbours.B.getAndAdd(unpadded, 1L) + 1L; }
}
