package dev.realtime.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.Map;

import javax.net.SocketFactory;

import dev.realtime.verify.RawHttp.Endpoint;
import dev.realtime.verify.RawHttp.Response;

/**
 * The verifier's HTTP/1.1 on a plain socket ({@link dev.realtime.verify.RawHttp}) against the service under test, for
 * what the JDK client will not send (a WebSocket upgrade whose rejection we want to read whole, a body
 * larger than its Content-Length says).
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** A WebSocket upgrade request for {@code pathAndQuery} with the given extra headers. */
    public static Response upgrade(ServiceUnderTest target, String pathAndQuery, Map<String, String> headers) {
        try {
            return dev.realtime.verify.RawHttp.upgrade(endpoint(target), pathAndQuery, headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * As {@link #upgrade(ServiceUnderTest, String, Map)} to {@code port} on 127.0.0.1 (a TLS port of a {@link TestServer}),
     * over a socket of {@code sockets} (TLS: a test's own trust).
     */
    public static Response upgrade(SocketFactory sockets, int port, String pathAndQuery, Map<String, String> headers) {
        Endpoint endpoint = Endpoint.local(port);
        try (Socket socket = sockets.createSocket(endpoint.host(), port)) {
            socket.setSoTimeout(10_000);
            dev.realtime.verify.RawHttp.write(socket, endpoint, "GET", pathAndQuery,
                                              dev.realtime.verify.RawHttp.upgradeHeaders(headers), null);
            return dev.realtime.verify.RawHttp.read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Response exchange(ServiceUnderTest target, String method, String path, Map<String, String> headers, byte[] body) {
        try {
            return dev.realtime.verify.RawHttp.exchange(endpoint(target), method, path, headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A WebSocket peer that completes the handshake and then does nothing at all: never reads,
     * never answers a ping. The caller closes (or abandons) the socket.
     */
    public static Socket silentWebSocket(ServiceUnderTest target, String pathAndQuery) {
        Endpoint endpoint = endpoint(target);
        try {
            Socket socket = endpoint.connect();
            dev.realtime.verify.RawHttp.write(socket, endpoint, "GET", pathAndQuery,
                                              dev.realtime.verify.RawHttp.upgradeHeaders(Map.of()), null);
            Response response = dev.realtime.verify.RawHttp.read(socket.getInputStream());
            if (response.status() != 101) {
                socket.close();
                throw new IllegalStateException("Upgrade refused: " + response.status() + " " + response.body());
            }
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Endpoint endpoint(ServiceUnderTest target) {
        return new Endpoint(target.host(), target.port(), false);
    }

    /** One line of an HTTP/1.1 head, without its CRLF. */
    static String line(InputStream in) throws IOException {
        return dev.realtime.verify.RawHttp.line(in);
    }
}
