package io.ft4j.concurrent;

import io.ft4j.testing.Linearizability;
import java.util.List;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/** Linearizability of ConcurrentDeque, including its multi-element operations, in model-checking and stress mode. */
@Param(name = "e", gen = IntGen.class, conf = "1:4")
public class ConcurrentDequeLincheckTest extends Linearizability {
    private final ConcurrentDeque<Integer> d = new ConcurrentDeque<>();

    @Operation public void addFirst(@Param(name = "e") int e) { d.addFirst(e); }
    @Operation public void addLast(@Param(name = "e") int e) { d.addLast(e); }
    @Operation public Integer pollFirst() { return d.pollFirst(); }
    @Operation public Integer pollLast() { return d.pollLast(); }
    @Operation public Integer peekLast() { return d.peekLast(); }
    @Operation public boolean remove(@Param(name = "e") int e) { return d.remove(e); }
    @Operation public void extendLeft(@Param(name = "e") int e) { d.addAllFirst(List.of(e, e + 1)); }
    @Operation public void rotate(@Param(name = "e") int n) { d.rotate(n - 2); }
    @Operation public int size() { return d.size(); }

}
