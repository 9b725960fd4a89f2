package io.ft4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ft4j.testing.Eventually;
import io.ft4j.testing.Linux;
import io.ft4j.thread.Affinity;
import io.ft4j.thread.ControlledThread;
import io.ft4j.thread.CpuSet;
import io.ft4j.thread.CpuTopology;
import io.ft4j.thread.Scheduling;
import io.ft4j.thread.SchedulingPolicy;
import io.ft4j.thread.ThreadBuilder;
import io.ft4j.thread.ThreadExit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The examples of docs/thread-control.md, compiled and run; the tagged regions are what the guide shows. */
@SuppressWarnings("try")
class ThreadControlGuideTest {
    @Test
    void workersPinsAndExitActions() throws Exception {
        assumeTrue(Affinity.isSupported(), "thread control needs Linux");
        assumeTrue(Linux.privileged(), "a real-time scope, and restoring after it, need CAP_SYS_NICE");
        List<Integer> ranOn = new CopyOnWriteArrayList<>();
        List<String> released = new CopyOnWriteArrayList<>();
        Runnable task = () -> ranOn.add(Affinity.currentCpu());
        List<ControlledThread> started = new ArrayList<>();
        int pinnedTo;
        SchedulingPolicy before = Scheduling.policy();
        SchedulingPolicy policyInside;
        // tag::threads[]
        CpuTopology topo = CpuTopology.read();          // "16 CPUs on 8 cores, 1 package, 1 NUMA node"
        ThreadBuilder workers = new ThreadBuilder().name("worker-", 0).daemon(true).nice(5);
        for (int cpu : topo.onePerCore().toArray()) {   // one worker per physical core, no SMT siblings shared
            started.add(workers.cpus(CpuSet.of(cpu)).start(task));
        }
        try (Affinity.Scope pinned = Affinity.pin(topo.cpus().first())) {   // restores the previous CPU set
            pinnedTo = Affinity.currentCpu();
        }
        try (Scheduling.Scope rt = Scheduling.apply(SchedulingPolicy.fifo(10))) {   // restores policy and nice
            policyInside = Scheduling.policy();                             // a short real-time section
        }
        Thread.ofPlatform().start(() -> {
            ThreadExit.register(() -> released.add("buffer"));   // runs once when this thread ends
        }).join();
        // end::threads[]
        for (ControlledThread t : started) {
            t.join();
        }
        assertEquals(topo.onePerCore().size(), ranOn.size());
        assertTrue(topo.onePerCore().stream().boxed().toList().containsAll(ranOn), ranOn.toString());
        assertEquals(topo.cpus().first(), pinnedTo);
        assertEquals(SchedulingPolicy.fifo(10), policyInside);
        assertEquals(before, Scheduling.policy(), "the scope restored the policy");
        // the exit action of a plain thread runs on a watcher after the thread ends
        Eventually.until("the exit action", () -> !released.isEmpty());
        assertEquals(List.of("buffer"), released);
    }
}
