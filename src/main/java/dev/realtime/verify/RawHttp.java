package dev.realtime.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 on a plain (or TLS) socket, for what the JDK client will not send: a WebSocket upgrade
 * whose answer we want to read whole (its 101 headers, or the problem document of a refusal), a
 * Content-Length the body does not match.
 */
public final class RawHttp {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private RawHttp() {
    }

    /** Where to connect: {@code http}/{@code ws} or, with TLS and the JDK's trust store, {@code https}/{@code wss}. */
    public record Endpoint(String host, int port, boolean tls) {
        /** The host and port of {@code uri} (http or https). */
        public static Endpoint of(URI uri) {
            boolean tls = "https".equals(uri.getScheme()) || "wss".equals(uri.getScheme());
            return new Endpoint(uri.getHost(), uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort(), tls);
        }

        /** {@code 127.0.0.1:port}, plain. */
        public static Endpoint local(int port) {
            return new Endpoint("127.0.0.1", port, false);
        }

        /** The Host header's value. */
        public String authority() {
            return host + ":" + port;
        }

        /** A connected socket; with TLS, the handshake done and the certificate checked against the host name. */
        public Socket connect() throws IOException {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            if (!tls) {
                return socket;
            }
            var ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(socket, host, port, true);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(parameters);
            ssl.startHandshake();
            return ssl;
        }
    }

    /** A response as read off the socket. */
    public record Response(int status, HttpHeaders headers, String body) {
    }

    /** The headers of a WebSocket upgrade request (a fixed key: the answer's accept value is not what is tested). */
    public static Map<String, String> upgradeHeaders(Map<String, String> extra) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Connection", "Upgrade");
        all.put("Upgrade", "websocket");
        all.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        all.put("Sec-WebSocket-Version", "13");
        all.putAll(extra);
        return all;
    }

    /** A WebSocket upgrade request for {@code pathAndQuery}; the connection is closed after the answer's head. */
    public static Response upgrade(Endpoint endpoint, String pathAndQuery, Map<String, String> headers) throws IOException {
        return exchange(endpoint, "GET", pathAndQuery, upgradeHeaders(headers), null);
    }

    /** One request on a fresh connection; the body is sent as given, whatever the headers say. */
    public static Response exchange(Endpoint endpoint, String method, String path, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket socket = endpoint.connect()) {
            write(socket, endpoint, method, path, headers, body);
            return read(socket.getInputStream());
        }
    }

    /** Writes a request head (with a Host header unless given) and the body. */
    public static void write(Socket socket, Endpoint endpoint, String method, String path, Map<String, String> headers,
                             byte[] body) throws IOException {
        var request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        if (!headers.containsKey("Host")) {
            request.append("Host: ").append(endpoint.authority()).append("\r\n");
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

    /** A response: its head, and its body by Content-Length (none after a 101). */
    public static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ");
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[0-9]{3}")) {
            throw new IOException("Not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            if (colon < 1) {
                throw new IOException("Not an HTTP header line: " + line);
            }
            headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
        }
        HttpHeaders httpHeaders = HttpHeaders.of(headers, (a, b) -> true);
        if (status == 101) {
            return new Response(status, httpHeaders, "");
        }
        byte[] body = httpHeaders.firstValue("Transfer-Encoding").filter(coding -> coding.contains("chunked")).isPresent()
                ? chunked(in)
                : in.readNBytes((int) httpHeaders.firstValueAsLong("Content-Length").orElse(0));
        return new Response(status, httpHeaders, new String(body, StandardCharsets.UTF_8));
    }

    /** A chunked body (RFC 9112 7.1), as a proxy in front of the service may send it; trailers are skipped. */
    private static byte[] chunked(InputStream in) throws IOException {
        var body = new ByteArrayOutputStream();
        for (int length = chunkSize(line(in)); length > 0; length = chunkSize(line(in))) {
            body.write(in.readNBytes(length));
            line(in);
        }
        String trailer;
        do {
            trailer = line(in);
        } while (!trailer.isEmpty());
        return body.toByteArray();
    }

    private static int chunkSize(String line) throws IOException {
        try {
            return Integer.parseInt(line.split(";")[0].trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("Not a chunk size: " + line);
        }
    }

    /** One line of an HTTP/1.1 head, without its CRLF. */
    public static String line(InputStream in) throws IOException {
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
