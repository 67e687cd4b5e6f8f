package dev.bulwark.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgInstallationTest {

    @Test
    void missingBinariesAreReportedWithWhatToInstall() {
        assertThatThrownBy(() -> PgInstallation.locate(Map.of(PgInstallation.BIN_ENV, "/nonexistent/pg/bin")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/nonexistent/pg/bin/")
                .hasMessageContaining("apt-get install postgresql-15")
                .hasMessageContaining(PgInstallation.BIN_ENV);
    }

    @Test
    void passwordsAreMaskedInCommandLinesAndConnectionStrings() {
        String shown = PgInstallation.display("pg_basebackup",
                List.of("--pwfile=/tmp/pw", "-d", "host=/tmp/x user=postgres password=hunter2 port=5"));
        assertThat(shown).doesNotContain("hunter2").contains("password=***", "user=postgres", "--pwfile=/tmp/pw");
        assertThat(PgInstallation.mask("primary_conninfo = 'password = ''s3cret'' host=h'\nnext line"))
                .doesNotContain("s3cret").endsWith("\nnext line");
    }
}
