package bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from /proc (Linux). */
final class Proc {
    /** Clock ticks per second of /proc/PID/stat (USER_HZ; 100 on Linux/x86-64). */
    private static final double TICKS = 100.0;

    private Proc() {
    }

    /** User + system CPU seconds of all the process's threads so far; NaN if unknown (pid 0 or gone). */
    static double cpuSeconds(long pid) {
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime field 15
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double selfCpuSeconds() {
        return cpuSeconds(ProcessHandle.current().pid());
    }

    /** A "Vm…"/"Threads" line of /proc/PID/status as a number (kB for memory); -1 if unknown. */
    static long status(long pid, String field) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    /** Resident memory in MiB (VmRSS). */
    static double rssMiB(long pid) {
        long kb = status(pid, "VmRSS");
        return kb < 0 ? Double.NaN : kb / 1024.0;
    }

    /** CPU use between two snapshots, as a percentage of one core. */
    static double percent(double cpuBefore, double cpuAfter, long nanos) {
        return 100.0 * (cpuAfter - cpuBefore) / (nanos / 1e9);
    }
}
