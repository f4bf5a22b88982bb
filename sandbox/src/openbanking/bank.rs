//! The emulated bank behind a connected entity: what the Link SDK sets up
//! in reality. Connecting a bank gives the customer an entity with two
//! accounts (current and savings), their balances and a page of
//! transactions. The content is fixed and the ids derive from the
//! customer id and the entity's number, so the same steps give the same
//! data; amounts are written as JSON numbers straight from their decimal
//! text (the core's [`Amount`]), never through a binary float.

use lean_core::openbanking::{DataKind, Entity, Permissions};
use lean_core::Amount;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};

/// The bank of an entity when the connect call names none.
pub const DEFAULT_BANK: &str = "LEANMB1";

/// One account of the emulated bank.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Account {
    /// Lean's id of the account, the `account_id` of data calls.
    pub account_id: String,
    /// Its name at the bank.
    pub name: String,
    /// `CURRENT` or `SAVINGS`.
    #[serde(rename = "type")]
    pub kind: String,
    /// ISO 4217.
    pub currency_code: String,
    /// The bank's account number.
    pub account_number: String,
    /// The IBAN (valid check digits).
    pub iban: String,
    /// The balance, as decimal text.
    pub balance: String,
}

/// Everything stored for an entity besides its API record.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Bank {
    /// The two accounts.
    pub accounts: Vec<Account>,
}

/// Ids that depend only on the customer and the entity's number.
struct Ids(u64);

impl Ids {
    fn new(customer_id: &str, number: i64) -> Self {
        // FNV-1a over the customer id and the number.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in customer_id.bytes().chain(number.to_le_bytes()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        Self(h)
    }

    fn uuid(&mut self) -> String {
        let mut rng = fastrand::Rng::with_seed(self.0);
        self.0 = rng.u64(..);
        super::uuid(&mut rng)
    }
}

/// The payload of the `entity.created` webhook for `entity`, as Lean sends
/// it (unlike the entity the API answers): the permissions granted as an
/// array of names, the customer's `app_user_id` and the bank's details.
pub fn entity_created(entity: &Entity, app_user_id: Option<&str>) -> Value {
    let granted: Vec<&str> = entity
        .permissions
        .as_ref()
        .map(|p| {
            [
                ("identity", p.identity),
                ("accounts", p.accounts),
                ("balance", p.balance),
                ("transactions", p.transactions),
            ]
            .into_iter()
            .filter(|(_, granted)| *granted == Some(true))
            .map(|(name, _)| name)
            .collect()
        })
        .unwrap_or_default();
    let identifier = entity.bank_identifier.as_deref().unwrap_or(DEFAULT_BANK);
    json!({
        "id": entity.id,
        "app_user_id": app_user_id,
        "customer_id": entity.customer_id,
        "permissions": granted,
        "bank_details": {
            "name": format!("Sandbox bank {identifier}"),
            "identifier": identifier,
            "bank_type": "RETAIL",
            "account_type": "PERSONAL",
            "logo": null,
            "main_color": "#1a1a1a",
            "background_color": "#ffffff",
            "swift_code": null,
        },
    })
}

/// The entity and its bank for a customer's `number`th connection (from 1).
pub fn connect(customer_id: &str, number: i64, bank_identifier: &str) -> (Entity, Bank) {
    let mut ids = Ids::new(customer_id, number);
    let entity = Entity {
        id: ids.uuid(),
        customer_id: Some(customer_id.to_owned()),
        bank_identifier: Some(bank_identifier.to_owned()),
        app_user_id: None,
        permissions: Some(Permissions {
            identity: Some(true),
            accounts: Some(true),
            balance: Some(true),
            transactions: Some(true),
            extra: Map::new(),
        }),
        extra: Map::new(),
    };
    let account = |ids: &mut Ids, name: &str, kind: &str, number: &str, balance: &str| Account {
        account_id: ids.uuid(),
        name: name.to_owned(),
        kind: kind.to_owned(),
        currency_code: "AED".to_owned(),
        account_number: number.to_owned(),
        iban: iban("AE", &format!("033{number}")),
        balance: balance.to_owned(),
    };
    let accounts = vec![
        account(
            &mut ids,
            "Current Account",
            "CURRENT",
            "1234567890123456",
            "12450.75",
        ),
        account(
            &mut ids,
            "Savings Account",
            "SAVINGS",
            "6543210987654321",
            "30000.00",
        ),
    ];
    (entity, Bank { accounts })
}

/// An IBAN with ISO 13616 check digits for `country` and `bban`.
fn iban(country: &str, bban: &str) -> String {
    let digits: String = format!("{bban}{country}00")
        .chars()
        .map(|c| match c.to_digit(36) {
            Some(d) => d.to_string(),
            None => String::new(),
        })
        .collect();
    let remainder = digits
        .bytes()
        .fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97);
    format!("{country}{:02}{bban}", 98 - remainder)
}

/// A JSON number written from exact decimal text (the fixed amounts of
/// this module; `null` should one ever not be an amount).
fn number(text: &str) -> Box<RawValue> {
    let exact = Amount::parse(text)
        .map(|a| a.to_string())
        .unwrap_or_else(|_| "null".to_owned());
    RawValue::from_string(exact).unwrap_or_default()
}

#[derive(Serialize)]
struct AccountView<'a> {
    account_id: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    currency_code: &'a str,
    account_number: &'a str,
    iban: &'a str,
}

#[derive(Serialize)]
struct BalanceView<'a> {
    account_id: &'a str,
    account_name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    balance: Box<RawValue>,
    currency_code: &'a str,
}

#[derive(Serialize)]
struct Transaction {
    transaction_id: String,
    description: &'static str,
    amount: Box<RawValue>,
    currency_code: &'static str,
    timestamp: String,
    pending: bool,
}

/// Debits (negative) and credits of the fixed statement, newest first.
const STATEMENT: [(&str, &str); 10] = [
    ("Grocery store", "-245.30"),
    ("Salary", "15000.00"),
    ("Electricity and water", "-612.45"),
    ("Coffee shop", "-18.00"),
    ("Transfer from savings", "2000.00"),
    ("Mobile phone bill", "-299.00"),
    ("Restaurant", "-187.25"),
    ("Fuel station", "-120.50"),
    ("Online shopping", "-349.99"),
    ("Refund", "75.10"),
];

/// Which transactions a `POST /data/v1/transactions` call wants: an
/// inclusive range of transaction dates (either end open), and whether
/// to add `insights` computed from them.
#[derive(Clone, Copy, Debug, Default)]
pub struct TransactionFilter {
    /// The first date kept.
    pub start: Option<time::Date>,
    /// The last date kept.
    pub end: Option<time::Date>,
    /// Add `insights: {total_credits, total_debits, transaction_count}`.
    pub insights: bool,
}

/// The identity the emulated bank knows of its customer.
pub fn identity() -> Value {
    json!({
        "full_name": "Jane Doe",
        "mobile_number": "+971500000001",
        "email_address": "jane.doe@example.com",
        "address": "Villa 12, Street 4, Al Barsha, Dubai",
        "birth_date": "1990-01-15",
        "gender": "FEMALE",
        "national_identity_number": "784-1990-1234567-1",
    })
}

/// The transaction date of statement line `i` (newest first).
fn statement_date(i: usize) -> time::Date {
    let day = u8::try_from(28 - 2 * i).unwrap_or(1);
    time::Date::from_calendar_date(2026, time::Month::October, day).unwrap_or(time::Date::MIN)
}

/// The whole fixed statement of `account`, newest first.
fn statement(account: &Account) -> Vec<(time::Date, Transaction)> {
    STATEMENT
        .iter()
        .enumerate()
        .map(|(i, (description, amount))| {
            let date = statement_date(i);
            let transaction = Transaction {
                transaction_id: format!(
                    "{}-t{:02}",
                    &account.account_id[..8.min(account.account_id.len())],
                    i + 1
                ),
                description,
                amount: number(amount),
                currency_code: "AED",
                timestamp: format!("{date}T09:30:00Z"),
                pending: i == 0,
            };
            (date, transaction)
        })
        .collect()
}

/// The dates the statement covers, for a data refresh's
/// `transaction_availability`: the first, the last, and how many whole
/// calendar months lie between.
pub fn statement_span() -> (time::Date, time::Date, u32) {
    let first = statement_date(STATEMENT.len() - 1);
    let last = statement_date(0);
    let whole_first = if first.day() == 1 { 0 } else { 1 };
    let months = (last.year() - first.year()) * 12 + i32::from(u8::from(last.month()))
        - i32::from(u8::from(first.month()))
        - whole_first;
    (first, last, u32::try_from(months.max(0)).unwrap_or(0))
}

/// The sums of `insights`: credits, debits (as a positive amount) and
/// the count, exact.
#[derive(Serialize)]
struct Insights {
    total_credits: Box<RawValue>,
    total_debits: Box<RawValue>,
    transaction_count: usize,
}

fn insights(amounts: &[&str]) -> Insights {
    let (mut credits, mut debits) = (Amount::ZERO, Amount::ZERO);
    for text in amounts {
        let (slot, magnitude) = match text.strip_prefix('-') {
            Some(m) => (&mut debits, m),
            None => (&mut credits, *text),
        };
        if let Some(sum) = Amount::parse(magnitude)
            .ok()
            .and_then(|a| slot.checked_add(a))
        {
            *slot = sum;
        }
    }
    Insights {
        total_credits: number(&credits.to_string()),
        total_debits: number(&debits.to_string()),
        transaction_count: amounts.len(),
    }
}

/// The `payload` of a data answer, as JSON text. `account` is the
/// account of balance and transactions calls (already checked to exist).
pub fn payload(
    kind: DataKind,
    entity: &Entity,
    bank: &Bank,
    account: Option<&Account>,
    filter: &TransactionFilter,
) -> String {
    let text = match (kind, account) {
        (DataKind::Identity, _) => serde_json::to_string(&identity()),
        (DataKind::Accounts, _) => {
            serde_json::to_string(&serde_json::json!({ "accounts": account_views(bank) }))
        }
        (DataKind::Balance, Some(a)) => serde_json::to_string(&balance_view(a)),
        (DataKind::Transactions, Some(a)) => {
            let kept: Vec<(usize, Transaction)> = statement(a)
                .into_iter()
                .enumerate()
                .filter(|(_, (date, _))| {
                    filter.start.is_none_or(|s| *date >= s) && filter.end.is_none_or(|e| *date <= e)
                })
                .map(|(i, (_, t))| (i, t))
                .collect();
            let amounts: Vec<&str> = kept.iter().map(|(i, _)| STATEMENT[*i].1).collect();
            let transactions: Vec<Transaction> = kept.into_iter().map(|(_, t)| t).collect();
            let count = transactions.len();
            serde_json::to_string(&TransactionsView {
                account_id: &a.account_id,
                entity_id: &entity.id,
                transactions,
                page: Page {
                    number: 0,
                    size: count,
                    total_elements: count,
                    total_pages: usize::from(count > 0),
                },
                insights: filter.insights.then(|| insights(&amounts)),
            })
        }
        (DataKind::Balance | DataKind::Transactions, None) => Ok("{}".to_owned()),
    };
    text.unwrap_or_else(|_| "{}".to_owned())
}

fn account_views(bank: &Bank) -> Vec<AccountView<'_>> {
    bank.accounts
        .iter()
        .map(|a| AccountView {
            account_id: &a.account_id,
            name: &a.name,
            kind: &a.kind,
            currency_code: &a.currency_code,
            account_number: &a.account_number,
            iban: &a.iban,
        })
        .collect()
}

fn balance_view(a: &Account) -> BalanceView<'_> {
    BalanceView {
        account_id: &a.account_id,
        account_name: &a.name,
        kind: &a.kind,
        balance: number(&a.balance),
        currency_code: &a.currency_code,
    }
}

/// What the data v2 calls read per account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountData {
    /// `transactions`
    Transactions,
    /// `balances`
    Balances,
    /// `beneficiaries`
    Beneficiaries,
    /// `identities`
    Identities,
    /// `direct-debits`
    DirectDebits,
    /// `scheduled-payments`
    ScheduledPayments,
    /// `standing-orders`
    StandingOrders,
}

impl AccountData {
    /// Every kind with its path segment, in the order of the API reference.
    pub const SEGMENTS: [(&'static str, Self); 7] = [
        ("transactions", Self::Transactions),
        ("balances", Self::Balances),
        ("beneficiaries", Self::Beneficiaries),
        ("identities", Self::Identities),
        ("direct-debits", Self::DirectDebits),
        ("scheduled-payments", Self::ScheduledPayments),
        ("standing-orders", Self::StandingOrders),
    ];

    /// The kind of a `/data/v2/accounts/{account_id}/{segment}` path.
    pub fn from_segment(segment: &str) -> Option<Self> {
        Self::SEGMENTS
            .iter()
            .find(|(known, _)| *known == segment)
            .map(|&(_, kind)| kind)
    }
}

fn raw<T: Serialize>(value: &T) -> Box<RawValue> {
    serde_json::value::to_raw_value(value).unwrap_or_default()
}

/// The records of the data v2 accounts list: every account of the bank.
pub fn accounts_records(bank: &Bank) -> Vec<Box<RawValue>> {
    account_views(bank).iter().map(raw).collect()
}

/// The records of the data v2 identity call: the one identity.
pub fn identity_records() -> Vec<Box<RawValue>> {
    vec![raw(&identity())]
}

#[derive(Serialize)]
struct Beneficiary<'a> {
    beneficiary_id: String,
    account_id: &'a str,
    name: &'static str,
    iban: String,
    bank_name: &'static str,
    currency_code: &'static str,
}

#[derive(Serialize)]
struct DirectDebit<'a> {
    direct_debit_id: String,
    account_id: &'a str,
    name: &'static str,
    status: &'static str,
    frequency: &'static str,
    previous_payment_amount: Box<RawValue>,
    previous_payment_date: &'static str,
    currency_code: &'static str,
}

#[derive(Serialize)]
struct StandingOrder<'a> {
    standing_order_id: String,
    account_id: &'a str,
    payee_name: &'static str,
    reference: &'static str,
    frequency: &'static str,
    first_payment_date: &'static str,
    next_payment_date: &'static str,
    next_payment_amount: Box<RawValue>,
    currency_code: &'static str,
}

#[derive(Serialize)]
struct ScheduledPayment<'a> {
    scheduled_payment_id: String,
    account_id: &'a str,
    payee_name: &'static str,
    reference: &'static str,
    execution_date: &'static str,
    amount: Box<RawValue>,
    currency_code: &'static str,
}

/// The records of `/data/v2/accounts/{account_id}/{what}`: the same fixed
/// bank the v1 calls read, with a few seeded beneficiaries, direct
/// debits, standing orders and scheduled payments. Ids derive from the
/// account id; amounts are exact JSON numbers.
pub fn per_account_records(account: &Account, what: AccountData) -> Vec<Box<RawValue>> {
    let short = &account.account_id[..8.min(account.account_id.len())];
    let id = |kind: &str, n: usize| format!("{short}-{kind}{n:02}");
    let a = account.account_id.as_str();
    match what {
        AccountData::Transactions => statement(account).iter().map(|(_, t)| raw(t)).collect(),
        AccountData::Balances => vec![raw(&balance_view(account))],
        AccountData::Identities => {
            let mut identity = identity();
            identity["account_id"] = Value::String(account.account_id.clone());
            vec![raw(&identity)]
        }
        AccountData::Beneficiaries => [
            (
                "Ahmed Al Mansouri",
                "9876543210123456",
                "Sandbox bank LEANMB2",
            ),
            (
                "Example Trading LLC",
                "1122334455667788",
                "Sandbox bank LEANMB3",
            ),
        ]
        .iter()
        .enumerate()
        .map(|(n, (name, number, bank_name))| {
            raw(&Beneficiary {
                beneficiary_id: id("b", n + 1),
                account_id: a,
                name,
                iban: iban("AE", &format!("044{number}")),
                bank_name,
                currency_code: "AED",
            })
        })
        .collect(),
        AccountData::DirectDebits => vec![raw(&DirectDebit {
            direct_debit_id: id("dd", 1),
            account_id: a,
            name: "Sandbox Telecom",
            status: "ACTIVE",
            frequency: "MONTHLY",
            previous_payment_amount: number("299.00"),
            previous_payment_date: "2026-10-18",
            currency_code: "AED",
        })],
        AccountData::StandingOrders => vec![raw(&StandingOrder {
            standing_order_id: id("so", 1),
            account_id: a,
            payee_name: "Landlord Properties LLC",
            reference: "Rent",
            frequency: "MONTHLY",
            first_payment_date: "2026-01-01",
            next_payment_date: "2026-11-01",
            next_payment_amount: number("6250.00"),
            currency_code: "AED",
        })],
        AccountData::ScheduledPayments => vec![raw(&ScheduledPayment {
            scheduled_payment_id: id("sp", 1),
            account_id: a,
            payee_name: "Sandbox School",
            reference: "Term fees",
            execution_date: "2026-11-15",
            amount: number("3200.50"),
            currency_code: "AED",
        })],
    }
}

#[derive(Serialize)]
struct TransactionsView<'a> {
    account_id: &'a str,
    entity_id: &'a str,
    transactions: Vec<Transaction>,
    page: Page,
    #[serde(skip_serializing_if = "Option::is_none")]
    insights: Option<Insights>,
}

#[derive(Serialize)]
struct Page {
    number: usize,
    size: usize,
    total_elements: usize,
    total_pages: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_customer_and_number_give_the_same_bank() {
        let (e1, b1) = connect("c-1", 1, DEFAULT_BANK);
        let (e2, b2) = connect("c-1", 1, DEFAULT_BANK);
        let (e3, _) = connect("c-1", 2, DEFAULT_BANK);
        assert_eq!(e1, e2);
        assert_eq!(b1.accounts[1].account_id, b2.accounts[1].account_id);
        assert_ne!(e1.id, e3.id);
        assert_ne!(b1.accounts[0].account_id, b1.accounts[1].account_id);
    }

    #[test]
    fn ibans_pass_the_cores_check() {
        let (_, bank) = connect("c-1", 1, DEFAULT_BANK);
        for a in &bank.accounts {
            let destination = lean_core::openbanking::NewDestination {
                display_name: "x".into(),
                name: "x".into(),
                bank_identifier: Some("B".into()),
                iban: a.iban.clone(),
                ..Default::default()
            };
            assert!(destination.validate().is_ok(), "{}", a.iban);
        }
    }

    #[test]
    fn amounts_are_exact_numbers() {
        let (e, bank) = connect("c-1", 1, DEFAULT_BANK);
        let none = TransactionFilter::default();
        let text = payload(DataKind::Balance, &e, &bank, Some(&bank.accounts[0]), &none);
        assert!(text.contains("\"balance\":12450.75"), "{text}");
        let text = payload(
            DataKind::Transactions,
            &e,
            &bank,
            Some(&bank.accounts[0]),
            &none,
        );
        assert!(text.contains("\"amount\":-612.45"), "{text}");
    }
}
