package io.ft4j.concurrent;

import java.io.Serial;

/**
 * Thrown when a queue or deque that was shut down refuses an element, or has nothing more to give a waiting consumer:
 * the meaning of Python 3.13's {@code queue.ShutDown}. It extends {@link IllegalStateException} because that is how
 * {@link java.util.Queue#add} signals a refused element. When the queue was {@linkplain ConcurrentQueue#poison
 * poisoned}, {@link #getCause()} is the producer's failure.
 */
public class ShutDownException extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was refused and why
     * @param cause the failure that poisoned the queue, or null after a plain shutdown
     */
    public ShutDownException(String message, Throwable cause) {
        super(message, cause);
    }
}
