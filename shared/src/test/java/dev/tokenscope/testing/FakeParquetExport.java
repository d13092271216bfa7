package dev.tokenscope.testing;

import dev.tokenscope.recompute.ParquetExport;
import dev.tokenscope.store.ObjectStore;
import dev.tokenscope.store.WarehouseLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A ParquetExport over an ObjectStore, for tests: writes one object per day that has raw objects, its bytes the
 * day's raw objects one after the other (so a test can tell which version of a day was exported), and records
 * the days of each call.
 */
public final class FakeParquetExport implements ParquetExport {

    private final ObjectStore objects;
    private final List<List<LocalDate>> calls = new ArrayList<>();

    public FakeParquetExport(ObjectStore objects) {
        this.objects = objects;
    }

    @Override
    public void exportParquet(List<LocalDate> days, String bucket, String prefix) {
        calls.add(List.copyOf(days));
        for (LocalDate day : days) {
            ByteArrayOutputStream rows = new ByteArrayOutputStream();
            for (ObjectStore.ObjectSummary raw : objects.list(bucket, WarehouseLayout.recordsDayPrefix(day))) {
                try (ObjectStore.ObjectBody body = objects.open(bucket, raw.key()).orElseThrow()) {
                    body.stream().transferTo(rows);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (rows.size() > 0) {
                objects.put(bucket, prefix + WarehouseLayout.PARTITION_COLUMN + "=" + day + "/part-0.parquet",
                        rows.toByteArray(), "application/octet-stream");
            }
        }
    }

    /** The days of each export, in call order. */
    public List<List<LocalDate>> calls() {
        return List.copyOf(calls);
    }
}
