package dev.tokenscope.testing;

import dev.tokenscope.recompute.PartitionCatalog;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** PartitionCatalog in memory, for tests: each day's partition, and how many partitions were put. */
public final class InMemoryPartitionCatalog implements PartitionCatalog {

    private final TreeMap<LocalDate, Partition> partitions = new TreeMap<>();
    private int puts;

    @Override
    public synchronized Map<LocalDate, Partition> get(Collection<LocalDate> days) {
        Map<LocalDate, Partition> found = new TreeMap<>();
        days.stream().filter(partitions::containsKey).forEach(d -> found.put(d, partitions.get(d)));
        return found;
    }

    @Override
    public synchronized void put(List<Partition> list) {
        list.forEach(p -> partitions.put(p.day(), p));
        puts += list.size();
    }

    @Override
    public synchronized void remove(Collection<LocalDate> days) {
        days.forEach(partitions::remove);
    }

    public synchronized Map<LocalDate, Partition> all() {
        return Map.copyOf(partitions);
    }

    public synchronized int puts() {
        return puts;
    }
}
