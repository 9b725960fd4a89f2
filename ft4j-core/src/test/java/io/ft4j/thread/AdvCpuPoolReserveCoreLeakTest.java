package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * reserveCore() takes the core's CPUs one by one; when take() of a later sibling throws (here its lock file cannot
 * be opened: something else, a directory, sits at its path; in practice EACCES on a file another user created, EIO,
 * ENOSPC on the record write...), the siblings already taken are never released: they stay in HELD with their
 * channels and OS locks open until the JVM exits, with no CpuReservation that could close them.
 *
 * Right behaviour: a reserveCore() that throws holds nothing afterwards; CPU 1 is free again.
 */
@Timeout(60)
class AdvCpuPoolReserveCoreLeakTest {
    @TempDir
    Path dir;

    @Test
    void reserveCoreThatFailsMidwayReleasesWhatItTook() throws Exception {
        Path locks = Files.createDirectories(dir.resolve("locks"));
        // fake machine: CPUs 1 and 5 are one core
        CpuPool pool = CpuPool.builder().directory(locks).cpus(CpuSet.of(1, 5)).bind(false)
                .topology(CpuPoolTest.fakeMachine(dir.resolve("sys"))).build();
        Path blocker = Files.createDirectories(locks.resolve("ft4j-cpu-5.lock"));
        assertThrows(UncheckedIOException.class, pool::reserveCore);
        Files.delete(blocker);
        assertEquals(0, pool.holders().size(), "nothing is reserved, yet: " + pool.holders());
        try (CpuReservation r = pool.reserve(1)) {
            assertEquals(1, r.cpu());
        }
    }
}
