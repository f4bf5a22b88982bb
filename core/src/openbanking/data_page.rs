//! The data v2 reads: an entity's accounts and identity, and per account
//! its balances, transactions, identities, beneficiaries, direct debits,
//! standing orders and scheduled payments, one page at a time
//! (`GET /data/v2/...?entity_id=&page=&size=`).
//!
//! These read what Lean already holds for the entity (what the last data
//! refresh fetched), so they answer at once; a refresh
//! ([`super::Operation::create_data_refresh`]) fetches anew from the bank.

use serde_json::Value;

use super::kind::OperationKind;
use super::paging::Paging;
use super::response_model::response_model;
use crate::error::Error;
use crate::url::{push_query, segment};
use crate::validate::{self, field_error};

/// What a data v2 read returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataResource {
    /// The entity's accounts: `/data/v2/accounts`.
    Accounts,
    /// The entity's identity: `/data/v2/identity`.
    Identities,
    /// One account's balances.
    AccountBalances,
    /// One account's transactions.
    AccountTransactions,
    /// The identities of one account's holders.
    AccountIdentities,
    /// One account's saved beneficiaries.
    AccountBeneficiaries,
    /// One account's direct debits.
    AccountDirectDebits,
    /// One account's standing orders.
    AccountStandingOrders,
    /// One account's scheduled payments.
    AccountScheduledPayments,
}

impl DataResource {
    /// Every resource, in the order of [`OperationKind`].
    pub const ALL: [DataResource; 9] = [
        Self::Accounts,
        Self::Identities,
        Self::AccountBalances,
        Self::AccountTransactions,
        Self::AccountIdentities,
        Self::AccountBeneficiaries,
        Self::AccountDirectDebits,
        Self::AccountStandingOrders,
        Self::AccountScheduledPayments,
    ];

    /// The operation that reads this resource.
    pub fn operation(self) -> OperationKind {
        match self {
            Self::Accounts => OperationKind::ListAccounts,
            Self::Identities => OperationKind::ListIdentities,
            Self::AccountBalances => OperationKind::ListAccountBalances,
            Self::AccountTransactions => OperationKind::ListAccountTransactions,
            Self::AccountIdentities => OperationKind::ListAccountIdentities,
            Self::AccountBeneficiaries => OperationKind::ListAccountBeneficiaries,
            Self::AccountDirectDebits => OperationKind::ListAccountDirectDebits,
            Self::AccountStandingOrders => OperationKind::ListAccountStandingOrders,
            Self::AccountScheduledPayments => OperationKind::ListAccountScheduledPayments,
        }
    }

    /// The resource an operation reads, for the data v2 reads.
    pub fn of(kind: OperationKind) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.operation() == kind)
    }

    /// The last path segment: `accounts`, `identity`, `balances`,
    /// `direct-debits`, ...
    pub fn path_segment(self) -> &'static str {
        match self {
            Self::Accounts => "accounts",
            Self::Identities => "identity",
            Self::AccountBalances => "balances",
            Self::AccountTransactions => "transactions",
            Self::AccountIdentities => "identities",
            Self::AccountBeneficiaries => "beneficiaries",
            Self::AccountDirectDebits => "direct-debits",
            Self::AccountStandingOrders => "standing-orders",
            Self::AccountScheduledPayments => "scheduled-payments",
        }
    }

    /// True when the read is about one account (`account_id` required).
    pub fn needs_account(self) -> bool {
        !matches!(self, Self::Accounts | Self::Identities)
    }
}

/// A validated data v2 read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataPageRequest {
    /// What to read.
    pub resource: DataResource,
    /// The connected entity.
    pub entity_id: String,
    /// The account, for the per-account resources only.
    pub account_id: Option<String>,
    /// Which page (`page`, from 0) and how many records (`size`).
    pub paging: Paging,
}

impl DataPageRequest {
    /// Checks the ids (`account_id` exactly when the resource is about one
    /// account) and the page size (at least 1).
    pub fn new(
        resource: DataResource,
        entity_id: &str,
        account_id: Option<&str>,
        paging: Paging,
    ) -> Result<Self, Error> {
        let entity = validate::identifier(entity_id).map_err(|p| field_error("entity_id", p));
        let account = match (resource.needs_account(), account_id) {
            (true, Some(id)) => validate::identifier(id)
                .map(Some)
                .map_err(|p| field_error("account_id", p)),
            (true, None) => Err(field_error("account_id", validate::Problem::required())),
            (false, _) => Ok(None),
        };
        let paging = paging.checked();
        match (entity, account, paging) {
            (Ok(entity_id), Ok(account_id), Ok(paging)) => Ok(Self {
                resource,
                entity_id,
                account_id,
                paging,
            }),
            (e, a, p) => Err(validate::merge_errors(
                e.err().into_iter().chain(a.err()).chain(p.err()),
            )
            .unwrap_or_else(|| Error::Internal {
                message: "a data read failed without an error".to_owned(),
            })),
        }
    }

    /// `/data/v2/accounts[/{account_id}/{resource}]?entity_id=&page=&size=`.
    pub(crate) fn path(&self) -> String {
        let mut path = match &self.account_id {
            Some(account) if self.resource.needs_account() => format!(
                "/data/v2/accounts/{}/{}",
                segment(account),
                self.resource.path_segment()
            ),
            _ => format!("/data/v2/{}", self.resource.path_segment()),
        };
        push_query(&mut path, "entity_id", &self.entity_id);
        self.paging.append_query(&mut path, "page", "size");
        path
    }
}

response_model! {
    /// One page of a data v2 read.
    ///
    /// Lean does not document the records' fields, so they are kept as JSON
    /// (`data`), with every number a binary float could alter kept as the
    /// string of its exact text, as for the data v1 answers. Paging fields
    /// Lean sends beside them (`page`, ...) are in `extra`, as sent.
    pub struct DataPage as "ObDataPage" {
        /// The records of this page, as sent (usually an array).
        #[serde(default)]
        #[cfg_attr(feature = "tsify", tsify(type = "unknown"))]
        // The hosts name JSON text fields `...Json`.
        #[cfg_attr(feature = "uniffi", uniffi(name = "data_json"))]
        pub data: Value,
        /// `OK` when Lean sends a status (a `FAILED` one is an error instead).
        pub status: Option<super::data::DataStatus>,
    }
}
