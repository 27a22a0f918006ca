package dev.flin.bench.report;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a report was measured: machine, JDK and the JVM flags in play.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param machine           the machine
 * @param jdk               the JDK (of the report's JVM; JMH forks with the same one)
 * @param hostJvmArgs       the input arguments of the JVM that ran the report
 * @param forkJvmArgs       the distinct JVM argument lists JMH's forks ran with, from the results
 * @param footprintJvmArgs  the JVM flags of the idle-footprint child JVMs
 * @param commit            the source commit measured, when known
 * @param versions          the versions of FLIN and of the peers it is compared with, as built
 * @param machineState      the machine's state at the start and the end of the run
 */
public record Environment(Machine machine, Jdk jdk, List<String> hostJvmArgs, List<List<String>> forkJvmArgs,
                          List<String> footprintJvmArgs, Optional<String> commit, Versions versions,
                          MachineState machineState) {

    /** Copies the lists. */
    public Environment {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(jdk, "jdk");
        hostJvmArgs = List.copyOf(Objects.requireNonNull(hostJvmArgs, "hostJvmArgs"));
        forkJvmArgs = Objects.requireNonNull(forkJvmArgs, "forkJvmArgs").stream().map(List::copyOf).toList();
        footprintJvmArgs = List.copyOf(Objects.requireNonNull(footprintJvmArgs, "footprintJvmArgs"));
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(versions, "versions");
        Objects.requireNonNull(machineState, "machineState");
    }

    /**
     * An environment whose machine state was not probed (reports older than {@link MachineProbe}).
     *
     * @param machine          the machine
     * @param jdk              the JDK
     * @param hostJvmArgs      the report JVM's input arguments
     * @param forkJvmArgs      the forks' distinct argument lists
     * @param footprintJvmArgs the footprint children's flags
     * @param commit           the commit, when known
     * @param versions         the versions
     */
    public Environment(final Machine machine, final Jdk jdk, final List<String> hostJvmArgs,
                       final List<List<String>> forkJvmArgs, final List<String> footprintJvmArgs,
                       final Optional<String> commit, final Versions versions) {
        this(machine, jdk, hostJvmArgs, forkJvmArgs, footprintJvmArgs, commit, versions, MachineState.unmeasured());
    }
}
