package io.ft4j.thread;

import io.ft4j.internal.os.NativeThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locks the whole process's memory into RAM ({@code mlockall}), so that a latency-critical thread never waits for a
 * page to come back from swap or a file, and undoes it ({@code munlockall}). This is what real-time programs do at
 * start-up, together with a real-time {@linkplain Scheduling#setPolicy policy}, {@linkplain Affinity pinning} and a
 * small {@linkplain Scheduling#setTimerSlack timer slack}.
 *
 * <pre>{@code
 * MemoryLock.lockAll(true);   // every page mapped now and later, each locked when first touched
 * ... latency-critical work ...
 * MemoryLock.unlockAll();
 * }</pre>
 *
 * <p>Locking is process-wide, not per thread, and does not nest: one {@link #unlockAll()} undoes every lock.
 * Locked memory counts against {@code RLIMIT_MEMLOCK} ({@code ulimit -l}) unless the process has
 * {@code CAP_IPC_LOCK}; a JVM maps its whole heap and code cache, so without the capability the limit is usually too
 * small, and the call fails with {@link ThreadControlException} (EPERM or ENOMEM) and a hint. With {@code onFault}
 * false, locking touches every mapped page at once: for a JVM that reserved a large heap this commits it, so prefer
 * {@code true}, which locks each page only when it is first used (Linux 4.4 and later).
 */
public final class MemoryLock {
    private MemoryLock() {}

    /**
     * Returns whether this OS supports locking memory; true on Linux.
     *
     * @return whether the methods of this class work here
     */
    public static boolean isSupported() {
        return Threads.OS.isSupported();
    }

    /**
     * Locks every page of the process mapped now and every page mapped later ({@code MCL_CURRENT | MCL_FUTURE}).
     *
     * @param onFault lock each page when it is first touched ({@code MCL_ONFAULT}) rather than touching them all now
     * @throws UnsupportedOperationException if {@link #isSupported()} is false
     * @throws ThreadControlException EPERM or ENOMEM if the process may not lock that much memory (no
     *     {@code CAP_IPC_LOCK} and a small {@code RLIMIT_MEMLOCK}), EINVAL if the kernel predates {@code onFault}
     */
    public static void lockAll(boolean onFault) {
        Threads.OS.lockMemory(NativeThreads.MCL_CURRENT | NativeThreads.MCL_FUTURE
                | (onFault ? NativeThreads.MCL_ONFAULT : 0));
    }

    /**
     * Unlocks every page of the process and stops locking new ones.
     *
     * @throws UnsupportedOperationException if {@link #isSupported()} is false
     * @throws ThreadControlException if the OS refuses
     */
    public static void unlockAll() {
        Threads.OS.unlockMemory();
    }

    /**
     * Returns how much of the process's memory is locked now ({@code VmLck} in {@code /proc/self/status}).
     *
     * @return the locked memory in bytes
     * @throws UnsupportedOperationException if {@link #isSupported()} is false
     * @throws UncheckedIOException if {@code /proc/self/status} cannot be read
     */
    public static long lockedBytes() {
        if (!isSupported()) {
            throw new UnsupportedOperationException("locked memory is read from Linux's /proc/self/status");
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmLck:")) {
                    return Long.parseLong(line.substring(6).strip().split("\\s+")[0]) * 1024L; // in kB
                }
            }
            return 0L;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read /proc/self/status", e);
        }
    }
}
