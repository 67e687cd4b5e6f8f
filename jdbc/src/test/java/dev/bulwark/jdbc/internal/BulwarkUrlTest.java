package dev.bulwark.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BulwarkUrlTest {

    @Test
    void stripsBulwarkSettingsFromTheQueryAndKeepsTheRest() throws SQLException {
        BulwarkUrl u = BulwarkUrl.parse(
                "jdbc:bulwark:postgresql://h:5432/db?ssl=false&bulwark.retry.maxAttempts=5&currentSchema=s", null);
        assertThat(u.targetUrl()).isEqualTo("jdbc:postgresql://h:5432/db?ssl=false&currentSchema=s");
        assertThat(u.settings()).containsExactly(Map.entry("bulwark.retry.maxAttempts", "5"));
    }

    @Test
    void dropsTheQuestionMarkWhenOnlyBulwarkSettingsWereThere() throws SQLException {
        BulwarkUrl u = BulwarkUrl.parse("jdbc:bulwark:mariadb://h/db?bulwark.breaker.waitInOpen=2s", null);
        assertThat(u.targetUrl()).isEqualTo("jdbc:mariadb://h/db");
        assertThat(u.settings()).containsEntry("bulwark.breaker.waitInOpen", "2s");
    }

    @Test
    void handlesSemicolonParametersAndSqliteFiles() throws SQLException {
        assertThat(BulwarkUrl.parse("jdbc:bulwark:h2:mem:x;MODE=PostgreSQL;bulwark.a=1", null).targetUrl())
                .isEqualTo("jdbc:h2:mem:x;MODE=PostgreSQL");
        BulwarkUrl sqlite = BulwarkUrl.parse("jdbc:bulwark:sqlite:/tmp/a.db?bulwark.sqlite.busyTimeout=1s", null);
        assertThat(sqlite.targetUrl()).isEqualTo("jdbc:sqlite:/tmp/a.db");
        assertThat(sqlite.settings()).containsEntry("bulwark.sqlite.busyTimeout", "1s");
    }

    @Test
    void propertiesWinOverTheUrlAndAreStrippedToo() throws SQLException {
        Properties info = new Properties();
        info.setProperty("user", "app");
        info.setProperty("password", "s3cret");
        info.setProperty("bulwark.retry.maxAttempts", "7");
        BulwarkUrl u = BulwarkUrl.parse("jdbc:bulwark:postgresql://h/db?bulwark.retry.maxAttempts=5", info);
        assertThat(u.settings()).containsEntry("bulwark.retry.maxAttempts", "7");
        assertThat(u.targetProperties()).containsOnlyKeys("user", "password");
        assertThat(info).containsKey("bulwark.retry.maxAttempts"); // the caller's Properties are not changed
    }

    @Test
    void decodesPercentEncodedValues() throws SQLException {
        BulwarkUrl u = BulwarkUrl.parse("jdbc:bulwark:postgresql://h/db?bulwark.name=orders%20db", null);
        assertThat(u.settings()).containsEntry("bulwark.name", "orders db");
    }

    @Test
    void rejectsMalformedUrlsWithoutLeakingCredentials() {
        assertThatThrownBy(() -> BulwarkUrl.parse("jdbc:bulwark:jdbc:postgresql://u:pw@h/db", null))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("without its own 'jdbc:' prefix")
                .hasMessageNotContaining("pw@");
        assertThatThrownBy(() -> BulwarkUrl.parse("jdbc:bulwark:postgresql://h/db?password=x&bulwark.retry", null))
                .hasMessageContaining("'bulwark.retry'")
                .hasMessageNotContaining("password=x");
        assertThatThrownBy(() -> BulwarkUrl.parse("jdbc:postgresql://h/db", null))
                .hasMessageContaining("must start with jdbc:bulwark:");
    }

    @Test
    void masksCredentialsInEveryForm() {
        assertThat(Credentials.maskUrl("jdbc:postgresql://h/db?user=a&password=b&x=1"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=***&x=1");
        assertThat(Credentials.maskUrl("jdbc:mysql://app:hunter2@h:3306/db")).isEqualTo("jdbc:mysql://app:***@h:3306/db");
        assertThat(Credentials.maskUrl("jdbc:sqlserver://h;user=a;password=b;db=c"))
                .isEqualTo("jdbc:sqlserver://h;user=a;password=***;db=c");
    }

    @Test
    void masksAPasswordContainingAnAtSignWhole() {
        assertThat(Credentials.maskUrl("jdbc:postgresql://app:p@ss@word@h:5432/db?x=1"))
                .isEqualTo("jdbc:postgresql://app:***@h:5432/db?x=1");
    }

    @Test
    void masksOraclesUserSlashPasswordForm() {
        assertThat(Credentials.maskUrl("jdbc:oracle:thin:scott/tiger@//db.internal:1521/orders"))
                .isEqualTo("jdbc:oracle:thin:scott/***@//db.internal:1521/orders");
        assertThat(Credentials.maskUrl("jdbc:bulwark:oracle:thin:scott/ti@ger@db:1521:ORCL"))
                .isEqualTo("jdbc:bulwark:oracle:thin:scott/***@db:1521:ORCL");
    }

    @Test
    void masksPasswordsHoldingTheOtherStylesSeparatorWhole() {
        assertThat(Credentials.maskUrl("jdbc:postgresql://h/db?user=a&password=se;cret&x=1"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=***&x=1");
        assertThat(Credentials.maskUrl("jdbc:sqlserver://h;user=a;password=se&cret;db=c"))
                .isEqualTo("jdbc:sqlserver://h;user=a;password=***;db=c");
        assertThat(Credentials.maskUrl("jdbc:mysql://h/db?password1=a&awsSecretAccessKey=b&ssl.key.password=c&x=1"))
                .isEqualTo("jdbc:mysql://h/db?password1=***&awsSecretAccessKey=***&ssl.key.password=***&x=1");
    }

    @Test
    void masksUserInfoWhateverThePasswordHolds() {
        assertThat(Credentials.maskUrl("jdbc:mysql://app:a/b?c;d@h:3306/db")).isEqualTo("jdbc:mysql://app:***@h:3306/db");
        assertThat(Credentials.maskUrl("jdbc:mysql://:secret@h/db")).isEqualTo("jdbc:mysql://:***@h/db");
        assertThat(Credentials.maskUrl("jdbc:postgresql://h:5432/db?x=1")).isEqualTo("jdbc:postgresql://h:5432/db?x=1");
    }

    @Test
    void masksASqlServerBracedValueWithSemicolonsInside() {
        assertThat(Credentials.maskUrl("jdbc:sqlserver://h;user=a;password={se;cr}}et};databaseName=c"))
                .isEqualTo("jdbc:sqlserver://h;user=a;password=***;databaseName=c");
    }

    @Test
    void malformedSettingsAreSqlExceptionsNamingKeyAndSource() {
        assertThatThrownBy(() -> BulwarkUrl.parse("jdbc:bulwark:postgresql://h/db?bulwark.name=%zz", null))
                .isInstanceOf(SQLException.class).hasMessageContaining("bulwark.name").hasMessageContaining("URL")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
        Properties info = new Properties();
        info.put("bulwark.retry.maxAttempts", 5);
        assertThatThrownBy(() -> BulwarkUrl.parse("jdbc:bulwark:postgresql://h/db", info))
                .isInstanceOf(SQLException.class).hasMessageContaining("bulwark.retry.maxAttempts")
                .hasMessageContaining("connection Properties").hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> BulwarkUrl.parse("jdbc:bulwark:bulwark:postgresql://u:pw@h/db", null))
                .isInstanceOf(SQLException.class).hasMessageContaining("another Bulwark URL")
                .hasMessageNotContaining("pw@");
    }

    @Test
    void keysOfBulwarksNamespaceInAnyCaseAreSettingsNeverPassedOn() throws SQLException {
        Properties info = new Properties();
        info.setProperty("BULWARK.name", "x");
        info.put("prepStmtCacheSize", 250); // another driver's non-String property goes on as given
        BulwarkUrl u = BulwarkUrl.parse("jdbc:bulwark:postgresql://h/db?Bulwark.retry.maxAttempts=abc&a=b", info);
        assertThat(u.targetUrl()).isEqualTo("jdbc:postgresql://h/db?a=b");
        assertThat(u.urlSettings()).containsExactly(Map.entry("Bulwark.retry.maxAttempts", "abc"));
        assertThat(u.propertySettings()).containsExactly(Map.entry("BULWARK.name", "x"));
        assertThat(u.targetProperties()).containsExactly(Map.entry("prepStmtCacheSize", 250));
    }
}
