package dev.bulwark.recovery;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The child process of {@link TableCopyKillIT}: runs one {@link TableCopy} and prints a line after each
 * committed chunk, so the parent can kill it at a random moment of the copy.
 * Arguments: source URL, target URL, copy id, chunk size.
 */
public final class CopyProcess {

    private CopyProcess() {
    }

    public static void main(String[] args) throws Exception {
        CopyReport report = TableCopy.builder(new UrlDataSource(args[0]), new UrlDataSource(args[1]))
                .withCopyId(args[2]).withChunkSize(Integer.parseInt(args[3]))
                .withListener(p -> {
                    System.out.println("progress " + p.table() + " " + p.tableRows());
                    System.out.flush();
                })
                .build().run();
        System.out.println("done " + report.isSuccess());
    }

    /** A DataSource over DriverManager, enough for the child process. */
    record UrlDataSource(String url) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return DriverManager.getConnection(url);
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            throw new UnsupportedOperationException("no log writer");
        }

        @Override
        public void setLoginTimeout(int seconds) {
            throw new UnsupportedOperationException("no login timeout");
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
