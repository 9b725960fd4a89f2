package io.ft4j.cli;

import io.ft4j.lock.LockOrder;
import io.ft4j.lock.LockOrderViolationException;
import io.ft4j.lock.ReaderWriterLock;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Lock hierarchies, checked: two threads take two locks in opposite orders, one after the other, so they never
 * deadlock in this run, and the lock-order checker still reports the deadlock they could have had, with both
 * acquisition sites. Then the same with read locks only (no report: readers do not block readers when no writer can
 * queue between them), and in strict mode, where the second order is refused before it can block.
 */
@Command(name = "lockorder", mixinStandardHelpOptions = true,
        description = "Lock-order checking: a potential deadlock found in a run that never deadlocked.")
final class LockOrderDemo implements Callable<Integer>, Demo {
    @Spec
    CommandSpec spec;

    private String takeaway;

    @Override
    public String takeaway() {
        return takeaway;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        List<LockOrderViolationException> reports = new CopyOnWriteArrayList<>();
        LockOrder.Mode before = LockOrder.mode();
        LockOrder.reset();
        LockOrder.onViolation(reports::add);
        LockOrder.setMode(LockOrder.Mode.REPORT);
        try {
            ReaderWriterLock accounts = new ReaderWriterLock("accounts");
            ReaderWriterLock audit = new ReaderWriterLock("audit");
            out.println("1. thread 'transfer' takes accounts then audit; later, thread 'report' takes audit then accounts.");
            out.println("   They never overlap, so nothing deadlocks today.");
            inThread("transfer", () -> {
                accounts.writeLock().lock();
                audit.writeLock().lock();
                audit.writeLock().unlock();
                accounts.writeLock().unlock();
            });
            inThread("report", () -> {
                audit.writeLock().lock();
                accounts.writeLock().lock();
                accounts.writeLock().unlock();
                audit.writeLock().unlock();
            });
            out.println(reports.isEmpty() ? "   no report (unexpected)" : indent(reports.get(0).getMessage()));
            boolean found = reports.size() == 1;

            reports.clear();
            ReaderWriterLock config = new ReaderWriterLock("config");
            ReaderWriterLock routes = new ReaderWriterLock("routes");
            out.println("\n2. The same opposite orders with read locks only, on locks nobody writes:");
            inThread("reader-1", () -> {
                config.readLock().lock();
                routes.readLock().lock();
                routes.readLock().unlock();
                config.readLock().unlock();
            });
            inThread("reader-2", () -> {
                routes.readLock().lock();
                config.readLock().lock();
                config.readLock().unlock();
                routes.readLock().unlock();
            });
            out.println(reports.isEmpty()
                    ? "   no report: readers never wait for readers unless a writer can queue between them."
                    : indent(reports.get(0).getMessage()));
            boolean quiet = reports.isEmpty();

            LockOrder.setMode(LockOrder.Mode.STRICT);
            out.println("\n3. Strict mode: thread 'report' tries audit then accounts again.");
            String[] refused = {null};
            inThread("report", () -> {
                audit.writeLock().lock();
                try {
                    accounts.writeLock().lock();
                    accounts.writeLock().unlock();
                } catch (LockOrderViolationException e) {
                    refused[0] = e.getClass().getSimpleName();
                } finally {
                    audit.writeLock().unlock();
                }
            });
            out.println(refused[0] != null
                    ? "   refused with " + refused[0] + " before it could block; accounts was not taken."
                    : "   not refused (unexpected)");
            takeaway = found && quiet && refused[0] != null
                    ? "a lock-order cycle reported from a run that never deadlocked, with both threads' stacks; "
                            + "read-only cycles left alone; strict mode refused the second order before it blocked"
                    : "the lock-order checker did NOT behave as expected (a bug)";
            return found && quiet && refused[0] != null ? 0 : 1;
        } finally {
            LockOrder.setMode(before);
            LockOrder.reset();
        }
    }

    private static String indent(String text) {
        return "   " + text.replace("\n", "\n   ");
    }

    private static void inThread(String name, Runnable body) throws InterruptedException {
        Thread t = Thread.ofPlatform().name(name).start(body);
        t.join();
    }
}
