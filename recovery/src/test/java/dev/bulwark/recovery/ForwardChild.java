package dev.bulwark.recovery;

import dev.bulwark.core.CommitResolution;
import dev.bulwark.jdbc.BulwarkDataSource;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;

/**
 * The application in a child JVM, killed by the tests with {@code destroyForcibly}. Prints one line per step,
 * prefixed {@code SF|}, on stdout (log lines do not start with it).
 * <pre>
 * write  ENGINE URL JOURNAL N PREFIX   writes N rows: SF|BUFFERED|i|sequence (or SF|COMMITTED|i), then SF|DONE and waits
 * replay ENGINE URL JOURNAL            starts the replay thread: SF|REPLAYED|sequence|alreadyApplied; exits at SF|DRAINED
 * </pre>
 * ENGINE is {@code postgresql} or {@code sqlite}.
 */
public final class ForwardChild {

    private ForwardChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        DataSource target = args[1].equals("sqlite") ? ForwardFixture.sqliteNoCreate(args[2])
                : ForwardFixture.postgres(args[2], "postgres", null);
        BulwarkDataSource ds = ForwardFixture.bulwark(target, "child-" + mode, CommitResolution.AUTO);
        StoreAndForwardConfig config = ForwardFixture.config(Path.of(args[3]));
        CountDownLatch drained = new CountDownLatch(1);
        StoreAndForward writer = StoreAndForward.builder(ds, config).withListener(event -> {
            if (event instanceof ForwardEvent.Replayed r) {
                say("REPLAYED|" + r.sequence() + "|" + r.alreadyApplied());
            } else if (event instanceof ForwardEvent.Drained) {
                drained.countDown();
            }
        }).open();
        if (mode.equals("write")) {
            int n = Integer.parseInt(args[4]);
            for (int i = 0; i < n; i++) {
                String key = args[5] + i;
                WriteResult result = writer.write(SqlWrite.of(key, ForwardFixture.INSERT, key, i));
                say(result instanceof WriteResult.Buffered b ? "BUFFERED|" + i + "|" + b.sequence()
                        : result.getClass().getSimpleName().toUpperCase() + "|" + i);
            }
            say("DONE");
            new CountDownLatch(1).await(); // the test kills this process
        } else {
            long backlog = writer.backlog().records();
            say("STARTED|" + backlog);
            if (backlog == 0) {
                drained.countDown();
            }
            writer.start();
            drained.await();
            say("DRAINED|" + writer.backlog().records());
            writer.close();
        }
    }

    private static void say(String line) {
        System.out.println("SF|" + line);
        System.out.flush();
    }
}
