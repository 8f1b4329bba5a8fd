package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Formats.map;
import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Instant;
import java.util.List;

/** {@code printConfigMap}: NAME, DATA (integer: number of data plus binaryData keys), AGE. */
public final class ConfigMapPrinter implements TablePrinter<ConfigMap> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Data", "string", Descriptions.CONFIG_MAP_DATA),
            ageColumn());

    @Override
    public String kind() {
        return "ConfigMap";
    }

    @Override
    public Class<ConfigMap> type() {
        return ConfigMap.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ConfigMap cm, Instant now) {
        long data = map(cm.getData()).size() + map(cm.getBinaryData()).size();
        return List.of(Formats.name(cm), data, Formats.age(cm, now));
    }
}
