package dev.realtime.ws;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.websocket.WsCloseCodes;

/**
 * Pings every session each interval and drops the ones that did not answer the previous ping.
 * Helidon tells a listener nothing when a peer vanishes without a close frame, so this is also
 * what keeps {@link SessionRegistry} truthful. An {@link HttpFeature} only for its lifecycle:
 * it runs while the server runs.
 */
public final class Keepalive implements HttpFeature {
    private static final System.Logger LOG = System.getLogger(Keepalive.class.getName());

    private final SessionRegistry sessions;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public Keepalive(SessionRegistry sessions, Duration interval) {
        this.sessions = sessions;
        this.interval = interval;
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
    }

    @Override
    public void afterStart(WebServer webServer) {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ws-keepalive").factory());
        timer.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void afterStop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void tick() {
        for (ConnectedSession session : sessions.all()) {
            // A send blocks while the peer's window is full: one virtual thread per ping, so a stuck peer delays no one.
            Thread.ofVirtual().name("ws-ping-" + session.id()).start(() -> ping(session));
        }
    }

    private void ping(ConnectedSession session) {
        try {
            if (session.startPing()) {
                session.socket().ping(BufferData.empty());
                return;
            }
            LOG.log(Level.INFO, "Dropping session {0} (user {1}): no answer to the last ping", session.id(), session.user());
            sessions.remove(session);
            session.socket().close(WsCloseCodes.GOING_AWAY, "No pong");
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "Dropping session {0} (user {1}): {2}", session.id(), session.user(), e.getMessage());
            sessions.remove(session);
        }
    }
}
