// `OAuthToken`: an access token minted for one customer's device (the
// backend half of the Link SDK flow). The token itself is reachable only
// through `accessToken`: every printed form (`String()`, `JSON.stringify`,
// `util.inspect`, `console.log`) shows it redacted, so logging the value by
// accident leaks nothing.

import { printedAsString } from '../wasm.js';

export class OAuthToken {
  #accessToken;

  /** Built by `OpenBankingClient.customerToken` from the core's parse of the answer. */
  constructor({ accessToken, expiresAtMs, scope }) {
    this.#accessToken = accessToken;
    /** When it expires, counted from when the answer arrived (which errs early). */
    this.expiresAt = new Date(expiresAtMs);
    /** The scope the server granted (`customer.<id>`), or `null` if it did not say. */
    this.scope = scope ?? null;
    Object.freeze(this);
  }

  /** The token itself, for the app to hand to the Link SDK. Keep it out of logs. */
  get accessToken() {
    return this.#accessToken;
  }

  toString() {
    return `OAuthToken { accessToken: <redacted>, expiresAt: ${this.expiresAt.toISOString()}, scope: ${this.scope} }`;
  }
}

printedAsString(OAuthToken);
