package dev.realtime.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import dev.realtime.contract.ErrorCode;

/**
 * The last OPTIONS route of our routing. A CORS preflight goes on to the CORS feature, which answers it
 * from its own last route; any other OPTIONS (no {@code Origin}, or no {@code Access-Control-Request-Method})
 * would reach that route too, which sends nothing for it, and Helidon turns that into a 500. Here it is
 * what any other method on an unknown path is: 404 {@code not_found}.
 */
public final class OptionsFallback implements Handler {
    /** A request the CORS feature answers: OPTIONS with an {@code Origin} and an {@code Access-Control-Request-Method}. */
    static boolean isPreflight(ServerRequest req) {
        return req.prologue().method() == Method.OPTIONS
                && req.headers().contains(HeaderNames.ORIGIN)
                && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        if (isPreflight(req)) {
            res.next();
            return;
        }
        String path = req.path().rawPath();
        Problems.send(res, ErrorCode.NOT_FOUND, "There is nothing at " + path + ".", path);
    }
}
