//! The core's hot paths: webhook verification (every webhook a partner
//! receives), building and validating a payout request, and parsing the
//! answer. Run with `cargo bench -p lean-core --bench core`; the numbers and
//! how they compare with the machine's SHA-1 ceiling are in BENCHMARKS.md.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use lean_core::webhooks::{self, WebhookVerifier};
use lean_core::{
    parse_response, Call, Config, Environment, HttpResponse, NewGig, Operation, OperationKind,
    Step, WebhookSecret,
};

/// Webhook body sizes: a small event, a typical one, a large one, and the
/// size where only the hash's own speed matters.
const SIZES: [(&str, usize); 4] = [
    ("256B", 256),
    ("1KiB", 1024),
    ("16KiB", 16 * 1024),
    ("1MiB", 1024 * 1024),
];

/// Verifies a signed webhook body of each of [`SIZES`] in the group
/// `name`, each run of `iterations` verifications timed by `time`.
fn verify_each(c: &mut Criterion, name: &str, time: impl Fn(u64, &dyn Fn()) -> Duration) {
    let secret = WebhookSecret::from("whsec_benchmark_secret");
    let verifier = WebhookVerifier::new([&secret]).expect("one secret");
    let mut group = c.benchmark_group(name);
    for (label, size) in SIZES {
        let body: Vec<u8> = (0..size)
            .map(|i| b"{\"event\":\"gig.completed\"}"[i % 25])
            .collect();
        let signature = webhooks::sign(&secret, &body);
        let verify = || {
            verifier
                .verify(black_box(&body), Some(black_box(&signature)))
                .expect("valid");
        };
        group.throughput(Throughput::Bytes(size as u64));
        if size >= 1024 * 1024 {
            group.sample_size(30);
        }
        group.bench_function(BenchmarkId::from_parameter(label), |b| {
            b.iter_custom(|iterations| time(iterations, &verify))
        });
    }
    group.finish();
}

/// Webhook verification in wall-clock time.
fn webhook_verify(c: &mut Criterion) {
    verify_each(c, "webhook_verify", |iterations, verify| {
        let start = Instant::now();
        (0..iterations).for_each(|_| verify());
        start.elapsed()
    });
}

/// The same verification timed in CPU time of this thread, the way
/// `openssl speed` times its ceiling by default: on a shared machine, wall
/// time also counts the moments another process held the core.
fn webhook_verify_cpu(c: &mut Criterion) {
    if thread_cpu_time().is_none() {
        return; // not Linux: the wall-clock group above is all there is
    }
    verify_each(c, "webhook_verify_cpu", |iterations, verify| {
        let start = thread_cpu_time().unwrap_or_default();
        (0..iterations).for_each(|_| verify());
        thread_cpu_time().unwrap_or_default().saturating_sub(start)
    });
}

/// CPU time this thread has run, where the platform can tell.
fn thread_cpu_time() -> Option<Duration> {
    cpu_time::ThreadTime::try_now()
        .ok()
        .map(|time| time.as_duration())
}

fn create_gig(c: &mut Criterion) {
    let config = Config::new("test_key_123", Environment::Sandbox).expect("valid config");
    let gig = NewGig {
        partner_user_id: "uid_847834395730535".into(),
        total_amount: "15.00".into(),
        tips: "3.00".into(),
        expenses: "2.00".into(),
        description: "Gig Payout".into(),
        gig_id: "gigId_94792357823953532".into(),
        start_time: "2021-03-01T21:04:04".into(),
        end_time: "2021-03-01T21:31:05-08:00".into(),
    };
    c.bench_function("create_gig/validate_and_build", |b| {
        b.iter(|| {
            Operation::create_gig(black_box(&gig))
                .and_then(|op| op.request(black_box(&config)))
                .expect("valid gig")
        })
    });
    // What every binding does before its transport: validate, start the
    // call engine, take the first step's request.
    c.bench_function("create_gig/call_and_first_request", |b| {
        b.iter(|| {
            let operation = Operation::create_gig(black_box(&gig)).expect("valid gig");
            let mut call = Call::new(black_box(&config), operation, [7; 32]).expect("a call");
            match call.poll() {
                Step::Send(request) => request,
                other => panic!("expected a request, got {other:?}"),
            }
        })
    });
    let call = serde_json::json!({ "operation": "createGig", "input": serde_json::to_value(&gig).unwrap() });
    c.bench_function("create_gig/from_json_and_build", |b| {
        b.iter(|| {
            Operation::from_json(black_box(&call))
                .and_then(|op| op.request(black_box(&config)))
                .expect("valid gig")
        })
    });
}

fn parse_gig(c: &mut Criterion) {
    let body = br#"{"id":"uid_847834395730535","description":"Gig Payout","totalAmount":"15.00","startTime":"2021-03-01T21:04:04","endTime":"2021-03-01T21:31:05","gigId":"gigId_94792357823953532","expenses":"2.00","tips":"3.00","status":"PENDING","invoiceId":"invoice_5dSpWwt5aX2nAR8kBA0Xs","createdAt":"2021-04-01T19:58:11.651Z","updatedAt":"2021-04-01T19:58:11.651Z"}"#;
    let response = HttpResponse::new(
        200,
        vec![("content-type".into(), "application/json".into())],
        body.to_vec(),
    );
    c.bench_function("parse_gig_response", |b| {
        b.iter(|| parse_response(OperationKind::GetGig, black_box(&response)).expect("valid gig"))
    });
}

criterion_group!(
    benches,
    webhook_verify,
    webhook_verify_cpu,
    create_gig,
    parse_gig
);
criterion_main!(benches);
