package dev.realtime.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.SocketFactory;

/**
 * HTTP/1.1 on a plain socket, for what the JDK client will not send (a WebSocket upgrade whose
 * rejection we want to read whole, a body larger than its Content-Length says).
 */
public final class RawHttp {
    private RawHttp() {
    }

    public record Response(int status, HttpHeaders headers, String body) {
    }

    /** A WebSocket upgrade request for {@code pathAndQuery} with the given extra headers. */
    public static Response upgrade(int port, String pathAndQuery, Map<String, String> headers) {
        return upgrade(SocketFactory.getDefault(), port, pathAndQuery, headers);
    }

    /** As {@link #upgrade(int, String, Map)}, over the sockets of {@code sockets} (TLS ones: {@code SSLSocketFactory}). */
    public static Response upgrade(SocketFactory sockets, int port, String pathAndQuery, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Host", "127.0.0.1:" + port);
        all.put("Connection", "Upgrade");
        all.put("Upgrade", "websocket");
        all.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        all.put("Sec-WebSocket-Version", "13");
        all.putAll(headers);
        return exchange(sockets, port, "GET", pathAndQuery, all, null);
    }

    public static Response exchange(int port, String method, String path, Map<String, String> headers, byte[] body) {
        return exchange(SocketFactory.getDefault(), port, method, path, headers, body);
    }

    private static Response exchange(SocketFactory sockets, int port, String method, String path, Map<String, String> headers,
                                     byte[] body) {
        try (Socket socket = sockets.createSocket("127.0.0.1", port)) {
            write(socket, port, method, path, headers, body);
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A WebSocket peer that completes the handshake and then does nothing at all: never reads,
     * never answers a ping. The caller closes (or abandons) the socket.
     */
    public static Socket silentWebSocket(int port, String pathAndQuery) {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            write(socket, port, "GET", pathAndQuery, Map.of("Connection", "Upgrade",
                                                            "Upgrade", "websocket",
                                                            "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
                                                            "Sec-WebSocket-Version", "13"), null);
            Response response = read(socket.getInputStream());
            if (response.status() != 101) {
                socket.close();
                throw new IllegalStateException("Upgrade refused: " + response.status() + " " + response.body());
            }
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Socket socket, int port, String method, String path, Map<String, String> headers, byte[] body)
            throws IOException {
        socket.setSoTimeout(10_000);
        var request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        if (!headers.containsKey("Host")) {
            request.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        var out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
        }
        HttpHeaders httpHeaders = HttpHeaders.of(headers, (a, b) -> true);
        if (status == 101) {
            return new Response(status, httpHeaders, "");
        }
        int length = (int) httpHeaders.firstValueAsLong("Content-Length").orElse(0);
        byte[] body = in.readNBytes(length);
        return new Response(status, httpHeaders, new String(body, StandardCharsets.UTF_8));
    }

    /** One line of an HTTP/1.1 head, without its CRLF. */
    static String line(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("Connection closed in the middle of an HTTP response head");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
