package dev.bulwark.testkit.internal;

import static dev.bulwark.testkit.internal.PostgresFrontendParserTest.feedInChunks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testkit.internal.PostgresFrontendParserTest.Counter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MariaDbClientParserTest {

    private static final int PLAIN_CAPABILITIES = 0x0000_A28F; // protocol 4.1, transactions, no SSL, no compression

    @Test
    void cutsRightAfterAComQueryCommit() {
        Stream s = new Stream().handshake(PLAIN_CAPABILITIES).query("SET autocommit=0").query("INSERT INTO t VALUES (1)")
                .query("COMMIT").mark().query("SELECT 1");
        for (int chunk : new int[] {1, 3, 1000}) {
            assertThat(feedInChunks(new MariaDbClientParser(), s.bytes(), chunk, new Counter(1)))
                    .containsExactly(s.marks.get(0));
        }
    }

    @Test
    void ignoresCommitTextThatIsNotACommandOrNotACommit() {
        Stream s = new Stream().handshake(PLAIN_CAPABILITIES).packet(1, (byte) 0x03, "COMMIT")
                .query("SELECT 'COMMIT'").packet(0, (byte) 0x16, "COMMIT");
        Counter counter = new Counter(1);
        assertThat(feedInChunks(new MariaDbClientParser(), s.bytes(), 2, counter)).isEmpty();
        assertThat(counter.seen).isZero();
    }

    @Test
    void givesUpWhenTheClientAsksForTls() {
        Stream s = new Stream().handshake(PLAIN_CAPABILITIES | 0x800).query("COMMIT");
        MariaDbClientParser parser = new MariaDbClientParser();
        assertThat(feedInChunks(parser, s.bytes(), 5, new Counter(1))).isEmpty();
        assertThat(parser.opaqueReason()).contains("TLS");
    }

    private static final class Stream {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<Integer> marks = new ArrayList<>();

        Stream handshake(int capabilities) {
            byte[] payload = new byte[40];
            payload[0] = (byte) capabilities;
            payload[1] = (byte) (capabilities >>> 8);
            payload[2] = (byte) (capabilities >>> 16);
            payload[3] = (byte) (capabilities >>> 24);
            return raw(1, payload);
        }

        Stream query(String sql) {
            return packet(0, (byte) 0x03, sql);
        }

        Stream packet(int sequence, byte command, String text) {
            byte[] sql = text.getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[sql.length + 1];
            payload[0] = command;
            System.arraycopy(sql, 0, payload, 1, sql.length);
            return raw(sequence, payload);
        }

        Stream mark() {
            marks.add(out.size());
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private Stream raw(int sequence, byte[] payload) {
            out.write(payload.length & 0xFF);
            out.write(payload.length >>> 8 & 0xFF);
            out.write(payload.length >>> 16 & 0xFF);
            out.write(sequence);
            out.writeBytes(payload);
            return this;
        }
    }
}
