package io.kemu.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kemu.api.auth.TokenFile.Entry;
import io.kemu.api.auth.TokenFile.TokenFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

    @TempDir
    Path dir;

    private Map<String, Entry> read(String content) throws IOException {
        Path f = dir.resolve("tokens.csv");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return TokenFile.read(f);
    }

    private TokenFileException readFails(String content) {
        return assertThrows(TokenFileException.class, () -> read(content));
    }

    @Test
    void readsUpstreamFormat() throws IOException {
        Map<String, Entry> tokens = read("""
                31ada4fd,admin,admin,"system:masters,dev"
                abc123,viewer,uid-2,kemu:viewers
                xyz,bot,uid-3
                """);
        assertEquals(List.of("31ada4fd", "abc123", "xyz"), List.copyOf(tokens.keySet()));
        assertEquals(new Entry("31ada4fd", "admin", "admin", List.of("system:masters", "dev")), tokens.get("31ada4fd"));
        assertEquals(new Entry("abc123", "viewer", "uid-2", List.of("kemu:viewers")), tokens.get("abc123"));
        assertEquals(new Entry("xyz", "bot", "uid-3", List.of()), tokens.get("xyz"));
    }

    @Test
    void skipsEmptyLinesAndCrLfButKeepsWhiteSpace() throws IOException {
        Map<String, Entry> tokens = read("\n\r\na,u 1, id ,g\r\n\n\nb,u2,id2\r\n\r\n");
        assertEquals(new Entry("a", "u 1", " id ", List.of("g")), tokens.get("a"));
        assertEquals(new Entry("b", "u2", "id2", List.of()), tokens.get("b"));
        assertEquals(2, tokens.size());
    }

    @Test
    void lastLineWithoutNewlineAndTrailingEmptyColumn() throws IOException {
        Map<String, Entry> tokens = read("a,u,id,");
        // upstream splits the empty 4th column into one empty group name
        assertEquals(List.of(""), tokens.get("a").groups());
    }

    @Test
    void quotedFields() throws IOException {
        Map<String, Entry> tokens = read("\"t,1\",\"the \"\"boss\"\"\",\"multi\nline\",\"\"\n"
                + "t2,u,id,\"g1,g2,g3\",ignored fifth column\n");
        Entry e = tokens.get("t,1");
        assertEquals("the \"boss\"", e.user());
        assertEquals("multi\nline", e.uid());
        assertEquals(List.of(""), e.groups());
        assertEquals(List.of("g1", "g2", "g3"), tokens.get("t2").groups());
    }

    @Test
    void noCommentsUpstream() {
        TokenFileException e = readFails("a,u,id\n# a comment\n");
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("at least 3 columns"), e.getMessage());
        assertTrue(e.getMessage().contains("tokens.csv:2:"), e.getMessage());
    }

    @Test
    void tooFewColumns() {
        TokenFileException e = readFails("a,u,id\n\nb,u2\n");
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("found 2"), e.getMessage());
    }

    @Test
    void whiteSpaceOnlyLineIsARecord() {
        assertEquals(2, readFails("a,u,id\n   \n").line());
    }

    @Test
    void bareQuoteInUnquotedField() {
        TokenFileException e = readFails("a,u,id\nb,say \"hi\",id\n");
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("bare \""), e.getMessage());
    }

    @Test
    void textAfterClosingQuote() {
        assertEquals(1, readFails("a,\"u\"x,id\n").line());
    }

    @Test
    void unterminatedQuote() {
        TokenFileException e = readFails("a,u,id\nb,u,\"never closed\nc,u,id\n");
        assertTrue(e.getMessage().contains("opened on line 2"), e.getMessage());
    }

    @Test
    void lineNumbersCountLinesInsideQuotedFields() {
        assertEquals(4, readFails("a,u,\"x\ny\nz\"\nbad\n").line());
    }

    @Test
    void emptyTokenSkippedAndDuplicateTokenLastWins() throws IOException {
        Map<String, Entry> tokens = read(",nobody,0\ndup,first,1\ndup,second,2\n");
        assertEquals(1, tokens.size());
        assertEquals("second", tokens.get("dup").user());
    }

    @Test
    void roundTrip() throws IOException {
        List<Entry> entries = List.of(
                new Entry("aa11", "admin", "admin", List.of("system:masters")),
                new Entry("bb22", "viewer", "uid, with comma", List.of("kemu:viewers", "other")),
                new Entry("cc33", "say \"hi\"", " leading space", List.of()),
                new Entry("dd44", "system:node:n1", "n1", List.of("system:nodes")),
                new Entry("ee55", "two\nlines", "x", List.of("")));
        Path f = dir.resolve("sub/tokens.csv");
        TokenFile.write(f, entries);
        Map<String, Entry> back = TokenFile.read(f);
        assertEquals(entries, List.copyOf(back.values()));
        List<String> lines = Files.readAllLines(f);
        assertEquals("aa11,admin,admin,system:masters", lines.get(0));
        assertEquals("bb22,viewer,\"uid, with comma\",\"kemu:viewers,other\"", lines.get(1));
        assertEquals("cc33,\"say \"\"hi\"\"\",\" leading space\"", lines.get(2));
    }

    @Test
    void writeIsOwnerOnlyAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("tokens.csv");
        Files.writeString(f, "old,content,here\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        TokenFile.write(f, List.of(new Entry("t", "u", "id", List.of())));
        assertEquals("t,u,id\n", Files.readString(f));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }

    @Test
    void writeRejectsWhatCannotBeReadBack() {
        Path f = dir.resolve("tokens.csv");
        assertThrows(IllegalArgumentException.class,
                () -> TokenFile.write(f, List.of(new Entry("t", "u", "id", List.of("a,b")))));
        assertThrows(IllegalArgumentException.class,
                () -> TokenFile.write(f, List.of(new Entry("", "u", "id", List.of()))));
        assertThrows(IllegalArgumentException.class, () -> TokenFile.write(f, List.of(
                new Entry("t", "u", "id", List.of()), new Entry("t", "v", "id2", List.of()))));
        assertTrue(Files.notExists(f));
    }
}
