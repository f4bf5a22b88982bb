//! The data API: identity, accounts, balance and transactions of a
//! connected entity, and the asynchronous pattern that goes with it.
//!
//! `POST /data/v1/{kind}` answers either the data (`status: "OK"`) or,
//! after 50 s or at once when `async` is set, `status: "PENDING"` with a
//! `results_id`; a `results.ready` webhook follows, and the data is then
//! fetched with `GET /data/v2/results/{results_id}`
//! ([`super::Operation::get_data_results`]). A `FAILED` status, even with
//! HTTP 200, is an error ([`super::errors`]).

use serde_json::{Map, Value};

use super::response_model::response_model;
use crate::error::{Error, FieldErrorCode};
use crate::validate::{self, Problem};
use crate::wire::wire_enum;

/// Which data to fetch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataKind {
    /// `POST /data/v1/identity`.
    Identity,
    /// `POST /data/v1/accounts`.
    Accounts,
    /// `POST /data/v1/balance` (needs an account).
    Balance,
    /// `POST /data/v1/transactions` (needs an account).
    Transactions,
}

impl DataKind {
    /// The path segment: `identity`, `accounts`, `balance`, `transactions`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Accounts => "accounts",
            Self::Balance => "balance",
            Self::Transactions => "transactions",
        }
    }

    /// True when the call is about one account (`account_id` required).
    pub fn needs_account(self) -> bool {
        matches!(self, Self::Balance | Self::Transactions)
    }
}

/// A validated data call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataRequest {
    /// What to fetch.
    pub kind: DataKind,
    /// The connected entity.
    pub entity_id: String,
    /// The account, for balance and transactions only.
    pub account_id: Option<String>,
    /// Ask for a `PENDING` answer at once instead of waiting up to 50 s.
    pub asynchronous: bool,
    /// Transactions only: the days to read (`start_date`, `end_date`).
    pub range: DateRange,
    /// Transactions only: ask Lean for its `insights` (income and spending
    /// summaries) beside the transactions.
    pub insights: bool,
}

/// Days from `start_date` to `end_date` (`YYYY-MM-DD`, both included),
/// either end open when absent.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DateRange {
    /// The first day.
    pub start_date: Option<String>,
    /// The last day.
    pub end_date: Option<String>,
}

impl DateRange {
    /// Checks each day and that the range is not backwards; with
    /// `required`, both days must be given.
    pub fn new(
        start_date: Option<&str>,
        end_date: Option<&str>,
        required: bool,
    ) -> Result<Self, Error> {
        let day = |field: &str, value: Option<&str>| match value {
            Some(text) => validate::calendar_date(text)
                .map(Some)
                .map_err(|p| validate::field_error(field, p)),
            None if required => Err(validate::field_error(field, Problem::required())),
            None => Ok(None),
        };
        match (day("start_date", start_date), day("end_date", end_date)) {
            (Ok(Some(start)), Ok(Some(end))) if end < start => Err(validate::field_error(
                "end_date",
                Problem::new(
                    FieldErrorCode::OutOfRange,
                    format!("must not be before start_date ({start})"),
                ),
            )),
            (Ok(start_date), Ok(end_date)) => Ok(Self {
                start_date,
                end_date,
            }),
            (s, e) => Err(validate::merge_errors(s.err().into_iter().chain(e.err()))
                .unwrap_or_else(|| Error::Internal {
                    message: "a date range failed without an error".to_owned(),
                })),
        }
    }

    /// True when neither day is given.
    pub fn is_open(&self) -> bool {
        self.start_date.is_none() && self.end_date.is_none()
    }

    /// Appends `start_date` and `end_date` as query parameters.
    pub(crate) fn append_query(&self, path: &mut String) {
        for (key, value) in [
            ("start_date", &self.start_date),
            ("end_date", &self.end_date),
        ] {
            if let Some(value) = value {
                crate::url::push_query(path, key, value);
            }
        }
    }
}

impl DataRequest {
    /// Checks the ids: `entity_id` always, `account_id` exactly when the
    /// kind needs one (sending it elsewhere would be silently ignored, so
    /// it is refused).
    pub fn new(
        kind: DataKind,
        entity_id: &str,
        account_id: Option<&str>,
        asynchronous: bool,
    ) -> Result<Self, Error> {
        let entity =
            validate::identifier(entity_id).map_err(|p| validate::field_error("entity_id", p));
        let account = match (kind.needs_account(), account_id) {
            (true, Some(id)) => validate::identifier(id)
                .map(Some)
                .map_err(|p| validate::field_error("account_id", p)),
            (true, None) => Err(validate::field_error("account_id", Problem::required())),
            (false, None) => Ok(None),
            (false, Some(_)) => Err(validate::field_error(
                "account_id",
                Problem::new(
                    FieldErrorCode::UnknownField,
                    format!(
                        "is not taken by {} calls, which cover the whole entity",
                        kind.as_str()
                    ),
                ),
            )),
        };
        match (entity, account) {
            (Ok(entity_id), Ok(account_id)) => Ok(Self {
                kind,
                entity_id,
                account_id,
                asynchronous,
                range: DateRange::default(),
                insights: false,
            }),
            (entity, account) => Err(validate::merge_errors(
                entity.err().into_iter().chain(account.err()),
            )
            .unwrap_or_else(|| Error::Internal {
                message: "a data request failed without an error".to_owned(),
            })),
        }
    }

    /// A transactions call narrowed to `range` and, with `insights`, asking
    /// for Lean's insights; refused for the other kinds, which have no
    /// dates.
    pub fn with_transactions_query(
        mut self,
        range: DateRange,
        insights: bool,
    ) -> Result<Self, Error> {
        if self.kind != DataKind::Transactions && (!range.is_open() || insights) {
            let field = if insights { "insights" } else { "start_date" };
            return Err(validate::field_error(
                field,
                Problem::new(
                    FieldErrorCode::UnknownField,
                    format!(
                        "is taken by transactions calls only, not {}",
                        self.kind.as_str()
                    ),
                ),
            ));
        }
        self.range = range;
        self.insights = insights;
        Ok(self)
    }

    /// The JSON body: `{"entity_id", "account_id"?, "async", "start_date"?,
    /// "end_date"?, "insights"?}`.
    pub(crate) fn body(&self) -> Value {
        let mut body = Map::new();
        body.insert("entity_id".to_owned(), self.entity_id.clone().into());
        if let Some(account) = &self.account_id {
            body.insert("account_id".to_owned(), account.clone().into());
        }
        body.insert("async".to_owned(), self.asynchronous.into());
        for (key, day) in [
            ("start_date", &self.range.start_date),
            ("end_date", &self.range.end_date),
        ] {
            if let Some(day) = day {
                body.insert(key.to_owned(), day.clone().into());
            }
        }
        if self.insights {
            body.insert("insights".to_owned(), true.into());
        }
        Value::Object(body)
    }
}

wire_enum! {
    /// The `status` of a data answer.
    DataStatus {
        /// The data is in `payload`.
        Ok = "OK",
        /// Not ready: wait for `results.ready` and fetch `results_id`.
        Pending = "PENDING",
        /// The bank could not provide the data; reported as an error, never
        /// as a result.
        Failed = "FAILED",
    }
}

response_model! {
    /// A data answer that is not a failure: the data, or a pending notice.
    ///
    /// The payload's shape differs by kind and is not fully documented, so it is
    /// kept as JSON; the envelope is typed. Balances and amounts in it are
    /// money, so every number a binary float could alter (a fraction, an
    /// exponent, more than 15 digits) is kept as a string of its exact text:
    /// `"balance": "12450.75"`.
    pub struct DataResult as "ObDataResult" {
        /// `OK`, `PENDING`, or a status this SDK does not know (kept).
        pub status: DataStatus,
        /// The data, when `status` is `OK`.
        #[cfg_attr(feature = "tsify", tsify(type = "unknown"))]
        // The hosts name JSON text fields `...Json`.
        #[cfg_attr(feature = "uniffi", uniffi(name = "payload_json"))]
        pub payload: Option<Value>,
        /// The id to fetch the results with, when `status` is `PENDING`.
        pub results_id: Option<String>,
        /// Lean's explanation.
        pub message: Option<String>,
        /// When Lean answered, as sent.
        pub timestamp: Option<String>,
    }
}

/// `body` with every number that a binary float could alter (one with a
/// fraction or an exponent, or more than 15 digits) turned into a JSON
/// string of its exact text, so that no balance or amount of bank data is
/// ever read through `f64`, in the core or in any host. `body` is valid
/// JSON (checked before); numbers inside strings are left alone.
pub(crate) fn exact_numbers(body: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let mut out: Option<Vec<u8>> = None;
    let (mut i, mut copied, mut in_string) = (0, 0, false);
    while i < body.len() {
        let byte = body[i];
        if in_string {
            match byte {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match byte {
            b'"' => {
                in_string = true;
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < body.len()
                    && matches!(body[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    i += 1;
                }
                let number = &body[start..i];
                let digits = number.iter().filter(|b| b.is_ascii_digit()).count();
                if digits > 15 || number.iter().any(|b| matches!(b, b'.' | b'e' | b'E')) {
                    let out = out.get_or_insert_with(|| Vec::with_capacity(body.len() + 32));
                    out.extend_from_slice(&body[copied..start]);
                    out.push(b'"');
                    out.extend_from_slice(number);
                    out.push(b'"');
                    copied = i;
                }
            }
            _ => i += 1,
        }
    }
    match out {
        None => std::borrow::Cow::Borrowed(body),
        Some(mut out) => {
            out.extend_from_slice(&body[copied..]);
            std::borrow::Cow::Owned(out)
        }
    }
}

impl DataResult {
    /// True when the data is not ready yet: fetch [`Self::results_id`]
    /// after the `results.ready` webhook.
    pub fn is_pending(&self) -> bool {
        self.status == DataStatus::Pending
    }
}
