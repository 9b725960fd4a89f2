package io.ft4j.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ft4j demo}: runs every demo in turn with its defaults, or the one named, then sums up what each showed. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run every demo in turn, or the one named.",
        subcommands = {RaceDemo.class, IntervalDemo.class, LockOrderDemo.class, GatherDemo.class, QueueDemo.class, AffinityDemo.class,
                PriorityDemo.class, JitterDemo.class, FibonacciDemo.class, PrimesDemo.class, MergeSortDemo.class, TspDemo.class})
final class DemoCommand implements Callable<Integer> {
    /** Where the tour points next. */
    static final String NEXT = "Next: the guides in docs/README.md (each demo's class is in one of them), "
            + "docs/BENCHMARKS.md for measured ratios, `./ft4j bench --quick` for ft4j against its anchors on this "
            + "machine (a few minutes), `./ft4j demo <name> --help` for a demo's options.";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int worst = 0;
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> shown = new LinkedHashMap<>();
        for (CommandLine demo : spec.commandLine().getSubcommands().values()) {
            if (demo.getCommandName().equals("help")) {
                continue;
            }
            demo.setOut(out).setErr(spec.commandLine().getErr());
            out.printf("%n=== ft4j demo %s ===%n", demo.getCommandName());
            int code = demo.execute();
            worst = Math.max(worst, code);
            String takeaway = demo.getCommand() instanceof Demo d ? d.takeaway() : null;
            shown.put(demo.getCommandName(), takeaway != null ? takeaway : code == 0
                    ? "nothing to show on this machine (see above)" : "FAILED (exit " + code + ", see above)");
        }
        out.printf("%n=== What the tour showed ===%n");
        int width = shown.keySet().stream().mapToInt(String::length).max().orElse(0);
        shown.forEach((name, takeaway) -> out.print(hanging(String.format("%-" + width + "s  ", name), takeaway)));
        out.println();
        Demo.say(out, NEXT);
        return worst;
    }

    /** A paragraph after a label, wrapped at {@link Demo#WIDTH} columns with its lines aligned after the label. */
    static String hanging(String label, String text) {
        StringBuilder sb = new StringBuilder();
        String pad = "  " + " ".repeat(label.length());
        StringBuilder line = new StringBuilder("  ").append(label);
        boolean first = true;
        for (String word : text.strip().split(" +")) {
            if (!first && line.length() + 1 + word.length() > Demo.WIDTH) {
                sb.append(line).append(System.lineSeparator());
                line.setLength(0);
                line.append(pad);
                first = true;
            }
            if (!first) {
                line.append(' ');
            }
            line.append(word);
            first = false;
        }
        return sb.append(line).append(System.lineSeparator()).toString();
    }
}
