package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Fixtures.NOW;
import static io.kemu.apiserver.printers.Fixtures.ago;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSourceBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mirrors printers_test.go TestPrintEvent and TestPrintEventsResultSorted. */
class EventPrinterTest {

    private final EventPrinter printer = new EventPrinter();

    private static final Duration D2 = Duration.ofDays(2);
    private static final Duration D3 = Duration.ofDays(3);

    private static MicroTime micro(Duration ago) {
        // metav1.MicroTime serializes with microseconds
        return new MicroTime(NOW.minus(ago).toString().replace("Z", ".000000Z"));
    }

    private static EventBuilder deploymentEvent(String name) {
        return new EventBuilder()
                .withNewSource().withComponent("kubelet").withHost("Node1").endSource()
                .withNewInvolvedObject().withKind("Deployment").withName("Deployment Name")
                .withFieldPath("spec.containers{foo}").endInvolvedObject()
                .withReason("Event Reason").withMessage("Message Data")
                .withType("Warning").withNewMetadata().withName(name).endMetadata();
    }

    private List<Object> basic(Event e) {
        // Columns without -o wide: Last Seen, Type, Reason, Object, Message
        List<Object> c = printer.cells(e, NOW);
        return List.of(c.get(0), c.get(1), c.get(2), c.get(3), c.get(6));
    }

    @Test
    void basicEvent() {
        Event e = new EventBuilder()
                .withNewSource().withComponent("kubelet").endSource()
                .withNewInvolvedObject().withKind("Pod").withName("Pod Name").withFieldPath("spec.containers{foo}").endInvolvedObject()
                .withReason("Event Reason").withMessage("Message Data")
                .withFirstTimestamp(ago(D3)).withLastTimestamp(ago(D2)).withCount(6).withType("Normal")
                .withNewMetadata().withName("event1").endMetadata().build();
        assertEquals(List.of("2d", "Normal", "Event Reason", "pod/Pod Name", "Message Data"), basic(e));
    }

    @Test
    void wide() {
        Event e = deploymentEvent("event2").withFirstTimestamp(ago(D3)).withLastTimestamp(ago(D2)).withCount(6).build();
        assertEquals(List.of("2d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}",
                "kubelet, Node1", "Message Data", "3d", 6L, "event2"), printer.cells(e, NOW));
    }

    @Test
    void withoutFirstTimestampUsesEventTime() {
        Event e = deploymentEvent("event3").withEventTime(micro(D3)).withLastTimestamp(ago(D3)).withCount(1).build();
        assertEquals(List.of("3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}",
                "kubelet, Node1", "Message Data", "3d", 1L, "event3"), printer.cells(e, NOW));
    }

    @Test
    void withoutLastTimestampUsesFirstSeen() {
        Event e = deploymentEvent("event4").withEventTime(micro(D3)).withFirstTimestamp(ago(D3)).withCount(1).build();
        assertEquals(List.of("3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}",
                "kubelet, Node1", "Message Data", "3d", 1L, "event4"), printer.cells(e, NOW));
    }

    @Test
    void withoutFirstAndLastTimestamp() {
        Event e = deploymentEvent("event5").withEventTime(micro(D3)).withCount(1).build();
        assertEquals(List.of("3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}",
                "kubelet, Node1", "Message Data", "3d", 1L, "event5"), printer.cells(e, NOW));
    }

    @Test
    void seriesGivesLastSeenAndCount() {
        Event e = deploymentEvent("event6").withNewSeries().withCount(2).withLastObservedTime(micro(D2)).endSeries()
                .withEventTime(micro(D3)).build();
        assertEquals(List.of("2d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}",
                "kubelet, Node1", "Message Data", "3d", 2L, "event6"), printer.cells(e, NOW));
    }

    @Test
    void singletonEventWithoutCountCountsOne() {
        Event e = deploymentEvent("event7").withEventTime(micro(D3)).build();
        assertEquals(List.of("3d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}",
                "kubelet, Node1", "Message Data", "3d", 1L, "event7"), printer.cells(e, NOW));
    }

    @Test
    void emptySourceFallsBackToReportingControllerAndInstance() {
        Event e = deploymentEvent("event2").withSource(null).withReportingComponent("kubelet").withReportingInstance("test")
                .withFirstTimestamp(ago(D3)).withLastTimestamp(ago(D2)).withCount(6).build();
        assertEquals(List.of("2d", "Warning", "Event Reason", "deployment/Deployment Name", "spec.containers{foo}",
                "kubelet, test", "Message Data", "3d", 6L, "event2"), printer.cells(e, NOW));
    }

    @Test
    void objectWithoutNameMessageTrimmedAndNoTimes() {
        Event e = new EventBuilder().withNewInvolvedObject().withKind("Node").endInvolvedObject()
                .withMessage("  Starting kubelet.\n").withNewSource().withComponent("kubelet").endSource()
                .withNewMetadata().withName("n.1").endMetadata().build();
        assertEquals(List.of("<unknown>", "", "", "node", "", "kubelet", "Starting kubelet.", "<unknown>", 1L, "n.1"),
                printer.cells(e, NOW));
    }

    @Test
    void recentCountedEvent() {
        Event e = deploymentEvent("e").withFirstTimestamp(ago(Duration.ofMinutes(10)))
                .withLastTimestamp(ago(Duration.ofMinutes(3))).withCount(5).build();
        List<Object> cells = printer.cells(e, NOW);
        assertEquals("3m", cells.get(0));
        assertEquals("10m", cells.get(7));
        assertEquals(5L, cells.get(8));
    }

    @Test
    void eventsAreNotSortedByThePrinter() {
        // TestPrintEventsResultSorted: rows come out in list order
        List<String> messages = List.of("Item 1", "Item 2", "Item 3");
        List<String> times = List.of("2014-01-15T00:00:00Z", "1987-06-17T00:00:00Z", "2002-12-25T00:00:00Z");
        for (int i = 0; i < 3; i++) {
            Event e = new EventBuilder().withNewSource().withComponent("kubelet").endSource().withMessage(messages.get(i))
                    .withFirstTimestamp(times.get(i)).withLastTimestamp(times.get(i)).withCount(1).withType("Normal").build();
            assertEquals(messages.get(i), printer.cells(e, NOW).get(6));
        }
    }

    @Test
    void eventsV1EventsArePrintedThroughTheCoreConversion() {
        io.fabric8.kubernetes.api.model.events.v1.Event e = new io.fabric8.kubernetes.api.model.events.v1.EventBuilder()
                .withNewMetadata().withName("ev1").endMetadata()
                .withNewRegarding().withKind("Pod").withName("web-0").withFieldPath("spec.containers{app}").endRegarding()
                .withNote(" Pulled image ").withReason("Pulled").withType("Normal")
                .withReportingController("kubelet").withReportingInstance("node-1")
                .withEventTime(micro(Duration.ofMinutes(4)))
                .withNewSeries().withCount(3).withLastObservedTime(micro(Duration.ofSeconds(30))).endSeries()
                .build();
        assertEquals(List.of("30s", "Normal", "Pulled", "pod/web-0", "spec.containers{app}", "kubelet, node-1",
                "Pulled image", "4m", 3L, "ev1"), new EventsV1EventPrinter().cells(e, NOW));
        io.fabric8.kubernetes.api.model.events.v1.Event deprecated = new io.fabric8.kubernetes.api.model.events.v1.EventBuilder()
                .withNewMetadata().withName("ev2").endMetadata()
                .withNewRegarding().withKind("Node").withName("n1").endRegarding()
                .withDeprecatedSource(new EventSourceBuilder().withComponent("kubelet").withHost("n1").build())
                .withDeprecatedFirstTimestamp(ago(Duration.ofHours(2))).withDeprecatedLastTimestamp(ago(Duration.ofMinutes(1)))
                .withDeprecatedCount(7).withNote("NodeReady").withType("Normal").withReason("NodeReady").build();
        assertEquals(List.of("60s", "Normal", "NodeReady", "node/n1", "", "kubelet, n1", "NodeReady", "120m", 7L, "ev2"),
                new EventsV1EventPrinter().cells(deprecated, NOW));
    }

    @Test
    void columnDefinitions() {
        assertEquals(List.of("Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"),
                EventPrinter.COLUMNS.stream().map(TableColumn::name).toList());
        assertEquals(List.of(0, 0, 0, 0, 1, 1, 0, 1, 1, 1), EventPrinter.COLUMNS.stream().map(TableColumn::priority).toList());
        assertEquals("name", EventPrinter.COLUMNS.get(9).format());
        assertEquals("", EventPrinter.COLUMNS.get(0).format());
        assertEquals("The object that this event is about.", EventPrinter.COLUMNS.get(3).description());
    }
}
