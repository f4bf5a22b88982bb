package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lean.sdk.Environment;
import lean.sdk.HttpResponse;
import lean.sdk.LeanClient;
import lean.sdk.NotFoundException;
import lean.sdk.Transport;
import lean.sdk.ValidationException;
import lean.sdk.ffi.core.NewGig;
import org.junit.jupiter.api.Test;

/** The README's Java example is this package's PayFromJava, compiled, and it works. */
class ReadmeJavaTest {
    private static final String GIG_JSON = "{\"gigId\":\"gig_1\",\"partnerUserId\":\"uid_1\",\"totalAmount\":\"15.00\","
        + "\"tips\":\"0\",\"expenses\":\"0\",\"description\":\"Gig Payout\",\"startTime\":\"2021-03-01T21:04:04\","
        + "\"endTime\":\"2021-03-01T21:31:05\",\"status\":\"PENDING\"}";

    private static NewGig gig(String total) {
        return new NewGig("uid_1", new BigDecimal(total), BigDecimal.ZERO, BigDecimal.ZERO, "Gig Payout", "gig_1",
            "2021-03-01T21:04:04", "2021-03-01T21:31:05");
    }

    @Test
    void theReadmeShowsThisExample() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("lean.repo"), "bindings-mobile", "README.md"));
        int start = readme.indexOf("```java\n");
        assertTrue(start >= 0, "the README has no Java example");
        String shown = readme.substring(start + "```java\n".length(), readme.indexOf("```\n", start + 1));
        String source = Files.readString(Path.of("src/test/java/example/PayFromJava.java"));
        assertTrue(source.contains(shown), "the README's Java example differs from PayFromJava.java:\n" + shown);
    }

    @Test
    void theExamplePaysAndReportsErrors() throws Exception {
        Transport transport = Transport.blocking((request, timeoutMillis) -> request.getMethod().equals("POST")
            ? new HttpResponse(201, List.of(), GIG_JSON.getBytes(StandardCharsets.UTF_8))
            : new HttpResponse(404, List.of(), "{\"message\":\"no such gig\"}".getBytes(StandardCharsets.UTF_8)));
        try (LeanClient lean = new LeanClient("key", Environment.SANDBOX, "http://127.0.0.1:9/api", transport, 0)) {
            assertEquals("gig_1", PayFromJava.pay(lean, gig("15.00")).getGigId());
            assertThrows(ValidationException.class, () -> PayFromJava.pay(lean, gig("1.999")));
        }
        Transport missing = Transport.blocking((request, timeoutMillis) ->
            new HttpResponse(404, List.of(), "{\"message\":\"no such customer\"}".getBytes(StandardCharsets.UTF_8)));
        try (LeanClient lean = new LeanClient("key", Environment.SANDBOX, "http://127.0.0.1:9/api", missing, 0)) {
            assertThrows(NotFoundException.class, () -> PayFromJava.pay(lean, gig("15.00")));
        }
    }
}
