package io.ft4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What tests of OS-level behaviour read from Linux's /proc. */
public final class Linux {
    private Linux() {}

    /** @return whether this process has CAP_SYS_NICE (negative nice values, real-time policies) */
    public static boolean privileged() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                long caps = Long.parseLong(line.substring(7).strip(), 16);
                return (caps & (1L << 23)) != 0; // CAP_SYS_NICE
            }
        }
        return false;
    }

    /**
     * @param tid a thread of this process
     * @return whether it is blocked in the futex system call now (x86-64 numbering: call only where
     *     {@link #knowsSyscalls()})
     */
    public static boolean inFutex(int tid) {
        try {
            return Files.readString(Path.of("/proc/self/task/" + tid + "/syscall")).startsWith("202 ");
        } catch (IOException e) {
            return false; // ended
        }
    }

    /** @return whether {@link #inFutex} can tell (x86-64) */
    public static boolean knowsSyscalls() {
        return System.getProperty("os.arch").equals("amd64") && Files.isReadable(Path.of("/proc/self/syscall"));
    }

    /** @return the CPU time the calling thread has used, in ns (first field of /proc/thread-self/schedstat) */
    public static long threadCpuNanos() {
        try {
            String s = Files.readString(Path.of("/proc/thread-self/schedstat"));
            return Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @return the calling thread's Linux thread id, from /proc/thread-self */
    public static int tid() {
        try {
            return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
