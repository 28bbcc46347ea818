package dev.realtime;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.Method;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.cors.CorsFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;

import dev.realtime.auth.Authenticator;
import dev.realtime.auth.RequestAuthenticator;
import dev.realtime.auth.TokenService;
import dev.realtime.config.AppConfig;
import dev.realtime.config.AuthSettings;
import dev.realtime.cluster.Backplane;
import dev.realtime.cluster.RedisBackplane;
import dev.realtime.cluster.RedisBroker;
import dev.realtime.cluster.SingleInstance;
import dev.realtime.config.ClusterSettings;
import dev.realtime.config.CorsSettings;
import dev.realtime.config.HistorySettings;
import dev.realtime.config.LimitSettings;
import dev.realtime.config.PushSettings;
import dev.realtime.config.TlsSettings;
import dev.realtime.config.WsSettings;
import dev.realtime.history.Broker;
import dev.realtime.history.InMemoryHistory;
import dev.realtime.history.LocalBroker;
import dev.realtime.http.ApiDocs;
import dev.realtime.http.ConsoleRedirect;
import dev.realtime.http.ContractService;
import dev.realtime.http.CorsRefusal;
import dev.realtime.http.LoginHandler;
import dev.realtime.http.MethodNotAllowed;
import dev.realtime.http.OptionsFallback;
import dev.realtime.http.ProblemDirectHandler;
import dev.realtime.http.ProblemErrorHandler;
import dev.realtime.http.PublishHandler;
import dev.realtime.http.RefreshHandler;
import dev.realtime.http.SessionsHandler;
import dev.realtime.http.SecurityHeaders;
import dev.realtime.http.UpgradeRequired;
import dev.realtime.ws.DrainOnShutdown;
import dev.realtime.ws.Keepalive;
import dev.realtime.ws.MessageHub;
import dev.realtime.ws.PeriodicTask;
import dev.realtime.limits.ConnectionLimits;
import dev.realtime.limits.LoginGuard;
import dev.realtime.ws.RealtimeEndpoint;
import dev.realtime.ws.SessionRegistry;
import dev.realtime.ws.TokenExpiry;
import dev.realtime.tls.CertificateReload;
import dev.realtime.tls.ServerCertificate;
import dev.realtime.verify.VerifyCommand;

/** Starts the service: HTTP and the WebSocket on one port (HTTPS and WSS with TLS). */
public final class Main {
    private static final System.Logger LOG = System.getLogger(Main.class.getName());
    /** With {@code TLS_PORT}, the socket that serves TLS there; the default socket stays plain on {@code PORT}. */
    public static final String TLS_SOCKET = "https";

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && "verify".equals(args[0])) {
            // The contract verifier, for pipelines: the same jar and image, another command.
            System.exit(VerifyCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        LogConfig.configureRuntime();
        Config config = AppConfig.fromEnvironment();
        SessionRegistry[] sessions = new SessionRegistry[1];
        WebServer server;
        try {
            server = WebServer.builder()
                    .update(builder -> sessions[0] = setup(builder, config))
                    .build()
                    .start();
        } catch (IllegalStateException e) {
            // A configuration mistake (a bad setting, an unreadable certificate, a key that does not fit it): one line.
            LOG.log(Level.ERROR, "realtime-service cannot start: " + e.getMessage());
            LOG.log(Level.DEBUG, "Start failure", e);
            System.exit(1);
            return;
        }
        io.helidon.Main.addShutdownHandler(
                new DrainOnShutdown(sessions[0], WsSettings.from(config.get("app.ws")).drainTimeout()));
        if (server.hasTls(TLS_SOCKET)) {
            LOG.log(Level.INFO, "realtime-service up on port " + server.port() + " (HTTP and WebSocket) and "
                    + server.port(TLS_SOCKET) + " (HTTPS and WSS)");
        } else {
            LOG.log(Level.INFO, "realtime-service up on port " + server.port()
                    + (server.hasTls() ? " (HTTPS and WSS)" : " (HTTP and WebSocket)"));
        }
    }

    /**
     * All of the service's routing and features; the tests run exactly this.
     *
     * @return the registry of open WebSocket sessions
     */
    public static SessionRegistry setup(WebServerConfig.Builder server, Config config) {
        return setup(server, config, Clock.systemUTC());
    }

    /**
     * As {@link #setup(WebServerConfig.Builder, Config)}, with the clock that token lifetimes and login lockouts
     * are measured by (tests pass one they can move forward).
     */
    public static SessionRegistry setup(WebServerConfig.Builder server, Config config, Clock clock) {
        AuthSettings auth = AuthSettings.from(config.get("app.auth"));
        CorsSettings cors = CorsSettings.from(config.get("app.cors"));
        WsSettings ws = WsSettings.from(config.get("app.ws"));
        PushSettings push = PushSettings.from(config.get("app"));
        LimitSettings limits = LimitSettings.from(config.get("app"));
        ClusterSettings cluster = ClusterSettings.from(config.get("app.cluster"));
        HistorySettings history = HistorySettings.from(config.get("app.history"));
        TlsSettings tls = TlsSettings.from(config.get("app.tls"));
        warnAboutDefaults(auth, cors);
        // Checked first: a missing file or a key that does not fit the certificate stops the start, saying so.
        Optional<ServerCertificate> certificate = tls.certFile()
                .map(cert -> ServerCertificate.load(cert, tls.keyFile().orElseThrow()));
        certificate.ifPresent(cert -> LOG.log(Level.INFO, "TLS certificate: " + cert.description()));

        TokenService tokens = new TokenService(auth, clock);
        RequestAuthenticator requests = new RequestAuthenticator(tokens);
        Authenticator users = new Authenticator(auth.users());
        SessionRegistry sessions = new SessionRegistry();
        Backplane backplane;
        Broker broker;
        if (cluster.redisUrl().isPresent()) {
            RedisBackplane redis = new RedisBackplane(cluster, sessions);
            backplane = redis;
            broker = new RedisBroker(redis, history, clock);
        } else {
            backplane = new SingleInstance(cluster.instanceId());
            broker = new LocalBroker(new InMemoryHistory(history, clock));
        }
        MessageHub hub = new MessageHub(sessions, backplane, broker, clock);
        sessions.observe(hub);
        var endpoint = new RealtimeEndpoint(requests, sessions, hub, new ConnectionLimits(sessions, limits), ws, push, limits, clock);

        WsConfig wsConfig = WsConfig.builder()
                .origins(cors.allowsAnyOrigin() ? Set.of() : Set.copyOf(cors.allowedOrigins()))
                .maxFrameLength(ws.maxMessageBytes())
                .build();
        LoginHandler login = new LoginHandler(users, tokens, new LoginGuard(limits, clock));
        // The same routes on every socket (with TLS_PORT: plain on PORT and TLS on TLS_PORT), sharing their state.
        Consumer<HttpRouting.Builder> routes = routing -> routing
                .addFeature(new SecurityHeaders())
                .addFeature(new CorsRefusal(cors))
                .error(Throwable.class, new ProblemErrorHandler())
                .post("/login", login)
                .any("/login", MethodNotAllowed.allowing(Method.POST))
                .post("/login/refresh", new RefreshHandler(requests, users, tokens, clock))
                .any("/login/refresh", MethodNotAllowed.allowing(Method.POST))
                .post("/messages", new PublishHandler(requests, hub, push.publishRole()))
                .any("/messages", MethodNotAllowed.allowing(Method.POST))
                .get("/sessions", new SessionsHandler(requests, sessions, backplane, push.adminRole()))
                .any("/sessions", MethodNotAllowed.allowing(Method.GET))
                .get("/", new ConsoleRedirect())
                .get("/", new UpgradeRequired())
                .any("/", MethodNotAllowed.allowing(Method.GET))
                .register(new ContractService())
                .options("/*", new OptionsFallback());
        Supplier<WsRouting.Builder> webSocket = () -> WsRouting.builder().endpoint("/", endpoint::newListener);
        Set<String> sockets = tls.port().isPresent() ? Set.of(WebServer.DEFAULT_SOCKET_NAME, TLS_SOCKET) : Set.of();

        server.config(config.get("server"))
                .directHandlers(ProblemDirectHandler.handlers())
                .addProtocol(wsConfig)
                .addFeature(corsFeature(cors))
                .addFeature(observe(backplane, sockets))
                // The web console (src/main/resources/console/) and the API docs (/docs/). Their routes join this
                // routing, so the filters below (security headers, CORS refusal, access log) apply to their files too.
                .addFeature(StaticContentFeature.create(content -> content
                        .sockets(sockets)
                        .addClasspath(console -> console.location("console").context("/console").welcome("index.html"))
                        .update(ApiDocs::addTo)))
                .routing(routing -> routing
                        .update(routes)
                        // Timers once, on the default socket only, whatever the sockets.
                        .addFeature(new PeriodicTask("ws-keepalive", Keepalive.tick(ws.pingInterval()),
                                                     keepaliveAndExpiry(sessions, ws, clock)))
                        .update(r -> heartbeat(backplane, cluster).ifPresent(r::addFeature))
                        .update(r -> push.tickInterval().ifPresent(
                                interval -> r.addFeature(new PeriodicTask("ws-tick", interval, hub::tick))))
                        .update(r -> certificateReload(tls, certificate).ifPresent(r::addFeature)))
                .addRouting(webSocket.get());
        certificate.ifPresent(cert -> {
            if (tls.port().isPresent()) {
                server.putSocket(TLS_SOCKET, socket -> socket
                        .config(config.get("server"))
                        .port(tls.port().getAsInt())
                        .tls(cert.tls())
                        .addProtocol(wsConfig)
                        .routing(HttpRouting.builder().update(routes))
                        .addRouting(webSocket.get()));
            } else {
                server.tls(cert.tls());
            }
        });
        return sessions;
    }

    /** The socket that serves TLS: the default one, or {@link #TLS_SOCKET} on {@code TLS_PORT}. */
    private static String tlsSocket(TlsSettings tls) {
        return tls.port().isPresent() ? TLS_SOCKET : WebServer.DEFAULT_SOCKET_NAME;
    }

    /** With TLS, a look at the certificate files every so often, to serve a renewed certificate without a restart. */
    private static Optional<PeriodicTask> certificateReload(TlsSettings tls, Optional<ServerCertificate> certificate) {
        return certificate.map(cert -> new PeriodicTask("tls-reload", tls.reloadCheck(), new CertificateReload(
                tls.certFile().orElseThrow(), tls.keyFile().orElseThrow(), tlsSocket(tls), cert)));
    }

    /** Both walk every session on one timer: pings (a slot per run) and token expiry, with no timer per session. */
    private static Runnable keepaliveAndExpiry(SessionRegistry sessions, WsSettings ws, Clock clock) {
        Keepalive keepalive = new Keepalive(sessions);
        TokenExpiry expiry = new TokenExpiry(sessions, ws.tokenExpiryWarning(), clock);
        return () -> {
            keepalive.run();
            expiry.run();
        };
    }

    /** With Redis, its heartbeat (presence); it leaves the cluster when the server stops. */
    private static Optional<PeriodicTask> heartbeat(Backplane backplane, ClusterSettings cluster) {
        if (backplane instanceof RedisBackplane redis) {
            return Optional.of(new PeriodicTask("backplane-heartbeat", cluster.heartbeat(), redis::heartbeat, redis::close));
        }
        return Optional.empty();
    }

    /**
     * Health (readiness is DOWN while the backplane cannot reach the other instances) and metrics.
     *
     * @param sockets where to serve them; empty: the default socket
     */
    private static ObserveFeature observe(Backplane backplane, Set<String> sockets) {
        return ObserveFeature.builder()
                .update(b -> {
                    if (!sockets.isEmpty()) {
                        b.sockets(List.copyOf(sockets));
                    }
                })
                .addObserver(HealthObserver.builder()
                                     .useSystemServices(true)
                                     .addCheck(() -> HealthCheckResponse.builder().status(backplane.healthy()).build(),
                                               HealthCheckType.READINESS, "backplane")
                                     .build())
                .addObserver(MetricsObserver.create())
                .build();
    }

    private static CorsFeature corsFeature(CorsSettings cors) {
        return CorsFeature.create(builder -> builder
                .enabled(true)
                .addDefaults(false)
                .addPath(path -> path.pathPattern("/*")
                        .allowOrigins(cors.allowsAnyOrigin() ? Set.of("*") : Set.copyOf(cors.allowedOrigins()))
                        .allowMethods(Set.of("GET", "POST"))
                        .allowHeaders(Set.of("Content-Type", "Authorization"))
                        .maxAge(Duration.ofHours(1))));
    }

    private static void warnAboutDefaults(AuthSettings auth, CorsSettings cors) {
        if (auth.defaultSecretActive()) {
            LOG.log(Level.WARNING, "!!! No JWT_SECRET (app.auth.jwt.secret) configured: tokens are signed with the built-in "
                    + "DEVELOPMENT key, which is public. Set JWT_SECRET before exposing this service. !!!");
        }
        auth.users().stream().filter(AuthSettings.UserAccount::demo).forEach(user ->
                LOG.log(Level.WARNING, "!!! Demo account '" + user.username() + "' is active with its published password. "
                        + "Replace app.auth.users before exposing this service. !!!"));
        if (cors.allowsAnyOrigin()) {
            LOG.log(Level.WARNING, "CORS_ORIGIN is '*': any web site may call the HTTP API. WebSocket upgrades still "
                    + "need an Origin equal to the Host (or none).");
        }
    }
}
