package dev.realtime.verify;

/** One check's outcome and its evidence (what was sent and what came back, or why it was not checked). */
public record Check(String group, String name, Outcome outcome, String evidence, long millis) {
    /** What became of a check: SKIPPED when the target gave no way to provoke it. */
    public enum Outcome { PASS, FAIL, SKIPPED }

    /** The line printed for it: outcome, name, and why. */
    public String line() {
        return outcome + ": " + name + " — " + evidence;
    }
}
