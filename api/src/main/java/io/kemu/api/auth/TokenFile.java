package io.kemu.api.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kube-apiserver static token file ({@code --token-auth-file}).
 *
 * <p>Each record is {@code token,user,uid[,"group1,group2"]}. The rules follow upstream
 * ({@code k8s.io/apiserver/pkg/authentication/token/tokenfile}), which reads the file with Go's
 * {@code encoding/csv} in its default configuration:
 * <ul>
 *   <li>fields are separated by {@code ,}; white space is part of a field (nothing is trimmed);</li>
 *   <li>a field starting with {@code "} is quoted: it may contain commas and line breaks, and {@code ""}
 *       stands for one quote; any other quote after the closing one is an error, and so is a quote inside
 *       an unquoted field;</li>
 *   <li>empty lines are skipped (a line holding only spaces is <em>not</em> empty); {@code \r\n} counts as
 *       {@code \n};</li>
 *   <li>there are <em>no comments</em>: a line starting with {@code #} is an ordinary record (and usually
 *       fails the column check);</li>
 *   <li>every record needs at least 3 columns; columns after the 4th are ignored;</li>
 *   <li>a record with an empty token is skipped (with a warning);</li>
 *   <li>a repeated token replaces the earlier record (with a warning);</li>
 *   <li>the 4th column is split on {@code ,} as is, so an empty 4th column gives the single group
 *       {@code ""} (upstream's {@code strings.Split} behaviour, kept for fidelity).</li>
 * </ul>
 * Where upstream fails the whole file, {@link #read} throws {@link TokenFileException}, whose message
 * names the file and the line.
 */
public final class TokenFile {

    private static final Logger log = LoggerFactory.getLogger(TokenFile.class);

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private TokenFile() {
    }

    /** One record of the token file. {@code groups} is empty when the record has only 3 columns. */
    public record Entry(String token, String user, String uid, List<String> groups) {
        public Entry {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(uid, "uid");
            groups = List.copyOf(Objects.requireNonNull(groups, "groups"));
        }
    }

    /** A token file that upstream would refuse. */
    public static final class TokenFileException extends IOException {
        private final int line;

        TokenFileException(Path file, int line, String message) {
            super(file + ":" + line + ": " + message);
            this.line = line;
        }

        /** The 1-based line where the problem was found. */
        public int line() {
            return line;
        }
    }

    /**
     * Reads a token file. The map is keyed by token and keeps the order in which tokens first appear.
     *
     * @throws TokenFileException when a record is malformed (the message holds file and line number)
     * @throws IOException when the file cannot be read or is not UTF-8
     */
    public static Map<String, Entry> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not valid UTF-8", e);
        }
        return parse(file, text);
    }

    static Map<String, Entry> parse(Path file, String text) throws TokenFileException {
        Map<String, Entry> tokens = new LinkedHashMap<>();
        Parser parser = new Parser(file, text);
        int recordNumber = 0;
        List<String> record;
        while ((record = parser.nextRecord()) != null) {
            int line = parser.recordLine;
            if (record.size() < 3) {
                throw new TokenFileException(file, line,
                        "a record must have at least 3 columns (token, user name, user uid), found " + record.size());
            }
            recordNumber++;
            String token = record.get(0);
            if (token.isEmpty()) {
                log.warn("empty token in token file '{}', record {} (line {}): record ignored", file, recordNumber, line);
                continue;
            }
            List<String> groups = record.size() >= 4
                    ? Arrays.asList(record.get(3).split(",", -1))
                    : List.of();
            Entry entry = new Entry(token, record.get(1), record.get(2), groups);
            if (tokens.put(token, entry) != null) {
                log.warn("duplicate token in token file '{}', record {} (line {}): the later record wins",
                        file, recordNumber, line);
            }
        }
        return Collections.unmodifiableMap(tokens);
    }

    /** The token of {@code user} in the file (how kemu's components find their credentials). */
    public static String tokenFor(Path file, String user) throws IOException {
        for (Entry e : read(file).values()) {
            if (e.user().equals(user)) {
                return e.token();
            }
        }
        throw new IOException(file + ": no token for user " + user);
    }

    /**
     * Writes the entries, replacing the file atomically (temporary file in the same directory, then a move)
     * with mode 600 where the file system has POSIX permissions.
     *
     * @throws IllegalArgumentException for an entry that cannot be written faithfully: empty token (upstream
     *     would skip it), token used twice, or a group name containing a comma (the groups column is split on
     *     commas)
     */
    public static void write(Path file, List<Entry> entries) throws IOException {
        Set<String> seen = new HashSet<>();
        StringBuilder out = new StringBuilder();
        for (Entry e : entries) {
            if (!seen.add(e.token())) {
                throw new IllegalArgumentException("token of user '" + e.user() + "' is used twice");
            }
            out.append(format(e)).append('\n');
        }
        writeAtomically(file, out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One record as a line of the token file, without the line break: fields quoted only where needed,
     * the groups column only when there are groups.
     *
     * @throws IllegalArgumentException for an empty token or a group name containing a comma
     */
    public static String format(Entry e) {
        if (e.token().isEmpty()) {
            throw new IllegalArgumentException("empty token for user '" + e.user() + "': upstream skips such records");
        }
        for (String g : e.groups()) {
            if (g.indexOf(',') >= 0) {
                throw new IllegalArgumentException("group '" + g + "' of user '" + e.user()
                        + "' contains a comma, which the token file cannot represent");
            }
        }
        List<String> fields = new ArrayList<>(List.of(e.token(), e.user(), e.uid()));
        if (!e.groups().isEmpty()) {
            fields.add(String.join(",", e.groups()));
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            appendField(sb, fields.get(i));
        }
        return sb.toString();
    }

    private static void appendField(StringBuilder sb, String field) {
        boolean quote = !field.isEmpty() && (field.indexOf(',') >= 0 || field.indexOf('"') >= 0
                || field.indexOf('\r') >= 0 || field.indexOf('\n') >= 0
                || Character.isWhitespace(field.charAt(0)));
        if (!quote) {
            sb.append(field);
            return;
        }
        sb.append('"');
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '"') {
                sb.append("\"\"");
            } else if (c == '\r' && i + 1 < field.length() && field.charAt(i + 1) == '\n') {
                // the reader turns \r\n into \n anyway; write what will be read back
                continue;
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        io.kemu.api.SecureFiles.writeAtomically(file, content, OWNER_ONLY);
    }

    /** Go encoding/csv semantics (comma separator, no comments, strict quotes, variable field count). */
    private static final class Parser {
        private final Path file;
        private final String s;
        private int pos;
        private int line = 1;
        int recordLine;

        Parser(Path file, String s) {
            this.file = file;
            this.s = s;
        }

        /** True at a line end: {@code \n}, {@code \r\n}, or {@code \r} right before the end of the input. */
        private boolean atLineEnd() {
            if (pos >= s.length()) {
                return false;
            }
            char c = s.charAt(pos);
            if (c == '\n') {
                return true;
            }
            return c == '\r' && (pos + 1 == s.length() || s.charAt(pos + 1) == '\n');
        }

        private void consumeLineEnd() {
            if (s.charAt(pos) == '\r') {
                pos++;
            }
            if (pos < s.length() && s.charAt(pos) == '\n') {
                pos++;
            }
            line++;
        }

        List<String> nextRecord() throws TokenFileException {
            while (pos < s.length() && atLineEnd()) {
                consumeLineEnd(); // empty lines
            }
            if (pos >= s.length()) {
                return null;
            }
            recordLine = line;
            List<String> fields = new ArrayList<>();
            while (true) {
                StringBuilder field = new StringBuilder();
                boolean endOfRecord;
                if (pos < s.length() && s.charAt(pos) == '"') {
                    pos++;
                    int openLine = line;
                    while (true) {
                        if (pos >= s.length()) {
                            throw new TokenFileException(file, line, "quoted field opened on line " + openLine
                                    + " is never closed");
                        }
                        char c = s.charAt(pos);
                        if (c == '"') {
                            pos++;
                            if (pos < s.length() && s.charAt(pos) == '"') {
                                field.append('"');
                                pos++;
                                continue;
                            }
                            break;
                        }
                        if (c == '\r' && pos + 1 < s.length() && s.charAt(pos + 1) == '\n') {
                            field.append('\n');
                            pos += 2;
                            line++;
                        } else {
                            if (c == '\n') {
                                line++;
                            }
                            field.append(c);
                            pos++;
                        }
                    }
                    if (pos >= s.length() || atLineEnd()) {
                        endOfRecord = true;
                    } else if (s.charAt(pos) == ',') {
                        pos++;
                        endOfRecord = false;
                    } else {
                        throw new TokenFileException(file, line, "unexpected '" + s.charAt(pos)
                                + "' after the closing quote of a quoted field (a quote inside a quoted field"
                                + " must be doubled)");
                    }
                } else {
                    while (pos < s.length() && s.charAt(pos) != ',' && !atLineEnd()) {
                        char c = s.charAt(pos);
                        if (c == '"') {
                            throw new TokenFileException(file, line,
                                    "bare \" in a non-quoted field (quote the whole field and double the quote)");
                        }
                        field.append(c);
                        pos++;
                    }
                    if (pos < s.length() && s.charAt(pos) == ',') {
                        pos++;
                        endOfRecord = false;
                    } else {
                        endOfRecord = true;
                    }
                }
                fields.add(field.toString());
                if (endOfRecord) {
                    if (pos < s.length()) {
                        consumeLineEnd();
                    }
                    return fields;
                }
            }
        }
    }
}
