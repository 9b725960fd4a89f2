package io.ft4j.concurrent;

import java.io.Serial;

/**
 * Thrown when a queue or deque that was shut down refuses an element to {@code add} or {@code put}, or has nothing
 * more to give a consumer blocked in {@code take} or a timed {@code poll}: the meaning of Python 3.13's
 * {@code queue.ShutDown}. It extends {@link IllegalStateException} because that is how {@link java.util.Queue#add}
 * signals a refused element. {@code offer} does not throw it: it reports the refusal by returning false, as
 * {@link java.util.concurrent.BlockingQueue#offer(Object)} does for a full queue. A
 * {@link java.util.concurrent.ThreadPoolExecutor} worker fetching its next task is not given it either (see
 * {@link ConcurrentQueue}, <i>Inside a ThreadPoolExecutor</i>). When the queue was {@linkplain ConcurrentQueue#poison
 * poisoned}, {@link #getCause()} is the producer's failure.
 */
public class ShutDownException extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was refused and why
     * @param cause the failure that poisoned the queue, or null after a plain shutdown
     */
    public ShutDownException(String message, Throwable cause) {
        super(message, cause);
    }
}
