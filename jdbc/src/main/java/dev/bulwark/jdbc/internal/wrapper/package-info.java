/**
 * The JDBC wrapper layer: Connection, Statement, PreparedStatement, CallableStatement, ResultSet and
 * DatabaseMetaData wrappers whose pass-through methods are generated at build time by
 * {@code dev.bulwark.codegen.DelegateProcessor} (the {@code *Impl} classes), and whose few methods with
 * behaviour are written by hand in the abstract {@code *Wrapper} classes.
 *
 * <p>Entry point: {@link dev.bulwark.jdbc.internal.wrapper.Wrappers#wrap}. Behaviour is attached through
 * {@link dev.bulwark.jdbc.internal.wrapper.JdbcHooks}, one instance per wrapped DataSource (or per
 * connection); with {@link dev.bulwark.jdbc.internal.wrapper.JdbcHooks#NONE} the wrappers are pure
 * pass-through.
 *
 * <p>Closed state. A wrapper closed through its own {@code close()} (or its owner's) swaps its delegate for
 * a stateless closed sentinel (also generated), so the open path needs no {@code if (closed)} check. After
 * that every method fails with:
 * <ul>
 *   <li>Connection: {@code SQLNonTransientConnectionException}, SQLState {@code 08003} "connection is
 *       closed" ({@code isClosed()} is true, {@code isValid} false, {@code close}/{@code abort} no-ops);</li>
 *   <li>Statement, PreparedStatement, CallableStatement: {@code SQLNonTransientException}, SQLState
 *       {@code HY010} (CLI "function sequence error") "statement is closed";</li>
 *   <li>ResultSet: {@code SQLNonTransientException}, SQLState {@code 24000} (SQL "invalid cursor state")
 *       "result set is closed".</li>
 * </ul>
 * These refusals are Bulwark's own and never reach {@link
 * dev.bulwark.jdbc.internal.wrapper.JdbcHooks#onException}: a closed wrapper must not mark the pooled
 * connection, which may already serve someone else, as broken. A ResultSet that the driver closes by
 * itself (re-execution of its statement) is detached the same way. DatabaseMetaData has no closed state
 * of its own: after its connection closes, the driver answers.
 */
package dev.bulwark.jdbc.internal.wrapper;
