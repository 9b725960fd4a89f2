package io.ft4j.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code ft4j} command: a tour of the library through runnable demos of the seed's scenarios.
 *
 * <p>Started by the {@code ./ft4j} launcher at the repository root, which builds this jar first when needed.
 * Exit codes: 0 success, 1 a demo saw something it must never see (a safe counter losing an update), 2 bad usage.
 */
@Command(name = "ft4j", mixinStandardHelpOptions = true, version = "ft4j 0.1.0-SNAPSHOT",
        description = "Fine-grained threading for Java: demos of what goes wrong between threads, and ft4j's tools for it.",
        subcommands = {DemoCommand.class, BenchCommand.class})
public final class Ft4j implements Runnable {
    /** Exit code for bad usage (picocli's USAGE code). */
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Runs the command line and returns its exit code, writing to the given streams.
     *
     * @param out standard output
     * @param err standard error
     * @param args the arguments
     * @return the exit code
     */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Ft4j());
        cl.setOut(out).setErr(err);
        // List the demos in `ft4j --help`, taken from the demo command itself so that new demos appear on their own.
        StringBuilder demos = new StringBuilder("%nDemos:%n");
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().get("demo").getSubcommands().entrySet()) {
            String[] desc = e.getValue().getCommandSpec().usageMessage().description();
            demos.append(String.format("  %-10s %s%n", e.getKey(), desc.length == 0 ? "" : desc[0]));
        }
        cl.getCommandSpec().usageMessage().footer(demos.toString(),
                "Run every demo:  ft4j demo",
                "Run one demo:    ft4j demo <name> [options]   (ft4j demo <name> --help)",
                "Benchmarks:      ft4j bench --quick           (ft4j bench --help)");
        // Bad usage: one line on stderr and exit code 2, not a screen of usage text.
        cl.setParameterExceptionHandler((ex, badArgs) -> {
            CommandLine where = ex.getCommandLine();
            ex.getCommandLine().getErr().println("ft4j: " + ex.getMessage().replace(System.lineSeparator(), " ")
                    + " (see: " + where.getCommandSpec().qualifiedName() + " --help)");
            return USAGE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Entry point.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }
}
