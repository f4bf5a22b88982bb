//! The whole partner flow against a fresh local sandbox, through the core
//! and a real HTTP client: register a customer, submit the application,
//! receive and verify the `customer.active` webhook, pay a gig with tips and
//! expenses, pay a bonus, receive and verify the completion webhooks, list
//! what was paid.
//!
//! Run with `scripts/demo rust`, or `cargo run -p lean-sandbox --example
//! partner_flow` after `cargo build -p lean-sandbox`.

mod common;

use std::process::ExitCode;
use std::time::Duration;

use common::step;
use lean_core::webhooks::{EventData, EventType, WebhookVerifier, SIGNATURE_HEADER};
use lean_core::{
    Config, Environment, NewCustomer, NewGig, NewSpecialPayment, Operation, Outcome, WebhookSecret,
};
use lean_sandbox::harness::{agent, execute, WebhookReceiver};
use serde_json::json;

const API_KEY: &str = "sk_test_demo_partner";

fn main() -> ExitCode {
    common::finish("Partner", run())
}

fn run() -> Result<(), String> {
    let (sandbox, receiver) = common::start(&[
        "--api-key",
        API_KEY,
        "--approval-delay",
        "1s",
        "--settlement-delay",
        "1s",
    ])?;
    sandbox.register_webhook(receiver.url())?;
    println!("    sandbox API: {}", sandbox.base_url());
    println!("    webhooks:    {}", receiver.url());

    let config = Config::new(API_KEY, Environment::Sandbox)
        .and_then(|c| c.with_base_url(&sandbox.base_url()))
        .map_err(|e| e.to_string())?
        .with_host("rust-demo");
    let verifier =
        WebhookVerifier::new([&WebhookSecret::from(API_KEY)]).map_err(|e| e.to_string())?;
    let http = agent();
    let call = |operation: Operation| execute(&http, &config, operation).map_err(|e| e.to_string());

    step(2, "Registering a customer");
    let customer = NewCustomer {
        first_name: "Jane".into(),
        middle_name: None,
        last_name: "Doe".into(),
        birthday: "1980-12-31".into(),
        phone_number: "(408) 500-8000".into(),
        email: "janedoe@example.com".into(),
        street: "700 Treehouse Drive".into(),
        street2: None,
        city: "San Jose".into(),
        state: "ca".into(),
        postal_code: "95101".into(),
        partner_user_id: "uid_847834395730535".into(),
        registration_date: "2020-01-01".into(),
    };
    let Outcome::Customer(created) =
        call(Operation::create_customer(&customer).map_err(|e| e.to_string())?)?
    else {
        return Err("createCustomer did not answer a customer".into());
    };
    println!(
        "    {} {} ({}), phone {}, status {}",
        created.first_name.as_deref().unwrap_or_default(),
        created.last_name.as_deref().unwrap_or_default(),
        created.partner_user_id,
        created.phone_number.as_deref().unwrap_or_default(),
        created.status.as_ref().map(|s| s.as_str()).unwrap_or("?")
    );

    step(3, "Submitting the application (staging only)");
    let Outcome::Application(application) =
        call(Operation::submit_application(&created.partner_user_id).map_err(|e| e.to_string())?)?
    else {
        return Err("submitApplication did not answer an application".into());
    };
    println!(
        "    application {}",
        application
            .status
            .as_ref()
            .map(|s| s.as_str())
            .unwrap_or("?")
    );

    step(
        4,
        "Waiting for the customer.active webhook and verifying its signature",
    );
    let event = wait_event(&receiver, &verifier, |e| {
        e.event == EventType::CustomerActive
    })?;
    if let EventData::Customer(c) = &event.data {
        println!(
            "    verified {} for {}: status {}",
            event.event,
            c.partner_user_id,
            c.status.as_ref().map(|s| s.as_str()).unwrap_or("?")
        );
    }

    step(5, "Paying a gig with tips and expenses");
    let gig = NewGig {
        partner_user_id: created.partner_user_id.clone(),
        total_amount: "15.00".into(),
        tips: "3.00".into(),
        expenses: "2.00".into(),
        description: "SFO Airport to 410 Market Street".into(),
        gig_id: "gigId_94792357823953532".into(),
        start_time: "2021-03-01T21:04:04Z".into(),
        end_time: "2021-03-01T21:31:05Z".into(),
    };
    let Outcome::Gig(paid) = call(Operation::create_gig(&gig).map_err(|e| e.to_string())?)? else {
        return Err("createGig did not answer a gig".into());
    };
    println!(
        "    gig {}: total {} (tips {}, expenses {}), status {}",
        paid.gig_id,
        show(paid.total_amount),
        show(paid.tips),
        show(paid.expenses),
        paid.status.as_ref().map(|s| s.as_str()).unwrap_or("?")
    );

    step(
        6,
        "Paying a bonus special payment (with an idempotency key)",
    );
    let bonus = NewSpecialPayment {
        partner_user_id: created.partner_user_id.clone(),
        amount: "25.00".into(),
        payment_type: "bonus".into(),
        gig_id: Some(paid.gig_id.clone()),
        description: Some("Five-star weekend bonus".into()),
        userdata: Some(json!({ "campaign": "weekend-2021-03" })),
    };
    let operation =
        Operation::create_special_payment(&bonus, Some("bonus-uid_847834395730535-2021-03"))
            .map_err(|e| e.to_string())?;
    let Outcome::SpecialPayment(special) = call(operation.clone())? else {
        return Err("createSpecialPayment did not answer a special payment".into());
    };
    println!(
        "    {} {}: {}, status {}",
        special
            .payment_type
            .as_ref()
            .map(|t| t.as_str())
            .unwrap_or("?"),
        special.id,
        show(special.amount),
        special.status.as_ref().map(|s| s.as_str()).unwrap_or("?")
    );
    let Outcome::SpecialPayment(again) = call(operation)? else {
        return Err("the repeat did not answer a special payment".into());
    };
    println!(
        "    the same request again returns the same payment ({}): nothing is paid twice",
        again.id
    );

    step(7, "Waiting for the completion webhooks and verifying them");
    for wanted in [EventType::GigCompleted, EventType::SpecialPaymentCompleted] {
        let event = wait_event(&receiver, &verifier, |e| e.event == wanted)?;
        match &event.data {
            EventData::Gig(g) => println!("    verified {} for gig {}", event.event, g.gig_id),
            EventData::SpecialPayment(p) => {
                println!("    verified {} for special payment {}", event.event, p.id)
            }
            _ => println!("    verified {}", event.event),
        }
    }

    step(8, "Listing what was paid");
    let Outcome::Gigs(gigs) = call(Operation::list_gigs())? else {
        return Err("listGigs did not answer gigs".into());
    };
    for g in &gigs {
        println!(
            "    gig {:<26} {:>8}  {}",
            g.gig_id,
            show(g.total_amount),
            g.status.as_ref().map(|s| s.as_str()).unwrap_or("?")
        );
    }
    let Outcome::SpecialPayments(payments) = call(Operation::list_special_payments())? else {
        return Err("listSpecialPayments did not answer special payments".into());
    };
    for p in &payments {
        println!(
            "    {:<30} {:>8}  {}",
            format!(
                "{} {}",
                p.payment_type.as_ref().map(|t| t.as_str()).unwrap_or("?"),
                p.id
            ),
            show(p.amount),
            p.status.as_ref().map(|s| s.as_str()).unwrap_or("?")
        );
    }
    if gigs.len() != 1 || payments.len() != 1 {
        return Err(format!(
            "expected one gig and one special payment, found {} and {}",
            gigs.len(),
            payments.len()
        ));
    }
    println!("\n[9] Stopping the sandbox");
    drop(sandbox);
    Ok(())
}

fn show(amount: Option<lean_core::Amount>) -> String {
    amount
        .map(|a| format!("${a}"))
        .unwrap_or_else(|| "?".into())
}

/// Waits for a delivered webhook that verifies and matches `wanted`.
fn wait_event(
    receiver: &WebhookReceiver,
    verifier: &WebhookVerifier,
    wanted: impl Fn(&lean_core::WebhookEvent) -> bool,
) -> Result<lean_core::WebhookEvent, String> {
    let find = |deliveries: &[lean_sandbox::harness::Delivery]| {
        deliveries.iter().find_map(|d| {
            verifier
                .construct_event(&d.body, d.header(SIGNATURE_HEADER))
                .ok()
                .filter(&wanted)
        })
    };
    if !receiver.wait_until(Duration::from_secs(20), |d| find(d).is_some()) {
        return Err("the expected webhook did not arrive within 20 s".into());
    }
    find(&receiver.deliveries()).ok_or_else(|| "the webhook vanished".into())
}
