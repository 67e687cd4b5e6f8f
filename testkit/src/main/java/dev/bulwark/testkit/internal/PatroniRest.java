package dev.bulwark.testkit.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small client of Patroni's REST API ({@code GET /cluster}, {@code POST /switchover}) and a parser of the
 * {@code /cluster} document, which is flat enough to read without a JSON library. Thread-safe.
 */
public final class PatroniRest {

    /** One member as {@code GET /cluster} reports it; {@code role} is leader, sync_standby or replica. */
    public record Member(String name, String role, String state, int port, long lag) {
    }

    private static final Pattern OBJECT = Pattern.compile("\\{[^{}\\[\\]]*\\}");
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** The members, or empty when the node at {@code restPort} does not answer. */
    public Optional<List<Member>> members(int restPort) {
        return get(restPort, "/cluster").map(PatroniRest::parseMembers);
    }

    /** {@code GET path}: the body when the answer is 200, else empty. */
    public Optional<String> get(int restPort, String path) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri(restPort, path)).timeout(TIMEOUT)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? Optional.of(answer.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * {@code POST path} with a JSON body.
     *
     * @return the status code and body
     * @throws IOException when the node does not answer
     */
    public HttpResponse<String> post(int restPort, String path, String json, Duration timeout) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(uri(restPort, path)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Parses the {@code members} array of a {@code GET /cluster} answer. */
    public static List<Member> parseMembers(String json) {
        int start = json.indexOf("\"members\"");
        if (start < 0) {
            return List.of();
        }
        int open = json.indexOf('[', start);
        int close = json.indexOf(']', open);
        List<Member> members = new ArrayList<>();
        if (open < 0 || close < 0) {
            return members;
        }
        Matcher object = OBJECT.matcher(json.substring(open + 1, close));
        while (object.find()) {
            String text = object.group();
            members.add(new Member(string(text, "name"), string(text, "role"), string(text, "state"),
                    (int) number(text, "port", -1), number(text, "lag", 0)));
        }
        return members;
    }

    private static String string(String object, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(object);
        return m.find() ? m.group(1) : "";
    }

    private static long number(String object, String key, long otherwise) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(-?\\d+)").matcher(object);
        return m.find() ? Long.parseLong(m.group(1)) : otherwise;
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
