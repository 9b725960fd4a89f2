package io.ft4j.internal.os;

import java.util.Map;

/** Linux errno numbers and their names. */
public final class Errno {
    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such process (thread). */
    public static final int ESRCH = 3;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Out of memory (or over a memory limit). */
    public static final int ENOMEM = 12;
    /** Try again. */
    public static final int EAGAIN = 11;
    /** Resource deadlock would occur. */
    public static final int EDEADLK = 35;
    /** Function not implemented. */
    public static final int ENOSYS = 38;
    /** Timer expired. */
    public static final int ETIMEDOUT = 110;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(3, "ESRCH"), Map.entry(4, "EINTR"),
            Map.entry(5, "EIO"), Map.entry(9, "EBADF"), Map.entry(11, "EAGAIN"), Map.entry(12, "ENOMEM"),
            Map.entry(13, "EACCES"), Map.entry(14, "EFAULT"), Map.entry(16, "EBUSY"), Map.entry(22, "EINVAL"), Map.entry(35, "EDEADLK"),
            Map.entry(38, "ENOSYS"), Map.entry(95, "EOPNOTSUPP"), Map.entry(110, "ETIMEDOUT"));

    private Errno() {}

    /**
     * Returns the symbolic name of an errno value.
     *
     * @param errno an errno value
     * @return its symbolic name, or {@code "errno N"} for one ft4j does not name
     */
    public static String name(int errno) {
        return NAMES.getOrDefault(errno, "errno " + errno);
    }
}
