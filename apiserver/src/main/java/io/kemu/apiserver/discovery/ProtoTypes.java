package io.kemu.apiserver.discovery;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Go view of the Kubernetes API types, read from the protobuf descriptors of client-java-proto: the
 * package-qualified name of every type ({@code k8s.io.api.core.v1.PodSpec}, which is how kube-openapi names its
 * definitions, reversed: {@code io.k8s.api.core.v1.PodSpec}) and the Go type of the fields that the fabric8 model
 * flattens to strings or numbers ({@code metav1.Time}, {@code int32} vs {@code int64}, {@code []byte}).
 */
final class ProtoTypes {
  static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1";
  static final String CORE = "k8s.io.api.core.v1";
  private static final String OUTER_PACKAGE = "io.kubernetes.client.proto.";
  /** Groups whose Go package is not named after the group's first label. */
  private static final Map<String, String> GROUP_PACKAGES = Map.of("internal.apiserver.k8s.io", "apiserverinternal");

  private final Map<String, Optional<FileDescriptor>> files = new ConcurrentHashMap<>();

  /** The Go package of an API group version, as a proto package: {@code k8s.io.api.apps.v1}. */
  static String protoPackage(String group, String version) {
    if (group.isEmpty()) {
      return "k8s.io.api.core." + version;
    }
    String pkg = GROUP_PACKAGES.get(group);
    if (pkg == null) {
      int dot = group.indexOf('.');
      pkg = dot < 0 ? group : group.substring(0, dot);
    }
    return "k8s.io.api." + pkg + "." + version;
  }

  /** The OpenAPI definition name of a proto message: {@code io.k8s.api.core.v1.Pod}. */
  static String definitionName(String protoFullName) {
    return protoFullName.startsWith("k8s.io.") ? "io.k8s." + protoFullName.substring("k8s.io.".length())
        : protoFullName;
  }

  /** The message {@code simpleName} of a proto package, if client-java-proto has it. */
  Optional<Descriptor> message(String protoPackage, String simpleName) {
    return file(protoPackage).map(f -> f.findMessageTypeByName(simpleName));
  }

  private Optional<FileDescriptor> file(String protoPackage) {
    return files.computeIfAbsent(protoPackage, ProtoTypes::load);
  }

  /**
   * The generated outer class of a proto package: {@code V1} (core/v1), {@code V1Apps}, {@code V2Autoscaling},
   * {@code Meta}.
   */
  private static Optional<FileDescriptor> load(String protoPackage) {
    String outer;
    if (protoPackage.equals(META)) {
      outer = "Meta";
    } else if (protoPackage.startsWith("k8s.io.api.")) {
      String[] p = protoPackage.substring("k8s.io.api.".length()).split("\\.");
      if (p.length != 2) {
        return Optional.empty();
      }
      outer = cap(p[1]) + (p[0].equals("core") ? "" : cap(p[0]));
    } else {
      return Optional.empty();
    }
    try {
      Class<?> c = Class.forName(OUTER_PACKAGE + outer, true, ProtoTypes.class.getClassLoader());
      Method m = c.getMethod("getDescriptor");
      FileDescriptor f = (FileDescriptor) m.invoke(null);
      return f.getPackage().equals(protoPackage) ? Optional.of(f) : Optional.empty();
    } catch (ClassNotFoundException | NoSuchMethodException | ClassCastException e) {
      return Optional.empty();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("cannot load generated protobuf class " + outer, e);
    }
  }

  /** The field of a message with a JSON name (proto names are the JSON names, but for a handful of case slips). */
  static FieldDescriptor field(Descriptor message, String jsonName) {
    if (message == null) {
      return null;
    }
    FieldDescriptor f = message.findFieldByName(jsonName);
    if (f != null) {
      return f;
    }
    for (FieldDescriptor c : message.getFields()) {
      if (c.getName().equalsIgnoreCase(jsonName)) {
        return c;
      }
    }
    return null;
  }

  /** The message type of a field's values (the map value's for a map), or null for scalars. */
  static Descriptor valueMessage(FieldDescriptor f) {
    if (f == null || f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return null;
    }
    if (f.isMapField()) {
      FieldDescriptor value = f.getMessageType().findFieldByName("value");
      return value == null || value.getJavaType() != FieldDescriptor.JavaType.MESSAGE ? null : value.getMessageType();
    }
    return f.getMessageType();
  }

  /** The scalar type of a field's values (the map value's for a map), or null for messages. */
  static FieldDescriptor.Type valueScalar(FieldDescriptor f) {
    if (f == null) {
      return null;
    }
    if (f.isMapField()) {
      FieldDescriptor value = f.getMessageType().findFieldByName("value");
      return value == null || value.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? null : value.getType();
    }
    return f.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? null : f.getType();
  }

  private static String cap(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
