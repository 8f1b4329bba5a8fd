package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Formats.list;
import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.time.Instant;
import java.util.List;

/** {@code printServiceAccount}: NAME, SECRETS (integer: number of secrets references), AGE. */
public final class ServiceAccountPrinter implements TablePrinter<ServiceAccount> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Secrets", "string", Descriptions.SERVICE_ACCOUNT_SECRETS),
            ageColumn());

    @Override
    public String kind() {
        return "ServiceAccount";
    }

    @Override
    public Class<ServiceAccount> type() {
        return ServiceAccount.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ServiceAccount sa, Instant now) {
        return List.of(Formats.name(sa), (long) list(sa.getSecrets()).size(), Formats.age(sa, now));
    }
}
