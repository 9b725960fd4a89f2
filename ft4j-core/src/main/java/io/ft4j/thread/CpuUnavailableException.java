package io.ft4j.thread;

import java.util.List;

/**
 * Thrown when a {@link CpuPool} has no CPU free that fits a reservation; {@link #holders()} says who holds the ones
 * that would have fitted, and the message names them, e.g. {@code "no free CPU in pool 1-3: CPU 1 held by pid 4242
 * (thread \"feed\"), ..."}.
 */
public final class CpuUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Not serialized: a snapshot for the catching code, not for a remote reader. */
    private final transient List<CpuPool.Holder> holders;

    CpuUnavailableException(String message, List<CpuPool.Holder> holders) {
        super(message);
        this.holders = List.copyOf(holders);
    }

    /**
     * Returns the holders of the CPUs that would have fitted, as found when the reservation failed.
     *
     * @return the holders; empty when the pool had no fitting CPU at all
     */
    public List<CpuPool.Holder> holders() {
        return holders == null ? List.of() : holders;
    }
}
