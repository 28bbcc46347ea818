package dev.realtime.ws.protocol;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a WebSocket upgrade's {@code Origin} is the service itself: a page served by this service
 * (the web console, under whatever host name it was reached) may always open its WebSocket, as
 * gorilla/websocket and Spring allow by default. Scheme, host name and port are compared whole, so
 * look-alikes ({@code evil-host}, {@code host.evil}, another port, {@code null}) are not the service.
 * The scheme is the connection's ({@code https} with TLS), as for the HTTP routing's CORS check
 * (Helidon's requested URI), so both agree on what is the same origin.
 */
final class SameOrigin {
    private SameOrigin() {
    }

    /**
     * @param origin the request's {@code Origin} header
     * @param host the request's {@code Host} header, if any
     * @param secure whether the request came over TLS
     */
    static boolean matches(String origin, Optional<String> host, boolean secure) {
        String scheme = secure ? "https" : "http";
        Optional<URI> page = parse(origin).filter(uri -> isOrigin(uri) && uri.getScheme().equalsIgnoreCase(scheme));
        // A Host without a port means the default port of the connection's scheme.
        Optional<URI> target = host.flatMap(h -> parse(scheme + "://" + h)).filter(SameOrigin::isOrigin);
        return page.isPresent() && target.isPresent() && authority(page.get(), secure).equals(authority(target.get(), secure));
    }

    /** An origin is {@code scheme://host[:port]}, nothing more (RFC 6454 serialization); so is a Host behind a scheme. */
    private static boolean isOrigin(URI uri) {
        return uri.getScheme() != null
                && uri.getHost() != null
                && uri.getRawPath().isEmpty()
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
    }

    /** {@code host:port}, the port made explicit. */
    private static String authority(URI uri, boolean secure) {
        int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
        return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static Optional<URI> parse(String text) {
        try {
            return Optional.of(new URI(text));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
