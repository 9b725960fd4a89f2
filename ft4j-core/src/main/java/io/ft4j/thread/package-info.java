/**
 * Thread control at the OS level, through the Foreign Function and Memory API (no JNI, no JNA): CPU affinity
 * ({@link io.ft4j.thread.Affinity}, {@link io.ft4j.thread.CpuSet}), the machine's layout
 * ({@link io.ft4j.thread.CpuTopology}), real priorities and scheduler classes ({@link io.ft4j.thread.Scheduling},
 * {@link io.ft4j.thread.SchedulingPolicy}), threads that apply all of these before user code runs
 * ({@link io.ft4j.thread.ThreadBuilder}), and actions that run when a thread ends ({@link io.ft4j.thread.ThreadExit},
 * {@link io.ft4j.thread.CleanableThreadLocal}).
 *
 * <h2>Requirements</h2>
 * Linux. Elsewhere {@code isSupported()} is false and the calls throw {@link java.lang.UnsupportedOperationException}.
 * Applications enable native access for ft4j: {@code --enable-native-access=io.ft4j} on the module path,
 * {@code --enable-native-access=ALL-UNNAMED} on the class path (or {@code Enable-Native-Access: ALL-UNNAMED} in an
 * executable jar's manifest); without it JDK 25 prints a warning on first use, and a future JDK will refuse.
 * Lowering nice values and real-time policies need CAP_SYS_NICE; without it the OS refuses and ft4j throws
 * {@link io.ft4j.thread.ThreadControlException} with the errno and a hint.
 *
 * <h2>Which threads</h2>
 * Every call acts on the calling thread, or on a {@link io.ft4j.thread.ControlledThread} built by
 * {@link io.ft4j.thread.ThreadBuilder}, whose OS thread id ft4j records. Virtual threads are refused: they run on
 * shared carrier threads and have no OS thread of their own to configure.
 */
package io.ft4j.thread;
