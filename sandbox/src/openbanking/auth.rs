//! Who is calling: the `lean-app-token` header, or an OAuth access token
//! issued by `POST /oauth2/token` (client credentials) and sent as
//! `Authorization: Bearer`. A token of scope `api` reaches everything; a
//! token of scope `customer.<id>` only that customer's records.

use axum::http::HeaderMap;
use lean_core::openbanking::auth::APP_TOKEN_HEADER;
use lean_core::openbanking::{ErrorCode, TokenScope};
use lean_core::FieldErrorCode;
use percent_encoding::percent_decode_str;
use rusqlite::{params, Connection};
use serde_json::json;

use super::reply::{ObFailure, UNAUTHORIZED};
use crate::rows;
use crate::settings::OpenBanking;

/// The caller of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// The application: its token, or a bearer token of scope `api`.
    App,
    /// A bearer token of scope `customer.<id>`.
    Customer(String),
}

impl Caller {
    /// Refuses a customer-scoped caller for calls about the whole
    /// application (listing customers, destinations).
    pub fn require_app(&self, what: &str) -> Result<(), ObFailure> {
        match self {
            Self::App => Ok(()),
            Self::Customer(_) => Err(ObFailure::forbidden(format!(
                "a customer-scoped token cannot {what}: use a token of scope api"
            ))),
        }
    }

    /// Refuses a customer-scoped caller for another customer's records:
    /// its level is not too low, it is the wrong one
    /// (`INCORRECT_ACCESS_LEVEL`, where a call for the whole application is
    /// `INSUFFICIENT_ACCESS_LEVEL`).
    pub fn require_customer(&self, customer_id: &str) -> Result<(), ObFailure> {
        match self {
            Self::Customer(own) if own != customer_id => Err(ObFailure::code(
                ErrorCode::IncorrectAccessLevel,
                "this token is scoped to another customer: fetch a token of scope customer.<customer_id> for this one",
            )),
            _ => Ok(()),
        }
    }
}

/// Constant-time comparison, so the sandbox models good practice.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Reads the caller's credential; `now` in milliseconds.
pub fn authenticate(
    conn: &Connection,
    settings: &OpenBanking,
    headers: &HeaderMap,
    now: i64,
) -> Result<Caller, ObFailure> {
    let refused = |why: &str| {
        ObFailure::new(
            401,
            UNAUTHORIZED,
            format!("{why}: send the application token as the lean-app-token header, or an access token from POST /oauth2/token as Authorization: Bearer"),
        )
    };
    if let Some(value) = headers.get(APP_TOKEN_HEADER) {
        let token = value.as_bytes();
        let known = settings
            .app_tokens
            .iter()
            .fold(false, |ok, t| ok | same(t.as_bytes(), token));
        return if known {
            Ok(Caller::App)
        } else {
            Err(refused("unknown application token"))
        };
    }
    let Some(value) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return Err(refused("no credential"));
    };
    let Some(token) = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
    else {
        return Err(refused("the Authorization header is not a Bearer token"));
    };
    let found: Option<(String, i64)> = rows::row(
        conn,
        "SELECT scope, expires_at FROM ob_tokens WHERE token = ?1",
        token.trim(),
        rows::two,
    )?;
    match found {
        None => Err(refused("unknown access token")),
        Some((_, expires_at)) if expires_at <= now => {
            Err(refused("the access token has expired: fetch a new one"))
        }
        Some((scope, _)) => Ok(match scope.strip_prefix("customer.") {
            Some(id) => Caller::Customer(id.to_owned()),
            None => Caller::App,
        }),
    }
}

/// `POST /oauth2/token`: form-urlencoded `client_id`, `client_secret`,
/// `grant_type=client_credentials`, `scope` (`api` or `customer.<id>`, the
/// customer must exist). Answers `{"access_token", "token_type": "Bearer",
/// "expires_in", "scope"}`.
pub fn issue_token(
    conn: &Connection,
    settings: &OpenBanking,
    body: &[u8],
    token: String,
    now: i64,
) -> Result<String, ObFailure> {
    let form = form_fields(body);
    let get = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let missing: Vec<&str> = ["client_id", "client_secret", "grant_type", "scope"]
        .into_iter()
        .filter(|f| get(f).is_none_or(str::is_empty))
        .collect();
    if !missing.is_empty() {
        let mut f = ObFailure::code(
            ErrorCode::MissingParameters,
            format!(
                "missing form fields: {} (send client_id, client_secret, grant_type=client_credentials and scope)",
                missing.join(", ")
            ),
        );
        f.errors = missing
            .iter()
            .map(|m| lean_core::FieldError::new(*m, FieldErrorCode::Required, "is required"))
            .collect();
        return Err(f);
    }
    let (id, secret) = (
        get("client_id").unwrap_or_default(),
        get("client_secret").unwrap_or_default(),
    );
    let id_ok = same(id.as_bytes(), settings.client_id.as_bytes());
    let secret_ok = same(secret.as_bytes(), settings.client_secret.as_bytes());
    if !(id_ok & secret_ok) {
        return Err(ObFailure::new(
            401,
            UNAUTHORIZED,
            "unknown client_id or wrong client_secret",
        ));
    }
    if get("grant_type") != Some("client_credentials") {
        return Err(ObFailure::field(
            "grant_type",
            FieldErrorCode::InvalidValue,
            "must be client_credentials",
        ));
    }
    let scope = match get("scope").unwrap_or_default() {
        "api" => TokenScope::Api,
        s => match s.strip_prefix("customer.") {
            Some(customer) => {
                let scope = TokenScope::customer(customer).map_err(ObFailure::from_core)?;
                let exists = rows::exists(
                    conn,
                    "SELECT 1 FROM ob_customers WHERE customer_id = ?1",
                    customer,
                )?;
                if !exists {
                    return Err(ObFailure::field(
                        "scope",
                        FieldErrorCode::InvalidValue,
                        format!("no customer {customer:?}: create it first"),
                    ));
                }
                scope
            }
            None => {
                return Err(ObFailure::field(
                    "scope",
                    FieldErrorCode::InvalidValue,
                    "must be api or customer.<customer_id>",
                ))
            }
        },
    };
    let scope = scope.as_string();
    let ttl = i64::try_from(settings.token_ttl).unwrap_or(3599);
    conn.execute(
        "INSERT INTO ob_tokens (token, scope, expires_at) VALUES (?1, ?2, ?3)",
        params![token, scope, now + ttl * 1000],
    )?;
    Ok(json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": settings.token_ttl,
        "scope": scope,
    })
    .to_string())
}

/// The pairs of a form-urlencoded body (`+` is a space).
fn form_fields(body: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_form_the_core_builds() {
        let fields = super::form_fields(b"client_id=a%2Bb&client_secret=s+t&scope=customer.c-1");
        assert_eq!(fields[0], ("client_id".into(), "a+b".into()));
        assert_eq!(fields[1], ("client_secret".into(), "s t".into()));
        assert_eq!(fields[2], ("scope".into(), "customer.c-1".into()));
    }
}
