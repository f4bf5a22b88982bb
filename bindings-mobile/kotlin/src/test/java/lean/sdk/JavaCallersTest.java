package lean.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import lean.sdk.ffi.core.Gig;
import lean.sdk.ffi.core.NewGig;
import lean.sdk.ffi.core.NewSpecialPayment;
import lean.sdk.ffi.core.SpecialPayment;
import lean.sdk.openbanking.Auth;
import lean.sdk.openbanking.OpenBankingClient;
import lean.sdk.openbanking.OpenBankingEnvironment;
import lean.sdk.openbanking.OpenBankingWebhooks;
import org.junit.jupiter.api.Test;

/**
 * Both clients as Java code calls them: futures from {@code async()}, transports written as
 * Java lambdas, typed errors as the cause of {@code ExecutionException}, cancellation that
 * stops the call and says what it had sent, and the static helpers without {@code INSTANCE}
 * or {@code Companion}. Java sees the models under their generated package, {@code lean.sdk.ffi}
 * (Kotlin's type aliases name them in {@code lean.sdk}).
 */
class JavaCallersTest {
    private static final String GIG_JSON = "{\"gigId\":\"g1\",\"partnerUserId\":\"uid_1\",\"totalAmount\":\"15.00\","
        + "\"tips\":\"3.00\",\"expenses\":\"2.00\",\"description\":\"Gig\",\"startTime\":\"2021-03-01T21:04:04\","
        + "\"endTime\":\"2021-03-01T21:31:05\",\"status\":\"PENDING\"}";

    private static NewGig gig() {
        return new NewGig("uid_1", new BigDecimal("15.00"), new BigDecimal("3.00"), new BigDecimal("2.00"), "Gig", "g1",
            "2021-03-01T21:04:04", "2021-03-01T21:31:05");
    }

    private static HttpResponse json(int status, String body) {
        return new HttpResponse(status, List.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFutureCompletesWithTheResult() throws Exception {
        Transport transport = Transport.blocking((request, timeoutMillis) -> {
            assertEquals("POST", request.getMethod());
            return json(201, GIG_JSON);
        });
        try (LeanClient client = new LeanClient("key", Environment.SANDBOX, "http://127.0.0.1:9/api", transport)) {
            Gig paid = client.async().createGig(gig()).get(30, TimeUnit.SECONDS);
            assertEquals("g1", paid.getGigId());
            assertEquals(new BigDecimal("15.00"), paid.getTotalAmount());
        }
    }

    @Test
    void anAsynchronousJavaTransportIsAwaited() throws Exception {
        Transport transport = Transport.async((request, timeoutMillis) ->
            CompletableFuture.supplyAsync(() -> json(200, "[" + GIG_JSON + "]")));
        try (LeanClient client = new LeanClient("key", Environment.parse("sandbox"), "http://127.0.0.1:9/api", transport)) {
            List<Gig> gigs = client.async().listGigs().join();
            assertEquals(1, gigs.size());
        }
    }

    @Test
    void aTypedErrorIsTheCauseOfTheExecutionException() throws Exception {
        Transport transport = Transport.blocking((request, timeoutMillis) -> json(404, "{\"message\":\"no such gig\"}"));
        try (LeanClient client = new LeanClient("key", Environment.SANDBOX, "http://127.0.0.1:9/api", transport)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.async().getGig("g2").get());
            NotFoundException notFound = assertInstanceOf(NotFoundException.class, e.getCause());
            assertEquals(404, notFound.getStatus());
            assertEquals("not_found", notFound.getCode());
            assertEquals(1, notFound.getAttempts().size());
        }
    }

    @Test
    void invalidInputFailsTheFutureBeforeAnythingIsSent() throws Exception {
        Transport transport = Transport.blocking((request, timeoutMillis) -> {
            throw new AssertionError("nothing may be sent");
        });
        try (LeanClient client = new LeanClient("key", Environment.SANDBOX, null, transport)) {
            CompletableFuture<Gig> future = client.async().createGig(Map.of("gigId", "g1", "totalAmount", 15.0));
            ExecutionException e = assertThrows(ExecutionException.class, future::get);
            ValidationException invalid = assertInstanceOf(ValidationException.class, e.getCause());
            assertTrue(invalid.getFieldErrors().stream().anyMatch(f -> f.getField().equals("totalAmount")), invalid.getMessage());
        }
    }

    @Test
    void cancellingTheFutureCancelsTheCallWhichSaysWhatItSent() throws Exception {
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        Transport transport = Transport.blocking((request, timeoutMillis) -> {
            sending.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            throw new AssertionError("unreachable");
        });
        LeanLogger logger = event -> {
            if (event.getName().equals("call_finished")) ended.countDown();
        };
        NewSpecialPayment payment = new NewSpecialPayment("uid_1", new BigDecimal("25.00"), "bonus", null, null, null);
        try (LeanClient client = new LeanClient("key", Environment.SANDBOX, "http://127.0.0.1:9/api", transport, 0, logger)) {
            CompletableFuture<SpecialPayment> future = client.async().createSpecialPayment(payment, "bonus-key-1");
            assertTrue(sending.await(30, TimeUnit.SECONDS), "the request was never sent");
            assertTrue(future.cancel(true));
            CancellationException cancelled = assertThrows(CancellationException.class, future::join);
            assertTrue(interrupted.await(30, TimeUnit.SECONDS), "the transport was not interrupted");
            assertTrue(ended.await(30, TimeUnit.SECONDS), "the call did not end");
            TransportException sent = LeanErrors.interruptedCall(cancelled);
            assertNotNull(sent, "the cancellation does not say what was sent");
            assertTrue(sent.getOutcomeUnknown());
            assertEquals("bonus-key-1", sent.getIdempotencyKey());
        }
    }

    @Test
    void closingTheClientCancelsItsFutures() throws Exception {
        CountDownLatch sending = new CountDownLatch(1);
        Transport transport = Transport.async((request, timeoutMillis) -> {
            sending.countDown();
            return new CompletableFuture<>();
        });
        LeanClient client = new LeanClient("key", Environment.SANDBOX, "http://127.0.0.1:9/api", transport);
        CompletableFuture<Gig> future = client.async().getGig("g1");
        assertTrue(sending.await(30, TimeUnit.SECONDS), "the request was never sent");
        client.close();
        CancellationException e = assertThrows(CancellationException.class, () -> future.get(30, TimeUnit.SECONDS));
        assertTrue(future.isCancelled());
        assertNotNull(LeanErrors.interruptedCall(e), "the cancellation does not say what was sent");
    }

    @Test
    void theOpenBankingClientAnswersWithFutures() throws Exception {
        OpenBankingEnvironment env = OpenBankingEnvironment.custom("http://127.0.0.1:9");
        Transport transport = Transport.blocking((request, timeoutMillis) -> {
            if (request.getUrl().contains("/customers/")) return json(404, "{\"status\":\"NOT_FOUND\",\"message\":\"no such customer\"}");
            return json(200, "[]");
        });
        try (OpenBankingClient client = new OpenBankingClient(Auth.appToken("app-token"), env, null, transport)) {
            assertEquals(List.of(), client.async().listPaymentDestinations().get(30, TimeUnit.SECONDS));
            assertEquals(List.of(), client.async().listBanks().get(30, TimeUnit.SECONDS));
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.async().getCustomer("c-1").get());
            assertInstanceOf(NotFoundException.class, e.getCause());
        }
    }

    /** Every suspend method of a client (its last parameter a Continuation) has a future twin in async(). */
    @Test
    void everySuspendCallHasAFuture() {
        for (Class<?>[] pair : new Class<?>[][] {
            {LeanClient.class, LeanClient.Async.class}, {OpenBankingClient.class, OpenBankingClient.Async.class}}) {
            int checked = 0;
            for (java.lang.reflect.Method m : pair[0].getMethods()) {
                if (m.isSynthetic()) continue;
                Class<?>[] params = m.getParameterTypes();
                if (params.length == 0 || params[params.length - 1] != kotlin.coroutines.Continuation.class) continue;
                Class<?>[] args = java.util.Arrays.copyOf(params, params.length - 1);
                try {
                    assertEquals(CompletableFuture.class, pair[1].getMethod(m.getName(), args).getReturnType());
                } catch (NoSuchMethodException e) {
                    throw new AssertionError(pair[1].getName() + " lacks " + m.getName() + java.util.Arrays.toString(args), e);
                }
                checked++;
            }
            assertTrue(checked > 10, pair[0] + ": " + checked);
        }
    }

    @Test
    void webhooksAndValidationAreStatic() throws Exception {
        byte[] body = "{\"event\":\"gig.created\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        String signature = Webhooks.sign("whsec", body);
        try (Webhooks.Verifier verifier = Webhooks.verifier("whsec-old", "whsec")) {
            verifier.verify(body, signature);
            WebhookSignatureException e = assertThrows(WebhookSignatureException.class, () -> verifier.verify(body, "sha1=00"));
            assertTrue(e.getCode().startsWith("signature_"), e.getCode());
        }
        Webhooks.verify(body, signature, "whsec");
        String obSignature = OpenBankingWebhooks.sign("ob-secret", body);
        OpenBankingWebhooks.verifier("ob-secret").verify(body, obSignature);

        Validation.validate(gig());
        ValidationException invalid = assertThrows(ValidationException.class,
            () -> Validation.validate("createGig", Map.of("gigId", "g1")));
        assertTrue(invalid.getFieldErrors().size() > 1, invalid.getMessage());
        assertNull(LeanErrors.interruptedCall(invalid));
    }
}
