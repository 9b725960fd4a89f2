package io.ft4j.bench;

import io.ft4j.atomic.AtomicInt64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The cost that padding removes: two threads, each incrementing <em>its own</em> counter, where the two counters
 * were allocated one after the other. Unpadded {@link AtomicLong}s (24 bytes each) land on one cache line, so every
 * increment steals the line from the other core; padded {@link AtomicInt64}s keep 128 bytes between their values.
 * Nothing is shared logically, so any gap between the two groups is false sharing.
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
@Fork(value = 3, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class FalseSharingBench {
    private AtomicInt64 paddedA;
    private AtomicInt64 paddedB;
    private AtomicLong unpaddedA;
    private AtomicLong unpaddedB;

    @Setup
    public void allocateNeighbours() {
        // Allocated back to back from one TLAB: adjacent in memory.
        paddedA = new AtomicInt64();
        paddedB = new AtomicInt64();
        unpaddedA = new AtomicLong();
        unpaddedB = new AtomicLong();
    }

    @Benchmark @Group("ft4j_neighbours") @GroupThreads(1)
    public long paddedA() { return paddedA.incr(); }

    @Benchmark @Group("ft4j_neighbours") @GroupThreads(1)
    public long paddedB() { return paddedB.incr(); }

    @Benchmark @Group("anchor_neighbours") @GroupThreads(1)
    public long unpaddedA() { return unpaddedA.incrementAndGet(); }

    @Benchmark @Group("anchor_neighbours") @GroupThreads(1)
    public long unpaddedB() { return unpaddedB.incrementAndGet(); }
}
