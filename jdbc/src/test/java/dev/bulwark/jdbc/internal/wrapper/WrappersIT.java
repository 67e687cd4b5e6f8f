package dev.bulwark.jdbc.internal.wrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.jdbc.internal.wrapper.JdbcHooks.Boundary;
import dev.bulwark.jdbc.internal.wrapper.JdbcHooks.Execution;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.testkit.TestDatabase.Engine;
import dev.bulwark.testkit.TestDatabases;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The wrappers over real PostgreSQL, MariaDB and SQLite connections. */
class WrappersIT {

    private static final String CREATE = "CREATE TABLE account (id INT PRIMARY KEY, owner VARCHAR(40), "
            + "balance BIGINT, note VARCHAR(10))";

    @ParameterizedTest
    @EnumSource(Engine.class)
    void roundTripsParametersRowsAndMetadata(Engine engine) throws Exception {
        try (TestDatabase db = open(engine); Connection c = Wrappers.wrap(db.connect(), JdbcHooks.NONE)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate(CREATE);
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO account (id, owner, balance, note) VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= 3; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "owner " + i);
                    insert.setLong(3, 1000L * i);
                    if (i == 2) {
                        insert.setNull(4, Types.VARCHAR);
                    } else {
                        insert.setString(4, "n" + i);
                    }
                    insert.addBatch();
                }
                assertThat(insert.executeBatch()).hasSize(3);
            }
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT id, owner, balance, note FROM account WHERE balance >= ? ORDER BY id")) {
                query.setLong(1, 2000);
                try (ResultSet rs = query.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                    assertThat(rs.getString("owner")).isEqualTo("owner 2");
                    assertThat(rs.getLong("balance")).isEqualTo(2000L);
                    assertThat(rs.getString("note")).isNull();
                    assertThat(rs.wasNull()).isTrue();
                    assertThat(rs.getMetaData().getColumnCount()).isEqualTo(4);
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getObject("id", Integer.class)).isEqualTo(3);
                    assertThat(rs.getString(4)).isEqualTo("n3");
                    assertThat(rs.next()).isFalse();
                }
            }
            DatabaseMetaData metaData = c.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = metaData.getTables(c.getCatalog(), c.getSchema(), "account", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
                assertThat(rs).isInstanceOf(ResultSetWrapper.class);
                if (rs.getStatement() != null) {
                    assertThat(rs.getStatement().getConnection()).isSameAs(c);
                }
            }
            assertThat(tables).containsExactly("account");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void unwrapsToTheDriversConnectionAndStatement(Engine engine) throws Exception {
        Class<?> driverConnection = switch (engine) {
            case POSTGRESQL -> org.postgresql.PGConnection.class;
            case MARIADB -> org.mariadb.jdbc.Connection.class;
            case SQLITE -> org.sqlite.SQLiteConnection.class;
        };
        Class<?> driverStatement = switch (engine) {
            case POSTGRESQL -> org.postgresql.PGStatement.class;
            case MARIADB -> org.mariadb.jdbc.Statement.class;
            case SQLITE -> org.sqlite.core.CoreStatement.class;
        };
        try (TestDatabase db = open(engine); Connection c = Wrappers.wrap(db.connect(), JdbcHooks.NONE);
             Statement s = c.createStatement()) {
            assertThat(c.isWrapperFor(driverConnection)).isTrue();
            assertThat(c.unwrap(driverConnection)).isInstanceOf(driverConnection).isNotSameAs(c);
            assertThat(c.unwrap(Connection.class)).isSameAs(c);
            assertThat(c.isWrapperFor(ConnectionWrapper.class)).isTrue();
            assertThat(c.isWrapperFor(DataSource.class)).isFalse();
            assertThatThrownBy(() -> c.unwrap(DataSource.class)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("does not wrap javax.sql.DataSource");
            assertThat(s.isWrapperFor(driverStatement)).isTrue();
            assertThat(s.unwrap(driverStatement)).isInstanceOf(driverStatement);
            assertThat(s.unwrap(Statement.class)).isSameAs(s);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void closingTheConnectionClosesItsStatementsAndResultSets(Engine engine) throws Exception {
        try (TestDatabase db = open(engine)) {
            Connection c = Wrappers.wrap(db.connect(), JdbcHooks.NONE);
            Connection physical = c.unwrap(physicalConnectionType(engine));
            Statement s = c.createStatement();
            Statement physicalStatement = s.unwrap(physicalStatementType(engine));
            PreparedStatement ps = c.prepareStatement("SELECT 1");
            ResultSet rs = ps.executeQuery();

            c.close();

            assertThat(physical.isClosed()).isTrue();
            assertThat(physicalStatement.isClosed()).isTrue();
            assertThat(s.isClosed()).isTrue();
            assertThat(ps.isClosed()).isTrue();
            assertThat(rs.isClosed()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void useAfterCloseFailsWithTheDocumentedSqlStates(Engine engine) throws Exception {
        try (TestDatabase db = open(engine)) {
            Connection c = Wrappers.wrap(db.connect(), JdbcHooks.NONE);
            Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT 1");
            PreparedStatement ps = c.prepareStatement("SELECT ?");
            rs.close();
            assertThatThrownBy(rs::next).hasFieldOrPropertyWithValue("SQLState", "24000");
            assertThat(s.executeQuery("SELECT 2").next()).as("the statement outlives its result set").isTrue();
            s.close();
            assertThatThrownBy(() -> s.execute("SELECT 1")).hasFieldOrPropertyWithValue("SQLState", "HY010");
            assertThat(ps.isClosed()).as("closing one statement leaves the others open").isFalse();

            c.close();
            c.close();

            assertThat(c.isClosed()).isTrue();
            assertThat(c.isValid(1)).isFalse();
            assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class)
                    .hasMessage("connection is closed").hasFieldOrPropertyWithValue("SQLState", "08003");
            assertThatThrownBy(c::commit).hasFieldOrPropertyWithValue("SQLState", "08003");
            assertThatThrownBy(c::getMetaData).hasFieldOrPropertyWithValue("SQLState", "08003");
            assertThatThrownBy(() -> ps.setInt(1, 1)).hasFieldOrPropertyWithValue("SQLState", "HY010");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void childrenReturnTheWrappersTheyCameFrom(Engine engine) throws Exception {
        try (TestDatabase db = open(engine); Connection c = Wrappers.wrap(db.connect(), JdbcHooks.NONE);
             Statement s = c.createStatement(); PreparedStatement ps = c.prepareStatement("SELECT ?")) {
            s.executeUpdate(CREATE);
            assertThat(s.getConnection()).isSameAs(c);
            assertThat(ps.getConnection()).isSameAs(c);
            assertThat(c.getMetaData().getConnection()).isSameAs(c);
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.getStatement()).isSameAs(s);
            }
            assertThat(s.execute("SELECT 2")).isTrue();
            ResultSet current = s.getResultSet();
            if (engine != Engine.SQLITE) { // sqlite-jdbc answers getResultSet once per result, as JDBC allows
                assertThat(s.getResultSet()).as("one driver result set, one wrapper").isSameAs(current);
            }
            assertThat(current.getStatement()).isSameAs(s);
            s.executeUpdate("INSERT INTO account (id, owner) VALUES (1, 'a')", Statement.RETURN_GENERATED_KEYS);
            try (ResultSet keys = s.getGeneratedKeys()) {
                assertThat(keys.getStatement()).isSameAs(s);
            }
            ps.setInt(1, 5);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.getStatement()).isSameAs(ps);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(5);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void hooksSeeARealSyntaxErrorAndTheExecution(Engine engine) throws Exception {
        RecordingHooks hooks = new RecordingHooks();
        try (TestDatabase db = open(engine); Connection c = Wrappers.wrap(db.connect(), hooks);
             Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELEC 1")).hasMessageStartingWith("seen by hook: ");

            assertThat(hooks.executions).singleElement()
                    .isEqualTo(new RecordingHooks.Executed((StatementWrapper<?>) s, Execution.QUERY, "SELEC 1"));
            assertThat(hooks.exceptions).singleElement().satisfies(seen -> {
                assertThat(seen.context()).isSameAs(s);
                assertThat(seen.context().connection()).isSameAs(c);
                SQLException driver = seen.exception();
                switch (engine) {
                    case POSTGRESQL -> assertThat(driver.getSQLState()).isEqualTo("42601");
                    case MARIADB -> assertThat(driver.getErrorCode()).isEqualTo(1064);
                    case SQLITE -> assertThat(driver.getErrorCode()).isEqualTo(1);
                }
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void transactionBoundariesPassThroughTheHooksToTheDatabase(Engine engine) throws Exception {
        RecordingHooks hooks = new RecordingHooks();
        try (TestDatabase db = open(engine)) {
            db.execute(CREATE);
            try (Connection c = Wrappers.wrap(db.connect(), hooks); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.executeUpdate("INSERT INTO account (id, owner) VALUES (1, 'kept')");
                c.commit();
                s.executeUpdate("INSERT INTO account (id, owner) VALUES (2, 'rolled back')");
                c.rollback();
                c.setAutoCommit(true);
            }
            assertThat(hooks.boundaries).extracting(RecordingHooks.Crossed::boundary).containsExactly(
                    Boundary.DISABLE_AUTO_COMMIT, Boundary.COMMIT, Boundary.ROLLBACK,
                    Boundary.ENABLE_AUTO_COMMIT, Boundary.CLOSE);
            try (Connection other = db.connect(); Statement s = other.createStatement();
                 ResultSet rs = s.executeQuery("SELECT owner FROM account ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("kept");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void callableStatementsCallThroughTheWrapperOnPostgres() throws Exception {
        try (TestDatabase db = TestDatabases.postgres(); Connection c = Wrappers.wrap(db.connect(), JdbcHooks.NONE);
             CallableStatement call = c.prepareCall("{? = call upper(?)}")) {
            call.registerOutParameter(1, Types.VARCHAR);
            call.setString(2, "bulwark");
            call.execute();
            assertThat(call.getString(1)).isEqualTo("BULWARK");
            assertThat(call.getConnection()).isSameAs(c);
            assertThat(call).isInstanceOf(CallableStatementWrapper.class);
        }
    }

    private static TestDatabase open(Engine engine) throws Exception {
        return switch (engine) {
            case POSTGRESQL -> TestDatabases.postgres();
            case MARIADB -> TestDatabases.mariadb();
            case SQLITE -> TestDatabases.sqlite();
        };
    }

    private static Class<? extends Connection> physicalConnectionType(Engine engine) {
        return switch (engine) {
            case POSTGRESQL -> org.postgresql.jdbc.PgConnection.class;
            case MARIADB -> org.mariadb.jdbc.Connection.class;
            case SQLITE -> org.sqlite.SQLiteConnection.class;
        };
    }

    private static Class<? extends Statement> physicalStatementType(Engine engine) {
        return switch (engine) {
            case POSTGRESQL -> org.postgresql.jdbc.PgStatement.class;
            case MARIADB -> org.mariadb.jdbc.Statement.class;
            case SQLITE -> org.sqlite.jdbc4.JDBC4Statement.class;
        };
    }
}
