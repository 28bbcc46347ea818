package dev.realtime.gate;

import java.util.List;

/**
 * What the gate found for one document: the incompatible changes since the baseline and both versions. It passes
 * when there are none, or when {@code info.version}'s major number was raised (the rule in the README).
 */
public record Verdict(String document, String baselineVersion, String version, List<String> breakingChanges) {
    public boolean majorRaised() {
        return major(version) > major(baselineVersion);
    }

    public boolean passes() {
        return breakingChanges.isEmpty() || majorRaised();
    }

    public String report() {
        String head = document + " " + baselineVersion + " -> " + version + ": ";
        if (breakingChanges.isEmpty()) {
            return head + "compatible";
        }
        return head + breakingChanges.size() + " incompatible change(s)"
                + (majorRaised() ? ", allowed: the major version was raised" : ", not allowed: raise info.version's major number")
                + String.join("", breakingChanges.stream().map(change -> "\n  - " + change).toList());
    }

    /** The leading number of a version such as {@code 1.2.3}; a version without one counts as 0. */
    static int major(String version) {
        String digits = version.trim().replaceFirst("^[vV]", "").replaceFirst("[^0-9].*$", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }
}
