package dev.realtime.ws;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.realtime.cluster.Backplane;
import dev.realtime.cluster.ClusterMessage.Change;
import dev.realtime.cluster.ClusterMessage.PresenceEvent;
import dev.realtime.history.Broker;
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
    private final Broker broker;
    private final Clock clock;
    private final StreamLocks locks = new StreamLocks();
    /** How long a publisher waits for its message to come back from the broker to this instance's sessions. */
    private static final Duration LOCAL_DELIVERY_WAIT = Duration.ofSeconds(1);
    private static final Executor WAKE_UPS = Executors.newVirtualThreadPerTaskExecutor();
    /**
     * The last position of each recently used stream delivered here; bounded, since anyone may send a direct
     * message to any name (a stream forgotten here only makes its publisher wait out its wait). Written under the
     * stream's lock.
     */
    /** Publishers waiting for their message to be delivered here, by stream (under the stream's lock). */
    private final Map<String, List<Waiter>> waiting = new ConcurrentHashMap<>();
    private final Map<String, Position> deliveredUpTo = Caffeine.newBuilder().maximumSize(10_000).<String, Position>build().asMap();
    /** Kept apart so a join or leave costs the number of subscribers, not of sessions. */
    private final Set<ConnectedSession> presenceSubscribers = ConcurrentHashMap.newKeySet();

    /**
     * @param delivered sessions the message was handed to (here, plus those other instances reported in presence)
     * @param degraded  the other instances could not be reached: {@code delivered} counts this one only
     */
    public record Delivery(int delivered, boolean degraded) {
    }

    /** Listens to the backplane's presence events and the broker's publications from here on. */
    public MessageHub(SessionRegistry sessions, Backplane backplane, Broker broker, Clock clock) {
        this.sessions = sessions;
        this.backplane = backplane;
        this.broker = broker;
        this.clock = clock;
        backplane.onRemote(this::presenceFromElsewhere);
        broker.onPublication(this::deliver);
    }

    /** This instance's name, as {@code welcome.instance} says it. */
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
            // Where the session stands in each stream: after its replay, else the stream's top now.
            Map<String, Position> standing = new HashMap<>();
            for (Position position : since) {
                switch (broker.after(position)) {
                case Replay.Recovered r -> {
                    missed.addAll(r.missed());
                    standing.put(position.stream(), r.missed().isEmpty() ? position : r.missed().getLast().position());
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
            List<Position> positions = List.of(standing.computeIfAbsent(History.BROADCAST, broker::top),
                                               standing.computeIfAbsent(own, broker::top));
            positions.forEach(session::saw);
            welcome.welcome(positions, recovery);
            missed.sort(Comparator.comparing(Publication::at)); // each stream stays in offset order (a stable sort)
            for (Publication publication : missed) {
                if (!session.reply(new Outbound.Pushed(publication).frame())) {
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

    /** Completes once this instance's sessions have it (the sender's own copy comes before its ack). */
    public CompletableFuture<Delivery> broadcast(String from, JsonNode payload) {
        int local = sessions.size();
        return publish(History.BROADCAST, from, payload).thenApply(shared -> {
            OptionalInt remote = shared ? backplane.remoteSessionCount() : OptionalInt.empty();
            return new Delivery(local + remote.orElse(0), remote.isEmpty());
        });
    }

    /**
     * A {@code delivered} of 0 without {@code degraded} means {@code to} is connected nowhere (the message is
     * kept in the user's stream all the same, for a session that resumes).
     */
    public CompletableFuture<Delivery> direct(String from, String to, JsonNode payload) {
        int local = sessions.countOf(to);
        return publish(History.userStream(to), from, payload).thenApply(shared -> {
            if (!shared) {
                return new Delivery(local, true);
            }
            OptionalInt remote = backplane.remoteSessionCount(to);
            if (remote.isPresent() && remote.getAsInt() == 0) {
                // That count may lag a session that just opened elsewhere; user_not_connected must not rest on it.
                remote = backplane.remoteSessionCountNow(to);
            }
            return new Delivery(local + remote.orElse(0), remote.isEmpty());
        });
    }

    /**
     * Publishes (in the caller's order: the stream's lock is held while the message is handed to the broker, not
     * while the broker works), and completes once this instance's sessions have it, at most
     * {@link #LOCAL_DELIVERY_WAIT} later, with a broker that hands publications back later as with one that
     * delivers at once.
     *
     * @return completes with false if only this instance got it (degraded)
     */
    private CompletableFuture<Boolean> publish(String stream, String from, JsonNode payload) {
        CompletableFuture<Broker.Published> published;
        try (var held = locks.lock(stream)) {
            published = broker.publish(stream, from, payload);
        }
        return published.thenCompose(p -> p.deliveredHere()
                ? CompletableFuture.completedFuture(p.shared())
                : deliveredHere(p.publication().position()).thenApply(delivered -> p.shared()));
    }

    /** Completes when {@code position} was delivered to this instance's sessions (or after {@link #LOCAL_DELIVERY_WAIT}). */
    private CompletableFuture<Void> deliveredHere(Position position) {
        CompletableFuture<Void> delivered = new CompletableFuture<>();
        try (var held = locks.lock(position.stream())) {
            if (isDelivered(position)) {
                return CompletableFuture.completedFuture(null);
            }
            waiting.computeIfAbsent(position.stream(), s -> new ArrayList<>()).add(new Waiter(position, delivered));
        }
        delivered.completeOnTimeout(null, LOCAL_DELIVERY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        delivered.whenComplete((done, failure) -> forget(position, delivered));
        return delivered;
    }

    private record Waiter(Position position, CompletableFuture<Void> delivered) {
    }

    private void forget(Position position, CompletableFuture<Void> delivered) {
        try (var held = locks.lock(position.stream())) {
            List<Waiter> list = waiting.get(position.stream());
            if (list != null) {
                list.removeIf(w -> w.delivered() == delivered);
                if (list.isEmpty()) {
                    waiting.remove(position.stream());
                }
            }
        }
    }

    private boolean isDelivered(Position position) {
        Position last = deliveredUpTo.get(position.stream());
        return last != null && last.epoch().equals(position.epoch()) && last.offset() >= position.offset();
    }

    /** A publication of any instance (this one's included), in its stream's order: to the sessions here that follow it. */
    private void deliver(Publication publication) {
        String stream = publication.position().stream();
        List<Waiter> done = List.of();
        try (var held = locks.lock(stream)) {
            List<ConnectedSession> targets = History.BROADCAST.equals(stream)
                    ? sessions.all()
                    : sessions.sessionsOf(History.userOf(stream));
            // A session that resumed may have had it in its replay already.
            deliver(targets.stream().filter(session -> session.saw(publication.position())).toList(), new Outbound.Pushed(publication));
            deliveredUpTo.put(stream, publication.position());
            List<Waiter> list = waiting.get(stream);
            if (list != null) {
                done = list.stream().filter(w -> isDelivered(w.position())).toList();
            }
        }
        // Not on this thread: what the waiters do next (an ack, a count from Redis) must not hold up the next delivery.
        done.forEach(w -> w.delivered().completeAsync(() -> null, WAKE_UPS));
    }

    /** The periodic {@code tick} event (TICK_INTERVAL_SECONDS), to this instance's sessions only. */
    public void tick() {
        var all = sessions.all();
        deliver(all, new Outbound.Tick(clock.instant().toString(), all.size()));
    }

    @Override
    public void joined(ConnectedSession session) {
        backplane.joined(session.info());
        presence(Change.JOIN, session);
    }

    @Override
    public void left(ConnectedSession session) {
        presenceSubscribers.remove(session);
        backplane.left(session.info());
        presence(Change.LEAVE, session);
    }

    /** {@code subscribe} / {@code unsubscribe} to presence events. */
    public void presenceEvents(ConnectedSession session, boolean wanted) {
        if (wanted) {
            presenceSubscribers.add(session);
        } else {
            presenceSubscribers.remove(session);
        }
    }

    private void presence(Change change, ConnectedSession session) {
        String at = clock.instant().toString();
        presenceHere(new Outbound.Presence(change.wireName(), session.user(), session.id(), at), session);
        backplane.publish(new PresenceEvent(backplane.instanceId(), change, session.user(), session.id(), at));
    }

    private void presenceHere(Outbound.Presence event, ConnectedSession about) {
        var subscribers = presenceSubscribers.stream()
                .filter(s -> s != about)
                .toList();
        if (!subscribers.isEmpty()) {
            deliver(subscribers, event);
        }
    }

    /** A presence event of another instance: to this instance's subscribers. */
    private void presenceFromElsewhere(PresenceEvent event) {
        presenceHere(new Outbound.Presence(event.event().wireName(), event.user(), event.sessionId(),
                                           event.at()), null);
    }

    private static int deliver(Collection<ConnectedSession> targets, Outbound message) {
        if (targets.isEmpty()) {
            return 0; // every instance gets every publication; most have nobody for a user's stream
        }
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
