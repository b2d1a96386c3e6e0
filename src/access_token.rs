//! JWTs the client gets, caches and refreshes itself
//! ([`ClientBuilder::access_token_from`](crate::ClientBuilder::access_token_from)).
//!
//! The static key travels only to the exchange (`get_access_token`, in its body, as
//! documented); every other call carries `Authorization: Bearer <jwt>`. A JWT is
//! reused until [`REFRESH_MARGIN`] before its own `exp` claim (read without checking
//! the signature, which only the server can), or [`LIFETIME_WITHOUT_EXP`] after it was
//! got if it has none.
//!
//! One exchange at a time (single flight): calls that find no valid JWT wait on one
//! lock, and the first to get it exchanges. A call that waited while an exchange was
//! refused gets that refusal (the server's own answer, so the caller sees
//! [`Error::Unauthorized`](crate::Error::Unauthorized) with the server's detail),
//! without another exchange; calls arriving later try again, at most once each.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use reqwest::{Method, Request, Response, StatusCode};

use crate::credentials::{Credential, Scheme};
use crate::redact::SecretFinder;
use crate::response_body::Received;
use progenitor_client::ClientInfo as _;

use crate::{Client, MerchantId, operations, types};

/// A JWT is replaced this long before its `exp`.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// How long a JWT without a readable `exp` is used (the docs say they live 24 hours).
pub const LIFETIME_WITHOUT_EXP: Duration = Duration::from_secs(23 * 3600);

/// The exchange operation, found in the spec's table by its id.
const EXCHANGE: &str = "get_access_token";

/// A JWT in the forms calls need.
#[derive(Clone)]
pub(crate) struct Jwt {
    credential: Credential,
    refresh_at: Instant,
}

impl Jwt {
    pub(crate) fn header(&self) -> &HeaderValue {
        self.credential.header()
    }

    pub(crate) fn finder(&self) -> &SecretFinder {
        self.credential.finder()
    }

    fn is_fresh(&self) -> bool {
        Instant::now() < self.refresh_at
    }
}

/// Why no JWT could be got.
pub(crate) enum Failure {
    /// The server refused the exchange: its answer, to hand to the caller as this
    /// call's answer (already masked, with its body buffered).
    Refused(Refusal),
    /// The exchange did not reach the server or its answer did not arrive.
    Transport(reqwest::Error),
}

/// The server's answer to a refused exchange, kept so that every call that waited
/// for it gets the same answer.
#[derive(Clone)]
pub(crate) struct Refusal {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Bytes,
}

impl Refusal {
    /// The answer as a response whose body is already read, as `exec` returns them.
    pub(crate) fn into_response(self) -> Response {
        let mut response = http::Response::new(Bytes::new());
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        response
            .extensions_mut()
            .insert(Received::RefusedExchange(self.body));
        Response::from(response)
    }
}

/// The managed JWT of a client and its clones.
pub(crate) struct AccessTokens {
    merchant: MerchantId,
    slot: tokio::sync::Mutex<Slot>,
    /// Exchanges finished, successful or not: a waiter compares it with what it saw
    /// on arrival to know whether one finished while it waited.
    exchanges: AtomicU64,
}

#[derive(Default)]
struct Slot {
    jwt: Option<Jwt>,
    /// The last refusal and the exchange count it ended.
    refusal: Option<(u64, Refusal)>,
}

impl fmt::Debug for AccessTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessTokens")
            .field("merchant", &self.merchant)
            .finish_non_exhaustive()
    }
}

impl AccessTokens {
    pub(crate) fn new(merchant: MerchantId) -> Arc<Self> {
        Arc::new(AccessTokens {
            merchant,
            slot: tokio::sync::Mutex::new(Slot::default()),
            exchanges: AtomicU64::new(0),
        })
    }

    /// A fresh JWT: the cached one, or one got now.
    pub(crate) async fn jwt(&self, client: &Client) -> Result<Jwt, Failure> {
        let seen = self.exchanges.load(Ordering::Acquire);
        let mut slot = self.slot.lock().await;
        if let Some(jwt) = slot.jwt.as_ref().filter(|j| j.is_fresh()) {
            return Ok(jwt.clone());
        }
        if let Some((ended, refusal)) = &slot.refusal
            && *ended > seen
        {
            return Err(Failure::Refused(refusal.clone()));
        }
        let result = self.exchange(client).await;
        let ended = self.exchanges.fetch_add(1, Ordering::AcqRel) + 1;
        match &result {
            Ok(jwt) => {
                slot.jwt = Some(jwt.clone());
                slot.refusal = None;
            }
            Err(Failure::Refused(refusal)) => {
                slot.jwt = None;
                slot.refusal = Some((ended, refusal.clone()));
            }
            Err(Failure::Transport(_)) => slot.jwt = None,
        }
        result
    }

    /// Forgets `used` (the server refused it), unless another call replaced it already.
    pub(crate) async fn forget(&self, used: &Jwt) {
        let mut slot = self.slot.lock().await;
        if slot
            .jwt
            .as_ref()
            .is_some_and(|j| j.header() == used.header())
        {
            slot.jwt = None;
        }
    }

    /// `POST get-access-token` with the static key in the body, sent like every call
    /// (timeout, connection retries, bounded and masked read), outside the generated
    /// method so that it does not wait for a JWT itself.
    async fn exchange(&self, client: &Client) -> Result<Jwt, Failure> {
        let config = &client.inner;
        let path = operations::find(EXCHANGE).map_or("/api/auth/get-access-token/", |op| op.path);
        let url = format!("{}{path}", client.baseurl())
            .parse()
            .expect("the base URL was checked when the client was built");
        let body = types::GetAccessTokenRequest {
            token: config.credential.secret().clone(),
            crm_merchant_id: self.merchant,
        };
        let mut request = Request::new(Method::POST, url);
        request
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(user_agent) = &config.user_agent {
            request
                .headers_mut()
                .insert(reqwest::header::USER_AGENT, user_agent.clone());
        }
        *request.timeout_mut() = Some(config.timeout);
        *request.body_mut() = Some(
            serde_json::to_vec(&body)
                .expect("a request body serializes")
                .into(),
        );
        let span = tracing::debug_span!("stamps.access_token", merchant = self.merchant.get());
        let _entered = span.enter();
        let (response, _) = client.send_with_retries(request).await;
        let response = response.map_err(Failure::Transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let refused = |body: Bytes| {
            tracing::debug!(status = status.as_u16(), "access token refused");
            Failure::Refused(Refusal {
                status,
                headers: headers.clone(),
                body,
            })
        };
        // The read recorded the body (masked) in the response's extensions.
        let body = Received::of(response.extensions())
            .and_then(Received::body)
            .cloned()
            .unwrap_or_default();
        if status != StatusCode::OK {
            return Err(refused(body));
        }
        let answer: types::AccessTokenResponse =
            serde_json::from_slice(&body).map_err(|_| refused(Bytes::new()))?;
        let jwt = answer
            .access_token
            .as_ref()
            .map(crate::Secret::expose)
            .ok_or_else(|| refused(Bytes::new()))?;
        let credential = Credential::new(Scheme::Bearer, jwt).map_err(|_| refused(Bytes::new()))?;
        tracing::debug!("access token got");
        Ok(Jwt {
            refresh_at: refresh_at(jwt),
            credential,
        })
    }
}

/// When to stop using `jwt`: [`REFRESH_MARGIN`] before its `exp`, or
/// [`LIFETIME_WITHOUT_EXP`] from now.
fn refresh_at(jwt: &str) -> Instant {
    let now = Instant::now();
    match expiry(jwt) {
        Some(exp) => {
            let unix_now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs();
            let left = Duration::from_secs(exp.saturating_sub(unix_now));
            now + left.saturating_sub(REFRESH_MARGIN)
        }
        None => now + LIFETIME_WITHOUT_EXP,
    }
}

/// The `exp` claim of a JWT's payload (unverified), if readable.
fn expiry(jwt: &str) -> Option<u64> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims["exp"]
        .as_u64()
        .or_else(|| claims["exp"].as_f64().map(|f| f as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt_with(payload: &str) -> String {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.sig", b64(r#"{"alg":"HS256"}"#), b64(payload))
    }

    #[test]
    fn reads_exp_without_checking_the_signature() {
        assert_eq!(
            expiry(&jwt_with(r#"{"exp": 1657332616, "iat": 1}"#)),
            Some(1_657_332_616)
        );
        // The docs' example token.
        let docs = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNjU3MzMyNjE2LCJpYXQiOjE2NTcyNDYyMTYsImp0aSI6IjRlYWRjNDAxNGQwZDRkNzc4NjkxYjg0ZDU3MGE2ZGFmIiwidXNlcl9pZCI6NTg3MCwibWVyY2hhbnRfaWQiOjF9.b_TiGJEO7mKMT0BFTrF9VjPHjoGrt5Be8FPSgvn-4bY";
        assert_eq!(expiry(docs), Some(1_657_332_616));
        for unreadable in [
            "",
            "a.b.c",
            "only",
            &jwt_with("{}"),
            &jwt_with(r#"{"exp": "soon"}"#),
        ] {
            assert_eq!(expiry(unreadable), None, "{unreadable}");
        }
    }

    #[test]
    fn refreshes_before_exp_or_after_23_hours() {
        let now = Instant::now();
        let unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let in_an_hour = refresh_at(&jwt_with(&format!(r#"{{"exp": {}}}"#, unix + 3600)));
        let margin = Duration::from_secs(3600) - REFRESH_MARGIN;
        assert!(
            in_an_hour >= now + margin - Duration::from_secs(2)
                && in_an_hour <= now + margin + Duration::from_secs(2)
        );
        // Expired already: refresh now.
        assert!(refresh_at(&jwt_with(r#"{"exp": 1}"#)) <= Instant::now());
        let unknown = refresh_at("not-a-jwt");
        assert!(unknown >= now + LIFETIME_WITHOUT_EXP);
    }
}
