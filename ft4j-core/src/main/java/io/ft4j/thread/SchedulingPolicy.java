package io.ft4j.thread;

import io.ft4j.internal.util.Checks;

/**
 * A Linux scheduler policy with its static priority.
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
 * @param priority 1..99 for FIFO and RR, 0 for the others
 */
public record SchedulingPolicy(Policy policy, int priority) {
    /** Linux scheduling policies. */
    public enum Policy {
        /** SCHED_OTHER. */
        OTHER(0),
        /** SCHED_FIFO. */
        FIFO(1),
        /** SCHED_RR. */
        RR(2),
        /** SCHED_BATCH. */
        BATCH(3),
        /** SCHED_IDLE. */
        IDLE(5);

        final int linux;

        Policy(int linux) {
            this.linux = linux;
        }

        /** @return whether this is FIFO or RR */
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

    /** @return SCHED_OTHER */
    public static SchedulingPolicy other() {
        return new SchedulingPolicy(Policy.OTHER, 0);
    }

    /** @return SCHED_BATCH */
    public static SchedulingPolicy batch() {
        return new SchedulingPolicy(Policy.BATCH, 0);
    }

    /** @return SCHED_IDLE */
    public static SchedulingPolicy idle() {
        return new SchedulingPolicy(Policy.IDLE, 0);
    }

    /**
     * @param priority 1 (low) to 99 (high)
     * @return SCHED_FIFO at that priority
     */
    public static SchedulingPolicy fifo(int priority) {
        return new SchedulingPolicy(Policy.FIFO, priority);
    }

    /**
     * @param priority 1 (low) to 99 (high)
     * @return SCHED_RR at that priority
     */
    public static SchedulingPolicy rr(int priority) {
        return new SchedulingPolicy(Policy.RR, priority);
    }
}
