package dev.realtime.ws;

import java.time.Clock;
import java.util.Collection;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.contract.Json;
import dev.realtime.metrics.RealtimeMetrics;

/**
 * Server push: broadcast to every session, direct to every session of one user, presence events to
 * the sessions that subscribed, the periodic tick. A message is serialized once and queued on each
 * target session; no sender ever waits for a receiver.
 */
public final class MessageHub implements SessionRegistry.Observer {
    private final SessionRegistry sessions;
    private final Clock clock;

    public MessageHub(SessionRegistry sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    /** @return the number of sessions the message was queued for */
    public int broadcast(String from, JsonNode payload) {
        return deliver(sessions.all(), new Outbound.Broadcast(from, payload));
    }

    /** @return the number of sessions of {@code to} the message was queued for (0: not connected) */
    public int direct(String from, String to, JsonNode payload) {
        return deliver(sessions.sessionsOf(to), new Outbound.Direct(from, payload));
    }

    /** The periodic server event (the tutorial's one-second broadcast), when configured. */
    public void tick() {
        var all = sessions.all();
        deliver(all, new Outbound.Tick(clock.instant().toString(), all.size()));
    }

    @Override
    public void joined(ConnectedSession session) {
        presence("join", session);
    }

    @Override
    public void left(ConnectedSession session) {
        presence("leave", session);
    }

    private void presence(String event, ConnectedSession session) {
        var subscribers = sessions.all().stream()
                .filter(ConnectedSession::presenceSubscriber)
                .filter(s -> s != session)
                .toList();
        if (!subscribers.isEmpty()) {
            deliver(subscribers, new Outbound.Presence(event, session.user(), session.id(), clock.instant().toString()));
        }
    }

    private static int deliver(Collection<ConnectedSession> targets, Outbound message) {
        String json = Json.write(message);
        int delivered = 0;
        for (ConnectedSession target : targets) {
            if (target.send(json)) {
                delivered++;
            }
        }
        RealtimeMetrics.messagesOut(message.type(), delivered);
        return delivered;
    }
}
