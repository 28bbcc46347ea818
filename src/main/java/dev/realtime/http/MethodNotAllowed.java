package dev.realtime.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import dev.realtime.contract.ErrorCode;

/**
 * Registered after a path's real routes: any other method gets 405 with {@code Allow}
 * (Helidon itself answers 404). A CORS preflight passes on, so it still reaches the CORS feature;
 * a plain OPTIONS is just another method this path does not have.
 */
public final class MethodNotAllowed implements Handler {
    private final String allow;

    private MethodNotAllowed(String allow) {
        this.allow = allow;
    }

    /** A 405 whose {@code Allow} header lists {@code methods}. */
    public static MethodNotAllowed allowing(Method... methods) {
        var names = new StringBuilder();
        for (Method method : methods) {
            names.append(names.isEmpty() ? "" : ", ").append(method.text());
        }
        return new MethodNotAllowed(names.toString());
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        if (OptionsFallback.isPreflight(req)) {
            res.next();
            return;
        }
        res.headers().set(HeaderNames.ALLOW, allow);
        Problems.send(res, ErrorCode.METHOD_NOT_ALLOWED,
                      req.prologue().method().text() + " is not allowed here; use " + allow + ".",
                      req.path().rawPath());
    }
}
