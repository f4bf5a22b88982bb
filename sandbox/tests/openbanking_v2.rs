//! The open-banking requests Lean ships beside the documented ones, over
//! real HTTP with a bearer token: the paged data v2 reads, data refreshes
//! and their webhook, entities by creation date, the payment intents
//! list, the transactions date filter and insights, and destinations in
//! Lean's own example form.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::binary;
use lean_core::openbanking::webhooks::{EventPayload, SIGNATURE_HEADER};
use lean_sandbox::harness::{agent, SandboxProcess, WebhookReceiver};
use serde_json::{json, Value};

/// A sandbox whose asynchronous results and refreshes take `delay`.
fn start(delay: &str) -> SandboxProcess {
    SandboxProcess::start(
        binary(),
        &[
            "--port",
            "0",
            "--api-key",
            "sk_test_ob2",
            "--ob-results-delay",
            delay,
            "--quiet",
        ],
    )
    .expect("the sandbox starts")
}

/// One answer: status, JSON body and the body's exact text.
struct Answer {
    status: u16,
    json: Value,
    text: String,
}

/// Requests with a bearer token from the sandbox's token endpoint.
struct Api {
    url: String,
    agent: ureq::Agent,
    token: String,
}

impl Api {
    fn new(sandbox: &SandboxProcess) -> Self {
        let mut api = Self {
            url: sandbox.url().to_owned(),
            agent: agent(),
            token: String::new(),
        };
        api.token = api.issue("api");
        api
    }

    /// A bearer token of `scope` (`api` or `customer.<id>`).
    fn issue(&self, scope: &str) -> String {
        let form = format!(
            "client_id=sandbox-client-id&client_secret=sandbox-client-secret&grant_type=client_credentials&scope={scope}"
        );
        let mut response = self
            .agent
            .post(&format!("{}/oauth2/token", self.url))
            .header("content-type", "application/x-www-form-urlencoded")
            .send(form.as_bytes())
            .expect("the token endpoint answers");
        let body: Value =
            serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
        body["access_token"].as_str().expect("a token").to_owned()
    }

    fn read(mut response: ureq::http::Response<ureq::Body>) -> Answer {
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer { status, json, text }
    }

    fn get_as(&self, token: &str, path: &str) -> Answer {
        Self::read(
            self.agent
                .get(&format!("{}{path}", self.url))
                .header("authorization", &format!("Bearer {token}"))
                .call()
                .expect("the sandbox answers"),
        )
    }

    fn get(&self, path: &str) -> Answer {
        self.get_as(&self.token, path)
    }

    fn post(&self, path: &str, body: &Value) -> Answer {
        Self::read(
            self.agent
                .post(&format!("{}{path}", self.url))
                .header("authorization", &format!("Bearer {}", self.token))
                .header("content-type", "application/json")
                .send(body.to_string().as_bytes())
                .expect("the sandbox answers"),
        )
    }

    fn customer(&self, app_user_id: &str) -> String {
        let created = self.post("/customers/v1", &json!({ "app_user_id": app_user_id }));
        assert_eq!(created.status, 200, "{}", created.text);
        created.json["customer_id"].as_str().unwrap().to_owned()
    }
}

/// A customer with a connected bank: its id, the entity's id and the two
/// accounts' ids.
fn connected(
    sandbox: &SandboxProcess,
    api: &Api,
    app_user_id: &str,
) -> (String, String, [String; 2]) {
    let customer_id = api.customer(app_user_id);
    let entity = sandbox.connect_bank(&customer_id).unwrap();
    let account = |i: usize| {
        entity["accounts"][i]["account_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    (
        customer_id,
        entity["id"].as_str().unwrap().to_owned(),
        [account(0), account(1)],
    )
}

/// A 400 naming `field` with `code` (the error body's `status`).
fn refused(answer: &Answer, code: &str, field: &str) {
    assert_eq!(answer.status, 400, "{}", answer.text);
    assert_eq!(answer.json["status"], code, "{}", answer.text);
    assert_eq!(answer.json["errors"][0]["field"], field, "{}", answer.text);
}

fn ids(answer: &Answer, key: &str) -> Vec<String> {
    answer.json["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no data: {}", answer.text))
        .iter()
        .map(|r| r[key].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn data_v2_reads_page_the_seeded_bank() {
    let sandbox = start("50ms");
    let api = Api::new(&sandbox);
    let (customer_id, entity, [current, savings]) = connected(&sandbox, &api, "v2-user");

    let accounts = api.get(&format!("/data/v2/accounts?entity_id={entity}"));
    assert_eq!(accounts.status, 200, "{}", accounts.text);
    assert_eq!(accounts.json["status"], "OK");
    assert_eq!(
        ids(&accounts, "account_id"),
        [current.clone(), savings.clone()]
    );
    assert_eq!(
        accounts.json["page"],
        json!({"number": 0, "size": 50, "total_elements": 2, "total_pages": 1})
    );
    assert!(accounts.json["timestamp"].is_string());

    let identity = api.get(&format!(
        "/data/v2/identity?entity_id={entity}&page=0&size=1"
    ));
    assert_eq!(identity.json["data"][0]["full_name"], "Jane Doe");

    // Every per-account read answers records of its own, amounts as
    // JSON numbers with their exact decimal text.
    let per_account = |what: &str| {
        let answer = api.get(&format!(
            "/data/v2/accounts/{current}/{what}?entity_id={entity}"
        ));
        assert_eq!(answer.status, 200, "{what}: {}", answer.text);
        assert!(
            answer.json["data"].as_array().is_some_and(|d| !d.is_empty()
                && d.iter()
                    .all(|r| r["account_id"] == current || r.get("transaction_id").is_some())),
            "{what}: {}",
            answer.text
        );
        answer
    };
    let balances = per_account("balances");
    assert!(
        balances.text.contains("\"balance\":12450.75"),
        "{}",
        balances.text
    );
    assert_eq!(
        per_account("beneficiaries").json["page"]["total_elements"],
        2
    );
    assert_eq!(
        per_account("identities").json["data"][0]["full_name"],
        "Jane Doe"
    );
    assert!(per_account("direct-debits")
        .text
        .contains("\"previous_payment_amount\":299.00"));
    assert!(per_account("standing-orders")
        .text
        .contains("\"next_payment_amount\":6250.00"));
    assert!(per_account("scheduled-payments")
        .text
        .contains("\"amount\":3200.50"));

    // Transactions in pages of 4: 4, 4, 2, then none; together the ten of
    // the v1 statement, in its order.
    let page = |n: u32| {
        api.get(&format!(
            "/data/v2/accounts/{current}/transactions?entity_id={entity}&page={n}&size=4"
        ))
    };
    let pages: Vec<Answer> = (0..4).map(page).collect();
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.json["data"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [4, 4, 2, 0]);
    assert_eq!(
        pages[3].json["page"],
        json!({"number": 3, "size": 4, "total_elements": 10, "total_pages": 3})
    );
    let paged: Vec<String> = pages
        .iter()
        .flat_map(|p| ids(p, "transaction_id"))
        .collect();
    let v1 = api.post(
        "/data/v1/transactions",
        &json!({"entity_id": entity, "account_id": current}),
    );
    let statement: Vec<String> = v1.json["payload"]["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["transaction_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paged, statement);
    assert!(
        pages[0].text.contains("\"amount\":-245.30"),
        "{}",
        pages[0].text
    );

    // Paging bounds: size 1 to 100, page a whole number from 0.
    let accounts_with = |q: &str| api.get(&format!("/data/v2/accounts?entity_id={entity}&{q}"));
    assert_eq!(accounts_with("size=100").status, 200);
    assert_eq!(accounts_with("size=1").json["page"]["total_pages"], 2);
    refused(&accounts_with("size=0"), "INVALID_PARAMETERS", "size");
    refused(&accounts_with("size=101"), "INVALID_PARAMETERS", "size");
    refused(&accounts_with("size=ten"), "INVALID_PARAMETERS", "size");
    refused(&accounts_with("page=-1"), "INVALID_PARAMETERS", "page");
    let far = accounts_with("page=9");
    assert_eq!(far.status, 200);
    assert_eq!(far.json["data"], json!([]));

    // The entity is required and must exist; the account must be its own.
    refused(
        &api.get("/data/v2/accounts"),
        "MISSING_PARAMETERS",
        "entity_id",
    );
    refused(
        &api.get(&format!("/data/v2/accounts/{current}/balances?page=0")),
        "MISSING_PARAMETERS",
        "entity_id",
    );
    let unknown = api.get("/data/v2/identity?entity_id=no-such-entity");
    assert_eq!(
        (unknown.status, &unknown.json["status"]),
        (404, &json!("NOT_FOUND"))
    );
    let foreign = api.get(&format!(
        "/data/v2/accounts/no-such-account/balances?entity_id={entity}"
    ));
    assert_eq!(
        (foreign.status, &foreign.json["status"]),
        (404, &json!("ACCOUNT_NOT_FOUND")),
        "{}",
        foreign.text
    );
    let unknown_kind = api.get(&format!(
        "/data/v2/accounts/{current}/loans?entity_id={entity}"
    ));
    assert_eq!(unknown_kind.status, 404);
    assert_eq!(unknown_kind.json["status"], "INVALID_URL");

    // The failure trigger answers HTTP 200 FAILED, as v1 does.
    for path in [
        "/data/v2/accounts?entity_id=entity-sandbox-fail".to_owned(),
        format!("/data/v2/accounts/acct-SANDBOX-FAIL/transactions?entity_id={entity}"),
    ] {
        let failed = api.get(&path);
        assert_eq!(failed.status, 200, "{}", failed.text);
        assert_eq!(failed.json["status"], "FAILED");
        assert_eq!(failed.json["granular_status_code"], "SANDBOX_FAIL_TRIGGER");
        assert!(failed.json["message"].is_string());
    }

    // A customer-scoped token reads its own customer's data only.
    let own = api.issue(&format!("customer.{customer_id}"));
    let (_, other_entity, _) = connected(&sandbox, &api, "v2-other");
    assert_eq!(
        api.get_as(&own, &format!("/data/v2/accounts?entity_id={entity}"))
            .status,
        200
    );
    let elsewhere = api.get_as(&own, &format!("/data/v2/accounts?entity_id={other_entity}"));
    assert_eq!(elsewhere.status, 403);
    assert_eq!(elsewhere.json["status"], "INCORRECT_ACCESS_LEVEL");
    // And no credential at all is refused.
    let anonymous = api.get_as(
        "not-a-token",
        &format!("/data/v2/accounts?entity_id={entity}"),
    );
    assert_eq!(anonymous.status, 401);
}

#[test]
fn a_refresh_completes_with_its_webhook() {
    // An hour's delay, then the clock moved past it: no race with the
    // lifecycle.
    let sandbox = start("3600s");
    let mut api = Api::new(&sandbox);
    let receiver = WebhookReceiver::start().unwrap();
    sandbox
        .register_openbanking_webhook(receiver.url())
        .unwrap();
    let (customer_id, entity, accounts) = connected(&sandbox, &api, "refresh-user");

    let created = api.post("/data/v2/refreshes", &json!({ "entity_id": entity }));
    assert_eq!(created.status, 201, "{}", created.text);
    let refresh_id = created.json["refresh_id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.json,
        json!({
            "refresh_id": refresh_id,
            "entity_id": entity,
            "customer_id": customer_id,
            "app_user_id": "refresh-user",
            "status": "IN_PROGRESS",
        })
    );
    let second = api.post("/data/v2/refreshes", &json!({ "entity_id": entity }));
    let second_id = second.json["refresh_id"].as_str().unwrap().to_owned();
    let pending = api.get(&format!("/data/v2/refreshes/{refresh_id}"));
    assert_eq!(pending.status, 200);
    assert_eq!(pending.json, created.json);

    // Newest first, paged.
    let listed = api.get(&format!("/data/v2/refreshes?entity_id={entity}"));
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(
        ids(&listed, "refresh_id"),
        [second_id.clone(), refresh_id.clone()]
    );
    assert_eq!(listed.json["page"]["total_elements"], 2);
    let one = api.get(&format!(
        "/data/v2/refreshes?entity_id={entity}&page=1&size=1"
    ));
    assert_eq!(ids(&one, "refresh_id"), std::slice::from_ref(&refresh_id));
    assert_eq!(one.json["page"]["total_pages"], 2);

    // The results delay passes: COMPLETED, and the webhook carries the
    // same object, signed, typed by the core.
    let moved = api
        .agent
        .post(&format!("{}/_sandbox/clock", api.url))
        .header("content-type", "application/json")
        .send(br#"{"advance_ms": 3601000}"#)
        .unwrap();
    assert_eq!(moved.status(), 200);
    api.token = api.issue("api");
    let delivered = |id: &str| {
        let id = id.to_owned();
        let verifier = common::openbanking::verifier();
        move |deliveries: &[lean_sandbox::harness::Delivery]| {
            deliveries.iter().any(|d| {
                verifier
                    .construct_event(&d.body, d.header(SIGNATURE_HEADER))
                    .is_ok_and(|e| {
                        matches!(&e.payload, EventPayload::DataRefresh(r) if r.refresh_id == id)
                    })
            })
        }
    };
    assert!(
        receiver.wait_until(Duration::from_secs(10), delivered(&refresh_id)),
        "no entity.data.refresh.updated webhook"
    );
    let done = api.get(&format!("/data/v2/refreshes/{refresh_id}"));
    assert_eq!(done.json["status"], "COMPLETED", "{}", done.text);
    let status = &done.json["data_status"];
    assert_eq!(
        (&status["accounts"], &status["identity"]),
        (&json!("OK"), &json!("OK"))
    );
    let account_data = status["account_data"].as_array().unwrap();
    assert_eq!(account_data.len(), 2);
    assert_eq!(account_data[0]["account_id"], accounts[0]);
    for kind in [
        "balance",
        "identity",
        "transactions",
        "beneficiaries",
        "direct_debits",
        "standing_orders",
        "scheduled_payments",
    ] {
        assert_eq!(account_data[1][kind], "OK", "{kind}");
    }
    assert_eq!(
        account_data[0]["transaction_availability"],
        json!({"start": "2026-10-10", "end": "2026-10-28", "complete_months": 0})
    );
    let sent: Vec<Value> = receiver
        .deliveries()
        .iter()
        .map(|d| serde_json::from_slice::<Value>(&d.body).unwrap())
        .filter(|b| {
            b["type"] == "entity.data.refresh.updated"
                && b["payload"]["refresh_id"] == refresh_id.as_str()
        })
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["payload"], done.json);
    assert!(receiver.wait_until(Duration::from_secs(10), delivered(&second_id)));

    // Refusals.
    let unknown = api.get("/data/v2/refreshes/no-such-refresh");
    assert_eq!(
        (unknown.status, &unknown.json["status"]),
        (404, &json!("NOT_FOUND"))
    );
    refused(
        &api.post("/data/v2/refreshes", &json!({})),
        "MISSING_PARAMETERS",
        "entity_id",
    );
    refused(
        &api.post("/data/v2/refreshes", &json!({"entity_id": 7})),
        "INVALID_PARAMETERS",
        "entity_id",
    );
    refused(
        &api.post("/data/v2/refreshes", &json!({"entity_id": entity, "x": 1})),
        "INVALID_PARAMETERS",
        "x",
    );
    assert_eq!(
        api.post(
            "/data/v2/refreshes",
            &json!({"entity_id": "no-such-entity"})
        )
        .status,
        404
    );
    refused(
        &api.get("/data/v2/refreshes?size=0"),
        "INVALID_PARAMETERS",
        "size",
    );
}

/// Today's date (UTC) moved by `days`, as `YYYY-MM-DD`.
fn day(days: i64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let date = time::OffsetDateTime::from_unix_timestamp(now + days * 86_400)
        .unwrap()
        .date();
    date.to_string()
}

#[test]
fn entities_are_listed_by_creation_date() {
    let sandbox = start("50ms");
    let api = Api::new(&sandbox);
    let (_, first, _) = connected(&sandbox, &api, "dated-1");
    let (_, second, _) = connected(&sandbox, &api, "dated-2");

    // "entities" is not a customer id: the route lists entities.
    let (yesterday, tomorrow) = (day(-1), day(1));
    let all = api.get(&format!(
        "/customers/v1/entities?start_date={yesterday}&end_date={tomorrow}"
    ));
    assert_eq!(all.status, 200, "{}", all.text);
    let listed: Vec<String> = all.json["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, [first.clone(), second.clone()]);
    assert!(
        all.json["content"][0]["created_at"].is_string(),
        "{}",
        all.text
    );
    assert_eq!(
        all.json["page"],
        json!({"number": 0, "size": 20, "total_elements": 2, "total_pages": 1})
    );
    // Open ends, and pages.
    let paged = api.get("/customers/v1/entities?page_number=1&page_size=1");
    assert_eq!(paged.json["content"][0]["id"], second);
    assert_eq!(paged.json["page"]["total_pages"], 2);
    // Outside the range: none.
    let later = api.get(&format!(
        "/customers/v1/entities?start_date={}&end_date={}",
        day(2),
        day(3)
    ));
    assert_eq!(later.json["content"], json!([]));
    assert_eq!(later.json["page"]["total_elements"], 0);
    let earlier = api.get(&format!("/customers/v1/entities?end_date={}", day(-2)));
    assert_eq!(earlier.json["content"], json!([]));
    // The entity's own record carries its creation time too.
    assert!(sandbox.connect_bank(&api.customer("dated-3")).unwrap()["created_at"].is_string());

    // A query, and the parameter it is refused for.
    for (query, field) in [
        ("start_date=2026-02-30".to_owned(), "start_date"),
        ("end_date=12/01/2026".to_owned(), "end_date"),
        (
            format!("start_date={tomorrow}&end_date={yesterday}"),
            "start_date",
        ),
        ("page_size=0".to_owned(), "page_size"),
    ] {
        let answer = api.get(&format!("/customers/v1/entities?{query}"));
        refused(&answer, "INVALID_PARAMETERS", field);
    }
}

#[test]
fn payment_intents_are_listed() {
    let sandbox = start("50ms");
    let api = Api::new(&sandbox);
    assert_eq!(api.get("/payments/v1/intents").json, json!([]));
    let customer_id = api.customer("payer");
    let create = |amount: &str| {
        let body =
            format!(r#"{{"customer_id":"{customer_id}","amount":{amount},"currency":"AED"}}"#);
        let answer = Api::read(
            api.agent
                .post(&format!("{}/payments/v1/intents", api.url))
                .header("authorization", &format!("Bearer {}", api.token))
                .header("content-type", "application/json")
                .send(body.as_bytes())
                .unwrap(),
        );
        assert_eq!(answer.status, 200, "{}", answer.text);
        answer.json["payment_intent_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let first = create("100.50");
    let second = create("7");
    sandbox.pay_intent(&first).unwrap();

    let listed = api.get("/payments/v1/intents");
    assert_eq!(listed.status, 200, "{}", listed.text);
    let list = listed.json.as_array().unwrap();
    assert_eq!(list.len(), 2);
    for (item, id) in list.iter().zip([&first, &second]) {
        assert_eq!(item, &api.get(&format!("/payments/v1/intents/{id}")).json);
    }
    assert_eq!(list[0]["amount"], "100.50");
    assert_eq!(list[0]["payments"].as_array().unwrap().len(), 1);
    assert!(listed.text.contains("\"amount\":100.50"), "{}", listed.text);
    let page = api.get("/payments/v1/intents?page_number=1&page_size=1");
    assert_eq!(page.json[0]["payment_intent_id"], second);
    refused(
        &api.get("/payments/v1/intents?page_size=0"),
        "INVALID_PARAMETERS",
        "page_size",
    );
    // A customer-scoped token sees its own customer's intents only.
    let other = api.customer("someone-else");
    let scoped = api.issue(&format!("customer.{other}"));
    assert_eq!(api.get_as(&scoped, "/payments/v1/intents").json, json!([]));
}

#[test]
fn transactions_take_dates_and_insights() {
    let sandbox = start("50ms");
    let api = Api::new(&sandbox);
    let (_, entity, [account, _]) = connected(&sandbox, &api, "statement");
    let read = |extra: Value| {
        let mut body = json!({"entity_id": entity, "account_id": account});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        api.post("/data/v1/transactions", &body)
    };

    // The statement runs from 2026-10-10 to 2026-10-28, one line every
    // other day; the range is inclusive.
    let window =
        read(json!({"start_date": "2026-10-20", "end_date": "2026-10-28", "insights": true}));
    assert_eq!(window.status, 200, "{}", window.text);
    let payload = &window.json["payload"];
    let dates: Vec<&str> = payload["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["timestamp"].as_str().unwrap()[..10])
        .collect();
    assert_eq!(
        dates,
        [
            "2026-10-28",
            "2026-10-26",
            "2026-10-24",
            "2026-10-22",
            "2026-10-20"
        ]
    );
    // Credits 15000.00 + 2000.00; debits 245.30 + 612.45 + 18.00: exact.
    assert!(
        window.text.contains(
            r#""insights":{"total_credits":17000.00,"total_debits":875.75,"transaction_count":5}"#
        ),
        "{}",
        window.text
    );
    assert_eq!(payload["page"]["total_elements"], 5);

    let whole = read(json!({"insights": true}));
    assert!(
        whole.text.contains(
            r#""insights":{"total_credits":17075.10,"total_debits":1832.49,"transaction_count":10}"#
        ),
        "{}",
        whole.text
    );
    let plain = read(json!({"start_date": "2026-10-27"}));
    assert_eq!(
        plain.json["payload"]["transactions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(plain.json["payload"].get("insights").is_none());
    let none = read(json!({"end_date": "2026-10-01", "insights": true}));
    assert!(
        none.text.contains(r#""transaction_count":0"#),
        "{}",
        none.text
    );

    // A filter, and the field it is refused for.
    for (filter, field) in [
        (json!({"start_date": "2026-10-32"}), "start_date"),
        (json!({"end_date": 20261028}), "end_date"),
        (
            json!({"start_date": "2026-10-28", "end_date": "2026-10-20"}),
            "start_date",
        ),
        (json!({"insights": "yes"}), "insights"),
    ] {
        refused(&read(filter), "INVALID_PARAMETERS", field);
    }
    // The other data calls keep refusing these fields.
    refused(
        &api.post(
            "/data/v1/balance",
            &json!({"entity_id": entity, "account_id": account, "insights": true}),
        ),
        "INVALID_PARAMETERS",
        "insights",
    );
}

#[test]
fn destinations_take_lean_s_own_example_body() {
    let sandbox = start("50ms");
    let api = Api::new(&sandbox);
    // Lean's example, as the OpenAPI document gives it.
    let document: Value =
        serde_json::from_str(lean_sandbox::openapi::document()).expect("the document is JSON");
    let vendor = document["components"]["schemas"]["NewDestination"]["example"].clone();
    assert_eq!(vendor["bank_type"], "RETAIL", "{vendor}");
    let created = api.post("/payments/v1/destinations", &vendor);
    assert_eq!(created.status, 200, "{}", created.text);
    let d = &created.json;
    assert!(d["id"].is_string());
    assert_eq!(d["bank_identifier"], Value::Null);
    assert!(d.as_object().unwrap().contains_key("bank_identifier"));
    assert_eq!(d["bank_type"], "RETAIL");
    assert_eq!(d["government_identifier"], vendor["government_identifier"]);
    assert_eq!(
        (&d["country"], &d["city"]),
        (&json!("ARE"), &json!("Dubai"))
    );

    // The core's form keeps working.
    let old = api.post(
        "/payments/v1/destinations",
        &json!({"display_name": "Main", "name": "Example Trading LLC", "bank_identifier": "ENBD_UAE", "iban": "AE070331234567890123456"}),
    );
    assert_eq!(old.status, 200, "{}", old.text);
    assert_eq!(old.json["bank_identifier"], "ENBD_UAE");
    assert!(old.json.get("bank_type").is_none());

    let listed = api.get("/payments/v1/destinations");
    assert_eq!(listed.json.as_array().unwrap().len(), 2);
    assert_eq!(listed.json[0], created.json);

    let with = |field: &str, value: Value| {
        let mut body = vendor.clone();
        body[field] = value;
        api.post("/payments/v1/destinations", &body)
    };
    // A field, a refused value of it, and the field the refusal names.
    for (field, value, named) in [
        ("bank_type", json!("PRIVATE"), "bank_type"),
        (
            "government_identifier",
            json!({"type": "EMIRATES_ID", "value": "12"}),
            "government_identifier.value",
        ),
        (
            "government_identifier",
            json!("784-1990-1234567-1"),
            "government_identifier",
        ),
        ("iban", json!("AE000331234567890123456"), "iban"),
    ] {
        refused(&with(field, value), "INVALID_PARAMETERS", named);
    }
}
