package io.ft4j.bench;

import io.ft4j.concurrent.BatchExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * BatchExecutor (batches of 64) against its anchor: the same single-threaded source behind a ReentrantLock, one
 * lock round trip per item.
 *
 * {@snippet lang="shell" :
 * java --sun-misc-unsafe-memory-access=allow -cp ft4j-bench/target/benchmarks.jar io.ft4j.bench.Ratios \
 *      BatchExecutorBench -t 1,2,4 -f 3
 * }
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class BatchExecutorBench {
    /** A source that is not thread-safe on its own: a counter. */
    static final class Source implements Supplier<Long> {
        private long next;

        @Override
        public Long get() {
            return next++;
        }
    }

    private final BatchExecutor<Long> ft4j = new BatchExecutor<>(new Source(), 64);
    private final Source locked = new Source();
    private final ReentrantLock lock = new ReentrantLock();

    @Benchmark
    public Long ft4j_load() {
        return ft4j.load();
    }

    @Benchmark
    public Long anchor_load() {
        lock.lock();
        try {
            return locked.get();
        } finally {
            lock.unlock();
        }
    }
}
