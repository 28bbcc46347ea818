package dev.realtime.http;

import java.util.Map;

import io.helidon.common.Weighted;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;

/**
 * The security headers helmet sets by default, on every HTTP response (the list is
 * {@code components/headers} in openapi.yaml). Stricter than helmet where an API allows it:
 * frames are denied outright and styles/fonts come from this origin only.
 * {@code upgrade-insecure-requests} is left out: it would break the plain-HTTP local stack.
 * One page is the exception: {@code /docs/websocket.html} gets a policy relaxed for AsyncAPI's renderer ({@link ApiDocs}).
 */
public final class SecurityHeaders implements HttpFeature, Weighted {
    /** Above the access log (1000) and CORS (850), so their responses carry the headers too. */
    private static final double WEIGHT = 1100;

    private static final HeaderName CONTENT_SECURITY_POLICY_HEADER = HeaderNames.create("Content-Security-Policy");
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self'; form-action 'self'; "
                    + "frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; "
                    + "script-src-attr 'none'; style-src 'self'";

    static final Map<HeaderName, String> HEADERS = Map.ofEntries(
            Map.entry(CONTENT_SECURITY_POLICY_HEADER, CONTENT_SECURITY_POLICY),
            Map.entry(HeaderNames.STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains"),
            Map.entry(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff"),
            Map.entry(HeaderNames.create("X-Frame-Options"), "DENY"),
            Map.entry(HeaderNames.create("Referrer-Policy"), "no-referrer"),
            Map.entry(HeaderNames.create("Cross-Origin-Opener-Policy"), "same-origin"),
            Map.entry(HeaderNames.create("Cross-Origin-Resource-Policy"), "same-origin"),
            Map.entry(HeaderNames.create("Origin-Agent-Cluster"), "?1"),
            Map.entry(HeaderNames.create("X-DNS-Prefetch-Control"), "off"),
            Map.entry(HeaderNames.create("X-Download-Options"), "noopen"),
            Map.entry(HeaderNames.create("X-Permitted-Cross-Domain-Policies"), "none"),
            Map.entry(HeaderNames.create("X-XSS-Protection"), "0"));

    static void applyTo(WritableHeaders<?> headers) {
        HEADERS.forEach(headers::set);
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        routing.addFilter((chain, req, res) -> {
            applyTo(res.headers());
            // The one page whose renderer cannot run under the strict policy (why: ApiDocs.ASYNCAPI_PAGE_POLICY).
            if (ApiDocs.ASYNCAPI_PAGE.equals(req.path().path())) {
                res.headers().set(CONTENT_SECURITY_POLICY_HEADER, ApiDocs.ASYNCAPI_PAGE_POLICY);
            }
            chain.proceed();
        });
    }

    @Override
    public double weight() {
        return WEIGHT;
    }
}
