package io.ft4j.bench;

import io.ft4j.atomic.PaddedAtomicLong;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * PaddedAtomicLong against its anchor, {@link AtomicLong}, on one shared counter: every thread hits the same cache line,
 * which is the case an atomic counter exists for. Methods come in pairs named {@code ft4j_<op>} and
 * {@code anchor…_<op>}; {@link Ratios} runs them at several thread counts and prints ft4j / anchor.
 *
 * <ul>
 *   <li>incrementAndGet, getAndAdd: LOCK XADD on both sides.</li>
 *   <li>getAndBitwiseOr: AtomicLong has no bitwise operation, so two anchors: {@code getAndAccumulate(m, (a, b) -> a | b)}
 *       and a bare {@code VarHandle.getAndBitwiseOr} on a volatile field.</li>
 *   <li>mul, floorDiv: CAS loops. ft4j backs off after a failed CAS; the anchor is
 *       {@code getAndAccumulate} with the same function. floorDiv divides by -1 so the value never collapses to 0.</li>
 * </ul>
 *
 * {@snippet lang="shell" :
 * java --sun-misc-unsafe-memory-access=allow -cp ft4j-bench/target/benchmarks.jar io.ft4j.bench.Ratios \
 *      PaddedAtomicLongBench -t 1,2,4 -f 3
 * }
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class PaddedAtomicLongBench {
    private static final VarHandle BARE;

    static {
        try {
            BARE = MethodHandles.lookup().findVarHandle(PaddedAtomicLongBench.class, "bare", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PaddedAtomicLong ft4j = new PaddedAtomicLong(1);
    private final AtomicLong anchor = new AtomicLong(1);
    private volatile long bare = 1;

    @Benchmark public long ft4j_incrementAndGet() { return ft4j.incrementAndGet(); }
    @Benchmark public long anchor_incrementAndGet() { return anchor.incrementAndGet(); }

    @Benchmark public long ft4j_getAndAdd() { return ft4j.getAndAdd(5); }
    @Benchmark public long anchor_getAndAdd() { return anchor.getAndAdd(5); }

    @Benchmark public long ft4j_getAndBitwiseOr() { return ft4j.getAndBitwiseOr(0x10); }
    @Benchmark public long anchor_getAndBitwiseOr() { return anchor.getAndAccumulate(0x10, (a, b) -> a | b); }
    @Benchmark public long anchorVarHandle_getAndBitwiseOr() { return (long) BARE.getAndBitwiseOr(this, 0x10L); }

    @Benchmark public long ft4j_mul() { return ft4j.getAndMultiply(3); }
    @Benchmark public long anchor_mul() { return anchor.getAndAccumulate(3, (a, b) -> a * b); }

    @Benchmark public long ft4j_floorDiv() { return ft4j.getAndFloorDiv(-1); }
    @Benchmark public long anchor_floorDiv() { return anchor.getAndAccumulate(-1, Math::floorDiv); }
}
