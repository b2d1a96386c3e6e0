//! [`ClientBuilder`]: how a [`Client`] is made.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;

use crate::access_token::AccessTokens;
use crate::credentials::{Credential, Scheme};
use crate::response_body::DEFAULT_MAX_RESPONSE_BYTES;
use crate::retry::RetryPolicy;
use crate::{Client, ClientConfig, Error, MerchantId};

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://stamps.co.id";
/// How long a call may take, from sending to the last byte of the answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting may take.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How many calls a client (with all its clones) has in flight at most.
pub const DEFAULT_MAX_CONCURRENT_CALLS: usize = 64;
/// The `User-Agent` sent by default: `stamps-rust/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("stamps-rust/", env!("CARGO_PKG_VERSION"));

impl Client {
    /// Starts building a client. A credential is required:
    ///
    /// ```no_run
    /// # fn run() -> stamps::Result<()> {
    /// let client = stamps::Client::builder().token("my-merchant-key").build()?;
    /// # Ok(()) }
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

/// Configures and builds a [`Client`]. Every setting but the credential has a default.
#[must_use]
#[derive(Clone)]
pub struct ClientBuilder {
    credential: Option<(Scheme, String)>,
    /// The merchant of [`access_token_from`](Self::access_token_from), or why it is invalid.
    access_token_merchant: Option<Result<MerchantId, String>>,
    /// The merchant of [`merchant`](Self::merchant), or why it is invalid.
    merchant: Option<Result<MerchantId, String>>,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    allow_insecure_http: bool,
    max_response_bytes: u64,
    max_concurrent_calls: usize,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            credential: None,
            access_token_merchant: None,
            merchant: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent: None,
            http_client: None,
            allow_insecure_http: false,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_concurrent_calls: DEFAULT_MAX_CONCURRENT_CALLS,
        }
    }
}

impl ClientBuilder {
    /// Authenticates with a static merchant key: `Authorization: Token <key>`. It never
    /// expires. The key travels in that header only, never in a query string or body.
    pub fn token(mut self, key: impl Into<String>) -> Self {
        self.credential = Some((Scheme::Token, key.into()));
        self
    }

    /// Authenticates with a JWT access token: `Authorization: Bearer <jwt>`. It is
    /// valid for 24 hours. The JWT travels in that header only.
    pub fn bearer(mut self, jwt: impl Into<String>) -> Self {
        self.credential = Some((Scheme::Bearer, jwt.into()));
        self
    }

    /// Authenticates with JWTs the client gets itself from `static_key`: on first use
    /// it exchanges the key for a 24-hour JWT (`POST /api/auth/get-access-token/`,
    /// the key in the body as documented), sends `Authorization: Bearer <jwt>` on every
    /// other call, and gets a new one shortly before the JWT's `exp`, or once when a
    /// call carrying it is answered 401 (that call is then sent once more: the server
    /// did not act on it). The key travels only to the exchange. Clones share the JWT;
    /// concurrent calls wait for one exchange.
    ///
    /// `merchant` takes what the `merchant(..)` setters take: `14`, a [`MerchantId`].
    ///
    /// It is also the client's [`merchant`](Self::merchant), unless that is set apart.
    ///
    /// ```no_run
    /// # fn run() -> stamps::Result<()> {
    /// let client = stamps::Client::builder().access_token_from("my-merchant-key", 14).build()?;
    /// # Ok(()) }
    /// ```
    pub fn access_token_from<M: TryInto<MerchantId>>(
        mut self,
        static_key: impl Into<String>,
        merchant: M,
    ) -> Self {
        self.credential = Some((Scheme::Token, static_key.into()));
        self.access_token_merchant = Some(merchant.try_into().map_err(|_| {
            "invalid merchant for access_token_from: a merchant id is a positive integer".to_owned()
        }));
        self
    }

    /// The API's address, [`DEFAULT_BASE_URL`] unless set (a fake server's in tests).
    /// It must be `https://`, or `http://` to a loopback address; see
    /// [`allow_insecure_http`](Self::allow_insecure_http).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// How long a call may take, from sending it to reading the last byte of the
    /// answer, retries excluded. [`DEFAULT_TIMEOUT`] unless set; applies to a client
    /// from [`http_client`](Self::http_client) too.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long connecting may take, [`DEFAULT_CONNECT_TIMEOUT`] unless set. Not
    /// applied to a client from [`http_client`](Self::http_client): configure it there.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How many times a failed call is tried again, 2 unless set.
    ///
    /// Only calls that are safe to repeat are retried after they may have reached the
    /// server: GETs, on connection errors and on 429, 502, 503 and 504 answers, with
    /// exponential backoff and jitter, honouring `Retry-After`. A POST (credit, debit,
    /// register, ...) is retried only if the connection failed before any byte of it
    /// was sent: a retried credit would be a double credit. Timeouts are not retried.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// The backoff between retries: the first wait is random up to `initial`, each
    /// later one up to twice the previous ceiling, never more than `max`. A
    /// `Retry-After` longer than `max` ends the retries. 200 ms and 10 s unless set.
    pub fn retry_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.retry.initial_delay = initial;
        self.retry.max_delay = max;
        self
    }

    /// The `User-Agent` header, [`DEFAULT_USER_AGENT`] unless set.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses this `reqwest::Client` (its pool, proxy and TLS settings) instead of
    /// building one. Configure it with `redirect(reqwest::redirect::Policy::none())`:
    /// a followed redirect could carry the `Authorization` header to another host.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Allows a plain `http://` base URL to a host that is not loopback. Off by
    /// default: the token would travel in clear text (and Stamps refuses HTTP anyway).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The largest response body the client reads, [`DEFAULT_MAX_RESPONSE_BYTES`]
    /// (16 MiB) unless set. A larger one is refused with
    /// [`Error::ResponseTooLarge`] without being buffered.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// How many calls the client and its clones have in flight at once,
    /// [`DEFAULT_MAX_CONCURRENT_CALLS`] (64) unless set; further calls wait their turn
    /// (the wait counts toward no timeout). Each call in flight needs its own HTTP/1.1
    /// connection, so this also bounds the connections a burst of calls opens. At
    /// least 1.
    pub fn max_concurrent_calls(mut self, calls: usize) -> Self {
        self.max_concurrent_calls = calls.max(1);
        self
    }

    /// The merchant this client calls for: every operation whose parameter or body field
    /// is the calling merchant (`merchant`, `merchant_id`, `crm_merchant_id`, as the spec
    /// marks them with `x-stamps-client-merchant`) takes it unless the call sets one.
    /// [`access_token_from`](Self::access_token_from) sets it too.
    ///
    /// Takes what the `merchant(..)` setters take: `14`, a [`MerchantId`].
    ///
    /// ```no_run
    /// # async fn run() -> stamps::Result<()> {
    /// let client = stamps::Client::builder().token("my-merchant-key").merchant(14).build()?;
    /// let member = client.get_member_details().user("alice@example.com").send().await?;
    /// # let _ = member; Ok(()) }
    /// ```
    pub fn merchant<M: TryInto<MerchantId>>(mut self, merchant: M) -> Self {
        self.merchant = Some(
            merchant
                .try_into()
                .map_err(|_| "invalid merchant: a merchant id is a positive integer".to_owned()),
        );
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Fails with [`Error::Config`] without a credential, with a credential that
    /// cannot go in a header, with a base URL that does not parse or is insecure, or
    /// if the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let (scheme, secret) = self
            .credential
            .ok_or_else(|| Error::config("no credential: call .token(key) or .bearer(jwt)"))?;
        let credential = Credential::new(scheme, &secret)?;
        let access_token_merchant = self
            .access_token_merchant
            .transpose()
            .map_err(Error::config)?;
        let access_tokens = access_token_merchant.map(AccessTokens::new);
        let merchant = self
            .merchant
            .transpose()
            .map_err(Error::config)?
            .or(access_token_merchant);
        let base_url = check_base_url(&self.base_url, self.allow_insecure_http)?;
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| {
            Error::config(format!(
                "the user agent {user_agent:?} cannot go in an HTTP header"
            ))
        })?;
        let caller_http_client = self.http_client.is_some();
        let (http, per_request_user_agent) = match self.http_client {
            Some(http) => (http, self.user_agent.is_some().then_some(user_agent)),
            None => {
                let http = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .redirect(reqwest::redirect::Policy::none())
                    .user_agent(user_agent)
                    .build()
                    .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?;
                (http, None)
            }
        };
        let config = ClientConfig {
            credential,
            merchant,
            access_tokens,
            timeout: self.timeout,
            retry: self.retry,
            max_response_bytes: self.max_response_bytes,
            user_agent: per_request_user_agent,
            caller_http_client,
            in_flight: std::sync::Arc::new(tokio::sync::Semaphore::new(self.max_concurrent_calls)),
            max_concurrent_calls: self.max_concurrent_calls,
            urls: std::sync::Arc::new(crate::operation_urls::OperationUrls::new(&base_url)),
        };
        Ok(Client::new_with_client(&base_url, http, config))
    }
}

/// Accepts `https://`, or `http://` to loopback (or anywhere if allowed); returns the
/// URL without a trailing slash, as the generated client appends `/api/...`.
fn check_base_url(base_url: &str, allow_insecure_http: bool) -> Result<String, Error> {
    let url = Url::parse(base_url)
        .map_err(|e| Error::config(format!("invalid base URL {base_url:?}: {e}")))?;
    let host = url.host_str().unwrap_or_default();
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(host) => {}
        "http" => {
            return Err(Error::config(format!(
                "refusing plain http to {host}: the token would travel in clear text \
                 (use https, or .allow_insecure_http(true))"
            )));
        }
        other => {
            return Err(Error::config(format!(
                "invalid base URL {base_url:?}: scheme {other:?} is not http(s)"
            )));
        }
    }
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(Error::config(format!(
            "invalid base URL {:?}: it may not carry a query, a fragment or credentials",
            url.origin().ascii_serialization()
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credential = self
            .credential
            .as_ref()
            .map(|(scheme, _)| format!("{scheme:?}({})", crate::redact::MASK));
        f.debug_struct("ClientBuilder")
            .field("credential", &credential)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.retry.max_retries)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_concurrent_calls", &self.max_concurrent_calls)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let ok = [
            ("https://stamps.co.id/", "https://stamps.co.id"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://localhost:1/", "http://localhost:1"),
            ("http://[::1]:9/", "http://[::1]:9"),
            (
                "https://proxy.example/stamps/",
                "https://proxy.example/stamps",
            ),
        ];
        for (input, expected) in ok {
            assert_eq!(check_base_url(input, false).unwrap(), expected);
        }
        for bad in [
            "http://stamps.co.id",
            "ftp://stamps.co.id",
            "stamps.co.id",
            "https://u:p@x.io",
            "https://x.io/?a=1",
        ] {
            assert!(
                matches!(check_base_url(bad, false), Err(Error::Config { .. })),
                "{bad}"
            );
        }
        assert_eq!(
            check_base_url("http://10.0.0.2", true).unwrap(),
            "http://10.0.0.2"
        );
    }
}
