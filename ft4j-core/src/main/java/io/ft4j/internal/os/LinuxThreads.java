package io.ft4j.internal.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * glibc bindings through the Foreign Function and Memory API: the only FFM code in ft4j.
 *
 * <p>Every call that can fail captures errno in the same downcall ({@code Linker.Option.captureCallState}), so no
 * JVM code runs between the failure and the read of errno. {@code sched_getcpu} is linked with
 * {@code Linker.Option.critical(false)}: it never blocks and never calls back into Java (glibc reads the CPU number
 * from the rseq area, no syscall), so it may skip the thread-state transition; that makes it a few nanoseconds.
 * Buffers live in a confined arena per call: no sharing, no leak, freed on return. The method handles are
 * {@code static final} so that the JIT treats them as constants and inlines the downcall (an instance field would
 * cost an indirect call on every use).
 */
final class LinuxThreads implements NativeThreads {
    /** glibc's cpu_set_t: 1024 CPUs. */
    private static final int MASK_WORDS = 16;
    private static final long MASK_BYTES = MASK_WORDS * 8L;
    private static final int PRIO_PROCESS = 0;
    /** sched_getscheduler may report this flag with the policy. */
    private static final int SCHED_RESET_ON_FORK = 0x40000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno")).withInvokeExactBehavior();
    private static final Linker.Option ERR = Linker.Option.captureCallState("errno");

    private static final MethodHandle schedGetcpu = link("sched_getcpu", FunctionDescriptor.of(JAVA_INT),
            Linker.Option.critical(false));
    private static final MethodHandle gettid = link("gettid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle getAffinity = link("sched_getaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), ERR);
    private static final MethodHandle setAffinity = link("sched_setaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), ERR);
    private static final MethodHandle getpriority = link("getpriority",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERR);
    private static final MethodHandle setpriority = link("setpriority",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), ERR);
    private static final MethodHandle getScheduler = link("sched_getscheduler",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERR);
    private static final MethodHandle getParam = link("sched_getparam",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), ERR);
    private static final MethodHandle setScheduler = link("sched_setscheduler",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), ERR);
    /** {@code syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3)}: glibc has no futex wrapper. */
    private static final MethodHandle futex = link("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS,
            JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG), ERR, Linker.Option.firstVariadicArg(1));
    private static final MethodHandle clockGettime = link("clock_gettime",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    private static final MethodHandle mlockall = link("mlockall", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERR);
    private static final MethodHandle munlockall = link("munlockall", FunctionDescriptor.of(JAVA_INT), ERR);
    /** {@code prctl(option, arg2, arg3, arg4, arg5)}: variadic after the option. */
    private static final MethodHandle prctl = link("prctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG), ERR, Linker.Option.firstVariadicArg(1));
    /** Returns the error number itself (not -1 and errno), 0 when the deadline was reached. */
    private static final MethodHandle clockNanosleep = link("clock_nanosleep",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_GET_TIMERSLACK = 30;
    private static final int TIMER_ABSTIME = 1;

    private static final long SYS_FUTEX = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 202L;
        case "aarch64", "riscv64" -> 98L;
        default -> -1L; // unknown here: futex calls answer Errno.ENOSYS
    };
    private static final long FUTEX_LOCK_PI = 6;
    private static final long FUTEX_UNLOCK_PI = 7;
    /** Like FUTEX_LOCK_PI, but its timeout is on CLOCK_MONOTONIC (Linux 5.14+). */
    private static final long FUTEX_LOCK_PI2 = 13;
    private static final long FUTEX_PRIVATE_FLAG = 128;
    private static final int CLOCK_REALTIME = 0;
    private static final int CLOCK_MONOTONIC = 1;
    /** Whether FUTEX_LOCK_PI2 exists; if not, timeouts go through FUTEX_LOCK_PI on CLOCK_REALTIME. */
    private static volatile boolean lockPi2 = true;

    // Restricted by design (JEP 454): linking native code is what this class is for; applications grant it with
    // --enable-native-access.
    @SuppressWarnings("restricted")
    private static MethodHandle link(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    @Override
    public boolean isSupported() {
        return true;
    }

    @Override
    public int currentCpu() {
        try {
            return (int) schedGetcpu.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int currentTid() {
        try {
            return (int) gettid.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long[] getAffinity(int tid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment mask = arena.allocate(MASK_BYTES, 8);
            int rc = (int) getAffinity.invokeExact(state, tid, MASK_BYTES, mask);
            check(rc, state, "sched_getaffinity");
            return mask.toArray(JAVA_LONG);
        } catch (OsCallException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void setAffinity(int tid, long[] words) {
        if (words.length > MASK_WORDS) {
            throw new IllegalArgumentException("cpus: CPU " + (words.length * 64 - 1)
                    + " or above (expected: < " + MASK_WORDS * 64 + ")");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment mask = arena.allocate(MASK_BYTES, 8);
            MemorySegment.copy(words, 0, mask, JAVA_LONG, 0, words.length);
            int rc = (int) setAffinity.invokeExact(state, tid, MASK_BYTES, mask);
            check(rc, state, "sched_setaffinity");
        } catch (OsCallException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int getNice(int tid) {
        int who = tid == 0 ? currentTid() : tid;
        int nice;
        int errno;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            nice = (int) getpriority.invokeExact(state, PRIO_PROCESS, who);
            errno = (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        // -1 is both a valid nice value and the error return, and errno may be left over from an earlier call:
        // settle it from /proc, which has the nice value as field 19 of the thread's stat line.
        if (nice == -1 && errno != 0) {
            try {
                return statField(who, 19);
            } catch (IOException | RuntimeException e) {
                throw new OsCallException("getpriority", errno);
            }
        }
        return nice;
    }

    /** Field {@code n} (1-based, as proc(5) numbers them) of a thread's stat line. */
    private static int statField(int tid, int n) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        // field 2, the command name, is in parentheses and may hold spaces: count from after its closing one
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[n - 3]);
    }

    @Override
    public int kernelPriority(int tid) {
        int who = tid == 0 ? currentTid() : tid;
        try {
            return statField(who, 18);
        } catch (IOException | RuntimeException e) {
            throw new OsCallException("/proc stat of thread " + who, Errno.ESRCH);
        }
    }

    @Override
    public int futexLockPi(MemorySegment word, boolean timed, long deadline) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            if (!timed) {
                return futexCall(state, word, FUTEX_LOCK_PI, MemorySegment.NULL);
            }
            boolean pi2 = lockPi2;
            MemorySegment timeout = arena.allocate(16, 8);
            absolute(timeout, pi2 ? CLOCK_MONOTONIC : CLOCK_REALTIME, deadline);
            int errno = futexCall(state, word, pi2 ? FUTEX_LOCK_PI2 : FUTEX_LOCK_PI, timeout);
            if (errno == Errno.ENOSYS && pi2) {
                lockPi2 = false;
                absolute(timeout, CLOCK_REALTIME, deadline);
                errno = futexCall(state, word, FUTEX_LOCK_PI, timeout);
            }
            return errno;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Writes into {@code ts} the time on {@code clock} at which {@code deadline} (a nanoTime value) falls. */
    private static void absolute(MemorySegment ts, int clock, long deadline) throws Throwable {
        long remaining = Math.max(0L, deadline - System.nanoTime());
        if ((int) clockGettime.invokeExact(clock, ts) != 0) {
            throw new IllegalStateException("clock_gettime(" + clock + ") failed");
        }
        long nanos = ts.get(JAVA_LONG, 8) + remaining % 1_000_000_000L;
        ts.set(JAVA_LONG, 0, ts.get(JAVA_LONG, 0) + remaining / 1_000_000_000L + nanos / 1_000_000_000L);
        ts.set(JAVA_LONG, 8, nanos % 1_000_000_000L);
    }

    @Override
    public int futexUnlockPi(MemorySegment word) {
        try (Arena arena = Arena.ofConfined()) {
            return futexCall(arena.allocate(CAPTURE), word, FUTEX_UNLOCK_PI, MemorySegment.NULL);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** @return 0, or the errno of a failed call */
    private static int futexCall(MemorySegment state, MemorySegment word, long op, MemorySegment timeout)
            throws Throwable {
        if (SYS_FUTEX < 0) {
            return Errno.ENOSYS;
        }
        long rc = (long) futex.invokeExact(state, SYS_FUTEX, word, op | FUTEX_PRIVATE_FLAG, 0L, timeout,
                MemorySegment.NULL, 0L);
        return rc == -1L ? (int) ERRNO.get(state, 0L) : 0;
    }

    @Override
    public void setNice(int tid, int nice) {
        int who = tid == 0 ? currentTid() : tid;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) setpriority.invokeExact(state, PRIO_PROCESS, who, nice);
            check(rc, state, "setpriority");
        } catch (OsCallException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int[] getScheduler(int tid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int policy = (int) getScheduler.invokeExact(state, tid);
            check(policy, state, "sched_getscheduler");
            MemorySegment param = arena.allocate(JAVA_INT);
            int rc = (int) getParam.invokeExact(state, tid, param);
            check(rc, state, "sched_getparam");
            return new int[] {policy & ~SCHED_RESET_ON_FORK, param.get(JAVA_INT, 0)};
        } catch (OsCallException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void setScheduler(int tid, int policy, int priority) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment param = arena.allocate(JAVA_INT);
            param.set(JAVA_INT, 0, priority);
            int rc = (int) setScheduler.invokeExact(state, tid, policy, param);
            check(rc, state, "sched_setscheduler");
        } catch (OsCallException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void lockMemory(int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            check((int) mlockall.invokeExact(state, flags), state, "mlockall");
        } catch (OsCallException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void unlockMemory() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            check((int) munlockall.invokeExact(state), state, "munlockall");
        } catch (OsCallException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long timerSlack() {
        // prctl returns the slack as an int, which a slack above 2^31 - 1 ns overflows: /proc has the whole value
        // (Linux 4.6+; /proc/<tid> reaches a thread's own directory, which the task list does not carry this file in)
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/" + currentTid() + "/timerslack_ns")).strip());
        } catch (IOException | NumberFormatException e) {
            // an older kernel: ask prctl
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) prctl.invokeExact(state, PR_GET_TIMERSLACK, 0L, 0L, 0L, 0L);
            check(rc, state, "prctl");
            return rc & 0xFFFF_FFFFL;
        } catch (OsCallException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void setTimerSlack(long nanos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            check((int) prctl.invokeExact(state, PR_SET_TIMERSLACK, nanos, 0L, 0L, 0L), state, "prctl");
        } catch (OsCallException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void sleepUntil(long deadline) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ts = arena.allocate(16, 8);
            ts.set(JAVA_LONG, 0, Math.floorDiv(deadline, 1_000_000_000L));
            ts.set(JAVA_LONG, 8, Math.floorMod(deadline, 1_000_000_000L));
            int rc;
            while ((rc = (int) clockNanosleep.invokeExact(CLOCK_MONOTONIC, TIMER_ABSTIME, ts, MemorySegment.NULL))
                    == Errno.EINTR) {
                // a signal handler ran: the deadline is absolute, so sleeping again is exact
            }
            if (rc != 0) {
                throw new OsCallException("clock_nanosleep", rc);
            }
        } catch (OsCallException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long monotonicNanos() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ts = arena.allocate(16, 8);
            if ((int) clockGettime.invokeExact(CLOCK_MONOTONIC, ts) != 0) {
                throw new IllegalStateException("clock_gettime(CLOCK_MONOTONIC) failed");
            }
            return ts.get(JAVA_LONG, 0) * 1_000_000_000L + ts.get(JAVA_LONG, 8);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static void check(int rc, MemorySegment state, String call) {
        if (rc == -1) {
            throw new OsCallException(call, (int) ERRNO.get(state, 0L));
        }
    }

    private static IllegalStateException unexpected(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed unexpectedly", t);
    }
}
