package dev.realtime.http;

import java.util.List;

import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.auth.Identity;
import dev.realtime.auth.RequestAuthenticator;
import dev.realtime.contract.Fields;
import dev.realtime.metrics.RealtimeMetrics;
import dev.realtime.ws.MessageHub;

/** {@code POST /messages}: a back-end job pushes to everyone or to one user (openapi.yaml {@code publish}). */
public final class PublishHandler implements Handler {
    private final RequestAuthenticator authenticator;
    private final MessageHub hub;
    private final String publishRole;

    /** @param publishRole the role a caller of {@code POST /messages} needs */
    public PublishHandler(RequestAuthenticator authenticator, MessageHub hub, String publishRole) {
        this.authenticator = authenticator;
        this.hub = hub;
        this.publishRole = publishRole;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PublishResult(int delivered, Boolean degraded) {
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Identity publisher = authenticator.bearerWithRole(req.headers(), publishRole);
        JsonNode body = JsonBodies.readObject(req, "'payload' and an optional 'to'");
        Fields.onlyMembers(body, name -> name.equals("to") || name.equals("payload"),
                           name -> "Unexpected member '" + name + "'; a push has 'payload' and an optional 'to'.");
        Fields.requiredMembers(body, List.of("payload"), member -> "'" + member + "' is required (any JSON value).");
        JsonNode to = body.get("to");
        MessageHub.Delivery delivery;
        if (to == null) {
            delivery = hub.broadcast(publisher.user(), body.get("payload")).join();
        } else {
            delivery = hub.direct(publisher.user(), Fields.userName(to), body.get("payload")).join();
        }
        RealtimeMetrics.pushDelivered(delivery.delivered());
        JsonBodies.send(res, Status.ACCEPTED_202,
                        new PublishResult(delivery.delivered(), Fields.degraded(delivery.degraded())));
    }
}
