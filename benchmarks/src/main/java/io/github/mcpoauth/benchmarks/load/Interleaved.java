package io.github.mcpoauth.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Operations on the same JVM measured in turns, round after round (A B C, B C A, C A B, …), each measurement the
 * sum of its turns: whatever else the machine does meanwhile (a neighbour's load on a shared host, a collection of
 * garbage an earlier phase left) falls on every operation alike, so their ratio holds where back-to-back runs of
 * several seconds each drift by 10% or more. A first round of turns is not recorded. The harness compares guarded and
 * unguarded {@code tools/list} so.
 */
final class Interleaved {

    /** One operation: its row name, the target it runs against (for its retries) and its workers. */
    record Lane(String operation, HttpTarget target, List<HttpTarget.Client> clients,
            Measurement.Op<HttpTarget.Client> op) {
    }

    private Interleaved() {
    }

    /**
     * One unrecorded round: every lane for {@code turn}, one after another. Run until the JIT has settled
     * ({@link JitSettle}), it warms the lanes up as they will be measured, mixed: warmed one after another, each
     * lane's code was compiled for its requests alone, and what the JIT compiled again once they mixed (a call site
     * meeting a second request type, a branch its lane never took) fell into the measured turns.
     */
    static void warm(List<Lane> lanes, Duration turn) throws InterruptedException {
        for (Lane lane : lanes) {
            Measurement.slice(lane.operation(), lane.clients(), Integer.MAX_VALUE, turn, lane.op(), null);
        }
    }

    /**
     * Runs every lane {@code rounds} times for {@code turn} (or {@code maxOpsPerTurn} operations) each, in rotating
     * order; one measurement per lane, in the lanes' order, with the server's CPU ({@code server}) and the
     * generator's ({@code generator}) per operation.
     */
    static List<Measurement> run(List<Lane> lanes, int rounds, Duration turn, int maxOpsPerTurn, CpuMeter server,
            CpuMeter generator) throws InterruptedException {
        int n = lanes.size();
        List<List<Measurement.Slice>> slices = new ArrayList<>();
        long[] generatorNanos = new long[n];
        long[] retries = new long[n];
        for (int i = 0; i < n; i++) {
            slices.add(new ArrayList<>());
        }
        // one unrecorded round first: any lane's connections closed while idle (the generator drops a connection
        // idle for 10 s, the server after 30 s) opened again here, and the JIT meets the accept path again here, not
        // in the first lane's first measured turn
        warm(lanes, turn);
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < n; k++) {
                int i = (k + round) % n;
                Lane lane = lanes.get(i);
                long retries0 = lane.target().retries();
                long generator0 = generator.cpuNanos();
                slices.get(i).add(Measurement.slice(lane.operation(), lane.clients(), maxOpsPerTurn, turn, lane.op(),
                        server));
                generatorNanos[i] += generator.cpuNanos() - generator0;
                retries[i] += lane.target().retries() - retries0;
            }
        }
        List<Measurement> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Measurement.of(lanes.get(i).operation(), slices.get(i)).withGenerator(retries[i],
                    generatorNanos[i]));
        }
        return out;
    }
}
