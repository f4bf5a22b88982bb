// The Node.js mTLS transport: a `fetch`-compatible function on `node:https`
// that presents the application's client certificate.
//
// Lean's production hosts refuse backend calls without the certificate the
// developer portal issued. Node's global `fetch` cannot present one without
// the `undici` package, and this package has no runtime dependencies, so
// this module speaks HTTPS itself, through one keep-alive `https.Agent`
// holding the certificate, its key and the trusted chain. It honours
// `signal` (the client's per-attempt timeout aborts through it) and fails
// the way `fetch` fails (`TypeError('fetch failed', { cause })`, the cause
// keeping Node's error code), so the client's transport loop reads its
// failures like any other. Browsers present client certificates
// themselves: this module exists only in the Node entry point.

import { Buffer } from 'node:buffer';
import { Agent, request } from 'node:https';
import { createSecureContext } from 'node:tls';
import { LeanError } from '../errors.js';

function configuration(message, cause) {
  return new LeanError(message, { code: 'configuration', cause });
}

/**
 * Reads one PEM argument: text or bytes holding `-----BEGIN <label>`.
 * Never echoes the value, which may be a private key.
 */
function pem(name, value, label, required) {
  if (value === undefined || value === null) {
    if (required) throw configuration(`tls.${name} is missing: pass the ${label} as PEM text or a Buffer (fs.readFileSync(path))`);
    return undefined;
  }
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) {
    const text =
      typeof item === 'string' ? item : item instanceof Uint8Array ? Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString('latin1') : null;
    if (text === null) throw configuration(`tls.${name} must be PEM text or a Buffer, got ${typeof item}`);
    if (!text.includes('-----BEGIN ')) {
      throw configuration(
        `tls.${name} is not PEM (no "-----BEGIN" line): pass the file's contents, not its path, e.g. fs.readFileSync(path)`,
      );
    }
  }
  return value;
}

/** A `fetch` failure, as Node's `fetch` reports one. */
function fetchFailed(cause) {
  return new TypeError('fetch failed', { cause });
}

/** The error `fetch` rejects with once `signal` aborted. */
function aborted(signal) {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Node's error, with a message that says what failed. A refused client
 * certificate only shows as a TLS alert (or a reset) from the server.
 */
function describe(error, url) {
  const code = error?.code ?? '';
  // OpenSSL errors carry a short `reason` beside their long message.
  const reason = [error?.reason ?? String(error?.message ?? error).trim(), code].filter(Boolean).join(', ');
  let message = String(error?.message ?? error).trim();
  if (/CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|DECRYPT_ERROR|HANDSHAKE_FAILURE|ACCESS_DENIED/i.test(code)) {
    message = `mTLS handshake with ${url.host} failed: the server refused the client certificate (${reason})`;
  } else if (/CERT|SSL|TLS|SELF_SIGNED|VERIFY/i.test(code)) {
    message = `TLS with ${url.host} failed (${reason})`;
  }
  const described = new Error(message, { cause: error });
  if (code) described.code = code;
  return described;
}

function headerPairs(headers) {
  const out = {};
  if (headers === undefined || headers === null) return out;
  new Headers(headers).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function toResponse(res, body) {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  const empty = [101, 204, 205, 304].includes(res.statusCode);
  return new Response(empty ? null : body, { status: res.statusCode, statusText: res.statusMessage, headers });
}

/**
 * A `fetch`-compatible function that presents a client certificate, for
 * `new OpenBankingClient(credentials, { fetch })` (what `tls` does for you)
 * or any other use.
 *
 * @param {object} tls `cert` (the application's certificate, with Lean's
 * chain after it if the portal says so), `key` (its private key),
 * `ca` (the chain that signed the server: Lean's, or a test CA; the
 * system's roots when absent), `passphrase` for an encrypted key; PEM text
 * or Buffers.
 */
export function createMtlsFetch(tls) {
  if (tls === null || typeof tls !== 'object') {
    throw configuration('createMtlsFetch needs { cert, key, ca? }: PEM text or Buffers from the Lean developer portal');
  }
  const cert = pem('cert', tls.cert, 'client certificate', true);
  const key = pem('key', tls.key, 'private key of the client certificate', true);
  const ca = pem('ca', tls.ca, "certificate chain that signed Lean's server", false);
  const passphrase = tls.passphrase;
  if (passphrase !== undefined && typeof passphrase !== 'string') throw configuration('tls.passphrase must be a string');
  try {
    // Loads the pair now, so that a wrong file fails at start-up, not on
    // the first call. OpenSSL's messages never contain key material.
    createSecureContext({ cert, key, ca, passphrase });
  } catch (error) {
    throw configuration(`the client certificate or key does not load (${error.message}): check tls.cert, tls.key and tls.passphrase`);
  }
  const agent = new Agent({ cert, key, ca, passphrase, keepAlive: true });

  return function mtlsFetch(input, init = {}) {
    const { method = 'GET', headers, body, signal } = init;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(aborted(signal));
        return;
      }
      let url;
      try {
        url = new URL(typeof input === 'string' ? input : (input?.url ?? String(input)));
      } catch (error) {
        reject(new TypeError(`invalid URL: ${error.message}`));
        return;
      }
      if (url.protocol !== 'https:') {
        reject(fetchFailed(new Error(`the mTLS transport speaks HTTPS only, not ${url.protocol}`)));
        return;
      }
      let settled = false;
      const finish = (fn, value) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        fn(value);
      };
      const req = request(url, { method, headers: headerPairs(headers), agent }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', (error) => finish(reject, signal?.aborted ? aborted(signal) : fetchFailed(describe(error, url))));
        res.on('end', () => {
          try {
            finish(resolve, toResponse(res, Buffer.concat(chunks)));
          } catch (error) {
            finish(reject, fetchFailed(error));
          }
        });
      });
      const onAbort = () => {
        req.destroy();
        finish(reject, aborted(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error) => finish(reject, signal?.aborted ? aborted(signal) : fetchFailed(describe(error, url))));
      if (body === undefined || body === null) req.end();
      else req.end(typeof body === 'string' || body instanceof Uint8Array ? body : String(body));
    });
  };
}
