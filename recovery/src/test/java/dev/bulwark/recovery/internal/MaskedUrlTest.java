package dev.bulwark.recovery.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MaskedUrlTest {

    @Test
    void masksUserInfoAndPasswordParameters() {
        assertThat(MaskedUrl.of("jdbc:postgresql://app:s3cret@db:5432/shop?user=app&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://***@db:5432/shop?user=app&password=***&ssl=true");
        assertThat(MaskedUrl.of("jdbc:mariadb://db/shop?pwd=x;sslPassword=y"))
                .isEqualTo("jdbc:mariadb://db/shop?pwd=***;sslPassword=***");
        assertThat(MaskedUrl.of("jdbc:sqlite:/tmp/a.db")).isEqualTo("jdbc:sqlite:/tmp/a.db");
        assertThat(MaskedUrl.of(null)).isEqualTo("unknown");
    }
}
