package lean.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import lean.sdk.ffi.core.Customer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Java callers against the local sandbox (loopback only) over the default transport: a
 * worker registered and read back through futures, and a typed API error as the cause.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaSandboxTest {
    private static final String KEY = "sk_test_java_e2e";
    private Process sandbox;
    private String baseUrl;

    @BeforeAll
    void start() throws Exception {
        String binary = System.getProperty("lean.sandbox");
        assertTrue(binary != null && new File(binary).canExecute(),
            "set -Dlean.sandbox=<path to target/debug/lean-sandbox> (scripts/test kotlin does)");
        sandbox = new ProcessBuilder(binary, "serve", "--port", "0", "--api-key", KEY, "--quiet")
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(sandbox.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(line != null && line.startsWith("listening on http://127.0.0.1:"), "the sandbox did not start: " + line);
        baseUrl = line.substring("listening on ".length()) + "/api";
    }

    @AfterAll
    void stop() {
        if (sandbox != null) sandbox.destroy();
    }

    @Test
    void aWorkerIsRegisteredAndReadThroughFutures() throws Exception {
        try (LeanClient lean = new LeanClient(KEY, Environment.SANDBOX, baseUrl)) {
            Map<String, Object> worker = Map.ofEntries(
                Map.entry("firstName", "Jane"), Map.entry("lastName", "Doe"), Map.entry("birthday", "1980-12-31"),
                Map.entry("phoneNumber", "4085008001"), Map.entry("email", "jane.java@example.com"),
                Map.entry("street", "700 Treehouse Drive"), Map.entry("city", "San Jose"), Map.entry("state", "CA"),
                Map.entry("postalCode", "95101"), Map.entry("partnerUserId", "uid_java_1"),
                Map.entry("registrationDate", "2020-01-01"));
            Customer created = lean.async().createCustomer(worker).get(60, TimeUnit.SECONDS);
            assertEquals("PENDING", created.getStatus());
            Customer read = lean.async().getCustomer("uid_java_1")
                .thenCompose(c -> lean.async().getCustomer(c.getPartnerUserId())).get(60, TimeUnit.SECONDS);
            assertEquals("Jane", read.getFirstName());

            ExecutionException e = assertThrows(ExecutionException.class,
                () -> lean.async().getGig("no_such_gig").get(60, TimeUnit.SECONDS));
            NotFoundException notFound = assertInstanceOf(NotFoundException.class, e.getCause());
            assertEquals(404, notFound.getStatus());
        }
    }
}
