package io.kemu.etcd.mvcc;

import io.kemu.api.etcd.EtcdProtocol.Event;
import java.util.List;

/** The outcome of a write: the revision it created, the changes to journal and the events to deliver. */
public record Committed(long revision, List<Change> changes, List<Event> events) {}
