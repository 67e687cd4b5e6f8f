package dev.bulwark.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresFrontendParserTest {

    @Test
    void cutsAfterTheSyncThatFollowsAnExtendedProtocolCommit() {
        Stream s = new Stream().startup()
                .parse("", "INSERT INTO t VALUES ($1)").bind("", "").execute("").sync()
                .parse("", "COMMIT").bind("", "").execute("").mark().sync().mark();
        assertThat(cutPoints(s.bytes(), 1)).containsExactly(s.marks.get(1));
        assertThat(cutPoints(s.bytes(), 7)).containsExactly(s.marks.get(1));
        assertThat(cutPoints(s.bytes(), s.bytes().length)).containsExactly(s.marks.get(1));
    }

    @Test
    void followsANamedCommitStatementThroughLaterBindsOnly() {
        Stream s = new Stream().startup()
                .parse("S_1", "COMMIT").bind("", "S_1").execute("").sync()
                .bind("", "S_1").execute("").sync().mark();
        Counter counter = new Counter(2);
        assertThat(feedInChunks(new PostgresFrontendParser(), s.bytes(), 3, counter)).containsExactly(s.marks.get(0));
        assertThat(counter.seen).isEqualTo(2);
    }

    @Test
    void forgetsAClosedOrRedefinedStatement() {
        Stream s = new Stream().startup()
                .parse("S_1", "COMMIT").close('S', "S_1").parse("S_1", "SELECT 1")
                .bind("", "S_1").execute("").sync();
        Counter counter = new Counter(1);
        assertThat(feedInChunks(new PostgresFrontendParser(), s.bytes(), 5, counter)).isEmpty();
        assertThat(counter.seen).isZero();
    }

    @Test
    void cutsRightAfterASimpleQueryCommit() {
        Stream s = new Stream().startup().query("SELECT 'COMMIT'").query(" end; ").mark().query("SELECT 1");
        assertThat(cutPoints(s.bytes(), 2)).containsExactly(s.marks.get(0));
    }

    @Test
    void ignoresLargeMessagesWithoutBufferingThem() {
        String big = "INSERT INTO t VALUES ('" + "x".repeat(100_000) + "')";
        Stream s = new Stream().startup().query(big).parse("", big).bind("", "").execute("").sync()
                .query("COMMIT").mark();
        assertThat(cutPoints(s.bytes(), 4096)).containsExactly(s.marks.get(0));
    }

    @Test
    void followsThePlainStartupAfterARefusedSslRequest() {
        Stream s = new Stream().sslRequest().startup().query("COMMIT").mark();
        assertThat(cutPoints(s.bytes(), 1)).containsExactly(s.marks.get(0));
    }

    @Test
    void givesUpOnTls() {
        Stream s = new Stream().sslRequest();
        s.out.writeBytes(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5});
        PostgresFrontendParser parser = new PostgresFrontendParser();
        assertThat(feedInChunks(parser, s.bytes(), 4, new Counter(1))).isEmpty();
        assertThat(parser.opaque()).isTrue();
        assertThat(parser.opaqueReason()).contains("TLS");
    }

    private static List<Integer> cutPoints(byte[] bytes, int chunk) {
        return feedInChunks(new PostgresFrontendParser(), bytes, chunk, new Counter(1));
    }

    /** Feeds the stream in chunks and returns the absolute cut offsets (the parser stops at the first). */
    static List<Integer> feedInChunks(WireParser parser, byte[] bytes, int chunk, Counter counter) {
        List<Integer> cuts = new ArrayList<>();
        for (int start = 0; start < bytes.length; start += chunk) {
            int length = Math.min(chunk, bytes.length - start);
            byte[] copy = new byte[length + 3];
            System.arraycopy(bytes, start, copy, 3, length);
            int cut = parser.feed(copy, 3, length, counter);
            if (cut >= 0) {
                cuts.add(start + cut - 3);
                break;
            }
        }
        return cuts;
    }

    /** Cuts the nth COMMIT it is told about. */
    static final class Counter implements WireParser.CommitListener {
        private final int cutAt;
        int seen;

        Counter(int cutAt) {
            this.cutAt = cutAt;
        }

        @Override
        public boolean commitSeen() {
            return ++seen == cutAt;
        }
    }

    private static final class Stream {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<Integer> marks = new ArrayList<>();

        Stream startup() {
            byte[] params = "user\0postgres\0database\0test\0\0".getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(8 + params.length).putInt(8 + params.length).putInt(196_608)
                    .put(params).array());
            return this;
        }

        Stream sslRequest() {
            out.writeBytes(ByteBuffer.allocate(8).putInt(8).putInt(80_877_103).array());
            return this;
        }

        Stream query(String sql) {
            return message('Q', cstrings(sql));
        }

        Stream parse(String name, String sql) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(cstrings(name, sql));
            body.writeBytes(new byte[] {0, 0});
            return message('P', body.toByteArray());
        }

        Stream bind(String portal, String statement) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(cstrings(portal, statement));
            body.writeBytes(new byte[] {0, 0, 0, 1, 0, 0, 0, 3, 'a', 'b', 'c', 0, 0});
            return message('B', body.toByteArray());
        }

        Stream execute(String portal) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(cstrings(portal));
            body.writeBytes(new byte[] {0, 0, 0, 1});
            return message('E', body.toByteArray());
        }

        Stream close(char kind, String name) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(kind);
            body.writeBytes(cstrings(name));
            return message('C', body.toByteArray());
        }

        Stream sync() {
            return message('S', new byte[0]);
        }

        Stream mark() {
            marks.add(out.size());
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private Stream message(char type, byte[] body) {
            out.write(type);
            out.writeBytes(ByteBuffer.allocate(4).putInt(body.length + 4).array());
            out.writeBytes(body);
            return this;
        }

        private static byte[] cstrings(String... values) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (String value : values) {
                body.writeBytes(value.getBytes(StandardCharsets.UTF_8));
                body.write(0);
            }
            return body.toByteArray();
        }
    }
}
