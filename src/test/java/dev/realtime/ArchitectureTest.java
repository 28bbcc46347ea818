package dev.realtime;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The package graph, read from the compiled classes: no cycles, and each package uses only the packages its
 * {@code package-info.java} names (the table below says the same; a new dependency is added to both on purpose).
 */
class ArchitectureTest {
    private static final String ROOT = "dev.realtime";
    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** Package (relative to {@code dev.realtime}) → the service's packages it may use. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("config", Set.of()),
            Map.entry("contract", Set.of()),
            Map.entry("contract.oracle", Set.of("contract")),
            Map.entry("metrics", Set.of()),
            Map.entry("tls", Set.of()),
            Map.entry("ws.protocol", Set.of()),
            Map.entry("history", Set.of("config", "contract")),
            Map.entry("auth", Set.of("config", "contract")),
            Map.entry("limits", Set.of("auth", "config", "contract")),
            Map.entry("cluster", Set.of("config", "contract", "history", "metrics")),
            Map.entry("ws", Set.of("auth", "cluster", "config", "contract", "history", "limits", "metrics", "ws.protocol")),
            Map.entry("http", Set.of("auth", "cluster", "config", "contract", "limits", "metrics", "ws")),
            Map.entry("verify", Set.of("contract", "contract.oracle")));

    @Test
    void noPackageDependsOnAnotherThatDependsBackOnIt() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(SERVICE);
    }

    @Test
    void everyPackageUsesOnlyThePackagesItsPackageInfoNames() {
        Map<String, Set<String>> actual = new java.util.TreeMap<>();
        for (JavaClass type : SERVICE) {
            String from = relative(type.getPackageName());
            if (from.isEmpty()) {
                continue; // the composition root (Main, RealtimeService) wires everything
            }
            Set<String> uses = actual.computeIfAbsent(from, name -> new TreeSet<>());
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                String to = dependency.getTargetClass().getPackageName();
                if (to.startsWith(ROOT) && !to.equals(type.getPackageName())) {
                    uses.add(relative(to));
                }
            }
        }
        actual.forEach((from, uses) -> {
            Set<String> allowed = ALLOWED.get(from);
            assertEquals(true, allowed != null, "package " + from + " is not in the table of allowed dependencies");
            Set<String> extra = new TreeSet<>(uses);
            extra.removeAll(allowed);
            assertEquals(Set.of(), extra, "package " + from + " uses packages its package-info does not allow");
        });
    }

    @Test
    void nothingButTheCompositionRootUsesTheRootPackage() {
        for (JavaClass type : SERVICE) {
            if (type.getPackageName().equals(ROOT)) {
                continue;
            }
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                assertEquals(false, dependency.getTargetClass().getPackageName().equals(ROOT),
                             type.getName() + " uses the composition root: " + dependency.getDescription());
            }
        }
    }

    private static String relative(String packageName) {
        return packageName.equals(ROOT) ? "" : packageName.substring(ROOT.length() + 1);
    }
}
