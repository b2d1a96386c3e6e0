//! What a [`Client`](crate::Client) carries besides its HTTP client: the settings its
//! hooks apply to every call.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use tokio::sync::Semaphore;

use crate::access_token::AccessTokens;
use crate::credentials::Credential;
use crate::operation_urls::OperationUrls;
use crate::retry::RetryPolicy;

/// The settings a [`Client`](crate::Client) applies to every call: credential,
/// timeout, retries and response size limit. Made by
/// [`ClientBuilder::build`](crate::ClientBuilder::build); its `Debug` hides the
/// credential.
#[derive(Clone)]
pub struct ClientConfig {
    /// The static key or JWT sent with every call; with managed access tokens, the
    /// static key, sent only to the exchange.
    pub(crate) credential: Credential,
    /// Set by [`ClientBuilder::access_token_from`](crate::ClientBuilder::access_token_from):
    /// the JWT shared by every clone.
    pub(crate) access_tokens: Option<Arc<AccessTokens>>,
    /// The calling merchant the generated builders start with (`ClientBuilder::merchant`).
    pub(crate) merchant: Option<crate::MerchantId>,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: u64,
    /// Set on each request only when the caller brought their own `reqwest::Client`
    /// and asked for a user agent; otherwise the built client sends it.
    pub(crate) user_agent: Option<HeaderValue>,
    /// Whether the HTTP client is the caller's, which may follow redirects: only then
    /// is each answer's URL compared with the request's.
    pub(crate) caller_http_client: bool,
    /// Permits for attempts in flight, shared by every clone, so that a burst of calls
    /// cannot open a connection each.
    pub(crate) in_flight: Arc<Semaphore>,
    pub(crate) max_concurrent_calls: usize,
    /// Each operation's URL, parsed once (the generated `send`s clone them).
    pub(crate) urls: Arc<OperationUrls>,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("credential", &self.credential)
            .field("access_tokens", &self.access_tokens)
            .field("merchant", &self.merchant)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.retry.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_concurrent_calls", &self.max_concurrent_calls)
            .finish_non_exhaustive()
    }
}
