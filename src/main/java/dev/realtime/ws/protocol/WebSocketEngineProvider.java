package dev.realtime.ws.protocol;

import io.helidon.common.Weighted;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1UpgradeProvider;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.websocket.WsConfig;

/**
 * Puts this package's engine in place of Helidon's for the {@code websocket} upgrade. Helidon's HTTP/1.1
 * connection provider loads upgrade providers (through {@link java.util.ServiceLoader}, see
 * {@code META-INF/services}) in order of weight and keeps the first for each protocol; Helidon's own
 * {@code WsUpgradeProvider} has the default weight, this one more. It reads the same {@link WsConfig}
 * the application adds with {@code WebServerConfig.Builder.addProtocol}.
 */
public final class WebSocketEngineProvider implements Http1UpgradeProvider<WsConfig>, Weighted {
    /** Above {@link Weighted#DEFAULT_WEIGHT}, Helidon's WebSocket provider's. */
    private static final double WEIGHT = Weighted.DEFAULT_WEIGHT + 100;

    /** For {@link java.util.ServiceLoader}. */
    public WebSocketEngineProvider() {
    }

    @Override
    public String protocolType() {
        return "websocket";
    }

    @Override
    public Class<WsConfig> protocolConfigType() {
        return WsConfig.class;
    }

    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        return new WebSocketUpgrader(config);
    }

    @Override
    public double weight() {
        return WEIGHT;
    }
}
