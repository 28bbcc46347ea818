package dev.realtime.verify;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import javax.net.ssl.SSLException;

import dev.realtime.contract.oracle.ContractOracle;
import dev.realtime.contract.oracle.NotAContractException;

/**
 * {@code verify}: holds a running deployment to the contract. It reads the contract from the target's own
 * {@code /openapi} and {@code /asyncapi} (or from {@code --specs}), logs in, runs the HTTP and WebSocket
 * checks, prints one line per check, optionally writes a JUnit XML report, and exits non-zero on any drift.
 * Bad input ends the run with one line on stderr and its own exit code ({@link Exit}), never a stack trace.
 */
public final class VerifyCommand {
    private VerifyCommand() {
    }

    /**
     * Runs the verifier on the process's stdout and stderr, in UTF-8 whatever the locale (a container's is
     * often POSIX, which would print the evidence's arrows and the specs' examples as question marks).
     *
     * @return the process's exit code
     */
    public static int run(String[] args) {
        return run(args, System::getenv, new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8),
                   new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    }

    static int run(String[] args, Function<String, String> env, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.print(Options.USAGE);
            return Exit.CONFORMS.code();
        }
        try {
            Options options = Options.parse(args, env);
            Target target = new Target(options.target());
            ContractOracle oracle = contract(target, options);
            Report report = new Report(out);
            Accounts accounts;
            try {
                accounts = Accounts.login(target, options);
            } catch (Exit.Stop stop) {
                if (stop.exit() != Exit.DRIFT) {
                    throw stop;
                }
                // A login that answers 200 but not as documented: drift, reported like any other check.
                out.println(heading(options));
                report.run("http", "POST /login 200", () -> Report.Result.fail(stop.getMessage()));
                return finish(report, options, out, err);
            }
            out.println(heading(options));
            new HttpChecks(target, oracle, accounts, options.origin(), report).run();
            new WebSocketChecks(target, oracle, accounts, report).run();
            return finish(report, options, out, err);
        } catch (Exit.Stop stop) {
            err.println("verify: " + stop.getMessage());
            return stop.exit().code();
        } catch (IOException e) {
            Optional<String> unreachable = unreachable(e);
            if (unreachable.isPresent()) {
                err.println("verify: cannot reach the target: " + unreachable.get());
                return Exit.UNREACHABLE.code();
            }
            err.println("verify: the target does not answer as realtime-service: " + reason(e));
            return Exit.NOT_THIS_SERVICE.code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("verify: interrupted");
            return Exit.VERIFIER_ERROR.code();
        } catch (RuntimeException e) {
            err.println("verify: the verifier failed: " + reason(e));
            return Exit.VERIFIER_ERROR.code();
        }
    }

    private static String heading(Options options) {
        return "Verifying " + options.target() + " against "
                + options.specs().map(dir -> dir + "/{openapi,asyncapi}.yaml").orElse("its own /openapi and /asyncapi");
    }

    /** The summary, the JUnit report, the exit code. */
    private static int finish(Report report, Options options, PrintStream out, PrintStream err) {
        out.println(report.summary());
        if (options.junit().isPresent()) {
            try {
                report.writeJUnit(options.junit().get(), options.target().toString());
            } catch (IOException e) {
                err.println("verify: --junit " + options.junit().get() + ": cannot write it: " + reason(e));
                return Exit.USAGE.code();
            }
            out.println("JUnit report: " + options.junit().get());
        }
        Exit exit = report.exit();
        out.println("Exit " + exit.code() + ": " + exit.meaning());
        return exit.code();
    }

    /**
     * The contract to judge by, after making sure the target is realtime-service: it publishes an OpenAPI 3
     * document at {@code /openapi} with {@code POST /login} and an AsyncAPI 3 one at {@code /asyncapi}.
     */
    private static ContractOracle contract(Target target, Options options) throws IOException, InterruptedException {
        String openApi = fetch(target, "/openapi");
        String asyncApi = fetch(target, "/asyncapi");
        try {
            ContractOracle published = ContractOracle.of(openApi, asyncApi);
            if (published.openApi().at("/paths/~1login/post").isMissingNode()) {
                throw new NotAContractException("its OpenAPI document has no POST /login");
            }
            if (options.specs().isEmpty()) {
                return published;
            }
        } catch (NotAContractException e) {
            throw notThisService(target, e.getMessage());
        }
        Path dir = options.specs().get();
        try {
            return ContractOracle.of(Files.readString(dir.resolve(ContractOracle.OPENAPI)), Files.readString(dir.resolve(ContractOracle.ASYNCAPI)));
        } catch (IOException e) {
            throw new Exit.Stop(Exit.USAGE, "--specs " + dir + ": cannot read " + reason(e));
        } catch (NotAContractException e) {
            throw new Exit.Stop(Exit.USAGE, "--specs " + dir + ": " + e.getMessage());
        }
    }

    private static String fetch(Target target, String path) throws IOException, InterruptedException {
        var response = target.send("GET", path, Map.of(), null);
        if (response.status() != 200) {
            throw notThisService(target, "GET " + path + " answered " + response.status()
                    + " (realtime-service publishes its contract there)");
        }
        return response.body();
    }

    private static Exit.Stop notThisService(Target target, String why) {
        return new Exit.Stop(Exit.NOT_THIS_SERVICE, target.base() + " is not realtime-service: " + why);
    }

    /** No connection at all (as opposed to one to something that does not speak this service's HTTP), in words. */
    private static Optional<String> unreachable(Throwable e) {
        // The JDK wraps the precise cause (an unresolved host) in a ConnectException: the most precise one wins.
        if (causedBy(e, UnknownHostException.class) || causedBy(e, UnresolvedAddressException.class)) {
            return Optional.of("unknown host (" + reason(e) + ")");
        }
        if (causedBy(e, HttpConnectTimeoutException.class)) {
            return Optional.of("no connection within " + Target.TIMEOUT.toSeconds() + " s");
        }
        if (causedBy(e, SSLException.class)) {
            return Optional.of("TLS handshake failed: " + reason(e));
        }
        if (causedBy(e, ConnectException.class)) {
            return Optional.of("connection refused (" + reason(e) + ")");
        }
        return Optional.empty();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause, in one line. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage().replaceAll("\\s+", " ");
        return root.getClass().getSimpleName() + message;
    }
}
