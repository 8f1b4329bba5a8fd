package io.kemu.apiserver.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Finds the generated protobuf message of client-java-proto for an (apiVersion, kind).
 *
 * <p>The generated outer classes are named after the group version: {@code Capitalized(version) +
 * Capitalized(first label of the group)}, e.g. {@code apps/v1 -> V1Apps},
 * {@code rbac.authorization.k8s.io/v1 -> V1Rbac}, {@code autoscaling/v2 -> V2Autoscaling}; the core group
 * is just the version ({@code v1 -> V1}). Only the exceptions are tabled. The proto package of the file
 * found is checked against the group and version, so a look-alike group cannot land on a wrong file.
 * Found message types are cached; misses are not (their number is not bounded).
 */
final class KindRegistry {

    /**
     * A decodable kind: the message descriptor and a parser for it.
     *
     * <p>The parser is DynamicMessage's, not the generated class's: client-java-proto's gencode predates
     * protobuf 3.21.7 and protobuf-java flags it as open to the parsing DoS of CVE-2022-3171
     * (GHSA-h4h5-3hr4-j3g2) when it parses; request bodies are untrusted input. Only the descriptors of the
     * generated classes are used.
     */
    record MessageType(Descriptor descriptor, Parser<? extends Message> parser) {}

    private static final String PROTO_PACKAGE = "io.kubernetes.client.proto.";

    private static final Pattern VERSION = Pattern.compile("v[1-9][0-9]*(?:(?:alpha|beta)[1-9][0-9]*)?");
    private static final Pattern GROUP =
            Pattern.compile("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern KIND = Pattern.compile("[A-Z][A-Za-z0-9]*");

    /** Groups whose Go package (and so generated class) is not named after the group's first label. */
    private static final Map<String, String> GROUP_PACKAGE_EXCEPTIONS = Map.of(
            "internal.apiserver.k8s.io", "apiserverinternal");

    /**
     * Kinds that apimachinery's metav1.AddToGroupVersion registers into every group version (WatchEvent and
     * the options types) or as unversioned types: they are sent as e.g. {@code apps/v1 DeleteOptions}
     * but their message lives in meta/v1.
     */
    private static final Set<String> META_KINDS = Set.of(
            "WatchEvent", "ListOptions", "GetOptions", "DeleteOptions", "CreateOptions", "UpdateOptions",
            "PatchOptions", "Status", "APIVersions", "APIGroupList", "APIGroup", "APIResourceList");

    private final ConcurrentHashMap<String, FileDescriptor> files = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, MessageType> types = new ConcurrentHashMap<>();

    /** The message type for apiVersion and kind, or empty if none is known. */
    Optional<MessageType> lookup(String apiVersion, String kind) {
        String key = apiVersion + '\u0000' + kind;
        MessageType cached = types.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<MessageType> found = find(apiVersion, kind);
        found.ifPresent(t -> types.putIfAbsent(key, t));
        return found;
    }

    private Optional<MessageType> find(String apiVersion, String kind) {
        if (!KIND.matcher(kind).matches()) {
            return Optional.empty();
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        Optional<FileDescriptor> file = generatedFile(group, version);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        Descriptor descriptor = file.get().findMessageTypeByName(kind);
        if (descriptor == null && META_KINDS.contains(kind)) {
            descriptor = generatedFile("meta.k8s.io", "v1").orElseThrow().findMessageTypeByName(kind);
        }
        if (descriptor == null) {
            return Optional.empty();
        }
        return Optional.of(new MessageType(descriptor, DynamicMessage.getDefaultInstance(descriptor).getParserForType()));
    }

    /** The descriptor of the generated file for the group version, if client-java-proto has it. */
    Optional<FileDescriptor> generatedFile(String group, String version) {
        if (!VERSION.matcher(version).matches() || !(group.isEmpty() || GROUP.matcher(group).matches())) {
            return Optional.empty();
        }
        String goPackage;
        String simpleName;
        if (group.isEmpty()) {
            goPackage = "core";
            simpleName = capitalize(version);
        } else if (group.equals("meta.k8s.io")) {
            if (!version.equals("v1")) {
                return Optional.empty();
            }
            goPackage = "meta";
            simpleName = "Meta";
        } else {
            goPackage = GROUP_PACKAGE_EXCEPTIONS.get(group);
            if (goPackage == null) {
                // Built-in groups are either legacy dot-less names (apps, batch, ...) or end in .k8s.io.
                int dot = group.indexOf('.');
                if (dot >= 0 && !group.endsWith(".k8s.io")) {
                    return Optional.empty();
                }
                goPackage = dot < 0 ? group : group.substring(0, dot);
            }
            simpleName = capitalize(version) + capitalize(goPackage);
        }
        String outerClass = PROTO_PACKAGE + simpleName;
        FileDescriptor cached = files.get(outerClass);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<FileDescriptor> descriptor = loadFileDescriptor(outerClass);
        if (descriptor.isEmpty() || !descriptor.get().getPackage().endsWith("." + goPackage + "." + version)) {
            return Optional.empty();
        }
        files.putIfAbsent(outerClass, descriptor.get());
        return descriptor;
    }

    private static Optional<FileDescriptor> loadFileDescriptor(String outerClass) {
        try {
            Class<?> outer = Class.forName(outerClass, true, KindRegistry.class.getClassLoader());
            Method getDescriptor = outer.getMethod("getDescriptor");
            if (!Modifier.isStatic(getDescriptor.getModifiers())
                    || !FileDescriptor.class.equals(getDescriptor.getReturnType())) {
                return Optional.empty();
            }
            return Optional.of((FileDescriptor) getDescriptor.invoke(null));
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return Optional.empty();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load generated protobuf class " + outerClass, e);
        }
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
