//! `GET /banks/v1/`: the supported banks, a small fixed list that starts
//! with the bank an entity gets when the connect call names none
//! ([`super::bank::DEFAULT_BANK`]), answered with the core's [`Bank`].

use lean_core::openbanking::{Bank, Operation};
use serde_json::{json, Map, Value};

use super::bank::DEFAULT_BANK;
use super::customers::query_pairs;
use super::reply::ObFailure;

/// The banks: (identifier, name, bank type, account type, SWIFT code;
/// the mock banks have none, as Lean sends `null` for some).
type BankRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);
const BANKS: [BankRow; 3] = [
    (DEFAULT_BANK, "Lean Mock Bank", "RETAIL", "PERSONAL", None),
    (
        "LEANMB2",
        "Lean Mock Business Bank",
        "CORPORATE",
        "BUSINESS",
        None,
    ),
    (
        "ENBD_UAE",
        "Emirates NBD (sandbox)",
        "RETAIL",
        "PERSONAL",
        Some("EBILAEAD"),
    ),
];

/// The banks offering `account_types` (one type, or several separated by
/// commas, any case) when the query names it; every bank otherwise.
pub fn list(query: Option<&str>) -> Result<Value, ObFailure> {
    let wanted = query_pairs(query)
        .into_iter()
        .find(|(k, _)| k == "account_types")
        .map(|(_, v)| v);
    Operation::list_banks(wanted.as_deref()).map_err(ObFailure::from_core)?;
    let types: Vec<String> = wanted
        .iter()
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().to_ascii_uppercase())
        .collect();
    let banks: Vec<Bank> = BANKS
        .iter()
        .filter(|(_, _, _, account, _)| types.is_empty() || types.iter().any(|t| t == account))
        .map(|(identifier, name, bank_type, account, swift_code)| Bank {
            identifier: (*identifier).to_owned(),
            name: Some((*name).to_owned()),
            logo: Some(format!(
                "https://cdn.leantech.me/bank-assets/uae/{}.png",
                identifier.to_ascii_lowercase()
            )),
            main_color: Some("#1a1a1a".to_owned()),
            background_color: Some("#ffffff".to_owned()),
            bank_type: Some((*bank_type).to_owned()),
            account_type: Some((*account).to_owned()),
            availability: Some(json!({
                "active": {"payments": true, "data": true},
                "enabled": {"payments": true, "data": true},
            })),
            swift_code: swift_code.map(str::to_owned),
            extra: Map::new(),
        })
        .collect();
    Ok(serde_json::to_value(banks).unwrap_or(Value::Null))
}
