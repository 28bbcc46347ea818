package dev.realtime.verify;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The verifier's command line. Every flag can also come from the environment as {@code VERIFY_<FLAG>}
 * ({@code --publisher-password} = {@code VERIFY_PUBLISHER_PASSWORD}), so passwords need not appear in a
 * process list or a pipeline log; a flag wins over its variable.
 */
record Options(URI target, Account user, Optional<Account> publisher, Optional<Account> admin,
               Optional<String> origin, Optional<Path> specs, Optional<Path> junit) {

    record Account(String username, String password) {
    }

    static final Map<String, String> FLAGS = flags();

    static final String USAGE = """
            Usage: verify --target URL --username NAME --password PASSWORD [options]
            Checks a running realtime-service against its contract (the target's /openapi and /asyncapi, or --specs).
              --target URL                  the deployment, e.g. https://staging.example:3000 (http, https)
              --username, --password        an account that may log in and open the WebSocket
              --publisher-username, --publisher-password
                                            an account with the publisher role, for POST /messages
              --admin-username, --admin-password
                                            an account with the admin role, for GET /sessions
              --origin ORIGIN               an allowed origin (CORS_ORIGIN), for the CORS preflight check
              --specs DIR                   judge by DIR/openapi.yaml and DIR/asyncapi.yaml instead of the target's
              --junit FILE                  also write the checks as a JUnit XML report
              --help                        this text
            Every flag can come from the environment instead: VERIFY_TARGET, VERIFY_PASSWORD, ... (a flag wins).
            Exit codes:
            """ + exitCodes();

    private static Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String flag : new String[] {"target", "username", "password", "publisher-username", "publisher-password",
                "admin-username", "admin-password", "origin", "specs", "junit"}) {
            flags.put("--" + flag, "VERIFY_" + flag.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        return flags;
    }

    private static String exitCodes() {
        var text = new StringBuilder();
        for (Exit exit : Exit.values()) {
            text.append("  ").append(exit.code()).append("  ").append(exit.meaning()).append('\n');
        }
        return text.toString();
    }

    /**
     * Reads the flags (and the environment).
     *
     * @throws Exit.Stop with {@link Exit#USAGE} for anything it cannot use
     */
    static Options parse(String[] args, Function<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        FLAGS.forEach((flag, variable) -> {
            String value = env.apply(variable);
            if (value != null && !value.isBlank()) {
                values.put(flag, value);
            }
        });
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!FLAGS.containsKey(flag)) {
                throw usage("unknown argument '" + arg + "'");
            }
            if (arg.contains("=")) {
                values.put(flag, arg.substring(arg.indexOf('=') + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(flag, args[++i]);
            } else {
                throw usage(flag + " needs a value");
            }
        }
        return new Options(target(required(values, "--target")),
                           new Account(required(values, "--username"), required(values, "--password")),
                           account(values, "publisher"), account(values, "admin"),
                           Optional.ofNullable(values.get("--origin")),
                           Optional.ofNullable(values.get("--specs")).map(Path::of),
                           Optional.ofNullable(values.get("--junit")).map(Path::of));
    }

    private static URI target(String value) {
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw usage("--target must be an http:// or https:// URL with a host, not '" + value + "'");
            }
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null) {
                throw usage("--target is the service's root (scheme, host, port), without a path: '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw usage("--target is not a URL: '" + value + "'");
        }
    }

    private static Optional<Account> account(Map<String, String> values, String role) {
        String username = values.get("--" + role + "-username");
        String password = values.get("--" + role + "-password");
        if ((username == null) != (password == null)) {
            throw usage("--" + role + "-username and --" + role + "-password go together");
        }
        return username == null ? Optional.empty() : Optional.of(new Account(username, password));
    }

    private static String required(Map<String, String> values, String flag) {
        String value = values.get(flag);
        if (value == null || value.isBlank()) {
            throw usage(flag + " is required (or " + FLAGS.get(flag) + ")");
        }
        return value;
    }

    private static Exit.Stop usage(String message) {
        return new Exit.Stop(Exit.USAGE, message + " (verify --help lists the flags)");
    }
}
