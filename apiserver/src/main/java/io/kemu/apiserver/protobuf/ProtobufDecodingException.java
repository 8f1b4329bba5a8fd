package io.kemu.apiserver.protobuf;

/**
 * A request body sent as {@code application/vnd.kubernetes.protobuf} could not be turned into JSON.
 *
 * <p>{@link #reason()} says why; {@link #httpStatus()} is the status the API server should answer with
 * (the Kubernetes API server answers 400 BadRequest for every body it cannot decode).
 */
public class ProtobufDecodingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the body was refused. */
    public enum Reason {
        /** The body does not start with the Kubernetes protobuf magic prefix {@code k8s\0}. */
        NOT_PROTOBUF(400),
        /** The runtime.Unknown envelope or the object inside it cannot be parsed, or lacks kind/apiVersion. */
        MALFORMED(400),
        /** No protobuf message is known for the envelope's apiVersion and kind. */
        UNKNOWN_KIND(400),
        /** The envelope announces a contentEncoding or contentType of the raw bytes that cannot be handled. */
        UNSUPPORTED_ENCODING(415);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;

    public ProtobufDecodingException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ProtobufDecodingException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status to answer with: 400, or 415 for {@link Reason#UNSUPPORTED_ENCODING}. */
    public int httpStatus() {
        return reason.httpStatus();
    }
}
