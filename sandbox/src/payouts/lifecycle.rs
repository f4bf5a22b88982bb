//! Time passing: approved applications make customers `ACTIVE`, pending
//! payouts settle. Due times are stored with the records, so a restart
//! resumes them; each transition and its webhook commit together.

use lean_core::{Customer, CustomerStatus, Gig, PaymentStatus, SpecialPayment};
use rusqlite::{params, Connection};
use serde_json::Value;

use super::records::Table;
use crate::clock::iso;
use crate::outbox;
use crate::rows;

/// Applies the transitions due at `now`, at most 500 of each kind per call
/// so that a backlog never holds the database lock for long; returns how
/// many happened.
pub fn tick(conn: &mut Connection, now: i64) -> rusqlite::Result<usize> {
    let tx = conn.transaction()?;
    let mut done = 0;
    let pending = "SELECT partner_user_id, body FROM customers WHERE status = 'PENDING' AND approve_at <= ?1 LIMIT 500";
    let due: Vec<(String, String)> = rows::due(&tx, pending, now, rows::two)?;
    for (id, body) in due {
        let Ok(mut customer) = serde_json::from_str::<Customer>(&body) else {
            continue;
        };
        customer.status = Some(CustomerStatus::Active);
        customer.updated_at = Some(iso(now));
        let json = serde_json::to_value(&customer).unwrap_or(Value::Null);
        tx.execute(
            "UPDATE customers SET status = 'ACTIVE', application = 'approved', approve_at = NULL, body = ?2 WHERE partner_user_id = ?1",
            params![id, json.to_string()],
        )?;
        outbox::enqueue(&tx, "customer.active", json, now)?;
        done += 1;
    }
    for table in [Table::Gigs, Table::SpecialPayments] {
        done += settle(&tx, table, now)?;
    }
    tx.commit()?;
    Ok(done)
}

fn settle(tx: &Connection, table: Table, now: i64) -> rusqlite::Result<usize> {
    let select = format!(
        "SELECT {key}, body, fail FROM {name} WHERE settle_at <= ?1 LIMIT 500",
        key = table.key(),
        name = table.name()
    );
    let due: Vec<(String, String, bool)> =
        rows::due(tx, &select, now, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let update = format!(
        "UPDATE {name} SET status = ?2, settle_at = NULL, body = ?3 WHERE {key} = ?1",
        key = table.key(),
        name = table.name()
    );
    for (key, body, fail) in &due {
        let status = if *fail {
            PaymentStatus::Failed
        } else {
            PaymentStatus::Success
        };
        let json = match table {
            Table::Gigs => restamp::<Gig>(body, |g| {
                g.status = Some(status.clone());
                g.updated_at = Some(iso(now));
            }),
            Table::SpecialPayments => restamp::<SpecialPayment>(body, |p| {
                p.status = Some(status.clone());
                p.updated_at = Some(iso(now));
            }),
        };
        tx.execute(&update, params![key, status.as_str(), json.to_string()])?;
        let event = format!(
            "{}.{}",
            table.object(),
            if *fail { "failed" } else { "completed" }
        );
        outbox::enqueue(tx, &event, json, now)?;
    }
    Ok(due.len())
}

fn restamp<T: serde::de::DeserializeOwned + serde::Serialize>(
    body: &str,
    change: impl FnOnce(&mut T),
) -> Value {
    match serde_json::from_str::<T>(body) {
        Ok(mut record) => {
            change(&mut record);
            serde_json::to_value(&record).unwrap_or(Value::Null)
        }
        Err(_) => serde_json::from_str(body).unwrap_or(Value::Null),
    }
}

/// `POST /_sandbox/customers/:id/deactivate`: the customer becomes
/// `INACTIVE` (a `customer.inactive` webhook). False when there is no such
/// customer.
pub fn deactivate(conn: &mut Connection, id: &str, now: i64) -> rusqlite::Result<Option<Value>> {
    let tx = conn.transaction()?;
    let body: Option<String> = rusqlite::OptionalExtension::optional(tx.query_row(
        "SELECT body FROM customers WHERE partner_user_id = ?1",
        [id],
        |r| r.get(0),
    ))?;
    let Some(body) = body else {
        return Ok(None);
    };
    let json = restamp::<Customer>(&body, |c| {
        c.status = Some(CustomerStatus::Inactive);
        c.updated_at = Some(iso(now));
    });
    tx.execute(
        "UPDATE customers SET status = 'INACTIVE', approve_at = NULL, body = ?2 WHERE partner_user_id = ?1",
        params![id, json.to_string()],
    )?;
    outbox::enqueue(&tx, "customer.inactive", json.clone(), now)?;
    tx.commit()?;
    Ok(Some(json))
}
