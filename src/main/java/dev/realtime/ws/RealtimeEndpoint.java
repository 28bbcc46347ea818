package dev.realtime.ws;

import java.time.Clock;

import dev.realtime.auth.RequestAuthenticator;
import dev.realtime.config.LimitSettings;
import dev.realtime.config.PushSettings;
import dev.realtime.config.WsSettings;
import dev.realtime.limits.ConnectionLimits;

/**
 * What every connection at {@code /} shares; {@link #newListener()} is the supplier Helidon calls
 * once per connection (a listener per connection holds who is on the other end).
 */
public record RealtimeEndpoint(RequestAuthenticator authenticator,
                               SessionRegistry sessions,
                               MessageHub hub,
                               ConnectionLimits connectionLimits,
                               WsSettings ws,
                               PushSettings push,
                               LimitSettings limits,
                               Clock clock) {
    /** A listener for one new connection. */
    public RealtimeListener newListener() {
        return new RealtimeListener(this);
    }
}
