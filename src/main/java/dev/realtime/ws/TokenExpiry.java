package dev.realtime.ws;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.realtime.metrics.RealtimeMetrics;

/**
 * A session lives no longer than its token: {@code token_expiring} once, {@code warning} before the token expires,
 * and a close with {@link #CLOSE_CODE} when it has expired without a {@code refresh}. One pass over every session
 * per run, on the keepalive's timer (no timer per session); a session is closed at most one run late.
 */
public final class TokenExpiry implements Runnable {
    /** asyncapi.yaml {@code x-close-codes}: in the 4000-4999 range RFC 6455 leaves to applications. */
    public static final int CLOSE_CODE = 4001;
    private static final System.Logger LOG = System.getLogger(TokenExpiry.class.getName());

    private final SessionRegistry sessions;
    private final Duration warning;
    private final Clock clock;

    /** @param warning how long before the expiry a session is sent {@code token_expiring} */
    public TokenExpiry(SessionRegistry sessions, Duration warning, Clock clock) {
        this.sessions = sessions;
        this.warning = warning;
        this.clock = clock;
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        for (ConnectedSession session : sessions.all()) {
            Instant expiresAt = session.tokenExpiresAt();
            if (!now.isBefore(expiresAt)) {
                LOG.log(Level.INFO, "Closing session {0} (user {1}): its token expired at {2}", session.id(), session.user(),
                        expiresAt);
                sessions.remove(session);
                session.closeUnresponsive(CLOSE_CODE, "Token expired");
            } else if (!now.isBefore(expiresAt.minus(warning)) && session.startExpiryWarning()) {
                Outbound message = new Outbound.TokenExpiring(expiresAt.toString());
                if (session.send(message.frame())) {
                    RealtimeMetrics.messagesOut(message.type(), 1);
                }
            }
        }
    }
}
