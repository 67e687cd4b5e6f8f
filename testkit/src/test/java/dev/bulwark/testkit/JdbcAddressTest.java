package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JdbcAddressTest {

    @Test
    void parsesHostPortDatabaseAndQuery() {
        JdbcAddress a = JdbcAddress.parse("jdbc:postgresql://db.example:5433/app?ssl=true&currentSchema=s");
        assertThat(a.scheme()).isEqualTo("postgresql");
        assertThat(a.host()).isEqualTo("db.example");
        assertThat(a.port()).isEqualTo(5433);
        assertThat(a.database()).isEqualTo("app");
        assertThat(a.query()).isEqualTo("ssl=true&currentSchema=s");
        assertThat(a.toString()).isEqualTo("jdbc:postgresql://db.example:5433/app?ssl=true&currentSchema=s");
    }

    @Test
    void replacesHostAndPortForAProxy() {
        JdbcAddress a = JdbcAddress.parse("jdbc:mariadb://127.0.0.1:3306/test").withHostAndPort("localhost", 40000);
        assertThat(a.toString()).isEqualTo("jdbc:mariadb://localhost:40000/test");
    }

    @Test
    void masksPasswordsInQueryAndUserInfo() {
        assertThat(JdbcAddress.parse("jdbc:postgresql://h:1/d?user=u&password=secret").masked())
                .doesNotContain("secret").contains("password=***");
        assertThat(JdbcAddress.maskUrl("jdbc:mysql://u:secret@h/d")).doesNotContain("secret");
    }

    @Test
    void rejectsAUrlWithoutHostNamingItMasked() {
        assertThatThrownBy(() -> JdbcAddress.parse("jdbc:postgresql:///d?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no host")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> JdbcAddress.parse("postgres://h/d"))
                .hasMessageContaining("not a JDBC URL");
    }
}
