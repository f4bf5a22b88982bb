//! The names of the open-banking operations, on their own so that the
//! operations (which build requests) and the answer reader (which parses by
//! kind) both depend on them without depending on each other.

use super::data::DataKind;
use crate::operation_kind::operation_kinds;

operation_kinds! {
    /// Names of the operations, the same in every host and in the vectors.
    pub enum OperationKind {
        /// `POST /customers/v1/`.
        CreateCustomer = "createCustomer",
        /// `GET /customers/v1/{customer_id}`.
        GetCustomer = "getCustomer",
        /// `GET /customers/v1/app-user-id/{app_user_id}`.
        GetCustomerByAppUserId = "getCustomerByAppUserId",
        /// `GET /customers/v1?page_number=&page_size=`.
        ListCustomers = "listCustomers",
        /// `GET /customers/v1/{customer_id}/entities`.
        ListEntities = "listEntities",
        /// `GET /customers/v1/{customer_id}/entities/{entity_id}`.
        GetEntity = "getEntity",
        /// `POST /data/v1/identity`.
        GetIdentity = "getIdentity",
        /// `POST /data/v1/accounts`.
        GetAccounts = "getAccounts",
        /// `POST /data/v1/balance`.
        GetBalance = "getBalance",
        /// `POST /data/v1/transactions`.
        GetTransactions = "getTransactions",
        /// `GET /data/v2/results/{results_id}`.
        GetDataResults = "getDataResults",
        /// `POST /payments/v1/intents`.
        CreatePaymentIntent = "createPaymentIntent",
        /// `GET /payments/v1/intents/{payment_intent_id}`.
        GetPaymentIntent = "getPaymentIntent",
        /// `POST /payments/v1/destinations`.
        CreatePaymentDestination = "createPaymentDestination",
        /// `GET /payments/v1/destinations`.
        ListPaymentDestinations = "listPaymentDestinations",
        /// `GET /banks/v1/`.
        ListBanks = "listBanks",
        /// `GET /payments/v1/{payment_id}`.
        GetPayment = "getPayment",
        /// `GET /payments/v1/intents`.
        ListPaymentIntents = "listPaymentIntents",
        /// `GET /customers/v1/entities?start_date=&end_date=`.
        ListEntitiesByDate = "listEntitiesByDate",
        /// `GET /data/v2/accounts`.
        ListAccounts = "listAccounts",
        /// `GET /data/v2/identity`.
        ListIdentities = "listIdentities",
        /// `GET /data/v2/accounts/{account_id}/balances`.
        ListAccountBalances = "listAccountBalances",
        /// `GET /data/v2/accounts/{account_id}/transactions`.
        ListAccountTransactions = "listAccountTransactions",
        /// `GET /data/v2/accounts/{account_id}/identities`.
        ListAccountIdentities = "listAccountIdentities",
        /// `GET /data/v2/accounts/{account_id}/beneficiaries`.
        ListAccountBeneficiaries = "listAccountBeneficiaries",
        /// `GET /data/v2/accounts/{account_id}/direct-debits`.
        ListAccountDirectDebits = "listAccountDirectDebits",
        /// `GET /data/v2/accounts/{account_id}/standing-orders`.
        ListAccountStandingOrders = "listAccountStandingOrders",
        /// `GET /data/v2/accounts/{account_id}/scheduled-payments`.
        ListAccountScheduledPayments = "listAccountScheduledPayments",
        /// `POST /data/v2/refreshes`.
        CreateDataRefresh = "createDataRefresh",
        /// `GET /data/v2/refreshes/{refresh_id}`.
        GetDataRefresh = "getDataRefresh",
        /// `GET /data/v2/refreshes?entity_id=`.
        ListDataRefreshes = "listDataRefreshes",
    }
}

impl OperationKind {
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
