package io.ft4j.thread;

import io.ft4j.internal.os.Errno;
import io.ft4j.internal.os.OsCallException;
import io.ft4j.internal.util.Checks;

/**
 * Thrown when the OS refuses a thread-control call. Carries the errno, its name and a hint on what to change, e.g.
 * {@code "sched_setscheduler failed: EPERM (1): real-time policies (FIFO, RR) need CAP_SYS_NICE ..."}.
 *
 * <p>An unprivileged process meets EPERM and EACCES routinely (real-time policies, negative nice values); treat them
 * as "not available here" and carry on.
 */
public final class ThreadControlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The libc function that failed. */
    private final String call;
    /** The errno it left. */
    private final int errno;

    /**
     * Creates an exception for a failed call; the message holds the errno's name and a hint.
     *
     * @param call the libc function that failed, such as {@code "sched_setaffinity"}
     * @param errno the errno it left, such as 1 for EPERM
     * @throws NullPointerException if {@code call} is null
     */
    public ThreadControlException(String call, int errno) {
        super(Checks.requireNonNull(call, "call") + " failed: " + Errno.name(errno) + " (" + errno + "): "
                + hint(call, errno));
        this.call = call;
        this.errno = errno;
    }

    /** The native layer's refusal, with this layer's advice; the native one is kept as the cause. */
    ThreadControlException(OsCallException refused) {
        this(refused.call(), refused.errno());
        initCause(refused);
    }

    /**
     * Returns the libc function that failed.
     *
     * @return the function's name, such as {@code "sched_setaffinity"}
     */
    public String call() {
        return call;
    }

    /**
     * Returns the errno the failed call left.
     *
     * @return the errno value, such as 1 for EPERM
     */
    public int errno() {
        return errno;
    }

    /**
     * Returns the errno's symbolic name.
     *
     * @return the name, such as {@code "EPERM"}, or {@code "errno 123"} for a number ft4j does not name
     */
    public String errnoName() {
        return Errno.name(errno);
    }

    /**
     * Returns a hint on what the caller can change to avoid the failure.
     *
     * @return the hint, in English
     */
    public String hint() {
        return hint(call, errno);
    }

    /** What the user can do about a failed call. */
    private static String hint(String call, int errno) {
        return switch (errno) {
            case Errno.EPERM -> switch (call) {
                case "sched_setscheduler" -> "real-time policies (FIFO, RR) need CAP_SYS_NICE: run as root, grant the "
                        + "capability (setcap cap_sys_nice+ep on the java binary) or raise RLIMIT_RTPRIO";
                case "setpriority" -> "changing another user's thread needs CAP_SYS_NICE";
                case "mlockall" -> "locking memory needs CAP_IPC_LOCK or an RLIMIT_MEMLOCK (ulimit -l) as large as the"
                        + " process";
                default -> "the process lacks the privilege for this call (CAP_SYS_NICE)";
            };
            case Errno.EACCES -> "lowering the nice value (raising priority) needs CAP_SYS_NICE or a higher "
                    + "RLIMIT_NICE";
            case Errno.EINVAL -> switch (call) {
                case "sched_setaffinity" -> "the CPU set holds no CPU this thread may run on: use CPUs from "
                        + "Affinity.get() or CpuTopology.cpus()";
                case "sched_setscheduler" -> "priority out of range for the policy: 1..99 for FIFO and RR, 0 for "
                        + "OTHER, BATCH and IDLE";
                default -> "an argument was out of range";
            };
            case Errno.ESRCH -> "the thread has already terminated";
            case Errno.ENOMEM -> "mlockall".equals(call) ? "the process maps more than RLIMIT_MEMLOCK (ulimit -l) allows"
                    + " it to lock: raise the limit, grant CAP_IPC_LOCK, or lock on fault (MemoryLock.lockAll(true))"
                    : "the kernel is out of memory for this call";
            default -> "see man 2 " + call;
        };
    }
}
