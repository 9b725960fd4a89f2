package io.ft4j.concurrent;

import io.ft4j.testing.Linearizability;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * Linearizability of ConcurrentDict's single-key operations against a sequential map, in model-checking and stress
 * mode. A concurrency level of 1 and a tiny initial table put the few keys in shared stripes and force resizes under the
 * checker. Bounded: Lincheck's defaults take minutes.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:6")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class ConcurrentDictLincheckTest extends Linearizability {
    private final ConcurrentDict<Integer, Integer> d = new ConcurrentDict<>(1, 0.75f, 1);

    @Operation public Integer get(@Param(name = "key") int k) { return d.get(k); }
    @Operation public Integer put(@Param(name = "key") int k, @Param(name = "value") int v) { return d.put(k, v); }
    @Operation public Integer putIfAbsent(@Param(name = "key") int k, @Param(name = "value") int v) { return d.putIfAbsent(k, v); }
    @Operation public Integer remove(@Param(name = "key") int k) { return d.remove(k); }
    @Operation public boolean removeIf(@Param(name = "key") int k, @Param(name = "value") int v) { return d.remove(k, v); }
    @Operation public boolean replace(@Param(name = "key") int k, @Param(name = "value") int o, @Param(name = "value") int v) { return d.replace(k, o, v); }
    @Operation public Integer merge(@Param(name = "key") int k, @Param(name = "value") int v) { return d.merge(k, v, Integer::sum); }
    @Operation public Integer computeIfAbsent(@Param(name = "key") int k) { return d.computeIfAbsent(k, x -> x * 10); }
    @Operation public Integer compute(@Param(name = "key") int k) { return d.compute(k, (x, v) -> v == null ? 1 : (v > 5 ? null : v + 1)); }
    @Operation public boolean containsKey(@Param(name = "key") int k) { return d.containsKey(k); }

}
