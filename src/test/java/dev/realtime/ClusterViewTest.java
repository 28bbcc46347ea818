package dev.realtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.realtime.cluster.ClusterView;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code ClusterView}: what this instance believes the other instances hold, so that an ack can
 * count their sessions without asking Redis. A heartbeat's read of their presence is the truth;
 * join and leave events keep it current until the next one; a picture too old to trust answers nothing.
 */
class ClusterViewTest {
    private static final Duration TTL = Duration.ofSeconds(15);
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final ClusterView view = new ClusterView(TTL);

    @Test
    void beforeTheFirstHeartbeatTheViewAnswersNothing() {
        assertEquals(OptionalInt.empty(), view.sessions(T0));
        assertEquals(OptionalInt.empty(), view.sessionsOf("bob", T0));
    }

    @Test
    void aHeartbeatCountsTheSessionsEachOtherInstanceReported() {
        view.rebuild(Map.of("b", Map.of("bob", 2, "carol", 1), "c", Map.of("bob", 1)), T0);

        assertEquals(OptionalInt.of(4), view.sessions(T0));
        assertEquals(OptionalInt.of(3), view.sessionsOf("bob", T0));
        assertEquals(OptionalInt.of(1), view.sessionsOf("carol", T0));
        assertEquals(OptionalInt.of(0), view.sessionsOf("dave", T0), "a user connected nowhere else counts 0");
    }

    @Test
    void joinsAndLeavesSinceTheHeartbeatAreCounted() {
        view.rebuild(Map.of("b", Map.of("bob", 1)), T0);

        view.joined("b", "bob");
        view.joined("b", "carol");
        view.left("b", "bob");

        assertEquals(OptionalInt.of(1), view.sessionsOf("bob", T0));
        assertEquals(OptionalInt.of(1), view.sessionsOf("carol", T0));
        assertEquals(OptionalInt.of(2), view.sessions(T0));
    }

    @Test
    void aUsersLastLeaveBringsThemToZeroAndNoFurther() {
        view.rebuild(Map.of("b", Map.of("bob", 1)), T0);

        view.left("b", "bob");
        view.left("b", "bob");
        view.left("b", "carol");

        assertEquals(OptionalInt.of(0), view.sessionsOf("bob", T0));
        assertEquals(OptionalInt.of(0), view.sessionsOf("carol", T0));
        assertEquals(OptionalInt.of(0), view.sessions(T0));
    }

    @Test
    void aJoinOnAnInstanceTheHeartbeatDidNotSeeCountsAtOnce() {
        view.rebuild(Map.of("b", Map.of("bob", 1)), T0);

        view.joined("c", "bob");

        assertEquals(OptionalInt.of(2), view.sessionsOf("bob", T0));
        assertEquals(OptionalInt.of(2), view.sessions(T0));
    }

    @Test
    void theNextHeartbeatReplacesWhatTheEventsSaid() {
        view.rebuild(Map.of("b", Map.of("bob", 1)), T0);
        view.joined("b", "bob");
        view.joined("b", "carol");

        view.rebuild(Map.of("b", Map.of("bob", 1)), T0.plusSeconds(5));

        assertEquals(OptionalInt.of(1), view.sessionsOf("bob", T0.plusSeconds(5)));
        assertEquals(OptionalInt.of(0), view.sessionsOf("carol", T0.plusSeconds(5)));
        assertEquals(OptionalInt.of(1), view.sessions(T0.plusSeconds(5)));
    }

    @Test
    void anInstanceMissingFromAHeartbeatIsDeadAndItsSessionsAreNotCounted() {
        view.rebuild(Map.of("b", Map.of("bob", 1), "c", Map.of("carol", 2)), T0);

        view.rebuild(Map.of("b", Map.of("bob", 1)), T0.plusSeconds(5));

        assertEquals(OptionalInt.of(0), view.sessionsOf("carol", T0.plusSeconds(5)));
        assertEquals(OptionalInt.of(1), view.sessions(T0.plusSeconds(5)));
    }

    @Test
    void anInstanceFoundDeadBetweenHeartbeatsIsForgottenAtOnce() {
        view.rebuild(Map.of("b", Map.of("bob", 1), "c", Map.of("carol", 2)), T0);

        view.retain(List.of("b"));

        assertEquals(OptionalInt.of(0), view.sessionsOf("carol", T0));
        assertEquals(OptionalInt.of(1), view.sessions(T0));
    }

    @Test
    void eventsBeforeTheFirstHeartbeatAreLeftToIt() {
        view.joined("b", "bob");
        view.rebuild(Map.of("b", Map.of("bob", 1)), T0);

        assertEquals(OptionalInt.of(1), view.sessionsOf("bob", T0), "the heartbeat's read already holds that join");
    }

    @Test
    void aViewIsTrustedForThePresenceTtlAfterTheHeartbeatThatBuiltItAndNoLonger() {
        view.rebuild(Map.of("b", Map.of("bob", 1)), T0);

        assertEquals(OptionalInt.of(1), view.sessions(T0.plus(TTL)));
        assertEquals(OptionalInt.empty(), view.sessions(T0.plus(TTL).plusMillis(1)), "b may have died since");
        assertEquals(OptionalInt.empty(), view.sessionsOf("bob", T0.plus(TTL).plusMillis(1)));

        view.rebuild(Map.of("b", Map.of("bob", 1)), T0.plus(TTL));
        assertEquals(OptionalInt.of(1), view.sessions(T0.plus(TTL).plusMillis(1)), "the next heartbeat confirms it");
    }
}
