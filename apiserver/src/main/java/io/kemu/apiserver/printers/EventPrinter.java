package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Formats.i32;
import static io.kemu.apiserver.printers.Formats.str;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.wide;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code printEvent} for core/v1 Events: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; wide SUBOBJECT, SOURCE,
 * FIRST SEEN, COUNT, NAME.
 *
 * <p>Note that the server-side printer has no {@code "3m (x5 over 10m)"} form: that is how
 * {@code kubectl describe} and {@code kubectl events} render events client-side. Here LAST SEEN is a plain
 * age and COUNT is a separate (wide) integer column.
 */
public final class EventPrinter implements TablePrinter<Event> {

    public static final List<TableColumn> COLUMNS = List.of(
            col("Last Seen", "string", Descriptions.EVENT_LAST_TIMESTAMP),
            col("Type", "string", Descriptions.EVENT_TYPE),
            col("Reason", "string", Descriptions.EVENT_REASON),
            col("Object", "string", Descriptions.EVENT_INVOLVED_OBJECT),
            wide("Subobject", "string", Descriptions.OBJECT_REFERENCE_FIELD_PATH),
            wide("Source", "string", Descriptions.EVENT_SOURCE),
            col("Message", "string", Descriptions.EVENT_MESSAGE),
            wide("First Seen", "string", Descriptions.EVENT_FIRST_TIMESTAMP),
            wide("Count", "string", Descriptions.EVENT_COUNT),
            new TableColumn("Name", "string", "name", Descriptions.OBJECT_META_NAME, 1));

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
        return COLUMNS;
    }

    @Override
    public List<Object> cells(Event e, Instant now) {
        return cells(e.getMetadata(), e.getInvolvedObject(), e.getSource(), e.getReportingComponent(),
                e.getReportingInstance(), e.getType(), e.getReason(), e.getMessage(), e.getFirstTimestamp(),
                e.getLastTimestamp(), e.getEventTime(), e.getCount(),
                e.getSeries() == null ? null : e.getSeries().getCount(),
                e.getSeries() == null ? null : e.getSeries().getLastObservedTime(),
                e.getSeries() != null, now);
    }

    /**
     * The body of {@code printEvent} over the fields of the internal core Event, shared by core/v1 and
     * events.k8s.io/v1 objects (both are served from the same storage and printed by the same function).
     */
    static List<Object> cells(ObjectMeta meta, ObjectReference involved, EventSource source,
            String reportingController, String reportingInstance, String type, String reason, String message,
            String firstTimestamp, String lastTimestamp, MicroTime eventTime, Integer count,
            Integer seriesCount, MicroTime seriesLastObservedTime, boolean hasSeries, Instant now) {
        ObjectReference ref = involved == null ? new ObjectReference() : involved;
        EventSource src = source == null ? new EventSource() : source;

        Instant first = Timestamps.parse(firstTimestamp);
        String firstSeen = HumanDuration.since(first, now);
        if (Timestamps.isZero(first)) {
            firstSeen = HumanDuration.since(micro(eventTime), now);
        }

        String lastSeen = HumanDuration.translateTimestampSince(lastTimestamp, now);
        if (Timestamps.isZero(Timestamps.parse(lastTimestamp))) {
            lastSeen = firstSeen;
        }

        int n = i32(count);
        if (hasSeries) {
            lastSeen = HumanDuration.since(micro(seriesLastObservedTime), now);
            n = i32(seriesCount);
        } else if (n == 0) {
            // Singleton events don't have a count set in the new API.
            n = 1;
        }

        String kind = str(ref.getKind()).toLowerCase(Locale.ROOT);
        String target = str(ref.getName()).isEmpty() ? kind : kind + "/" + ref.getName();

        return List.of(
                lastSeen,
                str(type),
                str(reason),
                target,
                str(ref.getFieldPath()),
                formatEventSource(src, reportingController, reportingInstance),
                Formats.trimSpace(message),
                firstSeen,
                (long) n,
                meta == null ? "" : str(meta.getName()));
    }

    /**
     * {@code formatEventSource}: "component, host", using reportingController when source.component is empty
     * and reportingInstance when source.host is empty; the host part is left out when empty.
     */
    static String formatEventSource(EventSource es, String reportingController, String reportingInstance) {
        String component = firstNonEmpty(es.getComponent(), reportingController);
        String instance = firstNonEmpty(es.getHost(), reportingInstance);
        if (instance.isEmpty()) {
            return component;
        }
        return component + ", " + instance;
    }

    private static String firstNonEmpty(String... ss) {
        for (String s : ss) {
            if (s != null && !s.isEmpty()) {
                return s;
            }
        }
        return "";
    }

    private static Instant micro(MicroTime t) {
        return t == null ? Timestamps.ZERO : Timestamps.parse(t.getTime());
    }
}
