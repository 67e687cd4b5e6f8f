package dev.bulwark.jdbc.internal.wrapper;

/**
 * What {@link JdbcHooks} learn about the wrapper a call went through. Every wrapper is its own context,
 * so reporting an exception allocates nothing; test with {@code instanceof} for the JDBC type.
 *
 * <p>Thread safety as for the wrapper itself.
 */
public interface WrapperContext {

    /** The connection wrapper this wrapper belongs to (itself for a connection). */
    ConnectionWrapper connection();
}
