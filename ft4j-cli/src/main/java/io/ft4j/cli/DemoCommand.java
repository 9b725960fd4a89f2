package io.ft4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ft4j demo}: runs every demo in turn with its defaults, or the one named. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run every demo in turn, or the one named.",
        subcommands = {RaceDemo.class, IntervalDemo.class, LockOrderDemo.class, GatherDemo.class, QueueDemo.class, AffinityDemo.class,
                PriorityDemo.class, FibonacciDemo.class, PrimesDemo.class, MergeSortDemo.class, TspDemo.class})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int worst = 0;
        for (CommandLine demo : spec.commandLine().getSubcommands().values()) {
            if (demo.getCommandName().equals("help")) {
                continue;
            }
            demo.setOut(spec.commandLine().getOut()).setErr(spec.commandLine().getErr());
            demo.getOut().printf("%n=== ft4j demo %s ===%n", demo.getCommandName());
            worst = Math.max(worst, demo.execute());
        }
        return worst;
    }
}
