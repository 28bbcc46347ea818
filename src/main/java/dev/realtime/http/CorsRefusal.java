package dev.realtime.http;

import java.util.Optional;

import io.helidon.common.Weighted;
import io.helidon.common.uri.UriInfo;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;

import dev.realtime.config.CorsSettings;
import dev.realtime.contract.ErrorCode;

/**
 * Refuses a cross-origin request from an origin that is not allowed ({@code CORS_ORIGIN}) with the
 * contract's 403 {@code origin_not_allowed} problem document. Helidon's CORS feature refuses the same
 * requests, but with an empty body and no Content-Type, so this runs just before it and answers first.
 * Preflights (OPTIONS) are left to the CORS feature: their 403 is documented with an empty body.
 * As for the CORS feature, a request whose {@code Origin} is this server itself is not cross-origin.
 */
public final class CorsRefusal implements HttpFeature, Weighted {
    /** Under the access log (1000), so refusals are logged; above CORS (850), so this answers first. */
    private static final double WEIGHT = 900;

    private final CorsSettings cors;

    /** @param cors the origins allowed to call the API from a browser */
    public CorsRefusal(CorsSettings cors) {
        this.cors = cors;
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        routing.addFilter((chain, req, res) -> {
            Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
            if (req.prologue().method() != Method.OPTIONS
                    && origin.isPresent()
                    && !cors.allows(origin.get())
                    && !isSelf(req, origin.get())) {
                Problems.send(res, ErrorCode.ORIGIN_NOT_ALLOWED,
                              "Requests from this origin are not allowed (see CORS_ORIGIN).", req.path().rawPath());
                return;
            }
            chain.proceed();
        });
    }

    @Override
    public double weight() {
        return WEIGHT;
    }

    /** The origin names the host the request was sent to (default ports made explicit, as browsers omit them). */
    private static boolean isSelf(ServerRequest req, String origin) {
        UriInfo uri = req.requestedUri();
        return withPort(origin).equalsIgnoreCase(uri.scheme() + "://" + uri.host() + ":" + uri.port());
    }

    private static String withPort(String origin) {
        int endOfScheme = origin.indexOf(':');
        if (endOfScheme < 0 || origin.indexOf(':', endOfScheme + 1) >= 0) {
            return origin;
        }
        return origin + (origin.startsWith("https:") ? ":443" : ":80");
    }
}
