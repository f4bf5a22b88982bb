import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import lean.sdk.LeanException;
import lean.sdk.Validation;
import lean.sdk.ValidationException;
import lean.sdk.WebhookSignatureException;
import lean.sdk.Webhooks;
import lean.sdk.ffi.EventData;
import lean.sdk.ffi.core.NewGig;
import lean.sdk.ffi.WebhookEvent;

/** The released jar on a plain javac/java class path: a gig validated, a webhook verified. */
public class ReleaseSmoke {
    private static NewGig gig(String total) {
        return new NewGig("uid_1", new BigDecimal(total), BigDecimal.ZERO, BigDecimal.ZERO, "Gig Payout", "gig_1",
            "2021-03-01T21:04:04", "2021-03-01T21:31:05");
    }

    private static void check(boolean ok, String failure) {
        if (!ok) throw new AssertionError(failure);
    }

    public static void main(String[] args) throws LeanException {
        Validation.validate(gig("15.00"));
        try {
            Validation.validate(gig("1.999"));
            throw new AssertionError("a total of 1.999 was not refused");
        } catch (ValidationException e) {
            check(e.getFieldErrors().stream().anyMatch(f -> f.getField().equals("totalAmount")),
                "1.999 was refused, but not as totalAmount: " + e);
        }

        byte[] payload = "{\"event\":\"gig.completed\",\"data\":{\"gigId\":\"g1\",\"status\":\"SUCCESS\"}}"
            .getBytes(StandardCharsets.UTF_8);
        String signature = Webhooks.sign("whsec_k", payload);
        try (Webhooks.Verifier verifier = Webhooks.verifier("whsec_k")) {
            WebhookEvent event = verifier.constructEvent(payload, signature);
            check(event.getEvent().equals("gig.completed"), "wrong event: " + event);
            check(event.getData() instanceof EventData.Gig gig && gig.getValue().getGigId().equals("g1"),
                "wrong data: " + event.getData());
        }
        try (Webhooks.Verifier other = Webhooks.verifier("whsec_other")) {
            other.constructEvent(payload, signature);
            throw new AssertionError("a signature under another secret was accepted");
        } catch (WebhookSignatureException e) {
            check(e.getCode().equals("signature_mismatch"), "refused with " + e.getCode());
        }
        System.out.println("plain Java: gig validated (totalAmount refused at 1.999), webhook gig.completed verified");
    }
}
