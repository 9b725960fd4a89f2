package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two pools of one JVM that name the same lock directory by two paths (a symbolic link, a bind mount, /tmp vs
 * /private/tmp): HELD is keyed by path, so the second pool opens its own channel to a file the first pool holds.
 * tryLock throws OverlappingFileLockException (the JDK keys its lock table by inode), take() treats that as "taken"
 * and then closes its channel in the finally block, and holder()/holders() read the file with Files.readString.
 * Closing ANY descriptor of the file drops the process's POSIX lock on it, so after a mere failed reserve (or a
 * holders() call) through the second path, another JVM can reserve the CPU that this JVM still holds.
 *
 * Right behaviour: while reservation {@code a} is open, a second JVM must never get CPU 1, whatever other pools of
 * this JVM did.
 */
@Timeout(60)
class AdvCpuPoolLinkedDirectoryTest {
    @TempDir
    Path dir;

    public static final class Child {
        public static void main(String[] args) throws Exception {
            CpuPool pool = CpuPool.builder().directory(Path.of(args[0])).cpus(CpuSet.of(Integer.parseInt(args[1])))
                    .bind(false).build();
            try (CpuReservation r = pool.reserveAny()) {
                System.out.println("HELD " + r.cpu());
            } catch (CpuUnavailableException e) {
                System.out.println("BUSY");
            }
            System.out.flush();
        }
    }

    private String childSays(Path lockDir, int cpu) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = location(CpuPool.class) + File.pathSeparator + location(Child.class);
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", cp, Child.class.getName(),
                lockDir.toString(), Integer.toString(cpu)).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            p.waitFor(20, TimeUnit.SECONDS);
            return line;
        } finally {
            p.destroyForcibly();
        }
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void failedReserveThroughALinkDoesNotDropTheHoldersLock() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        Path real = Files.createDirectories(dir.resolve("locks"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        CpuPool a = CpuPool.builder().directory(real).cpus(CpuSet.of(1)).bind(false).build();
        CpuPool b = CpuPool.builder().directory(link).cpus(CpuSet.of(1)).bind(false).build();
        try (CpuReservation r = a.reserveAny()) {
            assertEquals("BUSY", childSays(real, 1), "control: the child is refused while this JVM holds CPU 1");
            assertThrows(CpuUnavailableException.class, b::reserveAny, "same JVM, other path: refused (fine)");
            assertEquals("BUSY", childSays(real, 1),
                    "CPU 1 is still reserved by this JVM, but a failed reserve through the link dropped the lock");
        }
    }

    @Test
    void holdersThroughALinkDoesNotDropTheHoldersLock() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        Path real = Files.createDirectories(dir.resolve("locks"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        CpuPool a = CpuPool.builder().directory(real).cpus(CpuSet.of(1)).bind(false).build();
        CpuPool b = CpuPool.builder().directory(link).cpus(CpuSet.of(1)).bind(false).build();
        try (CpuReservation r = a.reserveAny()) {
            assertEquals(1, b.holders().size());
            assertEquals("BUSY", childSays(real, 1),
                    "CPU 1 is still reserved by this JVM, but holders() through the link dropped the lock");
        }
    }
}
