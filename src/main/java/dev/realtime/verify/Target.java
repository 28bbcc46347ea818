package dev.realtime.verify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.realtime.verify.RawHttp.Endpoint;
import dev.realtime.verify.RawHttp.Response;

/**
 * The deployment under verification: the JDK's HTTP and WebSocket client for what they can send, and
 * {@link RawHttp} for what they cannot. TLS (https, wss) uses the JDK's trust store, as any client of the
 * service would; a private CA is added with {@code -Djavax.net.ssl.trustStore=...} (JAVA_TOOL_OPTIONS).
 */
final class Target {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final Endpoint endpoint;
    private final HttpClient client;

    Target(URI base) {
        this.base = base;
        this.endpoint = Endpoint.of(base);
        // Redirects are answers to check (301, 303), not to follow.
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    URI base() {
        return base;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    HttpClient client() {
        return client;
    }

    URI ws(String pathAndQuery) {
        return URI.create(("https".equals(base.getScheme()) ? "wss" : "ws") + "://" + base.getRawAuthority() + pathAndQuery);
    }

    /** A request through the JDK client (no body when {@code body} is null). */
    Response send(String method, String path, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers(), response.body());
    }

    /** A request on a raw socket, sent exactly as given. */
    Response raw(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        return RawHttp.exchange(endpoint, method, path, headers, body);
    }

    Response upgrade(String pathAndQuery, Map<String, String> headers) throws IOException {
        return RawHttp.upgrade(endpoint, pathAndQuery, headers);
    }
}
