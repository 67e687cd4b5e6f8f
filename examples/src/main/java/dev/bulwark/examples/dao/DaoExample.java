package dev.bulwark.examples.dao;

import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import java.nio.file.Files;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.sqlite.SQLiteDataSource;

/**
 * An annotated DAO interface with {@code Bulwark.dao}.
 *
 * <p>{@link AccountDao} declares what each method needs ({@code @Transactional}, read-only or not);
 * {@link JdbcAccountDao} is ordinary JDBC code; {@code Bulwark.dao(AccountDao.class, impl, db)} returns a proxy
 * that runs each annotated method as a unit of work: retried whole after a transient fault, rolled back when
 * it throws. A transfer that would overdraw an account throws and leaves both balances unchanged.
 *
 * <pre>
 * ./mvnw -q -ntp -pl examples exec:java -Dexec.mainClass=dev.bulwark.examples.dao.DaoExample
 * </pre>
 *
 * Stateless; {@link #run} is thread-safe.
 */
public final class DaoExample {

    /** The balances after {@link #run}: the transfer applied, the overdraft refused. */
    public record Balances(long first, long second, String refusal) {
    }

    private DaoExample() {
    }

    /** Runs the example against a SQLite file in a temporary directory. */
    public static void main(String[] args) throws Exception {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + Files.createTempDirectory("bulwark-dao").resolve("bank.db"));
        System.out.println(run(sqlite));
    }

    /**
     * Opens accounts 1 and 2 with 100.00 each, transfers 30.00 from 1 to 2, then tries to transfer 500.00 from
     * 1 to 2 (refused, rolled back), and returns the balances.
     *
     * @throws SQLException if the database fails
     */
    public static Balances run(DataSource target) throws SQLException {
        BulwarkDataSource db = Bulwark.wrap(target);
        AccountDao accounts = Bulwark.dao(AccountDao.class, new JdbcAccountDao(db), db);
        accounts.open(10_000, 1, 2);
        accounts.transfer(1, 2, 3_000);
        String refusal;
        try {
            accounts.transfer(1, 2, 50_000);
            refusal = null;
        } catch (SQLException e) {
            // The DAO's own exception, unchanged: classified (CONSTRAINT, SQLState 23514), so never retried,
            // and the unit rolled back
            refusal = e.getSQLState() + " " + e.getMessage();
        }
        return new Balances(accounts.balance(1), accounts.balance(2), refusal);
    }
}
