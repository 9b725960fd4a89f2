package io.ft4j.bench;

import io.ft4j.concurrent.ConcurrentDeque;
import io.ft4j.concurrent.ConcurrentQueue;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.MpmcArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * MPMC throughput: one producer and one consumer per group, every group on one shared queue, so {@code -t 2,4,8}
 * measures 1p1c, 2p2c and 4p4c. The score counts producers' and consumers' completed operations together.
 * <ul>
 *   <li>offerPoll: non-blocking offer and poll, retried with a spin hint while full or empty; ft4j bounded at 1024
 *       against JCTools MpmcArrayQueue(1024) (anchorJctools) and ArrayBlockingQueue(1024) (anchorAbq).</li>
 *   <li>putTake: the blocking API (timed, so that a thread never stays blocked past the end of an iteration): ft4j
 *       bounded at 1024 against LinkedBlockingQueue(1024) (anchor), ArrayBlockingQueue(1024) (anchorAbq) and
 *       LinkedTransferQueue (anchorLtq, unbounded).</li>
 *   <li>deque: each thread offers at the back and polls at the front (1, 2, 4 threads): ConcurrentDeque against
 *       ConcurrentLinkedDeque (anchor) and LinkedBlockingDeque (anchorLbd).</li>
 *   <li>dequePutTake: putTake's producer and consumer groups on a deque bounded at 1024, at the back and the front:
 *       ConcurrentDeque(1024) against LinkedBlockingDeque(1024) (anchor).</li>
 * </ul>
 *
 * {@snippet lang="shell" :
 * java --sun-misc-unsafe-memory-access=allow -cp ft4j-bench/target/benchmarks.jar io.ft4j.bench.Ratios \
 *      'QueueBench.*(offerPoll|putTake)' -t 2,4,8 -f 3
 * java --sun-misc-unsafe-memory-access=allow -cp ft4j-bench/target/benchmarks.jar io.ft4j.bench.Ratios \
 *      'QueueBench.*deque' -t 1,2,4 -f 3
 * }
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class QueueBench {
    static final int CAPACITY = 1024;
    static final Integer ELEMENT = 42;

    final Queue<Integer> ft4jQueue = ConcurrentQueue.<Integer>builder().capacity(CAPACITY).build();
    final Queue<Integer> jctools = new MpmcArrayQueue<>(CAPACITY);
    final Queue<Integer> abqFree = new ArrayBlockingQueue<>(CAPACITY);

    final BlockingQueue<Integer> ft4jBlocking = ConcurrentQueue.<Integer>builder().capacity(CAPACITY).build();
    final BlockingQueue<Integer> lbq = new LinkedBlockingQueue<>(CAPACITY);
    final BlockingQueue<Integer> abq = new ArrayBlockingQueue<>(CAPACITY);
    final BlockingQueue<Integer> ltq = new LinkedTransferQueue<>();

    final ConcurrentDeque<Integer> ft4jDeque = new ConcurrentDeque<>();
    final ConcurrentLinkedDeque<Integer> cld = new ConcurrentLinkedDeque<>();
    final LinkedBlockingDeque<Integer> lbd = new LinkedBlockingDeque<>();

    final BlockingQueue<Integer> ft4jBoundedDeque = new ConcurrentDeque<>(CAPACITY);
    final BlockingQueue<Integer> lbdBounded = new LinkedBlockingDeque<>(CAPACITY);

    static void offer(Queue<Integer> q, Control c) {
        while (!q.offer(ELEMENT) && !c.stopMeasurement) {
            Thread.onSpinWait();
        }
    }

    static Integer poll(Queue<Integer> q, Control c) {
        Integer e;
        while ((e = q.poll()) == null && !c.stopMeasurement) {
            Thread.onSpinWait();
        }
        return e;
    }

    static void put(BlockingQueue<Integer> q, Control c) throws InterruptedException {
        while (!q.offer(ELEMENT, 1, TimeUnit.MILLISECONDS) && !c.stopMeasurement) {
            // full for a whole millisecond: try again unless the iteration is over
        }
    }

    static Integer take(BlockingQueue<Integer> q, Control c) throws InterruptedException {
        Integer e;
        while ((e = q.poll(1, TimeUnit.MILLISECONDS)) == null && !c.stopMeasurement) {
            // empty for a whole millisecond: try again unless the iteration is over
        }
        return e;
    }

    @Benchmark @Group("ft4j_offerPoll") @GroupThreads(1) public void ft4jOffer(Control c) { offer(ft4jQueue, c); }
    @Benchmark @Group("ft4j_offerPoll") @GroupThreads(1) public Integer ft4jPoll(Control c) { return poll(ft4jQueue, c); }
    @Benchmark @Group("anchorJctools_offerPoll") @GroupThreads(1) public void jctoolsOffer(Control c) { offer(jctools, c); }
    @Benchmark @Group("anchorJctools_offerPoll") @GroupThreads(1) public Integer jctoolsPoll(Control c) { return poll(jctools, c); }
    @Benchmark @Group("anchorAbq_offerPoll") @GroupThreads(1) public void abqOffer(Control c) { offer(abqFree, c); }
    @Benchmark @Group("anchorAbq_offerPoll") @GroupThreads(1) public Integer abqPoll(Control c) { return poll(abqFree, c); }

    @Benchmark @Group("ft4j_putTake") @GroupThreads(1) public void ft4jPut(Control c) throws InterruptedException { put(ft4jBlocking, c); }
    @Benchmark @Group("ft4j_putTake") @GroupThreads(1) public Integer ft4jTake(Control c) throws InterruptedException { return take(ft4jBlocking, c); }
    @Benchmark @Group("anchor_putTake") @GroupThreads(1) public void lbqPut(Control c) throws InterruptedException { put(lbq, c); }
    @Benchmark @Group("anchor_putTake") @GroupThreads(1) public Integer lbqTake(Control c) throws InterruptedException { return take(lbq, c); }
    @Benchmark @Group("anchorAbq_putTake") @GroupThreads(1) public void abqPut(Control c) throws InterruptedException { put(abq, c); }
    @Benchmark @Group("anchorAbq_putTake") @GroupThreads(1) public Integer abqTake(Control c) throws InterruptedException { return take(abq, c); }
    @Benchmark @Group("anchorLtq_putTake") @GroupThreads(1) public void ltqPut(Control c) throws InterruptedException { put(ltq, c); }
    @Benchmark @Group("anchorLtq_putTake") @GroupThreads(1) public Integer ltqTake(Control c) throws InterruptedException { return take(ltq, c); }

    @Benchmark public Integer ft4j_deque() { ft4jDeque.offerLast(ELEMENT); return ft4jDeque.pollFirst(); }
    @Benchmark public Integer anchor_deque() { cld.offerLast(ELEMENT); return cld.pollFirst(); }
    @Benchmark public Integer anchorLbd_deque() { lbd.offerLast(ELEMENT); return lbd.pollFirst(); }

    @Benchmark @Group("ft4j_dequePutTake") @GroupThreads(1) public void ft4jDequePut(Control c) throws InterruptedException { put(ft4jBoundedDeque, c); }
    @Benchmark @Group("ft4j_dequePutTake") @GroupThreads(1) public Integer ft4jDequeTake(Control c) throws InterruptedException { return take(ft4jBoundedDeque, c); }
    @Benchmark @Group("anchor_dequePutTake") @GroupThreads(1) public void lbdPut(Control c) throws InterruptedException { put(lbdBounded, c); }
    @Benchmark @Group("anchor_dequePutTake") @GroupThreads(1) public Integer lbdTake(Control c) throws InterruptedException { return take(lbdBounded, c); }
}
