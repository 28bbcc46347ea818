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
        String path = req.path().rawPath();
        if (throwable instanceof ApiException e) {
            Problems.send(res, e, path);
        } else if (throwable instanceof NotFoundException) {
            Problems.send(res, ErrorCode.NOT_FOUND, "There is nothing at " + path + ".", path);
        } else if (throwable instanceof HttpException e && e.status().code() < 500) {
            ErrorCode code = ErrorCode.forStatus(e.status().code());
            Problems.send(res, code, code.title() + ".", path);
        } else {
            LOG.log(Level.ERROR, "Unhandled failure on " + req.prologue().method().text() + " " + path, throwable);
            Problems.send(res, ErrorCode.INTERNAL_ERROR, "The server failed to handle this request.", path);
        }
    }
}
