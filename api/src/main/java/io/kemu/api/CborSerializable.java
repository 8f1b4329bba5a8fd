package io.kemu.api;

/**
 * Marker for every message that crosses JVMs. Each role's configuration binds it to Pekko's
 * {@code jackson-cbor} serializer, so protocol records stay plain Java records.
 */
public interface CborSerializable {
}
