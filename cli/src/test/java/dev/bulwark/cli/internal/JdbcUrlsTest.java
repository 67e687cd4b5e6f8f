package dev.bulwark.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The command line masks credentials in every URL form it may print. */
class JdbcUrlsTest {

    @Test
    void masksEveryCredentialForm() {
        assertThat(JdbcUrls.mask("jdbc:postgresql://app:p@ss@word@h:5432/db?x=1"))
                .isEqualTo("jdbc:postgresql://***@h:5432/db?x=1");
        assertThat(JdbcUrls.mask("jdbc:oracle:thin:scott/tiger@//db:1521/orders"))
                .isEqualTo("jdbc:oracle:thin:***@//db:1521/orders");
        assertThat(JdbcUrls.mask("jdbc:sqlserver://h;user=a;password={se;cr}}et};databaseName=c"))
                .isEqualTo("jdbc:sqlserver://h;user=a;password=***;databaseName=c");
        assertThat(JdbcUrls.mask("jdbc:mariadb://h/db?user=a&password=b&x=1"))
                .isEqualTo("jdbc:mariadb://h/db?user=a&password=***&x=1");
    }

    @Test
    void masksPasswordsHoldingSeparatorsAndSecretsOfOtherNames() {
        assertThat(JdbcUrls.mask("jdbc:postgresql://app:pa/ss?w;d@h:5432/db")).isEqualTo("jdbc:postgresql://***@h:5432/db");
        assertThat(JdbcUrls.mask("jdbc:mysql://:secret@h/db")).isEqualTo("jdbc:mysql://***@h/db");
        assertThat(JdbcUrls.mask("jdbc:postgresql://h/db?user=a&password=se;cret&x=1"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=***&x=1");
        assertThat(JdbcUrls.mask("jdbc:sqlserver://h;user=a;password=se&cret;db=c"))
                .isEqualTo("jdbc:sqlserver://h;user=a;password=***;db=c");
        assertThat(JdbcUrls.mask("jdbc:mysql://h/db?password1=a&awsSecretAccessKey=b&x=1"))
                .isEqualTo("jdbc:mysql://h/db?password1=***&awsSecretAccessKey=***&x=1");
    }

    @Test
    void aMysqlUrlGoesToTheDriverAsMariadbAndOtherUrlsUnchanged() {
        assertThat(JdbcUrls.forDriver("jdbc:mysql://db:3306/shop?useSSL=false")).isEqualTo("jdbc:mariadb://db:3306/shop?useSSL=false");
        assertThat(JdbcUrls.forDriver("jdbc:mariadb://db/shop")).isEqualTo("jdbc:mariadb://db/shop");
        assertThat(JdbcUrls.forDriver("jdbc:postgresql://db/shop")).isEqualTo("jdbc:postgresql://db/shop");
    }

    @Test
    void aUrlWithoutABundledDriverIsRefusedNamingTheSupportedOnesAndMaskingCredentials() {
        for (String url : JdbcUrls.SUPPORTED) {
            assertThat(JdbcUrls.unsupported("<jdbc-url>", url + "//h/db")).isNull();
        }
        assertThat(JdbcUrls.unsupported("<jdbc-url>", "jdbc:oracle:thin:scott/tiger@//db:1521/orders"))
                .startsWith("<jdbc-url> 'jdbc:oracle:thin:***@//db:1521/orders' has no driver in the bulwark command")
                .contains("jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql: (through MariaDB Connector/J) and jdbc:sqlite:")
                .doesNotContain("tiger");
        assertThat(JdbcUrls.unsupported("--url", "postgres://u:pw@h/db")).isEqualTo("--url must start with jdbc:, was 'postgres://***@h/db'");
    }
}
