package example;

// The "From Java" example of bindings-mobile/README.md, verbatim from here on
// (ReadmeJavaTest checks it, and runs it against a fake transport).
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import lean.sdk.*;
import lean.sdk.ffi.core.Gig;          // Java sees the models in their generated package
import lean.sdk.ffi.core.NewGig;

public class PayFromJava {
    /** Pays a gig, or says why not; blocks only where it calls get(). */
    public static Gig pay(LeanClient lean, NewGig gig) throws LeanException, InterruptedException {
        try {
            Validation.validate(gig);                          // the server's rules, nothing sent
        } catch (ValidationException e) {
            e.getFieldErrors().forEach(f -> System.err.println(f.getField() + ": " + f.getMessage()));
            throw e;
        }
        CompletableFuture<Gig> paid = lean.async().createGig(gig);   // or thenApply(...), join()
        try {
            return paid.get();
        } catch (ExecutionException e) {
            LeanException error = (LeanException) e.getCause();     // what Kotlin callers catch
            if (error instanceof TransportException lost && lost.getOutcomeUnknown()) {
                // It may have been applied: the same gigId never pays twice, so retrying is safe.
            }
            throw error;
        }
    }

    public static void main(String[] args) throws Exception {
        try (LeanClient lean = new LeanClient(System.getenv("LEAN_API_KEY"))) {   // SANDBOX by default
            Gig gig = pay(lean, new NewGig("uid_1", new java.math.BigDecimal("15.00"), java.math.BigDecimal.ZERO,
                java.math.BigDecimal.ZERO, "Gig Payout", "gig_1", "2021-03-01T21:04:04", "2021-03-01T21:31:05"));
            System.out.println(gig.getGigId() + " " + gig.getStatus());
        }
    }
}
