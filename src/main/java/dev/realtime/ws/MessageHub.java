package dev.realtime.ws;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.cluster.Backplane;
import dev.realtime.cluster.ClusterMessage;
import dev.realtime.history.History;
import dev.realtime.history.Position;
import dev.realtime.history.Publication;
import dev.realtime.history.Replay;
import dev.realtime.metrics.RealtimeMetrics;
import dev.realtime.ws.protocol.TextFrame;

/**
 * Server push: broadcast to every session, direct to every session of one user, presence events to
 * the sessions that subscribed, the periodic tick. A message is serialized once and queued on each
 * target session here; no sender ever waits for a receiver. With a {@link Backplane} the same
 * messages reach the sessions of the other instances, and what they did not reach is said, not hidden.
 * <p>
 * Broadcasts and direct messages take the next position in their stream and are kept in its {@link History};
 * a session that resumes gets what it missed before anything live ({@link #admit}).
 */
public final class MessageHub implements SessionRegistry.Observer {
    private final SessionRegistry sessions;
    private final Backplane backplane;
    private final History history;
    private final Clock clock;
    private final StreamLocks locks = new StreamLocks();
    /** Kept apart so a join or leave costs the number of subscribers, not of sessions. */
    private final Set<ConnectedSession> presenceSubscribers = ConcurrentHashMap.newKeySet();

    /**
     * @param delivered sessions the message was handed to (here, plus those other instances reported in presence)
     * @param degraded  the other instances could not be reached: {@code delivered} counts this one only
     */
    public record Delivery(int delivered, boolean degraded) {
    }

    public MessageHub(SessionRegistry sessions, Backplane backplane, History history, Clock clock) {
        this.sessions = sessions;
        this.backplane = backplane;
        this.history = history;
        this.clock = clock;
        backplane.onRemote(this::deliverRemote);
    }

    public String instanceId() {
        return backplane.instanceId();
    }

    /**
     * Registers a session that just opened: queues its welcome (built by {@code welcome} from its streams'
     * positions and, if it named positions to resume from, what was recovered), then what it missed, then
     * makes it reachable by every push; all under its streams' locks, so that nothing published meanwhile is
     * missed or sent twice. A replay that does not fit in the session's outbound queue makes it a slow consumer.
     *
     * @return false if the session was closed instead (its replay did not fit): it was not registered
     */
    public boolean admit(ConnectedSession session, List<Position> since, Welcomer welcome) {
        String own = History.userStream(session.user());
        try (var held = locks.lock(History.BROADCAST, own)) {
            List<Outbound.StreamRecovery> recovered = new ArrayList<>();
            List<Publication> missed = new ArrayList<>();
            for (Position position : since) {
                switch (history.after(position)) {
                case Replay.Recovered r -> {
                    missed.addAll(r.missed());
                    recovered.add(new Outbound.StreamRecovery(position.stream(), true, r.missed().size(), null));
                }
                case Replay.NotRecovered n ->
                        recovered.add(new Outbound.StreamRecovery(position.stream(), false, 0, n.reason().wireName()));
                }
            }
            Outbound.Recovery recovery = since.isEmpty() ? null : Outbound.Recovery.of(recovered);
            if (recovery != null) {
                RealtimeMetrics.resumed(recovery.recovered());
            }
            welcome.welcome(List.of(history.top(History.BROADCAST), history.top(own)), recovery);
            missed.sort(Comparator.comparing(Publication::at)); // each stream stays in offset order (a stable sort)
            for (Publication publication : missed) {
                if (!session.reply(positioned(publication).frame())) {
                    return false;
                }
            }
            RealtimeMetrics.messagesReplayed(missed.size());
            sessions.add(session);
            return true;
        }
    }

    /** Queues the welcome on the session that is being admitted. */
    @FunctionalInterface
    public interface Welcomer {
        /**
         * @param streams  the session's streams' positions as of the welcome
         * @param recovery what a resume recovered; null if the session did not ask for one
         */
        void welcome(List<Position> streams, Outbound.Recovery recovery);
    }

    public Delivery broadcast(String from, JsonNode payload) {
        Publication publication;
        int local;
        try (var held = locks.lock(History.BROADCAST)) {
            publication = history.append(History.BROADCAST, from, payload);
            local = deliver(sessions.all(), new Outbound.Broadcast(publication));
        }
        OptionalInt remote = backplane.publish(ClusterMessage.positioned(backplane.instanceId(), "broadcast", null, publication))
                ? backplane.remoteSessionCount()
                : OptionalInt.empty();
        return new Delivery(local + remote.orElse(0), remote.isEmpty());
    }

    /** A {@code delivered} of 0 without {@code degraded} means {@code to} is connected nowhere. */
    public Delivery direct(String from, String to, JsonNode payload) {
        String stream = History.userStream(to);
        Publication publication;
        int local;
        try (var held = locks.lock(stream)) {
            publication = history.append(stream, from, payload);
            local = deliver(sessions.sessionsOf(to), new Outbound.Direct(publication));
        }
        OptionalInt remote = backplane.remoteSessionCount(to);
        if (remote.isPresent() && remote.getAsInt() == 0) {
            // That count may lag a session that just opened elsewhere; not sending must not rest on it.
            remote = backplane.remoteSessionCountNow(to);
        }
        if (remote.isPresent() && remote.getAsInt() > 0
                && !backplane.publish(ClusterMessage.positioned(backplane.instanceId(), "direct", to, publication))) {
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
        case "broadcast" -> deliver(sessions.all(), new Outbound.Broadcast(message.publication()));
        case "direct" -> deliver(sessions.sessionsOf(message.to()), new Outbound.Direct(message.publication()));
        case "presence" -> presenceHere(new Outbound.Presence(message.event(), message.from(), message.sessionId(), message.at()),
                                        null);
        default -> throw new IllegalArgumentException("Unknown backplane message kind " + message.kind());
        }
    }

    private static Outbound positioned(Publication publication) {
        return History.BROADCAST.equals(publication.position().stream())
                ? new Outbound.Broadcast(publication)
                : new Outbound.Direct(publication);
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
