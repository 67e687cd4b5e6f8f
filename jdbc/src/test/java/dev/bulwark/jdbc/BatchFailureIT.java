package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabases;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * JDBC's contract for {@code executeBatch}: a failure is a {@link BatchUpdateException} carrying the update counts.
 * Through {@code Bulwark.wrap} and the {@code jdbc:bulwark:} driver it stays one, with the counts the driver gave,
 * the driver's SQLState, Bulwark's classified and redacted message, and the driver's exception as the cause. A batch
 * that a unit's deadline cuts stays one too, with the deadline's SQLState HYT00.
 */
class BatchFailureIT {

    private interface Connect {
        Connection open() throws SQLException;
    }

    @Test
    void aPostgresBatchFailureStaysABatchUpdateExceptionWithTheDriversCounts() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            checkBatch(db);
        }
    }

    @Test
    void aMariadbBatchFailureStaysABatchUpdateExceptionWithTheDriversCounts() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            checkBatch(db);
        }
    }

    /**
     * Fault schedules 1601 (PostgreSQL), 592, 970, 1969, 2029 (MariaDB): a batch running when its unit's deadline
     * passed reached the work as an {@code SQLTimeoutException}, though the driver threw a
     * {@code BatchUpdateException} (its socket read timed out at the deadline). JDBC's type for
     * {@code executeBatch} stays, with HYT00 and the driver's counts, and the unit is not run again.
     */
    @Test
    void aPostgresBatchCutByItsUnitsDeadlineStaysABatchUpdateExceptionWithTheDeadlineState() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            checkBatchCutByDeadline(db, "SELECT 2 FROM pg_sleep(3)");
        }
    }

    @Test
    void aMariadbBatchCutByItsUnitsDeadlineStaysABatchUpdateExceptionWithTheDeadlineState() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            checkBatchCutByDeadline(db, "SELECT 2 + SLEEP(3)");
        }
    }

    private static void checkBatchCutByDeadline(TestDatabase db, String slowSelect) throws Exception {
        String table = "cut_batch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        db.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        BulwarkDataSource wrapped = Bulwark.wrap(db.dataSource());
        TransactionOptions unit = TransactionOptions.builder().withDeadline(Duration.ofMillis(1_500)).build();
        AtomicInteger attempts = new AtomicInteger();
        SQLException thrown = catchThrowableOfType(SQLException.class, () -> wrapped.inTransaction(unit, c -> {
            attempts.incrementAndGet();
            try (Statement s = c.createStatement()) {
                s.addBatch("INSERT INTO " + table + " VALUES (1)");
                // outlasts the deadline; kept short, since the server sleeps on after the client gave up
                s.addBatch("INSERT INTO " + table + " " + slowSelect);
                return s.executeBatch();
            }
        }));
        assertThat((Throwable) thrown).as("what the unit threw").isInstanceOf(BatchUpdateException.class);
        BatchUpdateException cut = (BatchUpdateException) thrown;
        assertThat(cut.getSQLState()).as("the deadline's SQLState").isEqualTo("HYT00");
        assertThat(cut.getMessage()).contains("deadline passed");
        assertThat(cut.getCause()).as("the driver's exception").isInstanceOf(BatchUpdateException.class);
        assertThat(cut.getLargeUpdateCounts()).as("the driver's update counts")
                .isEqualTo(((BatchUpdateException) cut.getCause()).getLargeUpdateCounts());
        assertThat(attempts).as("no time is left to run it again").hasValue(1);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows of the unit the deadline ended").isZero();
        }
    }

    private static void checkBatch(TestDatabase db) throws Exception {
        String value = "cnry" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        BatchUpdateException raw = duplicateInBatch(db, "raw_batch", value, db::connect);
        assertThat(raw.getMessage()).as("the premise: the driver's own message carries the value").contains(value);

        BulwarkDataSource wrapped = Bulwark.wrap(db.dataSource());
        String url = "jdbc:bulwark:" + db.jdbcUrl().substring("jdbc:".length());
        checkAgainstRaw(raw, duplicateInBatch(db, "wrapped_batch", value, wrapped::getConnection), value);
        checkAgainstRaw(raw, duplicateInBatch(db, "url_batch", value,
                () -> DriverManager.getConnection(url, db.connectionProperties())), value);
        BatchUpdateException inUnit = catchThrowableOfType(BatchUpdateException.class,
                () -> wrapped.inTransaction(c -> batch(c, "unit_batch", value, db)));
        assertThat((Throwable) inUnit).as("a batch failing inside a unit of work").isNotNull();
        assertThat(inUnit.getMessage()).doesNotContain(value).contains("integrity constraint");
    }

    private static void checkAgainstRaw(BatchUpdateException raw, BatchUpdateException bulwark, String value) {
        assertThat((Throwable) bulwark).as("thrown by executeBatch through Bulwark").isNotNull().isNotSameAs(raw);
        assertThat(bulwark.getLargeUpdateCounts()).as("update counts").isEqualTo(raw.getLargeUpdateCounts());
        assertThat(bulwark.getUpdateCounts()).isEqualTo(raw.getUpdateCounts());
        assertThat(bulwark.getSQLState()).isEqualTo(raw.getSQLState());
        assertThat(bulwark.getErrorCode()).isEqualTo(raw.getErrorCode());
        assertThat(bulwark.getMessage()).as("Bulwark's message").startsWith("An integrity constraint was violated: ")
                .doesNotContain(value);
        assertThat(bulwark.getCause()).as("the driver's exception").isInstanceOf(BatchUpdateException.class);
        assertThat(bulwark.getCause().getMessage()).contains(value);
        assertThat((Throwable) bulwark.getNextException()).as("the batch's other errors, as the driver linked them")
                .isSameAs(((SQLException) bulwark.getCause()).getNextException());
    }

    private static BatchUpdateException duplicateInBatch(TestDatabase db, String table, String value, Connect connect)
            throws Exception {
        try (Connection c = connect.open()) {
            return catchThrowableOfType(BatchUpdateException.class, () -> batch(c, table, value, db));
        }
    }

    /** Inserts 'a', the value, the value again (a duplicate) and 'z' in one batch into a new table. */
    private static int[] batch(Connection c, String table, String value, TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE " + table + " (id VARCHAR(40) PRIMARY KEY)");
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " VALUES (?)")) {
            for (String id : new String[] {"a", value, value, "z"}) {
                p.setString(1, id);
                p.addBatch();
            }
            return p.executeBatch();
        }
    }
}
