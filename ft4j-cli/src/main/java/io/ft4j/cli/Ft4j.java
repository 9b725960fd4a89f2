package io.ft4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
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
        subcommands = {DemoCommand.class, BenchCommand.class, CpusCommand.class})
public final class Ft4j implements Runnable {
    /** Exit code for bad usage (picocli's USAGE code). */
    static final int USAGE = 2;

    /** The help section that lists the demos. */
    private static final String DEMOS = "demos";

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
        // List the demos in `ft4j --help` as `ft4j demo --help` lists them (indented, wrapped under their
        // descriptions), taken from the demo command itself so that new demos appear on their own.
        CommandLine demo = cl.getSubcommands().get("demo");
        String demos = new CommandLine.Help(demo.getCommandSpec(), cl.getColorScheme()).commandList();
        cl.getHelpSectionMap().put(DEMOS, help -> help.createHeading("%nDemos:%n") + demos);
        List<String> keys = new ArrayList<>(cl.getHelpSectionKeys());
        keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), DEMOS);
        cl.setHelpSectionKeys(keys);
        cl.getCommandSpec().usageMessage().footer("",
                "Run every demo:  ft4j demo",
                "Run one demo:    ft4j demo <name> [options]   (ft4j demo <name> --help)",
                "Benchmarks:      ft4j bench --quick           (ft4j bench --help)",
                "CPUs:            ft4j cpus                    (topology, budget, reservations)");
        // Bad usage: one line on stderr and exit code 2, not a screen of usage text.
        cl.setParameterExceptionHandler((ex, badArgs) -> {
            CommandLine where = ex.getCommandLine();
            String message = ex.getMessage().replace(System.lineSeparator(), " ");
            if (where == demo && ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                    && !u.getUnmatched().get(0).startsWith("-")) {
                message = "no demo named '" + u.getUnmatched().get(0) + "'; the demos are: "
                        + String.join(", ", demo.getSubcommands().keySet());
            }
            where.getErr().println("ft4j: " + message + " (see: " + where.getCommandSpec().qualifiedName()
                    + " --help)");
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
