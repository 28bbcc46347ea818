package dev.realtime.http;

import java.lang.System.Logger.Level;

import io.helidon.http.HttpException;
import io.helidon.http.NotFoundException;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;

/**
 * Maps whatever a handler (or the WebSocket handshake) throws to a problem document.
 * Unexpected failures are logged with their stack trace and answered with a plain 500.
 */
public final class ProblemErrorHandler implements ErrorHandler<Throwable> {
    private static final System.Logger LOG = System.getLogger(ProblemErrorHandler.class.getName());

    @Override
    public void handle(ServerRequest req, ServerResponse res, Throwable throwable) {
        // Absolute: inside a registered service (the console's static content) the path is relative to its context.
        String path = req.path().absolute().rawPath();
        if (throwable instanceof ApiException e) {
            Problems.send(res, e, path);
        } else if (throwable instanceof NotFoundException) {
            Problems.send(res, ErrorCode.NOT_FOUND, "There is nothing at " + path + ".", path);
        } else if (throwable instanceof HttpException e && e.status().code() < 400) {
            // No error: static content answers a conditional request this way (304 Not Modified, with its ETag).
            e.headers().forEach(res.headers()::set);
            res.status(e.status()).send();
        } else if (throwable instanceof HttpException e && e.status().code() < 500) {
            ErrorCode code = ErrorCode.forStatus(e.status().code());
            Problems.send(res, code, code.title() + ".", path);
        } else {
            LOG.log(Level.ERROR, "Unhandled failure on " + req.prologue().method().text() + " " + path, throwable);
            Problems.send(res, ErrorCode.INTERNAL_ERROR, "The server failed to handle this request.", path);
        }
    }
}
