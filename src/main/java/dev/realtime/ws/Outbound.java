package dev.realtime.ws;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.contract.ErrorCode;
import dev.realtime.contract.Fields;
import dev.realtime.contract.Json;
import dev.realtime.history.History;
import dev.realtime.history.Position;
import dev.realtime.history.Publication;
import dev.realtime.ws.protocol.TextFrame;

/** The messages the server sends ({@code ServerMessage} in asyncapi.yaml). */
public sealed interface Outbound {
    @JsonProperty
    String type();

    /** Serialized and framed once, however many sessions it goes to. */
    default TextFrame frame() {
        TextFrame.Builder frame = TextFrame.builder(256 + payloadBytes());
        Json.write(frame, this);
        return frame.build();
    }

    /** The size of a payload kept as it arrived, so that the frame is sized right the first time. */
    @JsonIgnore
    default int payloadBytes() {
        return 0;
    }

    /**
     * @param streams  the session's streams' positions as of this welcome
     * @param recovery what a resume recovered; null when the client did not ask for one
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"type", "sessionId", "user", "roles", "connectedAt", "instance", "tokenExpiresAt", "streams", "recovery"})
    record Welcome(String sessionId, String user, List<String> roles, String connectedAt, String instance,
                   String tokenExpiresAt, List<Position> streams, Recovery recovery) implements Outbound {
        /** The welcome of {@code session}, standing at {@code streams}, with what a resume recovered (or null). */
        public Welcome(ConnectedSession session, String instance, List<Position> streams, Recovery recovery) {
            this(session.id(), session.user(), session.identity().roles(), session.connectedAt().toString(), instance,
                 session.tokenExpiresAt().toString(), streams, recovery);
        }

        @Override
        public String type() {
            return "welcome";
        }
    }

    /** What a resume recovered, all streams together and each named stream. */
    @JsonPropertyOrder({"recovered", "replayed", "streams"})
    record Recovery(boolean recovered, int replayed, List<StreamRecovery> streams) {
        static Recovery of(List<StreamRecovery> streams) {
            return new Recovery(streams.stream().allMatch(StreamRecovery::recovered),
                                streams.stream().mapToInt(StreamRecovery::replayed).sum(), streams);
        }
    }

    /** @param reason why not recovered; null when it was */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"stream", "recovered", "replayed", "reason"})
    record StreamRecovery(String stream, boolean recovered, int replayed, String reason) {
    }

    @JsonPropertyOrder({"type", "id", "payload"})
    record Echo(String id, JsonNode payload) implements Outbound {
        @Override
        public int payloadBytes() {
            return Json.rawLength(payload);
        }

        @Override
        public String type() {
            return "echo";
        }
    }

    /**
     * A message of a stream, with its position: a {@code broadcast} (the broadcast stream) or a {@code direct}
     * message (a user's stream, for direct messages and targeted publishes).
     */
    @JsonPropertyOrder({"type", "from", "payload", "stream", "offset", "epoch"})
    record Pushed(String type, String from, JsonNode payload, String stream, long offset, String epoch) implements Outbound {
        Pushed(Publication publication) {
            this(History.BROADCAST.equals(publication.position().stream()) ? "broadcast" : "direct", publication.from(),
                 publication.payload(), publication.position().stream(), publication.offset(), publication.position().epoch());
        }

        @Override
        public int payloadBytes() {
            return Json.rawLength(payload);
        }
    }

    /**
     * @param delivered      sessions reached, for broadcast and direct requests; null otherwise
     * @param degraded       true when other instances could not be reached; null otherwise
     * @param tokenExpiresAt the new token's expiry, for a refresh; null otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"type", "id", "delivered", "degraded", "tokenExpiresAt"})
    record Ack(String id, Integer delivered, Boolean degraded, String tokenExpiresAt) implements Outbound {
        static Ack of(String id) {
            return new Ack(id, null, null, null);
        }

        static Ack of(String id, MessageHub.Delivery delivery) {
            return new Ack(id, delivery.delivered(), Fields.degraded(delivery.degraded()), null);
        }

        static Ack refreshed(String id, ConnectedSession session) {
            return new Ack(id, null, null, session.tokenExpiresAt().toString());
        }

        @Override
        public String type() {
            return "ack";
        }
    }

    @JsonPropertyOrder({"type", "event", "user", "sessionId", "at"})
    record Presence(String event, String user, String sessionId, String at) implements Outbound {
        @Override
        public String type() {
            return "presence";
        }
    }

    @JsonPropertyOrder({"type", "expiresAt"})
    record TokenExpiring(String expiresAt) implements Outbound {
        @Override
        public String type() {
            return "token_expiring";
        }
    }

    @JsonPropertyOrder({"type", "at", "sessions"})
    record Tick(String at, int sessions) implements Outbound {
        @Override
        public String type() {
            return "tick";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"type", "code", "message", "id"})
    record Error(String code, String message, String id) implements Outbound {
        /** @param id the id of the client message it answers, or null */
        public Error(ErrorCode code, String message, String id) {
            this(code.wireName(), message, id);
        }

        @Override
        public String type() {
            return "error";
        }
    }
}
