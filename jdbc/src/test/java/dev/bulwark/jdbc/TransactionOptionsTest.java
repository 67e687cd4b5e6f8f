package dev.bulwark.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransactionOptionsTest {

    @Test
    void defaultsKeepTheDataSourceSettingsAndAreNotIdempotent() {
        TransactionOptions d = TransactionOptions.defaults();
        assertThat(d.isolation()).isEmpty();
        assertThat(d.deadline()).isEmpty();
        assertThat(d.maxAttempts()).isEmpty();
        assertThat(d.readOnly()).isFalse();
        assertThat(d.idempotent()).isFalse();
    }

    @Test
    void builderSetsEachOptionAndToBuilderCopies() {
        TransactionOptions o = TransactionOptions.builder()
                .withIsolation(Connection.TRANSACTION_SERIALIZABLE).withReadOnly(true)
                .withDeadline(Duration.ofSeconds(2)).withIdempotent(true).withMaxAttempts(3).build();
        TransactionOptions copy = o.toBuilder().build();
        for (TransactionOptions each : new TransactionOptions[] {o, copy}) {
            assertThat(each.isolation()).hasValue(Connection.TRANSACTION_SERIALIZABLE);
            assertThat(each.readOnly()).isTrue();
            assertThat(each.deadline()).hasValue(Duration.ofSeconds(2));
            assertThat(each.idempotent()).isTrue();
            assertThat(each.maxAttempts()).hasValue(3);
        }
    }

    @Test
    void rejectsBadValuesNamingTheOptionAndValue() {
        TransactionOptions.Builder b = TransactionOptions.builder();
        assertThatThrownBy(() -> b.withIsolation(3)).hasMessageContaining("isolation: 3");
        assertThatThrownBy(() -> b.withDeadline(Duration.ZERO)).hasMessageContaining("deadline: must be positive");
        assertThatThrownBy(() -> b.withDeadline(Duration.ofMillis(-1))).hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> b.withMaxAttempts(0)).hasMessageContaining("maxAttempts: must be at least 1, was 0");
        assertThatThrownBy(() -> b.withDeadline(null)).isInstanceOf(NullPointerException.class);
    }
}
