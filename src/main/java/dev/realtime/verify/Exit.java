package dev.realtime.verify;

/** The verifier's exit codes: each kind of bad input has its own, so a pipeline can tell them apart. */
public enum Exit {
    /** Every check that could be made passed (what could not be checked is listed as SKIPPED). */
    CONFORMS(0, "the deployment honours the contract"),
    /** At least one check failed: the deployment drifted from the contract. */
    DRIFT(1, "drift: at least one check failed"),
    /** Unknown flag, missing value, unreadable --specs directory. */
    USAGE(2, "bad command line"),
    /** No connection (refused, unknown host, timeout, TLS handshake failed). */
    UNREACHABLE(3, "target unreachable"),
    /** Something answers, but not realtime-service: no OpenAPI/AsyncAPI 3 contract at /openapi and /asyncapi. */
    NOT_THIS_SERVICE(4, "target is not realtime-service"),
    /** POST /login refused one of the accounts given. */
    LOGIN_REFUSED(5, "login refused (wrong credentials, or the account is throttled)"),
    /** The verifier itself failed; the message says where. */
    VERIFIER_ERROR(6, "the verifier failed");

    private final int code;
    private final String meaning;

    Exit(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The process exit code. */
    public int code() {
        return code;
    }

    /** What the code means, as the README's table says. */
    public String meaning() {
        return meaning;
    }

    /** Bad input that stops the run before any check: a one-line message and its exit code. */
    public static final class Stop extends RuntimeException {
        private final Exit exit;

        /** @param exit the code the verifier ends with */
        public Stop(Exit exit, String message) {
            super(message, null, false, false);
            this.exit = exit;
        }

        /** The code the verifier ends with. */
        public Exit exit() {
            return exit;
        }
    }
}
