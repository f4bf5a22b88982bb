//! The names of the open-banking operations, on their own so that the
//! operations (which build requests) and the answer reader (which parses by
//! kind) both depend on them without depending on each other.

use super::data::DataKind;

/// Names of the operations, the same in every host and in the vectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperationKind {
    /// `POST /customers/v1/`.
    CreateCustomer,
    /// `GET /customers/v1/{customer_id}`.
    GetCustomer,
    /// `GET /customers/v1/app-user-id/{app_user_id}`.
    GetCustomerByAppUserId,
    /// `GET /customers/v1?page_number=&page_size=`.
    ListCustomers,
    /// `GET /customers/v1/{customer_id}/entities`.
    ListEntities,
    /// `GET /customers/v1/{customer_id}/entities/{entity_id}`.
    GetEntity,
    /// `POST /data/v1/identity`.
    GetIdentity,
    /// `POST /data/v1/accounts`.
    GetAccounts,
    /// `POST /data/v1/balance`.
    GetBalance,
    /// `POST /data/v1/transactions`.
    GetTransactions,
    /// `GET /data/v2/results/{results_id}`.
    GetDataResults,
    /// `POST /payments/v1/intents`.
    CreatePaymentIntent,
    /// `GET /payments/v1/intents/{payment_intent_id}`.
    GetPaymentIntent,
    /// `POST /payments/v1/destinations`.
    CreatePaymentDestination,
    /// `GET /payments/v1/destinations`.
    ListPaymentDestinations,
    /// `GET /banks/v1/`.
    ListBanks,
    /// `GET /payments/v1/{payment_id}`.
    GetPayment,
    /// `GET /payments/v1/intents`.
    ListPaymentIntents,
    /// `GET /customers/v1/entities?start_date=&end_date=`.
    ListEntitiesByDate,
    /// `GET /data/v2/accounts`.
    ListAccounts,
    /// `GET /data/v2/identity`.
    ListIdentities,
    /// `GET /data/v2/accounts/{account_id}/balances`.
    ListAccountBalances,
    /// `GET /data/v2/accounts/{account_id}/transactions`.
    ListAccountTransactions,
    /// `GET /data/v2/accounts/{account_id}/identities`.
    ListAccountIdentities,
    /// `GET /data/v2/accounts/{account_id}/beneficiaries`.
    ListAccountBeneficiaries,
    /// `GET /data/v2/accounts/{account_id}/direct-debits`.
    ListAccountDirectDebits,
    /// `GET /data/v2/accounts/{account_id}/standing-orders`.
    ListAccountStandingOrders,
    /// `GET /data/v2/accounts/{account_id}/scheduled-payments`.
    ListAccountScheduledPayments,
    /// `POST /data/v2/refreshes`.
    CreateDataRefresh,
    /// `GET /data/v2/refreshes/{refresh_id}`.
    GetDataRefresh,
    /// `GET /data/v2/refreshes?entity_id=`.
    ListDataRefreshes,
}

impl OperationKind {
    /// Every operation.
    pub const ALL: [OperationKind; 31] = [
        Self::CreateCustomer,
        Self::GetCustomer,
        Self::GetCustomerByAppUserId,
        Self::ListCustomers,
        Self::ListEntities,
        Self::GetEntity,
        Self::GetIdentity,
        Self::GetAccounts,
        Self::GetBalance,
        Self::GetTransactions,
        Self::GetDataResults,
        Self::CreatePaymentIntent,
        Self::GetPaymentIntent,
        Self::CreatePaymentDestination,
        Self::ListPaymentDestinations,
        Self::ListBanks,
        Self::GetPayment,
        Self::ListPaymentIntents,
        Self::ListEntitiesByDate,
        Self::ListAccounts,
        Self::ListIdentities,
        Self::ListAccountBalances,
        Self::ListAccountTransactions,
        Self::ListAccountIdentities,
        Self::ListAccountBeneficiaries,
        Self::ListAccountDirectDebits,
        Self::ListAccountStandingOrders,
        Self::ListAccountScheduledPayments,
        Self::CreateDataRefresh,
        Self::GetDataRefresh,
        Self::ListDataRefreshes,
    ];

    /// The camelCase name used by hosts and vectors (`getBalance`).
    pub fn name(self) -> &'static str {
        match self {
            Self::CreateCustomer => "createCustomer",
            Self::GetCustomer => "getCustomer",
            Self::GetCustomerByAppUserId => "getCustomerByAppUserId",
            Self::ListCustomers => "listCustomers",
            Self::ListEntities => "listEntities",
            Self::GetEntity => "getEntity",
            Self::GetIdentity => "getIdentity",
            Self::GetAccounts => "getAccounts",
            Self::GetBalance => "getBalance",
            Self::GetTransactions => "getTransactions",
            Self::GetDataResults => "getDataResults",
            Self::CreatePaymentIntent => "createPaymentIntent",
            Self::GetPaymentIntent => "getPaymentIntent",
            Self::CreatePaymentDestination => "createPaymentDestination",
            Self::ListPaymentDestinations => "listPaymentDestinations",
            Self::ListBanks => "listBanks",
            Self::GetPayment => "getPayment",
            Self::ListPaymentIntents => "listPaymentIntents",
            Self::ListEntitiesByDate => "listEntitiesByDate",
            Self::ListAccounts => "listAccounts",
            Self::ListIdentities => "listIdentities",
            Self::ListAccountBalances => "listAccountBalances",
            Self::ListAccountTransactions => "listAccountTransactions",
            Self::ListAccountIdentities => "listAccountIdentities",
            Self::ListAccountBeneficiaries => "listAccountBeneficiaries",
            Self::ListAccountDirectDebits => "listAccountDirectDebits",
            Self::ListAccountStandingOrders => "listAccountStandingOrders",
            Self::ListAccountScheduledPayments => "listAccountScheduledPayments",
            Self::CreateDataRefresh => "createDataRefresh",
            Self::GetDataRefresh => "getDataRefresh",
            Self::ListDataRefreshes => "listDataRefreshes",
        }
    }

    /// The operation of a camelCase name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// True when the operation creates nothing, so retrying it can never
    /// apply anything twice. The data calls are `POST`s but only read.
    pub fn is_read(self) -> bool {
        !matches!(
            self,
            Self::CreateCustomer
                | Self::CreatePaymentIntent
                | Self::CreatePaymentDestination
                | Self::CreateDataRefresh
        )
    }

    pub(crate) fn data_kind(self) -> Option<DataKind> {
        Some(match self {
            Self::GetIdentity => DataKind::Identity,
            Self::GetAccounts => DataKind::Accounts,
            Self::GetBalance => DataKind::Balance,
            Self::GetTransactions => DataKind::Transactions,
            _ => return None,
        })
    }
}

/// The data v2 reads as one pattern, for the matches that treat them
/// alike: each reads one `DataResource`, page by page.
macro_rules! data_page_kinds {
    () => {
        OperationKind::ListAccounts
            | OperationKind::ListIdentities
            | OperationKind::ListAccountBalances
            | OperationKind::ListAccountTransactions
            | OperationKind::ListAccountIdentities
            | OperationKind::ListAccountBeneficiaries
            | OperationKind::ListAccountDirectDebits
            | OperationKind::ListAccountStandingOrders
            | OperationKind::ListAccountScheduledPayments
    };
}
pub(crate) use data_page_kinds;
