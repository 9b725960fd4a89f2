package io.ft4j.cli;

import io.ft4j.concurrent.ConcurrentGatheringIterator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Ordered gathering: workers finish keys in a random order, the consumer reads them 0, 1, 2, ... each as soon as it
 * and every key before it have arrived.
 */
@Command(name = "gather", mixinStandardHelpOptions = true,
        description = "Producers finish out of order, the consumer reads in order.")
final class GatherDemo implements Callable<Integer>, Demo {

    @Option(names = {"-n", "--items"}, defaultValue = "12", paramLabel = "N", description = "keys 0..N-1 (default: ${DEFAULT-VALUE})")
    int items;

    @Option(names = {"-p", "--producers"}, defaultValue = "4", paramLabel = "N", description = "producer threads (default: ${DEFAULT-VALUE})")
    int producers;

    @Spec
    CommandSpec spec;

    private String takeaway;

    @Override
    public String takeaway() {
        return takeaway;
    }

    private record Event(long nanos, String text) {}

    @Override
    public Integer call() throws Exception {
        if (items < 1 || items > 10_000) {
            throw new ParameterException(spec.commandLine(), "--items: " + items + " (expected: 1..10000)");
        }
        if (producers < 1 || producers > 256) {
            throw new ParameterException(spec.commandLine(), "--producers: " + producers + " (expected: 1..256)");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%d producers compute keys 0..%d; each takes a random 5-60 ms, so they finish out of order.%n",
                producers, items - 1);
        ConcurrentGatheringIterator<String> gather = new ConcurrentGatheringIterator<>();
        ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try {
            for (int k = 0; k < items; k++) {
                int key = k;
                pool.submit(() -> {
                    try {
                        Thread.sleep(ThreadLocalRandom.current().nextInt(5, 61)); // stands in for real work
                        events.add(new Event(System.nanoTime(), "producer finished key " + key));
                        gather.insert(key, "result-" + key);
                    } catch (Throwable t) {
                        gather.fail(t);
                    }
                    return null;
                });
            }
            List<String> read = new ArrayList<>();
            for (Iterator<String> it = gather.iterator(items - 1); it.hasNext(); ) {
                String v = it.next();
                read.add(v);
                events.add(new Event(System.nanoTime(), "                                consumer read " + v));
            }
            List<Event> timeline = new ArrayList<>(events);
            timeline.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
            for (Event e : timeline) {
                out.printf(Locale.ROOT, "  %6.1f ms  %s%n", (e.nanos() - t0) / 1e6, e.text());
            }
            boolean inOrder = true;
            for (int k = 0; k < items; k++) {
                inOrder &= read.get(k).equals("result-" + k);
            }
            out.println(inOrder ? "The consumer read every key, in key order." : "OUT OF ORDER: this is a bug in ft4j.");
            takeaway = inOrder ? String.format("%d producers finished out of order; the consumer read all %d keys in "
                    + "key order", producers, items) : "keys read OUT OF ORDER (a bug)";
            return inOrder ? 0 : 1;
        } finally {
            pool.shutdownNow();
        }
    }
}
