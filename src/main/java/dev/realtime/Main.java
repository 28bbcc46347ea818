package dev.realtime;

import java.lang.System.Logger.Level;
import java.util.Arrays;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;

import dev.realtime.config.AppConfig;
import dev.realtime.verify.VerifyCommand;

/** Starts the service: HTTP and the WebSocket on one port (HTTPS and WSS with TLS); {@code verify} runs the contract verifier. */
public final class Main {
    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {
    }

    /** Reads the configuration (application.yaml, CONFIG_FILE, the environment) and serves until SIGTERM. */
    public static void main(String[] args) {
        if (args.length > 0 && "verify".equals(args[0])) {
            // The contract verifier, for pipelines: the same jar and image, another command.
            System.exit(VerifyCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        LogConfig.configureRuntime();
        Config config = AppConfig.fromEnvironment();
        WebServer server;
        try {
            RealtimeService service = RealtimeService.create(config);
            server = WebServer.builder().update(service::configure).build().start();
            io.helidon.Main.addShutdownHandler(service.drainOnShutdown());
        } catch (IllegalStateException e) {
            // A configuration mistake (a bad setting, an unreadable certificate, a key that does not fit it): one line.
            LOG.log(Level.ERROR, "realtime-service cannot start: " + e.getMessage());
            LOG.log(Level.DEBUG, "Start failure", e);
            System.exit(1);
            return;
        }
        if (server.hasTls(RealtimeService.TLS_SOCKET)) {
            LOG.log(Level.INFO, "realtime-service up on port " + server.port() + " (HTTP and WebSocket) and "
                    + server.port(RealtimeService.TLS_SOCKET) + " (HTTPS and WSS)");
        } else {
            LOG.log(Level.INFO, "realtime-service up on port " + server.port()
                    + (server.hasTls() ? " (HTTPS and WSS)" : " (HTTP and WebSocket)"));
        }
    }
}
