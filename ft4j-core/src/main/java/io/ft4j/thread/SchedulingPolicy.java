package io.ft4j.thread;

import io.ft4j.internal.util.Checks;

/**
 * A record of a Linux scheduler policy and its static priority, to read or set with {@link Scheduling}.
 *
 * <ul>
 *   <li>{@link Policy#OTHER}: the default time-sharing policy; priority 0, weighted by the nice value.</li>
 *   <li>{@link Policy#BATCH}: like OTHER, for CPU-bound work that may wait a little longer to be woken.</li>
 *   <li>{@link Policy#IDLE}: runs only when nothing else wants the CPU.</li>
 *   <li>{@link Policy#FIFO}, {@link Policy#RR}: real-time, priority 1 (low) to 99 (high); a runnable real-time
 *       thread always preempts OTHER/BATCH/IDLE threads. RR adds a time slice among equal priorities. Needs
 *       CAP_SYS_NICE. A real-time thread that spins can starve a CPU: keep such sections short.</li>
 * </ul>
 *
 * @param policy the policy
 * @param priority the static priority: 1 (low) to 99 (high) for FIFO and RR, 0 for the others
 */
public record SchedulingPolicy(Policy policy, int priority) {
    /** The Linux scheduler policies that ft4j can set. */
    public enum Policy {
        /** SCHED_OTHER: the default time-sharing policy, weighted by the nice value. */
        OTHER(0),
        /** SCHED_FIFO: real-time, first in first out among equal priorities. */
        FIFO(1),
        /** SCHED_RR: real-time, round-robin time slices among equal priorities. */
        RR(2),
        /** SCHED_BATCH: like OTHER, for CPU-bound work that may wait a little longer to be woken. */
        BATCH(3),
        /** SCHED_IDLE: runs only when nothing else wants the CPU. */
        IDLE(5);

        final int linux;

        Policy(int linux) {
            this.linux = linux;
        }

        /**
         * Returns whether this is a real-time policy.
         *
         * @return true for FIFO and RR
         */
        public boolean isRealTime() {
            return this == FIFO || this == RR;
        }

        static Policy fromLinux(int value) {
            for (Policy p : values()) {
                if (p.linux == value) {
                    return p;
                }
            }
            throw new IllegalStateException("unknown Linux scheduling policy " + value);
        }
    }

    /**
     * Creates a policy with its static priority.
     *
     * @param policy the policy
     * @param priority the static priority: 1 (low) to 99 (high) for FIFO and RR, 0 for the others
     * @throws NullPointerException if {@code policy} is null
     * @throws IllegalArgumentException if the priority is out of range for the policy
     */
    public SchedulingPolicy {
        Checks.requireNonNull(policy, "policy");
        if (policy.isRealTime() ? priority < 1 || priority > 99 : priority != 0) {
            throw new IllegalArgumentException(Checks.badArgument("priority", priority,
                    policy.isRealTime() ? "1..99 for " + policy : "0 for " + policy));
        }
    }

    /**
     * Returns the default time-sharing policy, SCHED_OTHER.
     *
     * @return SCHED_OTHER at priority 0
     */
    public static SchedulingPolicy other() {
        return new SchedulingPolicy(Policy.OTHER, 0);
    }

    /**
     * Returns the batch policy, SCHED_BATCH.
     *
     * @return SCHED_BATCH at priority 0
     */
    public static SchedulingPolicy batch() {
        return new SchedulingPolicy(Policy.BATCH, 0);
    }

    /**
     * Returns the idle policy, SCHED_IDLE.
     *
     * @return SCHED_IDLE at priority 0
     */
    public static SchedulingPolicy idle() {
        return new SchedulingPolicy(Policy.IDLE, 0);
    }

    /**
     * Returns the first-in first-out real-time policy, SCHED_FIFO, at a priority.
     *
     * @param priority 1 (low) to 99 (high)
     * @return SCHED_FIFO at that priority
     * @throws IllegalArgumentException if {@code priority} is out of range
     */
    public static SchedulingPolicy fifo(int priority) {
        return new SchedulingPolicy(Policy.FIFO, priority);
    }

    /**
     * Returns the round-robin real-time policy, SCHED_RR, at a priority.
     *
     * @param priority 1 (low) to 99 (high)
     * @return SCHED_RR at that priority
     * @throws IllegalArgumentException if {@code priority} is out of range
     */
    public static SchedulingPolicy rr(int priority) {
        return new SchedulingPolicy(Policy.RR, priority);
    }
}
