package io.ft4j.atomic;

import io.ft4j.testing.Linearizability;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.IntGen;

/**
 * Linearizability of PaddedAtomicLong's read-modify-writes against a sequential long, in model-checking mode (every
 * interleaving the checker explores, including a switch between the read and the CAS of the CAS-loop operations)
 * and in stress mode (real threads). Bounded: Lincheck's defaults take minutes.
 */
@Param(name = "v", gen = IntGen.class, conf = "-3:3")
public class PaddedAtomicLongLincheckTest extends Linearizability {
    private final PaddedAtomicLong a = new PaddedAtomicLong();

    @Operation public long get() { return a.get(); }
    @Operation public long incrementAndGet() { return a.incrementAndGet(); }
    @Operation public long decrementAndGet() { return a.decrementAndGet(); }
    @Operation public long getAndAdd(@Param(name = "v") int d) { return a.getAndAdd(d); }
    @Operation public long addAndGetNegated(@Param(name = "v") int d) { return a.addAndGet(-d); }
    @Operation public long multiplyAndGet(@Param(name = "v") int f) { return a.multiplyAndGet(f); }
    @Operation public long getAndMultiply(@Param(name = "v") int f) { return a.getAndMultiply(f); }

    // A zero divisor throws ArithmeticException; Lincheck records the exception as the operation's result.
    @Operation
    public long floorDivAndGet(@Param(name = "v") int d) { return a.floorDivAndGet(d); }

    @Operation public long getAndBitwiseOr(@Param(name = "v") int m) { return a.getAndBitwiseOr(m); }
    @Operation public long getAndBitwiseXor(@Param(name = "v") int m) { return a.getAndBitwiseXor(m); }
    @Operation public long getAndSet(@Param(name = "v") int v) { return a.getAndSet(v); }
    @Operation public long compareAndExchange(@Param(name = "v") int e, @Param(name = "v") int v) { return a.compareAndExchange(e, v); }
    @Operation public boolean compareAndSet(@Param(name = "v") int e, @Param(name = "v") int v) { return a.compareAndSet(e, v); }
    @Operation public long updateAndGet() { return a.updateAndGet(x -> 2 * x + 1); }

}
