package io.kemu.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.kubernetes.client.proto.Runtime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Builds Kubernetes protobuf bodies the way client-go does, and reads expected JSON. */
final class Bodies {

    static final ObjectMapper JSON = new ObjectMapper();

    private Bodies() {}

    /** k8s\0 + runtime.Unknown{typeMeta, raw, contentEncoding "", contentType ""}, as client-go writes it. */
    static byte[] wrap(String apiVersion, String kind, MessageLite object) {
        return wrap(apiVersion, kind, object.toByteString(), "", "");
    }

    static byte[] wrap(String apiVersion, String kind, ByteString raw, String contentEncoding, String contentType) {
        Runtime.Unknown unknown = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(raw)
                .setContentEncoding(contentEncoding)
                .setContentType(contentType)
                .build();
        return prefixed(unknown.toByteArray());
    }

    static byte[] prefixed(byte[] envelope) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'k', '8', 's', 0});
        out.writeBytes(envelope);
        return out.toByteArray();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = Bodies.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
