package dev.bulwark.examples.dao;

import dev.bulwark.jdbc.annotations.Transactional;
import java.sql.SQLException;

/**
 * The DAO interface of {@link DaoExample}: each annotated method runs as one Bulwark unit of work.
 * Implementations must be thread-safe.
 */
public interface AccountDao {

    /** Creates the table and the accounts given, each with {@code cents}. */
    @Transactional
    void open(long cents, long... ids) throws SQLException;

    /** Moves {@code cents} from one account to another: both updates commit together or not at all. */
    @Transactional
    void transfer(long from, long to, long cents) throws SQLException;

    /** The account's balance in cents. */
    @Transactional(readOnly = true)
    long balance(long id) throws SQLException;
}
