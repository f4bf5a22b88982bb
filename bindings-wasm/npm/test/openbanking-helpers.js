// Shared helpers of the open-banking tests: the `lean-sdk/openbanking`
// package as Node loads it, the vectors of tests/vectors/openbanking/, and
// the mapping from a vector's call to a client method.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkError, repoDir } from './helpers.js';

/** The package's open-banking entry, through its exports map. */
export const ob = await import('lean-sdk/openbanking');

/** The cases of one file of tests/vectors/openbanking/. */
export function obVectors(file) {
  const doc = JSON.parse(readFileSync(join(repoDir, 'tests', 'vectors', 'openbanking', file), 'utf8'));
  assert.ok(Array.isArray(doc.cases) && doc.cases.length > 0, `${file}: no cases`);
  return doc.cases;
}

/** Client options for a vector's `environment` (a name, or `{name | custom, tokenBaseUrl?, mtls?}`). */
export function environmentOptions(environment = 'uae-sandbox') {
  if (typeof environment === 'string') return { environment };
  const options = {};
  if (environment.custom !== undefined) options.baseUrl = environment.custom;
  if (environment.name !== undefined) options.environment = environment.name;
  if (environment.tokenBaseUrl !== undefined) options.tokenBaseUrl = environment.tokenBaseUrl;
  if (environment.mtls !== undefined) options.requireMtls = environment.mtls;
  return options;
}

/** Credentials for a vector's `auth` (default: the application token `app_token_123`). */
export function credentials(auth) {
  return auth?.bearer !== undefined ? { accessToken: auth.bearer } : { appToken: 'app_token_123' };
}

/** Calls the client method a vector's `call` names, with its arguments. */
export function invoke(client, call, options) {
  const {
    operation, input, customerId, appUserId, entityId, accountId, resultsId, refreshId, paymentIntentId, paymentId, accountTypes,
    startDate, endDate, pageNumber, pageSize,
  } = call;
  const paging = { pageNumber, pageSize };
  switch (operation) {
    case 'createCustomer': return client.createCustomer(input, options);
    case 'getCustomer': return client.getCustomer(customerId, options);
    case 'getCustomerByAppUserId': return client.getCustomerByAppUserId(appUserId, options);
    case 'listCustomers': return client.listCustomers(paging, options);
    case 'listEntities': return client.listEntities(customerId, options);
    case 'getEntity': return client.getEntity(customerId, entityId, options);
    case 'getIdentity': return client.getIdentity(input, options);
    case 'getAccounts': return client.getAccounts(input, options);
    case 'getBalance': return client.getBalance(input, options);
    case 'getTransactions': return client.getTransactions(input, options);
    case 'getDataResults': return client.getDataResults(resultsId, options);
    case 'createPaymentIntent': return client.createPaymentIntent(input, options);
    case 'getPaymentIntent': return client.getPaymentIntent(paymentIntentId, options);
    case 'createPaymentDestination': return client.createPaymentDestination(input, options);
    case 'listPaymentDestinations': return client.listPaymentDestinations(options);
    case 'listBanks': return client.listBanks(accountTypes, options);
    case 'getPayment': return client.getPayment(paymentId, options);
    case 'listPaymentIntents': return client.listPaymentIntents(options);
    case 'listEntitiesByDate': return client.listEntitiesByDate(startDate, endDate, paging, options);
    case 'listAccounts': return client.listAccounts(entityId, paging, options);
    case 'listIdentities': return client.listIdentities(entityId, paging, options);
    case 'listAccountBalances':
    case 'listAccountTransactions':
    case 'listAccountIdentities':
    case 'listAccountBeneficiaries':
    case 'listAccountDirectDebits':
    case 'listAccountStandingOrders':
    case 'listAccountScheduledPayments':
      return client[operation](entityId, accountId, paging, options);
    case 'createDataRefresh': return client.createDataRefresh(entityId, options);
    case 'getDataRefresh': return client.getDataRefresh(refreshId, options);
    case 'listDataRefreshes': return client.listDataRefreshes(entityId, paging, options);
    // Names with no method reach the core through `validate`, which takes any name.
    default: return Promise.resolve().then(() => ob.validate(operation, input, call));
  }
}

/**
 * `checkError` of the payouts tests, plus the API's own code (`apiCode`) and
 * a `FAILED` data answer's `granularStatusCode`.
 */
export function checkObError(name, error, want) {
  checkError(name, error, want);
  if ('apiCode' in want) assert.equal(error.apiCode, want.apiCode, `${name}: apiCode`);
  if ('granularStatusCode' in want) assert.equal(error.granularStatusCode, want.granularStatusCode, `${name}: granularStatusCode`);
}
