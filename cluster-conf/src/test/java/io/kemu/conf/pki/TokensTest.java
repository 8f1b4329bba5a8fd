package io.kemu.conf.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kemu.api.auth.TokenFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {

    @TempDir
    Path tmp;

    @Test
    void createsAFileWithEveryIdentity() throws Exception {
        Path file = tmp.resolve("auth/tokens.csv");
        Map<String, String> tokens = Tokens.ensure(file, Identity.kemu(List.of("node-1", "node-2")));
        assertEquals(List.of("admin", "viewer", "system:kube-scheduler", "system:kube-controller-manager",
                "system:node:node-1", "system:node:node-2"), List.copyOf(tokens.keySet()));
        for (String t : tokens.values()) {
            assertTrue(t.matches("[0-9a-f]{64}"), t);
        }
        assertEquals(tokens.size(), new HashSet<>(tokens.values()).size(), "tokens are distinct");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        Map<String, TokenFile.Entry> read = TokenFile.read(file);
        TokenFile.Entry admin = read.get(tokens.get("admin"));
        assertEquals(new TokenFile.Entry(tokens.get("admin"), "admin", "admin", List.of("system:masters")), admin);
        assertEquals(List.of("kemu:viewers"), read.get(tokens.get("viewer")).groups());
        assertEquals(List.of(), read.get(tokens.get("system:kube-scheduler")).groups());
        assertEquals(List.of("system:nodes"), read.get(tokens.get("system:node:node-2")).groups());
    }

    @Test
    void secondCallChangesNothing() throws Exception {
        Path file = tmp.resolve("tokens.csv");
        Map<String, String> first = Tokens.ensure(file, Identity.kemu(List.of("n1")));
        byte[] bytes = Files.readAllBytes(file);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000L));
        Map<String, String> second = Tokens.ensure(file, Identity.kemu(List.of("n1")));
        assertEquals(first, second);
        assertArrayEquals(bytes, Files.readAllBytes(file));
        assertEquals(FileTime.fromMillis(1_000_000_000L), Files.getLastModifiedTime(file), "file not rewritten");
    }

    @Test
    void existingLinesAreKeptByteForByte() throws Exception {
        Path file = tmp.resolve("tokens.csv");
        String existing = "handmade-admin-token,admin,42,\"system:masters,ops\"\r\n"
                + "\n"
                + "other,someone,7\n"
                + "second-admin-token,admin,43,system:masters"; // no final newline
        Files.writeString(file, existing);
        Map<String, String> tokens = Tokens.ensure(file, List.of(Identity.ADMIN, Identity.VIEWER, Identity.node("n1")));
        assertEquals("handmade-admin-token", tokens.get("admin"), "the first line of a user wins");
        String after = Files.readString(file);
        assertTrue(after.startsWith(existing + "\n"), after);
        List<String> added = List.of(after.substring(existing.length() + 1).split("\n"));
        assertEquals(List.of(
                tokens.get("viewer") + ",viewer,viewer,kemu:viewers",
                tokens.get("system:node:n1") + ",system:node:n1,system:node:n1,system:nodes"), added);
        assertEquals(5, TokenFile.read(file).size());
    }

    @Test
    void newNodeLaterKeepsEarlierTokens() throws Exception {
        Path file = tmp.resolve("tokens.csv");
        Map<String, String> first = Tokens.ensure(file, Identity.kemu(List.of("n1")));
        Map<String, String> second = Tokens.ensure(file, Identity.kemu(List.of("n1", "n2")));
        for (Map.Entry<String, String> e : first.entrySet()) {
            assertEquals(e.getValue(), second.get(e.getKey()), e.getKey());
        }
        assertTrue(second.containsKey("system:node:n2"));
        assertEquals(6, TokenFile.read(file).size());
    }

    @Test
    void malformedFileIsLeftAlone() throws Exception {
        Path file = tmp.resolve("tokens.csv");
        Files.writeString(file, "# tokens of kemu\nabc,admin,1\n");
        byte[] before = Files.readAllBytes(file);
        TokenFile.TokenFileException e = assertThrows(TokenFile.TokenFileException.class,
                () -> Tokens.ensure(file, List.of(Identity.ADMIN)));
        assertEquals(1, e.line());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void identities() {
        assertEquals(new Identity("system:node:w-0", List.of("system:nodes")), Identity.node("w-0"));
        assertThrows(IllegalArgumentException.class, () -> Identity.node(""));
        assertEquals(4, Identity.kemu(List.of()).size());
    }
}
