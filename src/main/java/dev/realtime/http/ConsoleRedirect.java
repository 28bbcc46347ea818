package dev.realtime.http;

import java.util.Locale;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A plain {@code GET /} from a browser (its {@code Accept} names {@code text/html}) is someone opening the
 * service's address: send them to the web console (303). Anything else goes on to {@link UpgradeRequired}.
 */
public final class ConsoleRedirect implements Handler {
    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        if (asksForHtml(req)) {
            res.status(Status.SEE_OTHER_303).header(HeaderNames.LOCATION, "/console/").send();
        } else {
            res.next();
        }
    }

    private static boolean asksForHtml(ServerRequest req) {
        return req.headers().contains(HeaderNames.ACCEPT)
                && req.headers().get(HeaderNames.ACCEPT).allValues().stream()
                .anyMatch(accept -> accept.toLowerCase(Locale.ROOT).contains("text/html"));
    }
}
