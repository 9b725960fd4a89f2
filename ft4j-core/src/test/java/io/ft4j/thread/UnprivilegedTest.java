package io.ft4j.thread;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The failure paths, for real, on a privileged machine: Linux capabilities are per thread, so the test drops
 * CAP_SYS_NICE from one thread's effective set (capset(2)) and checks that ft4j reports the OS's refusals as
 * ThreadControlException with the right errno and hint, and leaves the thread unchanged. Test code only: the library
 * itself never changes capabilities.
 */
@Timeout(60)
class UnprivilegedTest {
    static final int CAP_IPC_LOCK = 14;
    static final int CAP_SYS_NICE = 23;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    /** Removes CAP_SYS_NICE from the calling thread's effective and permitted sets; false if that is impossible. */
    private static boolean dropSysNiceOnThisThread() throws Throwable {
        return dropOnThisThread(CAP_SYS_NICE);
    }

    /** Removes a capability from the calling thread's effective and permitted sets; false if that is impossible. */
    @SuppressWarnings("restricted")
    static boolean dropOnThisThread(int capability) throws Throwable {
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor fd = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        MethodHandle capget = linker.downcallHandle(linker.defaultLookup().find("capget").orElseThrow(), fd);
        MethodHandle capset = linker.downcallHandle(linker.defaultLookup().find("capset").orElseThrow(), fd);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(8);
            header.set(JAVA_INT, 0, LINUX_CAPABILITY_VERSION_3);
            header.set(JAVA_INT, 4, 0); // this thread
            MemorySegment data = arena.allocate(24); // two {effective, permitted, inheritable} u32 triples
            if ((int) capget.invokeExact(header, data) != 0) {
                return false;
            }
            int effective = data.get(JAVA_INT, 0);
            if ((effective & (1 << capability)) == 0) {
                return true; // already unprivileged
            }
            data.set(JAVA_INT, 0, effective & ~(1 << capability));
            data.set(JAVA_INT, 4, data.get(JAVA_INT, 4) & ~(1 << capability));
            return (int) capset.invokeExact(header, data) == 0;
        }
    }

    @Test
    void refusalsCarryErrnoAndHintAndChangeNothing() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "thread control is Linux-only");
        AffinityTest.onFreshThread(() -> {
            try {
                assumeTrue(dropSysNiceOnThisThread(), "capset unavailable");
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
            Scheduling.Settings before = Scheduling.current();

            ThreadControlException rt = assertThrows(ThreadControlException.class,
                    () -> Scheduling.setPolicy(SchedulingPolicy.fifo(10)));
            assertEquals("EPERM", rt.errnoName());
            assertEquals(1, rt.errno());
            assertTrue(rt.getMessage().contains("CAP_SYS_NICE"), rt.getMessage());

            ThreadControlException lower = assertThrows(ThreadControlException.class,
                    () -> Scheduling.setNice(before.nice() - 5));
            assertEquals("EACCES", lower.errnoName());
            assertTrue(lower.hint().contains("CAP_SYS_NICE"), lower.hint());

            assertThrows(ThreadControlException.class,
                    () -> new ThreadBuilder().policy(SchedulingPolicy.rr(5)).start(() -> { }),
                    "a builder thread inherits the missing capability and reports the refusal");

            assertEquals(before, Scheduling.current(), "refused calls change nothing");
            Scheduling.setNice(before.nice() + 1); // raising the nice value needs no privilege
            assertEquals(before.nice() + 1, Scheduling.nice());
        });
    }
}
