package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Formats.map;
import static io.kemu.apiserver.printers.Formats.str;
import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;

import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code printSecret}: NAME, TYPE, DATA (integer: number of keys), AGE. The key count is taken after
 * {@code Convert_v1_Secret_To_core_Secret}, which merges {@code stringData} into {@code data}.
 */
public final class SecretPrinter implements TablePrinter<Secret> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Type", "string", Descriptions.SECRET_TYPE),
            col("Data", "string", Descriptions.SECRET_DATA),
            ageColumn());

    @Override
    public String kind() {
        return "Secret";
    }

    @Override
    public Class<Secret> type() {
        return Secret.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(Secret secret, Instant now) {
        Set<String> keys = new HashSet<>(map(secret.getData()).keySet());
        keys.addAll(map(secret.getStringData()).keySet());
        return List.of(Formats.name(secret), str(secret.getType()), (long) keys.size(), Formats.age(secret, now));
    }
}
