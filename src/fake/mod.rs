//! A fake Stamps server for testing code that uses the SDK (the `fake` feature).
//!
//! [`FakeStamps::start`] serves **every operation of `openapi/stamps.yaml`** on a
//! loopback port, from the spec itself (embedded when the crate is built):
//!
//! - a call without `Authorization` gets the docs' 403; a wrong key, or a JWT that was
//!   not handed out or has expired, gets the docs' 401;
//! - each declared query and path parameter and the JSON body are checked against the
//!   spec's schemas (with the `jsonschema` crate); a missing or mistyped field gets
//!   400 in the shape the operation's page documents;
//! - otherwise the answer is the operation's documented example: a new operation in
//!   the spec is served with no new code.
//!
//! Where tests of your code need it, answers come from **state**, written over the
//! documented example so that they keep its shape: members (registered through the
//! API or seeded with [`add_member`](FakeStamps::add_member)) with balances, stamps,
//! levels, tags, children and pets; transactions that earn stamps
//! ([`set_stamps_per_value`](FakeStamps::set_stamps_per_value)) and cancels that
//! take them back; rewards that a test seeds ([`add_reward`](FakeStamps::add_reward)),
//! redemptions that spend stamps and cancels that return them; vouchers; JWTs from
//! `get-access-token`, accepted as `Bearer` until their `exp`
//! ([`set_access_token_lifetime`](FakeStamps::set_access_token_lifetime)).
//!
//! **Failures on demand** ([`fail_next`](FakeStamps::fail_next)): the next calls of an
//! operation answer a given status and body, stall, or drop the connection. Every
//! call is recorded with its query and JSON body ([`calls`](FakeStamps::calls)).
//!
//! **Signed webhooks** to a URL a test sets ([`set_webhook_url`](FakeStamps::set_webhook_url)):
//! the KLG page's payload, signed with the fake's
//! [`webhook_secret`](FakeStamps::webhook_secret) as Stamps signs it, when a member's
//! profile or level changes, or on demand ([`send_webhook`](FakeStamps::send_webhook)),
//! so that a test can check its endpoint end to end.
//!
//! ```no_run
//! use stamps::fake::{FakeStamps, Failure, NewMember};
//!
//! # async fn run() -> stamps::Result<()> {
//! let fake = FakeStamps::start().await;
//! let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com").balance(500));
//! let client = fake.client();
//!
//! // The first attempt sees a 503; the client's retry sees the real answer.
//! fake.fail_next("get_member_details", 1, Failure::status(503, "Service Unavailable"));
//! client
//!     .get_member_details()
//!     .user("alice@example.com")
//!     .merchant(fake.merchant())
//!     .send()
//!     .await?;
//! assert_eq!(fake.balance(alice.id), Some(500));
//! # Ok(()) }
//! ```
//!
//! The server runs as a task of the Tokio runtime that started it and stops when the
//! [`FakeStamps`] is dropped.
//!
//! # What a test can do with it
//!
//! - start it: [`FakeStamps::start`], or [`FakeStamps::builder`] with
//!   [`token`](FakeStampsBuilder::token), [`merchant`](FakeStampsBuilder::merchant) (`14`
//!   unless set), [`merchant_name`](FakeStampsBuilder::merchant_name),
//!   [`port`](FakeStampsBuilder::port), then `.start().await?`;
//! - reach it: [`client`](FakeStamps::client) (a `stamps::Client` for it),
//!   [`client_builder`](FakeStamps::client_builder) (to change timeouts or retries),
//!   [`base_url`](FakeStamps::base_url), [`token`](FakeStamps::token),
//!   [`merchant`](FakeStamps::merchant);
//! - seed it: [`add_member`](FakeStamps::add_member) takes a [`NewMember`] (a name, and
//!   optionally an email, mobile number, card number, balance, level...) and returns
//!   the member with their id and card number; [`add_reward`](FakeStamps::add_reward)
//!   takes a [`NewReward`] (`NewReward::new("Free coffee", 5).code("COFFEE")`) that
//!   members can redeem. Levels are 100 `Blue`, 200 `Silver`, 300 `Gold`;
//! - read its state back: [`member`](FakeStamps::member), [`balance`](FakeStamps::balance),
//!   [`stamps`](FakeStamps::stamps) (of a user given as an email, mobile number in any
//!   form, card number or id, looked up as the API does), [`members`](FakeStamps::members),
//!   [`access_tokens`](FakeStamps::access_tokens);
//! - make it fail: `.fail_next("credit_balance", 2, Failure::status(503, "busy"))` makes
//!   the next two calls of that operation answer 503 (also [`Failure::json`],
//!   `Failure::Stall(duration)`, `Failure::Drop` to close the connection after the
//!   request): a retry test sees a 503, then a 200;
//! - check what your code sent: [`calls`](FakeStamps::calls) lists every request it
//!   received (method, path, operation id, status, query pairs and JSON body);
//! - check your webhook endpoint: [`set_webhook_url`](FakeStamps::set_webhook_url),
//!   [`send_webhook`](FakeStamps::send_webhook) and
//!   [`send_webhook_body`](FakeStamps::send_webhook_body) (on demand, like the Stripe
//!   CLI's `trigger`), [`webhook_deliveries`](FakeStamps::webhook_deliveries) (what was
//!   sent and how your endpoint answered).
//!
//! [`stateful_operations`] lists the operations that keep state; every other one
//! answers its documented example. A test pays only for the operations it calls: an
//! operation's checks are compiled at its first call. CI runs Schemathesis against the
//! fake with the spec (`.ci/schemathesis.sh`): every check but positive data acceptance,
//! with no failure.
//!
//! A client that stalls does not hold the server: a request head not received within
//! the read timeout (5 s unless [`read_timeout`](FakeStampsBuilder::read_timeout) says
//! otherwise) closes the connection, a body not received within as long again is
//! answered `408`, a body announced or sent beyond 1 MiB `413` at once, a request that
//! does not parse `400` at once. As a process, for clients in other languages, the fake
//! is `stamps fake` (the command line) or `cargo run --example fake_server`.

mod calls;
pub mod demo;
mod engine;
mod member;
mod ops;
mod overlay;
mod server;
mod state;
mod webhooks;

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use calls::Call;
pub use member::{Member, NewMember, NewReward, Reward};
pub use webhooks::WebhookDelivery;

use crate::{Client, ClientBuilder, MerchantId, Secret, UserRef};
use state::State;
use webhooks::Webhooks;

/// The merchant id the fake serves unless told otherwise (the documentation's `14`).
pub const DEFAULT_MERCHANT: u64 = 14;

/// How long a JWT from `get-access-token` lives unless told otherwise: 24 hours, as
/// documented.
pub const DEFAULT_ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// The fake's default earning rule: one stamp per this much transaction value (the
/// real rule is merchant configuration, which the docs do not show).
pub const DEFAULT_STAMPS_PER_VALUE: u64 = 10_000;

/// What the next calls of an operation do instead of answering normally: see
/// [`FakeStamps::fail_next`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Failure {
    /// Answer this status and body (JSON if it parses as JSON, else HTML).
    Status {
        /// The HTTP status.
        status: u16,
        /// The body, as sent.
        body: Bytes,
    },
    /// Wait this long, then answer normally.
    Stall(Duration),
    /// Read the request, then close the connection without an answer.
    Drop,
}

impl Failure {
    /// Answer `status` with `body`.
    pub fn status(status: u16, body: impl Into<String>) -> Failure {
        Failure::Status {
            status,
            body: Bytes::from(body.into()),
        }
    }

    /// Answer `status` with `body` as JSON.
    pub fn json(status: u16, body: &serde_json::Value) -> Failure {
        Failure::status(status, body.to_string())
    }
}

/// The fake's fixed settings, and the two a test can change while it runs.
#[derive(Debug)]
pub(crate) struct Settings {
    pub(crate) token: String,
    pub(crate) merchant: u64,
    pub(crate) merchant_name: String,
    access_token_lifetime_ms: AtomicU64,
    stamps_per_value: AtomicU64,
}

impl Settings {
    pub(crate) fn access_token_lifetime(&self) -> Duration {
        Duration::from_millis(self.access_token_lifetime_ms.load(Ordering::Relaxed))
    }

    pub(crate) fn stamps_per_value(&self) -> u64 {
        self.stamps_per_value.load(Ordering::Relaxed).max(1)
    }
}

/// What the server and the handle share.
#[derive(Debug)]
struct App {
    settings: Settings,
    state: Mutex<State>,
    calls: Mutex<Vec<Call>>,
    failures: Mutex<HashMap<String, VecDeque<Failure>>>,
    webhooks: Webhooks,
    /// See [`FakeStampsBuilder::read_timeout`].
    read_timeout: Duration,
}

impl App {
    /// The model, locked. A panic elsewhere does not make it unusable.
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn record(&self, call: Call) {
        self.calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(call);
    }

    fn next_failure(&self, operation: &str) -> Option<Failure> {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        failures.get_mut(operation)?.pop_front()
    }

    /// Whether an `Authorization` value is `Token <key>` or a live `Bearer <jwt>`.
    fn accepts(&self, credential: &str) -> bool {
        match credential.split_once(' ') {
            Some(("Token", key)) => key == self.settings.token,
            Some(("Bearer", jwt)) => self.state().access_token_valid(jwt) == Some(true),
            _ => false,
        }
    }
}

/// The operations the fake answers from its state (every other one answers its
/// documented example), by `operationId`.
pub fn stateful_operations() -> Vec<&'static str> {
    ops::stateful_ids()
}

/// A running fake Stamps server. Dropping it stops the server.
///
/// See the [module documentation](self) for what it serves and enforces.
pub struct FakeStamps {
    app: Arc<App>,
    addr: SocketAddr,
    server: JoinHandle<()>,
}

impl FakeStamps {
    /// Starts a fake on `127.0.0.1` and a free port, with a random token and merchant
    /// [`DEFAULT_MERCHANT`]; for other settings, see [`builder`](Self::builder).
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound, or outside a Tokio runtime.
    pub async fn start() -> FakeStamps {
        FakeStamps::builder()
            .start()
            .await
            .expect("the fake Stamps server binds a loopback port")
    }

    /// Configures a fake: token, merchant, port.
    pub fn builder() -> FakeStampsBuilder {
        FakeStampsBuilder::default()
    }

    /// The server's address, e.g. `http://127.0.0.1:38211`: the client's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The merchant key the fake accepts as `Authorization: Token <key>`, and
    /// exchanges for JWTs.
    pub fn token(&self) -> &str {
        &self.app.settings.token
    }

    /// The merchant the token belongs to.
    pub fn merchant(&self) -> MerchantId {
        MerchantId::new(self.app.settings.merchant)
    }

    /// A client builder pointed at the fake, with its token and its merchant (so calls
    /// need not set `merchant`).
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .token(self.token())
            .merchant(self.merchant())
            .base_url(self.base_url())
    }

    /// A client for the fake, with its token, merchant and base URL.
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("a client for a loopback fake always builds")
    }

    /// Adds a member directly, as if registered, and returns them (with their id and
    /// generated card number).
    ///
    /// # Panics
    ///
    /// If the email, mobile number or card number is invalid, or the level does not
    /// exist.
    pub fn add_member(&self, member: NewMember) -> Member {
        member.add_to(&mut self.app.state())
    }

    /// The member `user` names (an email, mobile number, card number or primary key,
    /// as the API looks them up), if any.
    pub fn member<U: TryInto<UserRef>>(&self, user: U) -> Option<Member> {
        let user = user.try_into().ok()?;
        self.app.state().find(&user).map(Member::of)
    }

    /// The balance of the member `user` names, if any.
    pub fn balance<U: TryInto<UserRef>>(&self, user: U) -> Option<u64> {
        self.member(user).map(|m| m.balance)
    }

    /// The stamps of the member `user` names, if any.
    pub fn stamps<U: TryInto<UserRef>>(&self, user: U) -> Option<u64> {
        self.member(user).map(|m| m.stamps)
    }

    /// Every member, by primary key.
    pub fn members(&self) -> Vec<Member> {
        self.app.state().members.values().map(Member::of).collect()
    }

    /// Adds a reward members can redeem, and returns it with its id.
    pub fn add_reward(&self, reward: NewReward) -> Reward {
        reward.add_to(&mut self.app.state())
    }

    /// The earning rule: one stamp per `value` of a transaction's value
    /// ([`DEFAULT_STAMPS_PER_VALUE`] unless set; 0 counts as 1).
    pub fn set_stamps_per_value(&self, value: u64) {
        self.app
            .settings
            .stamps_per_value
            .store(value, Ordering::Relaxed);
    }

    /// How long the JWTs handed out from now on live ([`DEFAULT_ACCESS_TOKEN_LIFETIME`]
    /// unless set): shorten it to test a client's refresh without waiting a day.
    pub fn set_access_token_lifetime(&self, lifetime: Duration) {
        let ms = u64::try_from(lifetime.as_millis()).unwrap_or(u64::MAX);
        self.app
            .settings
            .access_token_lifetime_ms
            .store(ms, Ordering::Relaxed);
    }

    /// Makes the next `times` calls of operation `operation` (its `operationId`, e.g.
    /// `credit_balance`) fail as `failure` says, before the credential or the request
    /// is checked. Calls to other operations are not affected; failures queue up.
    ///
    /// # Panics
    ///
    /// If the spec has no operation `operation`.
    pub fn fail_next(&self, operation: &str, times: usize, failure: Failure) {
        assert!(
            engine::engine().find(operation).is_some(),
            "FakeStamps::fail_next: the spec has no operation {operation:?}"
        );
        let mut failures = self
            .app
            .failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let queue = failures.entry(operation.to_owned()).or_default();
        queue.extend(std::iter::repeat_n(failure, times));
    }

    /// The JWTs `get-access-token` has handed out, by expiry (expired ones too): to
    /// check that your code sends them, or never logs them.
    pub fn access_tokens(&self) -> Vec<String> {
        let state = self.app.state();
        let mut tokens: Vec<(u64, &String)> = state
            .access_tokens
            .iter()
            .map(|(t, exp)| (*exp, t))
            .collect();
        tokens.sort();
        tokens.into_iter().map(|(_, t)| t.clone()).collect()
    }

    /// Where webhooks go from now on: the fake POSTs one, signed, each time a
    /// member's profile (`change_member_profile`, `change_member_legacy`) or level
    /// (`set_member_level`) changes, before that call is answered. The docs show
    /// `from` and `to` only as two email addresses; the fake sends the member's email
    /// before and after the change.
    pub fn set_webhook_url(&self, url: impl Into<String>) {
        self.app.webhooks.set_url(Some(url.into()));
    }

    /// Stops sending webhooks.
    pub fn clear_webhook_url(&self) {
        self.app.webhooks.set_url(None);
    }

    /// The secret webhooks are signed with: give it to the endpoint under test, which
    /// checks them with [`webhook::verify`](crate::webhook::verify).
    pub fn webhook_secret(&self) -> Secret {
        self.app.webhooks.secret()
    }

    /// Signs the webhooks sent from now on with `secret`.
    ///
    /// # Panics
    ///
    /// If `secret` is empty.
    pub fn set_webhook_secret(&self, secret: &str) {
        self.app.webhooks.set_secret(webhook_secret(secret));
    }

    /// Sends the webhook of member `user` now, as if their membership changed, like
    /// the Stripe CLI's `trigger`; returns how the endpoint answered.
    ///
    /// # Panics
    ///
    /// If no webhook URL is set, or no member is `user`.
    pub async fn send_webhook<U: TryInto<UserRef>>(&self, user: U) -> WebhookDelivery {
        let url = self.webhook_url("send_webhook");
        let member = user
            .try_into()
            .ok()
            .and_then(|user| self.app.state().find(&user).cloned())
            .expect("FakeStamps::send_webhook: no such member");
        self.app.webhooks.send_member(&url, &member).await
    }

    /// Sends `body` now as a webhook, signed: for events and payloads the fake does
    /// not model (accents, fractions, another event's shape). Returns how the endpoint
    /// answered.
    ///
    /// # Panics
    ///
    /// If no webhook URL is set, or `body` is not JSON (Stamps' recipe signs only JSON).
    pub async fn send_webhook_body(&self, body: impl Into<String>) -> WebhookDelivery {
        let url = self.webhook_url("send_webhook_body");
        self.app.webhooks.send(&url, body.into()).await
    }

    /// Every webhook the fake has sent, oldest first, with the endpoint's answer.
    pub fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.app.webhooks.deliveries()
    }

    fn webhook_url(&self, caller: &str) -> String {
        self.app
            .webhooks
            .url()
            .unwrap_or_else(|| panic!("FakeStamps::{caller}: no webhook URL is set"))
    }

    /// Every request the fake has received, oldest first: to check what your code
    /// sent (or did not send, or sent twice).
    pub fn calls(&self) -> Vec<Call> {
        self.app
            .calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for FakeStamps {
    /// Stops the server: no new connection is accepted.
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl fmt::Debug for FakeStamps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeStamps")
            .field("base_url", &self.base_url())
            .field("merchant", &self.app.settings.merchant)
            .finish_non_exhaustive()
    }
}

/// Configures a [`FakeStamps`]; every setting has a default.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// let fake = stamps::fake::FakeStamps::builder()
///     .token("test-key")
///     .merchant(788)
///     .port(8080)
///     .start()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[must_use]
pub struct FakeStampsBuilder {
    token: Option<String>,
    merchant: u64,
    merchant_name: String,
    port: u16,
    webhook_url: Option<String>,
    webhook_secret: Option<Secret>,
    read_timeout: Duration,
}

/// How long a client may take to send a request's head, and again its body, unless
/// [`FakeStampsBuilder::read_timeout`] says otherwise.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(5);

impl Default for FakeStampsBuilder {
    fn default() -> Self {
        FakeStampsBuilder {
            token: None,
            merchant: DEFAULT_MERCHANT,
            merchant_name: "Fake Merchant".to_owned(),
            port: 0,
            webhook_url: None,
            webhook_secret: None,
            read_timeout: DEFAULT_READ_TIMEOUT,
        }
    }
}

impl FakeStampsBuilder {
    /// The merchant key to accept; a random `fake_...` key unless set.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The merchant the key belongs to, [`DEFAULT_MERCHANT`] unless set.
    pub fn merchant(mut self, id: u64) -> Self {
        self.merchant = id;
        self
    }

    /// The merchant's name, as `POST /api/ping` reports it.
    pub fn merchant_name(mut self, name: impl Into<String>) -> Self {
        self.merchant_name = name.into();
        self
    }

    /// The port to listen on (on `127.0.0.1`); a free one unless set.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Where to POST webhooks: see [`FakeStamps::set_webhook_url`].
    pub fn webhook_url(mut self, url: impl Into<String>) -> Self {
        self.webhook_url = Some(url.into());
        self
    }

    /// The secret webhooks are signed with; a random `fake_whsec_...` one unless set.
    ///
    /// # Panics
    ///
    /// If `secret` is empty.
    pub fn webhook_secret(mut self, secret: &str) -> Self {
        self.webhook_secret = Some(webhook_secret(secret));
        self
    }

    /// How long a client may take to send a request's head (the connection is then
    /// closed), and again its body (answered `408`); [`DEFAULT_READ_TIMEOUT`] unless
    /// set. A fake left running for other teams is not held by a client that stalls.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Binds the port and starts serving on the current Tokio runtime.
    ///
    /// Fails if the port cannot be bound, or with
    /// [`InvalidInput`](std::io::ErrorKind::InvalidInput) for a token that is empty
    /// or contains whitespace (no client could send it).
    pub async fn start(self) -> std::io::Result<FakeStamps> {
        let token = self.token.unwrap_or_else(|| random_token("fake_"));
        let webhook_secret = self.webhook_secret.unwrap_or_else(|| {
            Secret::try_from(random_token("fake_whsec_").as_str()).expect("not empty")
        });
        if token.is_empty() || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the fake's token must be non-empty, without whitespace",
            ));
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, self.port)).await?;
        let addr = listener.local_addr()?;
        let lifetime = DEFAULT_ACCESS_TOKEN_LIFETIME.as_millis() as u64;
        let app = Arc::new(App {
            settings: Settings {
                token,
                merchant: self.merchant,
                merchant_name: self.merchant_name,
                access_token_lifetime_ms: AtomicU64::new(lifetime),
                stamps_per_value: AtomicU64::new(DEFAULT_STAMPS_PER_VALUE),
            },
            state: Mutex::new(State::default()),
            calls: Mutex::new(Vec::new()),
            failures: Mutex::new(HashMap::new()),
            webhooks: Webhooks::new(self.webhook_url, webhook_secret),
            read_timeout: self.read_timeout,
        });
        // The routes, now; each operation's validators are compiled at its first call.
        let _ = engine::engine();
        let server = tokio::spawn(server::serve(listener, app.clone()));
        Ok(FakeStamps { app, addr, server })
    }
}

impl fmt::Debug for FakeStampsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeStampsBuilder")
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("merchant", &self.merchant)
            .field("merchant_name", &self.merchant_name)
            .field("port", &self.port)
            .field("webhook_url", &self.webhook_url)
            .field("webhook_secret", &self.webhook_secret)
            .field("read_timeout", &self.read_timeout)
            .finish()
    }
}

/// `prefix` and 32 hex digits.
fn random_token(prefix: &str) -> String {
    let state = RandomState::new();
    let high = state.hash_one(std::time::SystemTime::now());
    let low = state.hash_one(std::process::id());
    format!("{prefix}{high:016x}{low:016x}")
}

/// A webhook secret; panics when empty (anyone could sign with an empty key).
fn webhook_secret(secret: &str) -> Secret {
    Secret::try_from(secret).expect("FakeStamps: a webhook secret cannot be empty")
}

#[cfg(test)]
mod tests {
    use super::engine::engine;

    #[test]
    fn every_stateful_operation_is_in_the_spec() {
        for id in super::ops::stateful_ids() {
            assert!(
                engine().find(id).is_some(),
                "{id} has a handler but is not in the spec"
            );
            assert!(
                super::ops::handler(id).is_some(),
                "{id} is listed without a handler"
            );
        }
    }
}
