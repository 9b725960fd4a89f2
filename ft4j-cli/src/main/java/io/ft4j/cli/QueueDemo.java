package io.ft4j.cli;

import io.ft4j.concurrent.ConcurrentQueue;
import io.ft4j.concurrent.ShutDownException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Producers and consumers on one ConcurrentQueue, ended twice: by a graceful shutdown (consumers drain what is left)
 * and by an immediate one (what is left comes back to the caller), with every element accounted for.
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "Producers and consumers, a graceful shutdown, an immediate one; every element counted.")
final class QueueDemo implements Callable<Integer>, Demo {

    @Option(names = {"-p", "--producers"}, defaultValue = "3", paramLabel = "N", description = "producer threads (default: ${DEFAULT-VALUE})")
    int producers;

    @Option(names = {"-c", "--consumers"}, defaultValue = "2", paramLabel = "N", description = "consumer threads (default: ${DEFAULT-VALUE})")
    int consumers;

    @Option(names = {"-n", "--items"}, defaultValue = "200000", paramLabel = "N", description = "elements per producer in the graceful round (default: ${DEFAULT-VALUE})")
    int items;

    @Spec
    CommandSpec spec;

    private String takeaway;

    @Override
    public String takeaway() {
        return takeaway;
    }

    @Override
    public Integer call() throws Exception {
        check("--producers", producers, 1, 64);
        check("--consumers", consumers, 1, 64);
        check("--items", items, 1, 10_000_000);
        PrintWriter out = spec.commandLine().getOut();
        boolean ok = graceful(out) & immediate(out);
        out.println(ok ? "Every accepted element was taken once or handed back." : "ELEMENTS LOST: this is a bug in ft4j.");
        takeaway = ok ? "shutdown() drained the queue and shutdownNow() handed back the rest: every accepted element "
                + "was taken once or returned" : "elements LOST (a bug)";
        return ok ? 0 : 1;
    }

    private void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), name + ": " + value + " (expected: " + min + ".." + max + ")");
        }
    }

    /** Consumers that take until the queue tells them it is shut down and empty. */
    private List<Thread> startConsumers(ConcurrentQueue<Long> q, long[] taken) {
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            int id = c;
            threads.add(Thread.ofPlatform().name("consumer-" + c).start(() -> {
                try {
                    for (;;) {
                        q.take();
                        taken[id]++;
                    }
                } catch (ShutDownException | InterruptedException end) {
                    // shut down and drained (or stopped): this consumer is done
                }
            }));
        }
        return threads;
    }

    private boolean graceful(PrintWriter out) throws InterruptedException {
        out.printf("Graceful: %d producers put %,d elements each into a queue of capacity 4096; %d consumers take.%n",
                producers, items, consumers);
        ConcurrentQueue<Long> q = ConcurrentQueue.<Long>builder().capacity(4096).build();
        long[] taken = new long[consumers];
        List<Thread> cs = startConsumers(q, taken);
        List<Thread> ps = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int p = 0; p < producers; p++) {
            ps.add(Thread.ofPlatform().start(() -> {
                try {
                    for (long i = 0; i < items; i++) {
                        q.put(i);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread p : ps) {
            p.join();
        }
        int left = q.size();
        q.shutdown();
        out.printf("  producers done; shutdown() with %,d elements still queued: consumers drain them, then stop.%n", left);
        for (Thread c : cs) {
            c.join();
        }
        long total = 0;
        for (int c = 0; c < consumers; c++) {
            out.printf("  consumer-%d took %,d%n", c, taken[c]);
            total += taken[c];
        }
        long expected = (long) producers * items;
        out.printf("  %,d put, %,d taken in %.0f ms%n", expected, total, (System.nanoTime() - t0) / 1e6);
        return total == expected;
    }

    private boolean immediate(PrintWriter out) throws InterruptedException {
        out.printf("Immediate: %d producers put without end; shutdownNow() once 100,000 are accepted.%n", producers);
        ConcurrentQueue<Long> q = new ConcurrentQueue<>();
        long[] taken = new long[consumers];
        LongAdder accepted = new LongAdder();
        AtomicLong refused = new AtomicLong();
        List<Thread> cs = startConsumers(q, taken);
        List<Thread> ps = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            ps.add(Thread.ofPlatform().start(() -> {
                try {
                    for (long i = 0; ; i++) {
                        q.put(i);
                        accepted.increment();
                    }
                } catch (ShutDownException e) {
                    refused.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        while (accepted.sum() < 100_000) {
            Thread.onSpinWait();
        }
        List<Long> rest = q.shutdownNow();
        for (Thread p : ps) {
            p.join();
        }
        for (Thread c : cs) {
            c.join();
        }
        long took = 0;
        for (long t : taken) {
            took += t;
        }
        out.printf("  accepted %,d = taken %,d + handed back by shutdownNow %,d; %d producers refused%n",
                accepted.sum(), took, rest.size(), refused.get());
        return accepted.sum() == took + rest.size();
    }
}
