package io.kemu.apiserver.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How Go's encoding/json writes each field of the Kubernetes API types: pointer or not, omitempty or not,
 * embedded inline, JSON name. Read from {@code go-json-fields.txt} (see its header for the format and
 * where it comes from).
 */
final class GoJsonFields {

    static final String RESOURCE = "go-json-fields.txt";

    /** What Go's JSON encoder does with one field. */
    record Field(String jsonName, boolean pointer, boolean always, boolean inline) {}

    private static final Field[] NONE = new Field[0];

    private final Map<String, Map<String, Field>> byMessage;
    private final ConcurrentHashMap<Descriptor, Field[]> byDescriptor = new ConcurrentHashMap<>();

    private GoJsonFields(Map<String, Map<String, Field>> byMessage) {
        this.byMessage = byMessage;
    }

    static GoJsonFields load() {
        try (InputStream in = GoJsonFields.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static GoJsonFields parse(List<String> lines) {
        Map<String, Map<String, Field>> byMessage = new HashMap<>();
        int lineNumber = 0;
        for (String line : lines) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] tokens = trimmed.split("\\s+");
            Map<String, Field> fields = new HashMap<>();
            for (int i = 1; i < tokens.length; i++) {
                String token = tokens[i];
                String jsonName = null;
                int eq = token.indexOf('=');
                if (eq >= 0) {
                    jsonName = token.substring(eq + 1);
                    token = token.substring(0, eq);
                }
                String flags = "";
                int colon = token.indexOf(':');
                if (colon >= 0) {
                    flags = token.substring(colon + 1);
                    token = token.substring(0, colon);
                }
                if (token.isEmpty() || !flags.matches("[pai]*") || (jsonName != null && jsonName.isEmpty())) {
                    throw new IllegalArgumentException(RESOURCE + " line " + lineNumber + ": bad field " + tokens[i]);
                }
                fields.put(token, new Field(jsonName == null ? token : jsonName,
                        flags.indexOf('p') >= 0, flags.indexOf('a') >= 0, flags.indexOf('i') >= 0));
            }
            if (byMessage.put(tokens[0], Collections.unmodifiableMap(fields)) != null) {
                throw new IllegalArgumentException(RESOURCE + " line " + lineNumber + ": duplicate " + tokens[0]);
            }
        }
        return new GoJsonFields(Collections.unmodifiableMap(byMessage));
    }

    /**
     * The Go JSON facts of every field of the message, indexed like {@link Descriptor#getFields()};
     * an entry is null where the field (or the whole message) is not known.
     */
    Field[] fieldsOf(Descriptor message) {
        return byDescriptor.computeIfAbsent(message, d -> {
            Map<String, Field> known = byMessage.get(d.getFullName());
            if (known == null) {
                return NONE;
            }
            List<FieldDescriptor> fields = d.getFields();
            Field[] result = new Field[fields.size()];
            for (int i = 0; i < result.length; i++) {
                result[i] = known.get(fields.get(i).getName());
            }
            return result;
        });
    }

    /** The message full names listed, with their fields by proto name. */
    Map<String, Map<String, Field>> messages() {
        return byMessage;
    }
}
