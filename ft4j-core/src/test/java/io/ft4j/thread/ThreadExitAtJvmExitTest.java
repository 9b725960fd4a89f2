package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JVM exits as soon as its last non-daemon thread ends; ft4j's watcher, a daemon, may not be scheduled before
 * that. ThreadExit's shutdown hook runs the actions of such a thread anyway, and of main, which ended before it, but
 * not those of a daemon thread still alive. Each run is a fresh JVM.
 */
@Timeout(180)
class ThreadExitAtJvmExitTest {
    private static final int RUNS = 10;
    private static final long IDLE_MILLIS = 200;

    /** The child JVM: prints what its exit actions did. */
    static final class Child {
        /**
         * @param args {@code last}: the last non-daemon thread registers an action and ends after main; {@code
         *     main-and-daemon}: main registers one and returns, and a daemon thread registers one and is still alive
         *     when the JVM exits
         */
        public static void main(String[] args) {
            Thread main = Thread.currentThread();
            if (args[0].equals("main-and-daemon")) {
                ThreadExit.register(() -> System.out.println("MAIN-RAN"));
                Thread.ofPlatform().daemon().start(() -> {
                    ThreadExit.register(() -> System.out.println("DAEMON-RAN"));
                    while (true) {
                        LockSupport.park();
                    }
                });
                return;
            }
            if (args[0].equals("blocking")) {
                ThreadExit.register(() -> {
                    System.out.println("BLOCKING-STARTED");
                    while (true) {
                        LockSupport.park(); // an action that never returns
                    }
                });
                // keep the only virtual-thread carrier busy, so that the exit hook, not the watcher, runs the list
                Thread.ofVirtual().start(() -> {
                    while (true) {
                        Thread.onSpinWait();
                    }
                });
                return;
            }
            Thread.ofPlatform().daemon(false).start(() -> {
                ThreadExit.register(() -> System.out.println("LAST-RAN"));
                try {
                    main.join();
                    // Not synchronization: the outcome must not depend on it. A program's last thread usually ends
                    // a while after its watcher parked, with the carrier threads idle, which is when the watcher is
                    // slowest to wake and the JVM's exit most likely to outrun it: without the hook, about half the
                    // runs lose the action.
                    Thread.sleep(IDLE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Test
    void theActionsOfTheLastNonDaemonThreadRunAsTheJvmExits() throws Exception {
        for (int run = 0; run < RUNS; run++) {
            List<String> out = runChild("last");
            assertTrue(out.contains("LAST-RAN"), "run " + run + ": the last thread's action ran; output: " + out);
        }
    }

    @Test
    void theActionsOfMainRunOnceItReturnedButThoseOfALiveDaemonDoNot() throws Exception {
        for (int run = 0; run < RUNS / 2; run++) {
            List<String> out = runChild("main-and-daemon");
            assertTrue(out.contains("MAIN-RAN"), "run " + run + ": main's action ran; output: " + out);
            assertFalse(out.contains("DAEMON-RAN"), "run " + run + ": a live thread's action ran; output: " + out);
        }
    }

    /** An exit action that blocks forever delays the JVM's exit by the hook's bound, not forever. */
    @Test
    void anExitActionThatBlocksDoesNotKeepTheJvmFromExiting() throws Exception {
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            List<String> out = runChild("blocking", "-Djdk.virtualThreadScheduler.parallelism=1",
                    "-Djdk.virtualThreadScheduler.maxPoolSize=1");
            assertTrue(out.contains("BLOCKING-STARTED"), "run " + run + ": the action ran; output: " + out);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "run " + run + ": exited in time");
        }
    }

    /** Runs the child JVM in {@code mode} and returns its output lines; fails if it does not exit cleanly. */
    private static List<String> runChild(String mode, String... jvmOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = location(ThreadExit.class) + File.pathSeparator + location(Child.class);
        List<String> command = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", classPath, Child.class.getName(), mode));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean exited = p.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        assertTrue(exited, "the child JVM exited");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
