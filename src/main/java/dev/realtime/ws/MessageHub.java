package dev.realtime.ws;

import java.time.Clock;
import java.util.Collection;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.cluster.Backplane;
import dev.realtime.cluster.ClusterMessage;
import dev.realtime.metrics.RealtimeMetrics;
import dev.realtime.ws.protocol.TextFrame;

/**
 * Server push: broadcast to every session, direct to every session of one user, presence events to
 * the sessions that subscribed, the periodic tick. A message is serialized once and queued on each
 * target session here; no sender ever waits for a receiver. With a {@link Backplane} the same
 * messages reach the sessions of the other instances, and what they did not reach is said, not hidden.
 */
public final class MessageHub implements SessionRegistry.Observer {
    private final SessionRegistry sessions;
    private final Backplane backplane;
    private final Clock clock;
    /** Kept apart so a join or leave costs the number of subscribers, not of sessions. */
    private final Set<ConnectedSession> presenceSubscribers = ConcurrentHashMap.newKeySet();

    /**
     * @param delivered sessions the message was handed to (here, plus those other instances reported in presence)
     * @param degraded  the other instances could not be reached: {@code delivered} counts this one only
     */
    public record Delivery(int delivered, boolean degraded) {
    }

    public MessageHub(SessionRegistry sessions, Backplane backplane, Clock clock) {
        this.sessions = sessions;
        this.backplane = backplane;
        this.clock = clock;
        backplane.onRemote(this::deliverRemote);
    }

    public String instanceId() {
        return backplane.instanceId();
    }

    public Delivery broadcast(String from, JsonNode payload) {
        int local = deliver(sessions.all(), new Outbound.Broadcast(from, payload));
        OptionalInt remote = backplane.publish(ClusterMessage.broadcast(backplane.instanceId(), from, payload))
                ? backplane.remoteSessionCount()
                : OptionalInt.empty();
        return new Delivery(local + remote.orElse(0), remote.isEmpty());
    }

    /** A {@code delivered} of 0 without {@code degraded} means {@code to} is connected nowhere. */
    public Delivery direct(String from, String to, JsonNode payload) {
        int local = deliver(sessions.sessionsOf(to), new Outbound.Direct(from, payload));
        OptionalInt remote = backplane.remoteSessionCount(to);
        if (remote.isPresent() && remote.getAsInt() == 0) {
            // That count may lag a session that just opened elsewhere; not sending must not rest on it.
            remote = backplane.remoteSessionCountNow(to);
        }
        if (remote.isPresent() && remote.getAsInt() > 0
                && !backplane.publish(ClusterMessage.direct(backplane.instanceId(), from, to, payload))) {
            remote = OptionalInt.empty();
        }
        return new Delivery(local + remote.orElse(0), remote.isEmpty());
    }

    /** The periodic server event (the tutorial's one-second broadcast), when configured; this instance's sessions. */
    public void tick() {
        var all = sessions.all();
        deliver(all, new Outbound.Tick(clock.instant().toString(), all.size()));
    }

    @Override
    public void joined(ConnectedSession session) {
        backplane.joined(session);
        presence("join", session);
    }

    @Override
    public void left(ConnectedSession session) {
        presenceSubscribers.remove(session);
        backplane.left(session);
        presence("leave", session);
    }

    /** {@code subscribe} / {@code unsubscribe} to presence events. */
    public void presenceEvents(ConnectedSession session, boolean wanted) {
        if (wanted) {
            presenceSubscribers.add(session);
        } else {
            presenceSubscribers.remove(session);
        }
    }

    private void presence(String event, ConnectedSession session) {
        String at = clock.instant().toString();
        presenceHere(new Outbound.Presence(event, session.user(), session.id(), at), session);
        backplane.publish(ClusterMessage.presence(backplane.instanceId(), event, session.user(), session.id(), at));
    }

    private void presenceHere(Outbound.Presence event, ConnectedSession about) {
        var subscribers = presenceSubscribers.stream()
                .filter(s -> s != about)
                .toList();
        if (!subscribers.isEmpty()) {
            deliver(subscribers, event);
        }
    }

    /** A message another instance published: delivered to this instance's sessions. */
    private void deliverRemote(ClusterMessage message) {
        switch (message.kind()) {
        case "broadcast" -> deliver(sessions.all(), new Outbound.Broadcast(message.from(), message.payload()));
        case "direct" -> deliver(sessions.sessionsOf(message.to()), new Outbound.Direct(message.from(), message.payload()));
        case "presence" -> presenceHere(new Outbound.Presence(message.event(), message.from(), message.sessionId(), message.at()),
                                        null);
        default -> throw new IllegalArgumentException("Unknown backplane message kind " + message.kind());
        }
    }

    private static int deliver(Collection<ConnectedSession> targets, Outbound message) {
        TextFrame frame = message.frame();
        int delivered = 0;
        for (ConnectedSession target : targets) {
            if (target.send(frame)) {
                delivered++;
            }
        }
        RealtimeMetrics.messagesOut(message.type(), delivered);
        return delivered;
    }
}
