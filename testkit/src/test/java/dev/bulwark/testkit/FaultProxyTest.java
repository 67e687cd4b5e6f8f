package dev.bulwark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.testkit.FaultProxy.CutReason;
import dev.bulwark.testkit.FaultProxy.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The proxy's API contract and socket behaviour, on loopback without a database. */
class FaultProxyTest {

    @Test
    void rejectsBadTargetsNamingTheValue() {
        assertThatThrownBy(() -> FaultProxy.builder(" ", 5432)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("targetHost");
        assertThatThrownBy(() -> FaultProxy.builder("127.0.0.1", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("targetPort").hasMessageContaining("0");
        assertThatThrownBy(() -> FaultProxy.builder("127.0.0.1", 1).withConnectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
    }

    @Test
    void rejectsBadFaultSettingsNamingTheValue() throws Exception {
        try (ServerSocket target = loopbackServer(); FaultProxy proxy = FaultProxy.start("127.0.0.1", target.getLocalPort())) {
            assertThatThrownBy(() -> proxy.setLatency(Direction.CLIENT_TO_SERVER, Duration.ofMillis(-1), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fixed").hasMessageContaining("-");
            assertThatThrownBy(() -> proxy.dropNewConnections(1.5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1.5");
            assertThatThrownBy(() -> proxy.cutCommits(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NaN");
            assertThatThrownBy(() -> proxy.cutOnCommit(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nth");
        }
    }

    @Test
    void resetsTheClientWhenTheTargetCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket gone = loopbackServer()) {
            closedPort = gone.getLocalPort();
        }
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", closedPort);
             Socket client = new Socket(proxy.host(), proxy.port())) {
            assertThat(proxy.host()).isEqualTo(InetAddress.getLoopbackAddress().getHostAddress());
            assertThat(endOfStreamOrReset(client.getInputStream())).isTrue();
            assertThat(proxy.stats().connectionsCut(CutReason.TARGET_UNREACHABLE)).isEqualTo(1);
        }
    }

    @Test
    void closeEndsOpenConnectionsAndStopsListening() throws Exception {
        try (ServerSocket target = loopbackServer()) {
            FaultProxy proxy = FaultProxy.builder("127.0.0.1", target.getLocalPort()).withSeed(1).start();
            int port = proxy.port();
            try (Socket client = new Socket(proxy.host(), port); Socket server = target.accept()) {
                client.getOutputStream().write(new byte[] {1, 2, 3});
                assertThat(server.getInputStream().readNBytes(3)).containsExactly(1, 2, 3);
                assertThat(proxy.stats().openConnections()).isEqualTo(1);
                proxy.close();
                assertThat(endOfStreamOrReset(client.getInputStream())).isTrue();
                assertThat(proxy.stats().openConnections()).isZero();
            }
            assertThatThrownBy(() -> new Socket(proxy.host(), port).close()).isInstanceOf(IOException.class);
        }
    }

    private static ServerSocket loopbackServer() throws IOException {
        return new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    }

    private static boolean endOfStreamOrReset(InputStream in) {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }
}
