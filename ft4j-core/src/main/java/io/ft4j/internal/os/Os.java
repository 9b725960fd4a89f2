package io.ft4j.internal.os;

import java.util.Locale;

/**
 * The one selection point for native code: picks the {@link NativeThreads} implementation for this OS when the class
 * initializes. Linux gets the FFM bindings; everything else, or a Linux where the bindings cannot be linked, gets
 * {@link UnsupportedThreads}, which reports {@code isSupported() == false} and why.
 */
public final class Os {
    /** The implementation for this OS. */
    public static final NativeThreads THREADS = select();

    private Os() {}

    private static NativeThreads select() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return new UnsupportedThreads("thread control needs Linux; this is " + System.getProperty("os.name"));
        }
        try {
            return new LinuxThreads();
        } catch (RuntimeException | LinkageError e) {
            return new UnsupportedThreads("Linux thread control could not be linked: " + e);
        }
    }
}
