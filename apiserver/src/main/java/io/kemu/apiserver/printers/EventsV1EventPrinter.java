package io.kemu.apiserver.printers;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import java.time.Instant;
import java.util.List;

/**
 * {@code printEvent} for events.k8s.io/v1 Events. kube-apiserver serves them from the core event storage,
 * so they are converted to the internal core Event ({@code Convert_v1_Event_To_core_Event}: regarding →
 * involvedObject, note → message, deprecatedSource → source, deprecatedFirstTimestamp/LastTimestamp/Count →
 * firstTimestamp/lastTimestamp/count) and printed with the same columns as core/v1 Events.
 */
public final class EventsV1EventPrinter implements TablePrinter<Event> {

    @Override
    public String kind() {
        return "Event";
    }

    @Override
    public Class<Event> type() {
        return Event.class;
    }

    @Override
    public List<TableColumn> columns() {
        return EventPrinter.COLUMNS;
    }

    @Override
    public List<Object> cells(Event e, Instant now) {
        return EventPrinter.cells(e.getMetadata(), e.getRegarding(), e.getDeprecatedSource(),
                e.getReportingController(), e.getReportingInstance(), e.getType(), e.getReason(), e.getNote(),
                e.getDeprecatedFirstTimestamp(), e.getDeprecatedLastTimestamp(), e.getEventTime(),
                e.getDeprecatedCount(),
                e.getSeries() == null ? null : e.getSeries().getCount(),
                e.getSeries() == null ? null : e.getSeries().getLastObservedTime(),
                e.getSeries() != null, now);
    }
}
