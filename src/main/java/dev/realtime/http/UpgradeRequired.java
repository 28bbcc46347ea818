package dev.realtime.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import dev.realtime.contract.ErrorCode;

/** A plain {@code GET /}: the WebSocket lives here, so say how to reach it (426, {@code Upgrade: websocket}). */
public final class UpgradeRequired implements Handler {
    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        res.headers().set(HeaderNames.UPGRADE, "websocket");
        Problems.send(res, ErrorCode.UPGRADE_REQUIRED,
                      "This is the WebSocket endpoint: open a WebSocket with ?token=<token> from POST /login "
                              + "(see GET /asyncapi).",
                      "/");
    }
}
