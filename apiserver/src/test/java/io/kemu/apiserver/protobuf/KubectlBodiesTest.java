package io.kemu.apiserver.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies real kubectl v1.32 sent as protobuf (see kubectl/index.tsv): each must decode to the JSON kubectl
 * writes for the same object.
 */
class KubectlBodiesTest {

    record Case(String name, String expectedFrom, String command) {}

    static List<Case> cases() {
        String index = new String(Bodies.resource("kubectl/index.tsv"), StandardCharsets.UTF_8);
        return index.lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("\t", 3))
                .map(c -> new Case(c[0], c[1], c[2]))
                .toList();
    }

    static Stream<Arguments> bodies() {
        return cases().stream().map(c -> Arguments.of(c.name(), c.command()));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("bodies")
    void decodesToTheJsonKubectlWouldSend(String name, String command) {
        byte[] body = Bodies.resource("kubectl/" + name + ".pb");
        JsonNode expected = Bodies.json(new String(Bodies.resource("kubectl/" + name + ".json"), StandardCharsets.UTF_8));

        assertTrue(KubeProtobuf.hasMagicPrefix(body), "fixture is not protobuf");
        assertEquals(expected, KubeProtobuf.decode(body), command);
    }

    @Test
    void fixturesCoverTheCommandsTheBriefNames() {
        List<String> names = cases().stream().map(Case::name).toList();
        assertTrue(names.containsAll(Arrays.asList("create-namespace", "auth-can-i-create-pods")), names.toString());
        assertTrue(names.size() >= 20, "fixtures went missing: " + names);
    }
}
