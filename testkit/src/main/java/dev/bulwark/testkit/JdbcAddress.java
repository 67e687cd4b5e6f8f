package dev.bulwark.testkit;

import java.util.Objects;

/**
 * A parsed JDBC URL of the common server form {@code jdbc:<scheme>://host[:port]/database[?query]}.
 *
 * <p>Immutable and thread-safe. Used by the test kit to point a URL at a proxy or at another
 * database on the same server.
 */
public record JdbcAddress(String scheme, String host, int port, String database, String query) {

    /** Validates the parts. */
    public JdbcAddress {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        query = query == null ? "" : query;
    }

    /**
     * Parses {@code jdbc:<scheme>://host[:port]/database[?query]}; SQLite's {@code jdbc:sqlite:<file>} is
     * accepted with the file as database and port {@code -1}.
     *
     * @throws IllegalArgumentException naming the URL (credentials masked) when it has another form
     */
    public static JdbcAddress parse(String url) {
        Objects.requireNonNull(url, "url");
        if (url.startsWith("jdbc:sqlite:")) {
            return new JdbcAddress("sqlite", "", -1, url.substring("jdbc:sqlite:".length()), "");
        }
        int schemeEnd = url.indexOf("://");
        if (!url.startsWith("jdbc:") || schemeEnd < 0) {
            throw new IllegalArgumentException("not a JDBC URL of the form jdbc:<scheme>://host[:port]/db: "
                    + maskUrl(url));
        }
        String scheme = url.substring("jdbc:".length(), schemeEnd);
        String rest = url.substring(schemeEnd + 3);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : rest.substring(slash + 1);
        int at = hostPort.lastIndexOf('@');
        if (at >= 0) {
            hostPort = hostPort.substring(at + 1); // user:password@ is not kept
        }
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        int port = -1;
        if (colon >= 0) {
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port is not a number in JDBC URL " + maskUrl(url), e);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in JDBC URL " + maskUrl(url));
        }
        return new JdbcAddress(scheme, host, port, database, query);
    }

    /** This address with another host and port. */
    public JdbcAddress withHostAndPort(String newHost, int newPort) {
        return new JdbcAddress(scheme, newHost, newPort, database, query);
    }

    /** This address naming another database on the same server. */
    public JdbcAddress withDatabase(String newDatabase) {
        return new JdbcAddress(scheme, host, port, newDatabase, query);
    }

    /** This address with one more query parameter (the value is used as given). */
    public JdbcAddress withParameter(String key, String value) {
        String pair = key + "=" + value;
        return new JdbcAddress(scheme, host, port, database, query.isEmpty() ? pair : query + "&" + pair);
    }

    /** The URL with password-like query parameters replaced by {@code ***}. */
    public String masked() {
        return maskUrl(toString());
    }

    @Override
    public String toString() {
        if (scheme.equals("sqlite")) {
            return "jdbc:sqlite:" + database;
        }
        return "jdbc:" + scheme + "://" + host + (port >= 0 ? ":" + port : "") + "/" + database
                + (query.isEmpty() ? "" : "?" + query);
    }

    static String maskUrl(String url) {
        return url.replaceAll("(?i)(password|passwd|pwd)=[^&;]*", "$1=***")
                .replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }
}
