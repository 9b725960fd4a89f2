package io.ft4j.atomic;

import io.ft4j.testing.Linearizability;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.IntGen;

/**
 * Linearizability of AtomicInt64's read-modify-writes against a sequential long, in model-checking mode (every
 * interleaving the checker explores, including a switch between the read and the CAS of the CAS-loop operations)
 * and in stress mode (real threads). Bounded: Lincheck's defaults take minutes.
 */
@Param(name = "v", gen = IntGen.class, conf = "-3:3")
public class AtomicInt64LincheckTest extends Linearizability {
    private final AtomicInt64 a = new AtomicInt64();

    @Operation public long get() { return a.get(); }
    @Operation public long incr() { return a.incr(); }
    @Operation public long decr() { return a.decr(); }
    @Operation public long fetchAdd(@Param(name = "v") int d) { return a.fetchAdd(d); }
    @Operation public long subAndGet(@Param(name = "v") int d) { return a.subAndGet(d); }
    @Operation public long mulAndGet(@Param(name = "v") int f) { return a.mulAndGet(f); }
    @Operation public long fetchMul(@Param(name = "v") int f) { return a.fetchMul(f); }

    // A zero divisor throws ArithmeticException; Lincheck records the exception as the operation's result.
    @Operation
    public long floorDivAndGet(@Param(name = "v") int d) { return a.floorDivAndGet(d); }

    @Operation public long fetchOr(@Param(name = "v") int m) { return a.fetchOr(m); }
    @Operation public long fetchXor(@Param(name = "v") int m) { return a.fetchXor(m); }
    @Operation public long exchange(@Param(name = "v") int v) { return a.exchange(v); }
    @Operation public long compareExchange(@Param(name = "v") int e, @Param(name = "v") int v) { return a.compareExchange(e, v); }
    @Operation public boolean compareAndSet(@Param(name = "v") int e, @Param(name = "v") int v) { return a.compareAndSet(e, v); }
    @Operation public long updateAndGet() { return a.updateAndGet(x -> 2 * x + 1); }

}
