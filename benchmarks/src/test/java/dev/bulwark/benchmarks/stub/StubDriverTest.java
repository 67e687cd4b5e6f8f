package dev.bulwark.benchmarks.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The stub driver behaves as the benchmarks assume: canned rows, counted boundaries, refusals elsewhere. */
class StubDriverTest {

    private final StubDriver driver = new StubDriver();

    @Test
    void queriesReturnTheConfiguredNumberOfCannedRows() throws SQLException {
        try (Connection c = driver.connect(StubDriver.url(3), new Properties());
             PreparedStatement ps = c.prepareStatement("SELECT id, name, balance FROM accounts");
             ResultSet rs = ps.executeQuery()) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertThat(rs.getLong(1)).isEqualTo(rows);
                assertThat(rs.getString(2)).isEqualTo("account-" + rows);
                assertThat(rs.getInt(3)).isBetween(0, 99_999);
            }
            assertThat(rows).isEqualTo(3);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void countsCommitsRollbacksAndBoundParameters() throws SQLException {
        StubConnection c = (StubConnection) driver.connect("jdbc:stub:", new Properties());
        c.setAutoCommit(false);
        c.commit();
        c.commit();
        c.rollback();
        assertThat(c.commits()).isEqualTo(2);
        assertThat(c.rollbacks()).isEqualTo(1);
        StubPreparedStatement ps = (StubPreparedStatement) c.prepareStatement("UPDATE accounts SET x = ?");
        ps.setInt(1, 1);
        ps.setString(2, "two");
        assertThat(ps.boundParameters()).isEqualTo(2);
        assertThat(ps.executeUpdate()).isEqualTo(1);
        ps.clearParameters();
        assertThat(ps.boundParameters()).isZero();
    }

    @Test
    void refusesWhatItDoesNotImplementAndWhatIsClosed() throws SQLException {
        Connection c = driver.connect("jdbc:stub:", new Properties());
        assertThatThrownBy(() -> c.prepareCall("{call p()}")).isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageContaining("StubConnection");
        PreparedStatement ps = c.prepareStatement("SELECT 1");
        ResultSet rs = ps.executeQuery();
        assertThatThrownBy(rs::getMetaData).isInstanceOf(SQLFeatureNotSupportedException.class);
        assertThatThrownBy(() -> rs.getString(2)).hasMessageContaining("no current row");
        ps.close();
        assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class).hasMessageContaining("closed");
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThatThrownBy(() -> c.prepareStatement("SELECT 1")).hasMessageContaining("closed");
    }

    @Test
    void rejectsOtherUrlsAndBadRowCounts() throws SQLException {
        assertThat(driver.connect("jdbc:postgresql://localhost/x", new Properties())).isNull();
        assertThatThrownBy(() -> driver.connect("jdbc:stub:rows=many", new Properties()))
                .hasMessageContaining("rows is not a number");
        assertThatThrownBy(() -> driver.connect("jdbc:stub:rows=-1", new Properties()))
                .hasMessageContaining("rows must be in 0..");
        assertThatThrownBy(() -> driver.connect("jdbc:stub:size=1", new Properties()))
                .hasMessageContaining("expected jdbc:stub:rows=N");
    }
}
