package dev.realtime.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A test user's WebSocket session that has read its welcome: the client, the user, the session id
 * the server gave it and the welcome itself. Test users log in with {@code <name>-password}; tokens are cached
 * per server, since each login costs a bcrypt check.
 */
public record Peer(String user, String sessionId, JsonNode welcome, WsClient client) implements AutoCloseable {
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static final AtomicInteger PROBES = new AtomicInteger();

    /** Connects as {@code user} and reads the welcome. */
    public static Peer connect(ServiceUnderTest server, String user) {
        WsClient client = open(server, user);
        JsonNode welcome = client.next("welcome");
        assertEquals(user, welcome.get("user").asText(), "welcome: " + welcome);
        return new Peer(user, welcome.get("sessionId").asText(), welcome, client);
    }

    /** Connects as {@code user}, leaving the welcome to the caller. */
    public static WsClient open(ServiceUnderTest server, String user) {
        return WsClient.connect(server.ws("/?token=" + token(server, user)));
    }

    /** A token of the test user {@code user} for this server. */
    public static String token(ServiceUnderTest server, String user) {
        return TOKENS.computeIfAbsent(server.port() + "/" + user, k -> Http.login(server, user, user + "-password"));
    }

    public Peer send(String json) {
        client.send(json);
        return this;
    }

    public JsonNode next(String type) {
        return client.next(type);
    }

    /**
     * Proves that nothing was queued for this session before now: an echo sent now is answered, and
     * its answer is the next message (a session's messages are written in the order they were queued).
     */
    public void assertNothingReceived() {
        String id = "probe-" + PROBES.incrementAndGet();
        client.send("{\"type\":\"echo\",\"id\":\"" + id + "\",\"payload\":null}");
        JsonNode next = client.next();
        assertEquals("echo", next.path("type").asText(), user + "'s session " + sessionId + " got an unexpected message: " + next);
        assertEquals(id, next.path("id").asText(), "echo id; message: " + next);
    }

    @Override
    public void close() {
        client.close();
    }
}
