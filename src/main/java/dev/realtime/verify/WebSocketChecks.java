package dev.realtime.verify;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import dev.realtime.contract.oracle.ContractOracle;
import dev.realtime.verify.Accounts.Role;
import dev.realtime.verify.Report.Result;

/**
 * The WebSocket checks, derived from asyncapi.yaml: the upgrade (both documented ways to give the token)
 * and its {@code welcome}; every example of every message a client sends, and the reply it gets (one of
 * its operation's reply messages); a deliberately wrong message for every {@code error} code; and the
 * close codes of {@code x-close-codes}. Every message the server sends is judged as a ServerMessage.
 */
final class WebSocketChecks {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Over the default limit (64 KiB) 16 times; a target configured with more is reported, not failed. */
    private static final int TOO_BIG = 1 << 20;

    private final Target target;
    private final ContractOracle oracle;
    private final JsonNode asyncApi;
    private final String token;
    private final Report report;
    /** Error codes the server answered with, from any check: forbidden may come in reply to an example. */
    private final Set<String> errorCodesSeen = new HashSet<>();
    private final List<String> unsolicited = new ArrayList<>();
    private int messagesJudged;

    WebSocketChecks(Target target, ContractOracle oracle, Accounts accounts, Report report) {
        this.target = target;
        this.oracle = oracle;
        this.asyncApi = oracle.asyncApi();
        this.token = accounts.token(Role.USER).orElseThrow();
        this.report = report;
    }

    void run() throws InterruptedException {
        upgrade("upgrade with ?token= → welcome", "/?token=" + token, Map.of());
        upgrade("upgrade with Authorization: Bearer → welcome", "/", Map.of("Authorization", "Bearer " + token));
        try (WsSession session = WsSession.open(target.client(), target.ws("/?token=" + token), Map.of())) {
            session.next(WAIT);
            clientMessages(session);
            errorCodes(session);
        } catch (IOException | TimeoutException e) {
            // Without a session the message checks cannot run: one failure says why (the close codes still run).
            report.run("ws", "a session for the message checks", () -> Result.fail("no session with a welcome: " + e.getMessage()));
        }
        closeCodes();
        report.run("ws", "every message the server sent is a documented ServerMessage",
                   () -> unsolicited.isEmpty() ? Result.pass(messagesJudged + " messages judged") : Result.fail(String.join("; ", unsolicited)));
    }

    private void upgrade(String name, String pathAndQuery, Map<String, String> headers) {
        report.run("ws", name, () -> {
            try (WsSession session = WsSession.open(target.client(), target.ws(pathAndQuery), headers)) {
                String first = session.next(WAIT);
                return judge(first, "/components/messages/welcome/payload", "first message");
            }
        });
    }

    /** Every example of every message of every operation the server receives, and its reply. */
    private void clientMessages(WsSession session) {
        for (Iterator<Map.Entry<String, JsonNode>> operations = asyncApi.path("operations").fields(); operations.hasNext(); ) {
            var operation = operations.next();
            if (!"receive".equals(operation.getValue().path("action").asText())) {
                continue;
            }
            List<String> replies = new ArrayList<>();
            operation.getValue().at("/reply/messages").forEach(ref -> replies.add(pointer(ref) + "/payload"));
            for (JsonNode ref : operation.getValue().path("messages")) {
                String messagePointer = pointer(ref);
                JsonNode message = asyncApi.at(messagePointer);
                String name = message.path("name").asText(messagePointer);
                if (message.path("examples").isEmpty()) {
                    report.skip("ws", operation.getKey() + " " + name, "asyncapi.yaml gives no example of " + messagePointer + " to send");
                    continue;
                }
                for (JsonNode example : message.path("examples")) {
                    String text = example.path("payload").toString();
                    report.run("ws", operation.getKey() + " " + name + " example '" + example.path("name").asText() + "'", () -> {
                        var valid = oracle.clientMessage(text);
                        if (!valid.ok()) {
                            return Result.fail("asyncapi.yaml's own example is not a ClientMessage: " + valid.violations());
                        }
                        session.send(text);
                        return reply(session, text, example.path("payload").path("id").asText(null), replies);
                    });
                }
            }
        }
    }

    /** The reply to {@code sent}: the next message with its id, which must match one of the documented replies. */
    private Result reply(WsSession session, String sent, String id, List<String> replyPointers)
            throws InterruptedException, TimeoutException {
        JsonNode reply = awaitReply(session, id);
        for (String replyPointer : replyPointers) {
            if (oracle.message(replyPointer, reply.toString()).ok()) {
                return Result.pass("sent " + sent + " → " + reply.path("type").asText() + " " + reply);
            }
        }
        return Result.fail("sent " + sent + " → " + reply + " is none of the documented replies " + replyPointers);
    }

    /** The next message answering {@code id} (or, for a message without one, the next error); others are judged and passed over. */
    private JsonNode awaitReply(WsSession session, String id) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            String text = session.next(left);
            var verdict = judged(text);
            JsonNode message = verdict.value();
            if ("error".equals(message.path("type").asText())) {
                errorCodesSeen.add(message.path("code").asText());
            }
            boolean answers = id == null ? "error".equals(message.path("type").asText()) : id.equals(message.path("id").asText(null));
            if (answers) {
                return message;
            }
        }
    }

    /** A deliberately wrong message for every code of the {@code error} message. */
    private void errorCodes(WsSession session) {
        String codesPointer = resolved("/components/messages/error/payload") + "/properties/code/enum";
        for (JsonNode codeNode : asyncApi.at(codesPointer)) {
            String code = codeNode.asText();
            String name = "error " + code;
            Optional<String> wrong = provoking(code);
            if (wrong.isPresent()) {
                report.run("ws", name, () -> {
                    session.send(wrong.get());
                    String id = ContractOracle.parseJson(wrong.get()).map(m -> m.path("id").asText(null)).orElse(null);
                    JsonNode reply = awaitReply(session, id);
                    List<String> violations = new ArrayList<>(
                            oracle.message("/components/messages/error/payload", reply.toString()).violations());
                    if (!code.equals(reply.path("code").asText())) {
                        violations.add("expected code " + code + ", got " + reply);
                    }
                    return Result.of(violations, "sent " + wrong.get() + " → " + reply);
                });
            } else if (errorCodesSeen.contains(code)) {
                report.run("ws", name, () -> Result.pass("answered to one of the examples above"));
            } else {
                report.skip("ws", name, notProvoked(code));
            }
        }
    }

    /** A message that must be answered with {@code code}, when one can be sent without harming the target. */
    private static Optional<String> provoking(String code) {
        return Optional.ofNullable(switch (code) {
            case "malformed_json" -> "this is not JSON";
            case "validation_failed" -> "{\"type\":\"echo\",\"id\":\"verify-validation\"}";
            case "unknown_type" -> "{\"type\":\"verify-unknown\",\"id\":\"verify-unknown\"}";
            case "user_not_connected" -> "{\"type\":\"direct\",\"id\":\"verify-direct\",\"to\":\"verify-nobody-"
                    + Long.toHexString(System.nanoTime()) + "\",\"payload\":{}}";
            default -> null;
        });
    }

    private static String notProvoked(String code) {
        return switch (code) {
            case "forbidden" -> "not provoked: needs a user without the broadcast role (the examples were allowed)";
            case "rate_limited" -> "not provoked: it would flood the target (WS_MESSAGES_PER_SECOND)";
            case "backplane_unavailable" -> "not provoked: needs the Redis backplane down";
            case "internal_error" -> "not provoked: an unexpected failure cannot be caused from outside";
            default -> "not provoked: the verifier knows no message that causes " + code;
        };
    }

    /** The close codes of x-close-codes that a client can cause on purpose. */
    private void closeCodes() {
        for (Iterator<String> codes = asyncApi.at("/channels/root/x-close-codes").fieldNames(); codes.hasNext(); ) {
            int code = Integer.parseInt(codes.next());
            String name = "close " + code;
            switch (code) {
                case 1000 -> closedWith(name, 1000, "close 1000 from the client", session -> session.sendClose(1000, ""));
                case 1003 -> closedWith(name, 1003, "a binary message", session -> session.sendBinary(new byte[] {1, 2, 3}));
                case 1009 -> closedWith(name, 1009, "a text message of " + TOO_BIG + " bytes",
                                        session -> session.send("x".repeat(TOO_BIG)));
                // Unmasked: a server must fail a client frame without a mask (RFC 6455 5.1).
                case 1002 -> rawClose(name, 1002, "an unmasked text frame", new byte[] {(byte) 0x81, 0x02, '{', '}'});
                // Masked with a zero key, so the payload byte 0xFF (never valid UTF-8) goes out as it is.
                case 1007 -> rawClose(name, 1007, "a text frame that is not UTF-8",
                                      new byte[] {(byte) 0x81, (byte) 0x81, 0, 0, 0, 0, (byte) 0xFF});
                case 1001 -> report.skip("ws", name, "not provoked: needs the target shutting down, or a client that does "
                        + "not answer pings for WS_PING_INTERVAL_SECONDS (30 s by default)");
                case 1008 -> report.skip("ws", name, "not provoked: it would flood the target (rate limit strikes) "
                        + "or need a client that stops reading (slow consumer)");
                case 1011 -> report.skip("ws", name, "not provoked: an unexpected failure cannot be caused from outside");
                default -> report.skip("ws", name, "not provoked: the verifier knows no way to cause " + code);
            }
        }
    }

    @FunctionalInterface
    private interface Action {
        void on(WsSession session) throws IOException;
    }

    private void closedWith(String name, int expected, String what, Action action) {
        report.run("ws", name, () -> {
            try (WsSession session = WsSession.open(target.client(), target.ws("/?token=" + token), Map.of())) {
                session.next(WAIT);
                action.on(session);
                return closeResult(what, expected, session.awaitClose(WAIT));
            }
        });
    }

    private void rawClose(String name, int expected, String what, byte[] frame) {
        report.run("ws", name, () -> closeResult(what, expected,
                                                 RawWebSocket.closeCodeAfter(target.endpoint(), "/?token=" + token, frame)));
    }

    private Result closeResult(String what, int expected, int code) {
        if (code == expected) {
            return Result.pass(what + " → close " + code);
        }
        String documented = oracle.documentedCloseCodes().contains(code) ? "" : " (not in x-close-codes)";
        return Result.fail(what + " → close " + code + documented + ", expected " + expected);
    }

    private Result judge(String text, String schemaPointer, String what) {
        if (WsSession.BINARY.equals(text)) {
            return Result.fail(what + ": a binary message; the contract has none");
        }
        var verdict = oracle.message(schemaPointer, text);
        return Result.of(verdict.violations(), what + ": " + verdict.value());
    }

    /** Every message the server sends must be a ServerMessage; what is not is reported at the end. */
    private ContractOracle.Verdict judged(String text) {
        messagesJudged++;
        var verdict = WsSession.BINARY.equals(text)
                ? new ContractOracle.Verdict(List.of("a binary message; the contract has none"), NullNode.getInstance())
                : oracle.serverMessage(text);
        if (!verdict.ok()) {
            unsolicited.add(String.join("; ", verdict.violations()));
        }
        return verdict;
    }

    /** A local {@code $ref} as a JSON pointer, followed through refs to refs. */
    private String pointer(JsonNode ref) {
        return resolved(ref.path("$ref").asText().substring(1));
    }

    /** The pointer itself, or where the {@code $ref} found there leads. */
    private String resolved(String pointer) {
        JsonNode node = asyncApi.at(pointer);
        return node.has("$ref") ? pointer(node) : pointer;
    }
}
