/**
 * ft4j: fine-grained threading for Java.
 *
 * <p>Only API packages are exported. {@code io.ft4j.internal.*} (padding, argument checks, waiting, OS bindings)
 * stays encapsulated so it can change between releases.
 */
module io.ft4j {
    requires jdk.jfr;

    exports io.ft4j.atomic;
    exports io.ft4j.concurrent;
    exports io.ft4j.lock;
    exports io.ft4j.thread;
}
