package io.ft4j.jcstress;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs jcstress ({@code org.openjdk.jcstress.Main}) with the same arguments, minus one known-harmless echo: jcstress
 * 0.16 probes the target VM for biased locking, which JDK 25 no longer has, and prints the probe JVM's refusal
 * ({@code Unrecognized VM option 'UseBiasedLocking'}, {@code Error: Could not create the Java Virtual Machine.}) right
 * after its own {@code [N/A] Checking for biased locking support}. Those lines, and only directly after that
 * probe, are dropped; everything else passes through unchanged, and jcstress's exit status is kept.
 */
public final class RunStress {
    /** What the probe JVM prints when it refuses the option, in order. */
    static final List<String> PROBE_REFUSAL = List.of(
            "Unrecognized VM option 'UseBiasedLocking'",
            "Error: Could not create the Java Virtual Machine.",
            "Error: A fatal exception has occurred. Program will exit.");

    private RunStress() {}

    /**
     * Runs jcstress.
     *
     * @param args jcstress's command-line arguments
     * @throws Exception what jcstress throws
     */
    public static void main(String[] args) throws Exception {
        System.setOut(new PrintStream(new WithoutProbeRefusal(System.out), true, StandardCharsets.UTF_8));
        org.openjdk.jcstress.Main.main(args);
    }

    /** Passes lines through, except the probe refusal's lines directly after the biased-locking probe's line. */
    static final class WithoutProbeRefusal extends FilterOutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        /** How many refusal lines were dropped since the probe's line; -1 when not right after it. */
        private int dropped = -1;

        WithoutProbeRefusal(OutputStream out) {
            super(out);
        }

        @Override
        public synchronized void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                endLine();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush(); // a partial line stays buffered until its end, so the filter sees whole lines
        }

        @Override
        public synchronized void close() throws IOException {
            line.writeTo(out);
            line.reset();
            super.close();
        }

        private void endLine() throws IOException {
            String text = line.toString(StandardCharsets.UTF_8).strip();
            boolean drop = dropped >= 0 && dropped < PROBE_REFUSAL.size() && text.equals(PROBE_REFUSAL.get(dropped));
            if (drop) {
                dropped++;
            } else {
                dropped = text.endsWith("Checking for biased locking support") && text.contains("[N/A]") ? 0 : -1;
                line.writeTo(out);
                out.flush();
            }
            line.reset();
        }
    }
}
