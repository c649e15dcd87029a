package corral.workers.config;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of CPU numbers in the kernel's list format, as {@code taskset -c}, {@code cpuset.cpus}
 * and {@code Cpus_allowed_list} write it: {@code "0-13"}, {@code "0,2,4-7"}. Immutable; never
 * empty when parsed; {@link #toString()} gives the canonical list (ranges merged, ascending).
 */
public final class CpuSet {

    /** Highest CPU number accepted: the kernel's default NR_CPUS limit on x86-64 is lower. */
    public static final int MAX_CPU = 8191;
    static final String ACCEPTED = "give CPU numbers and ranges as taskset -c takes them, e.g. \"0-13\" or \"0,2,4-7\"";

    private static final Pattern ITEM = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");

    private final BitSet cpus;

    private CpuSet(BitSet cpus) {
        this.cpus = cpus;
    }

    /** Parses a CPU list; throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static CpuSet parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("is empty: " + ACCEPTED);
        }
        BitSet cpus = new BitSet();
        for (String item : text.split(",", -1)) {
            Matcher m = ITEM.matcher(item.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("is not a CPU list: " + ACCEPTED);
            }
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            if (to < from) {
                throw new IllegalArgumentException("has a range that runs backwards (" + item.trim() + ")");
            }
            if (to > MAX_CPU) {
                throw new IllegalArgumentException("names CPU " + to + "; no machine has more than " + (MAX_CPU + 1));
            }
            cpus.set(from, to + 1);
        }
        return new CpuSet(cpus);
    }

    /** CPUs {@code 0} to {@code count - 1}: a machine with {@code count} CPUs. */
    public static CpuSet firstN(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, was " + count);
        }
        BitSet cpus = new BitSet();
        cpus.set(0, count);
        return new CpuSet(cpus);
    }

    public int size() {
        return cpus.cardinality();
    }

    public boolean isEmpty() {
        return cpus.isEmpty();
    }

    public boolean contains(int cpu) {
        return cpu >= 0 && cpus.get(cpu);
    }

    /** The CPUs of this set that are also in {@code other}. */
    public CpuSet intersect(CpuSet other) {
        BitSet both = (BitSet) cpus.clone();
        both.and(other.cpus);
        return new CpuSet(both);
    }

    /** The CPUs of this set that are not in {@code other}. */
    public CpuSet minus(CpuSet other) {
        BitSet rest = (BitSet) cpus.clone();
        rest.andNot(other.cpus);
        return new CpuSet(rest);
    }

    /** The CPU numbers, ascending. */
    public List<Integer> cpus() {
        return cpus.stream().boxed().toList();
    }

    /** The canonical list: {@code "0-3,8"}; empty text for an empty set. */
    @Override
    public String toString() {
        List<String> items = new ArrayList<>();
        for (int from = cpus.nextSetBit(0); from >= 0; ) {
            int to = cpus.nextClearBit(from) - 1;
            items.add(from == to ? Integer.toString(from) : from + "-" + to);
            from = cpus.nextSetBit(to + 1);
        }
        return String.join(",", items);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet other && cpus.equals(other.cpus);
    }

    @Override
    public int hashCode() {
        return cpus.hashCode();
    }
}
