package dev.bulwark.recovery.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.recovery.SqlWrite;
import dev.bulwark.recovery.UnreadableWriteException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WriteFormatTest {

    private static final Instant AT = Instant.parse("2026-11-22T05:00:00.123Z");

    private static SqlWrite everyType() {
        Timestamp ts = Timestamp.from(Instant.parse("1969-07-20T20:17:40.123456789Z"));
        return SqlWrite.of("order-42", "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                null, "grüße \u0000 ✓", (short) -7, Integer.MIN_VALUE, Long.MAX_VALUE,
                new BigDecimal("-12345678901234567890.000123"), -0.5d, 1.25f, true, new byte[] {0, -1, 42},
                ts, Date.valueOf("2024-02-29"), LocalDate.of(-44, 3, 15), LocalDateTime.of(2026, 11, 22, 5, 0, 1, 999));
    }

    @Test
    void roundTripsEverySupportedParameterType() throws Exception {
        SqlWrite write = everyType();
        byte[] payload = WriteFormat.encode(BufferedWrite.of(write, AT));

        BufferedWrite back = WriteFormat.decode(7, payload);

        assertThat(back.sql()).isEqualTo(write);
        assertThat(back.idempotencyKey()).isEqualTo("order-42");
        assertThat(back.bufferedAt()).isEqualTo(AT);
        assertThat(back.sql().parameters().get(10)).isInstanceOf(Timestamp.class)
                .satisfies(t -> assertThat(((Timestamp) t).getNanos()).isEqualTo(123456789));
        assertThat(back.sql().parameters()).extracting(p -> p == null ? null : p.getClass())
                .isEqualTo(write.parameters().stream().map(p -> p == null ? null : p.getClass()).toList());
    }

    @Test
    void roundTripsTypedWrites() throws Exception {
        byte[] body = {1, 2, 3};
        BufferedWrite back = WriteFormat.decode(1, WriteFormat.encode(BufferedWrite.typed("k:1", "order", body, AT)));

        assertThat(back.typeName()).isEqualTo("order");
        assertThat(back.body()).containsExactly(1, 2, 3);
        assertThat(back.sql()).isNull();
    }

    @Test
    void startsWithMagicAndVersion() {
        byte[] payload = WriteFormat.encode(BufferedWrite.of(SqlWrite.of("k", "DELETE FROM t"), AT));

        assertThat(ByteBuffer.wrap(payload).getInt()).isEqualTo(0x42575346);
        assertThat(payload[4]).isEqualTo((byte) 1);
        assertThat(payload[5]).isEqualTo((byte) 1);
    }

    @Test
    void refusesUnsupportedParameterTypesNamingPositionAndType() {
        assertThatThrownBy(() -> SqlWrite.of("k", "INSERT INTO t VALUES (?, ?)", 1, UUID.randomUUID()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 2").hasMessageContaining("java.util.UUID")
                .hasMessageContaining("'k'");
        assertThatThrownBy(() -> SqlWrite.of("k", "INSERT INTO t VALUES (?)", Instant.now()))
                .hasMessageContaining("java.time.Instant");
        assertThatThrownBy(() -> SqlWrite.of("k", "INSERT INTO t VALUES (?)", new Object()))
                .hasMessageContaining("parameter 1");
    }

    @Test
    void refusesBadKeysAndBlankSql() {
        assertThatThrownBy(() -> SqlWrite.of("has space", "DELETE FROM t")).hasMessageContaining("'has space'");
        assertThatThrownBy(() -> SqlWrite.of("x".repeat(65), "DELETE FROM t"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlWrite.of("k", " ")).hasMessageContaining("blank");
    }

    @Test
    void neverShowsBindValuesInToString() {
        assertThat(SqlWrite.of("k", "INSERT INTO t VALUES (?)", "secret-value").toString())
                .doesNotContain("secret-value").contains("parameters=1");
    }

    @Test
    void namesTheSequenceOfATruncatedPayload() {
        byte[] payload = WriteFormat.encode(BufferedWrite.of(everyType(), AT));
        for (int length = 0; length < payload.length; length++) {
            byte[] cut = Arrays.copyOf(payload, length);
            assertThatThrownBy(() -> WriteFormat.decode(31, cut))
                    .isInstanceOf(UnreadableWriteException.class)
                    .hasMessageContaining("journal sequence 31")
                    .satisfies(e -> assertThat(((UnreadableWriteException) e).sequence()).isEqualTo(31));
        }
    }

    @Test
    void namesWhatIsWrongWithACorruptedPayload() {
        byte[] payload = WriteFormat.encode(BufferedWrite.of(SqlWrite.of("k", "INSERT INTO t VALUES (?)", 5), AT));

        byte[] magic = payload.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> WriteFormat.decode(9, magic)).hasMessageContaining("sequence 9")
                .hasMessageContaining("magic");

        byte[] version = payload.clone();
        version[4] = 2;
        assertThatThrownBy(() -> WriteFormat.decode(9, version)).hasMessageContaining("format version 2");

        byte[] tag = payload.clone();
        tag[payload.length - 5] = 99; // the only parameter's tag, before its 4-byte int
        assertThatThrownBy(() -> WriteFormat.decode(9, tag)).hasMessageContaining("unknown type tag 99")
                .hasMessageContaining("parameter 1");

        byte[] trailing = Arrays.copyOf(payload, payload.length + 2);
        assertThatThrownBy(() -> WriteFormat.decode(9, trailing)).hasMessageContaining("2 bytes after the end");

        byte[] form = payload.clone();
        form[5] = 7;
        assertThatThrownBy(() -> WriteFormat.decode(9, form)).hasMessageContaining("unknown form 7");
    }
}
