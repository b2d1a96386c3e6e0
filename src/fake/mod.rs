//! An in-memory fake Stamps server for testing code that uses the SDK (the `fake`
//! feature).
//!
//! [`FakeStamps::start`] serves all 26 documented operations on a loopback port,
//! with state: members registered through any of the three registration APIs (or
//! seeded with [`FakeStamps::add_member`]) can be looked up by email, mobile number,
//! card number or primary key (classified as [`UserRef`] parses them); credits,
//! debits and cancels move balances; children, pets, tags, levels, profiles and the
//! OTP flows of the accounts API all change what later calls see.
//!
//! It enforces what the documentation says, so that a client that is wrong against
//! Stamps is wrong against the fake:
//!
//! - every documented call needs `Authorization: Token <key>` (or `Bearer <key>`);
//!   v2/v3 and accounts calls also need `token` in their query string or JSON body
//!   (the suggestions API, documented once without it, may leave it out). A missing
//!   or wrong credential gets 401 `{"detail": "Invalid token"}`;
//! - POST bodies must be JSON objects sent as `application/json` (415 otherwise);
//! - missing or invalid parameters get 400 in the shape of the operation's page: v2
//!   `{"errors": {...}, "error_code": "invalid_data", "error_message": ..., "detail": ...}`,
//!   legacy `{"detail": ..., "errors": [{...}]}`;
//! - an unknown customer gets 400 with `"__all__": "User not found"`; a debit larger
//!   than the balance, a second cancel of the same update, a wrong OTP, an email
//!   already in use (`email_already_used`) and a downgrade with `upgrade_only`
//!   (`downgrade_not_allowed`) get 400 too;
//! - a `merchant` other than the token's gets 403.
//!
//! Its answers have the keys, nesting and JSON types of the documentation's examples
//! (the user id is `"8120"` in v2 details, `6` in the full profile, and so on). Besides
//! the spec, it serves what `API-NOTES.md` documents: `POST /api/ping`,
//! `POST /api/auth/get-access-token/` (the JWT it returns works as `Bearer`), and the
//! error tests `/api/400` and `/api/500`. Levels are 100 `Blue`, 200 `Silver` and
//! 300 `Gold`. Any store id is accepted.
//!
//! ```no_run
//! use stamps::fake::{FakeStamps, NewMember};
//!
//! # async fn run() -> stamps::Result<()> {
//! let fake = FakeStamps::start().await;
//! let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com").balance(500));
//! let client = fake.client();
//!
//! client
//!     .credit_balance()
//!     .body_map(|b| b.user("alice@example.com").amount(1000u64).merchant(fake.merchant()).store(1))
//!     .send()
//!     .await?;
//!
//! assert_eq!(fake.balance(alice.id), Some(1500));
//! # Ok(()) }
//! ```
//!
//! The server runs as a task of the Tokio runtime that started it (current-thread or
//! multi-thread) and stops when the [`FakeStamps`] is dropped.

mod accounts;
mod auth;
mod balances;
mod calls;
mod children;
mod errors;
mod extras;
mod member;
mod memberships;
mod memberships_legacy;
mod params;
mod pets;
mod server;
mod state;
mod views;

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use calls::Call;
pub use member::{Member, NewMember};

use crate::{Client, ClientBuilder, MerchantId, UserRef};
use server::App;

/// The merchant id the fake serves unless told otherwise (the documentation's `14`).
pub const DEFAULT_MERCHANT: u64 = 14;

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

    /// Configures a fake: token, merchant, port, OTP templates.
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

    /// The merchant key the fake accepts, as `Token <key>`, `Bearer <key>` and the
    /// `token` parameter.
    pub fn token(&self) -> &str {
        &self.app.token
    }

    /// The merchant the token belongs to: calls must pass it as `merchant`.
    pub fn merchant(&self) -> MerchantId {
        MerchantId::new(self.app.merchant)
    }

    /// A client builder pointed at the fake, with its token: for a client with other
    /// settings (timeouts, retries, user agent).
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .token(self.token())
            .base_url(self.base_url())
    }

    /// A client for the fake, built with [`Client::builder`], the fake's token and
    /// base URL.
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
    /// If the email, mobile number, card number or birthday is invalid, the level does
    /// not exist, or another member already has the email, mobile number or card.
    pub fn add_member(&self, member: NewMember) -> Member {
        member.add_to(&mut self.app.state())
    }

    /// The member `user` names (an email, mobile number, card number or primary key,
    /// as the API looks them up), if any.
    ///
    /// ```no_run
    /// # async fn run(fake: stamps::fake::FakeStamps) {
    /// let alice = fake.member("alice@example.com").expect("Alice is registered");
    /// assert_eq!(fake.member(alice.id), Some(alice.clone()));
    /// # }
    /// ```
    pub fn member<U: TryInto<UserRef>>(&self, user: U) -> Option<Member> {
        let user = user.try_into().ok()?;
        let state = self.app.state();
        state.find(Some(&user)).ok().map(Member::of)
    }

    /// The balance of the member `user` names, if any.
    pub fn balance<U: TryInto<UserRef>>(&self, user: U) -> Option<u64> {
        self.member(user).map(|m| m.balance)
    }

    /// Every member, by primary key.
    pub fn members(&self) -> Vec<Member> {
        self.app.state().members().map(Member::of).collect()
    }

    /// Every request the fake has answered, oldest first: to check what your code
    /// sent (or did not send, or sent twice).
    pub fn calls(&self) -> Vec<Call> {
        self.app.calls().clone()
    }
}

impl Drop for FakeStamps {
    /// Stops the server: no new connection is accepted, and open ones close once
    /// their current request is answered.
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl fmt::Debug for FakeStamps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeStamps")
            .field("base_url", &self.base_url())
            .field("merchant", &self.app.merchant)
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
///     .otp_templates(["OTP_1"])
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
    otp_templates: Option<Vec<String>>,
}

impl Default for FakeStampsBuilder {
    fn default() -> Self {
        FakeStampsBuilder {
            token: None,
            merchant: DEFAULT_MERCHANT,
            merchant_name: "Fake Merchant".to_owned(),
            port: 0,
            otp_templates: None,
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

    /// The OTP message templates that exist: an OTP request with another
    /// `template_code` gets the documented `invalid_template_code` error. Unless set,
    /// every template code exists.
    pub fn otp_templates<I, S>(mut self, codes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.otp_templates = Some(codes.into_iter().map(Into::into).collect());
        self
    }

    /// Binds the port and starts serving on the current Tokio runtime.
    ///
    /// Fails if the port cannot be bound, or with
    /// [`InvalidInput`](std::io::ErrorKind::InvalidInput) for a token that is empty
    /// or contains whitespace (no client could send it).
    pub async fn start(self) -> std::io::Result<FakeStamps> {
        let token = match self.token {
            Some(token) => token,
            None => random_token(),
        };
        if token.is_empty() || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the fake's token must be non-empty, without whitespace",
            ));
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, self.port)).await?;
        let addr = listener.local_addr()?;
        let app = Arc::new(App::new(
            token,
            self.merchant,
            self.merchant_name,
            self.otp_templates,
        ));
        let router = server::router(app.clone());
        let server = tokio::spawn(async move {
            // Serving only ends with an error accepting connections; nothing to do then.
            let _ = axum::serve(listener, router).await;
        });
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
            .field("otp_templates", &self.otp_templates)
            .finish()
    }
}

/// `fake_` and 32 hex digits.
fn random_token() -> String {
    let state = RandomState::new();
    let high = state.hash_one(std::time::SystemTime::now());
    let low = state.hash_one(std::process::id());
    format!("fake_{high:016x}{low:016x}")
}
