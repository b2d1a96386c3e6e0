//! A client for the [Stamps](https://stamps.co.id) loyalty API: every operation the
//! docs describe, one method each.
//!
//! Every documented operation is a method of [`Client`], generated at build time from
//! `openapi/stamps.yaml` and named after its `operationId` (see [`operations::OPERATIONS`]);
//! the modules of this crate are the small hand-written layer around it: the
//! [`ClientBuilder`] and credentials, customer identifiers ([`UserRef`], the id newtypes,
//! [`Date`]), one [`Error`] type, retries and timeouts, the check of Stamps' webhook
//! signatures ([`webhook`]), and (with the `fake` feature) a fake server for tests.
//!
//! ```no_run
//! use stamps::{Client, UserRef};
//!
//! # async fn run() -> stamps::Result<()> {
//! let client = Client::builder().token("my-merchant-key").merchant(14).build()?;
//!
//! // A GET: query parameters are builder methods; the credential goes in the header.
//! let details = client
//!     .get_member_details()
//!     .user(UserRef::email("alice@example.com")?)
//!     .send()
//!     .await?
//!     .into_inner();
//!
//! // A POST: the JSON body is built with `body_map`; the merchant is the client's.
//! let update = client
//!     .debit_balance()
//!     .body_map(|b| b.user("alice@example.com").amount(100).store(3))
//!     .send()
//!     .await?
//!     .into_inner();
//! # let _ = (details, update);
//! # Ok(()) }
//! ```
//!
//! The README is the guide: credentials, identifiers, calls, errors, retries and the
//! fake server.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | one per API group: `memberships`, `member-extras`, `cards`, `accounts`, `balances`, `transactions`, `stamps`, `redemptions`, `rewards`, `vouchers`, `engagement`, `merchants`, `legacy-members`, `klg`, `v1`, `omni` | on | the group's operations and the schemas they reach, and nothing else: a crate that calls a few groups compiles only those (`default-features = false, features = ["memberships"]`). The token exchange and the account check (`ping`) are always built. The README's table of operations gives each group's feature. |
//! | `fake` | off | `stamps::fake`: an in-memory Stamps server for your tests (it turns every API group on) |
//! | `httpmock` | off | `stamps::mock`: typed httpmock mocks of every operation, for tests that prefer expectations to the stateful fake |
//! | `schemars` | off | every generated type derives `schemars::JsonSchema`, and the hand-written ones that replace spec schemas ([`UserRef`], the ids, [`Date`], ...) describe themselves with the spec's schema |
//!
//! # Bad servers and bad networks
//!
//! Every call ends in a decoded answer or one [`Error`]; no answer makes the client
//! panic, hang past its timeout, send a state-changing request twice, or show your token
//! (in `Display`, `Debug` or `tracing` output). Retries are the README's: GETs are
//! retried on connection errors and on `429`, `502`, `503` and `504`; a POST only when
//! connecting failed, so that nothing is applied twice. For a POST, an
//! [`Error::Connection`] or [`Error::Timeout`] means the server may or may not have
//! applied it: check before you credit again.
//!
//! **Timeouts.** [`ClientBuilder::timeout`] (30 s by default) bounds each attempt from
//! sending the request to reading the last byte of the answer, so a server that sends
//! its headers and then stalls ends in [`Error::Timeout`] once it expires.
//! [`ClientBuilder::connect_timeout`] (10 s) bounds connecting; it is not applied to a
//! client you pass to [`ClientBuilder::http_client`].
//!
//! **Oversized answers.** The client reads at most
//! [`max_response_bytes`](ClientBuilder::max_response_bytes) (16 MiB by default; a body
//! of exactly the limit is read) of any answer, success or error. A `Content-Length`
//! above the limit is refused before the body is read; a body without one (chunked) is
//! read until it crosses the limit, then dropped with its connection. Either way the
//! call fails with [`Error::ResponseTooLarge`], so memory stays near the limit even if
//! a server streams forever.
//!
//! **Content-Type.** The client does not look at the answer's `Content-Type`: a `200`
//! body is decoded as JSON whatever the header says (`text/html`, `application/xml`,
//! or none). A `200` body that is not the documented JSON object (empty, HTML,
//! truncated, a JSON array, a wrong type, a number out of range, nesting deeper than 128
//! levels) is [`Error::Decode`], with the cause (line and column) and the first 300
//! characters of the body. Error statuses are read the same way: a JSON object becomes
//! [`Error::Api`] (4xx) or [`Error::Unauthorized`] (401, 403), with the server's
//! `error_code`, message and field errors; anything else, such as an HTML page, becomes
//! [`Error::Server`] with the status and an excerpt.
//!
//! **Redirects.** The client never follows a redirect, so the `Authorization` header
//! goes nowhere but the base URL. A `3xx` answer is [`Error::UnexpectedStatus`] with the
//! status and the `Location` (without its query string or fragment), and it is not
//! retried. If you pass your own `reqwest::Client` with
//! [`http_client`](ClientBuilder::http_client), build it with
//! `.redirect(reqwest::redirect::Policy::none())`: otherwise reqwest follows the
//! redirect before the SDK sees it, and may send the request's data (the query string,
//! a 307/308 body) to the other host. The SDK then refuses the other host's answer with
//! [`Error::Config`], naming the problem, but the request has already left.
//!
//! **Connections.** [`Client`] is `Clone + Send + Sync`; clones share one connection
//! pool, so clone it freely rather than building a client per task. A client and its
//! clones have at most [`max_concurrent_calls`](ClientBuilder::max_concurrent_calls) (64
//! by default) calls in flight; more wait their turn, so a burst of a thousand calls
//! opens a few dozen connections, not a thousand.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod access_token;
mod client_builder;
mod config;
mod credentials;
mod date;
mod date_time;
mod error;
mod error_body;
mod error_code;
#[cfg(feature = "fake")]
pub mod fake;
mod generated;
mod hooks;
mod ids;
mod operation_urls;
pub mod operations;
pub mod pagination;
mod redact;
mod response_body;
mod retry;
mod reward_ref;
mod secret;
mod text_type;
mod user_ref;
pub mod webhook;

pub use access_token::{LIFETIME_WITHOUT_EXP, REFRESH_MARGIN};
pub use client_builder::{
    ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_CONCURRENT_CALLS,
    DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
pub use config::ClientConfig;
pub use date::Date;
pub use date_time::DateTime;
pub use error::{ApiError, Error, Result};
pub use error_code::ErrorCode;
#[cfg(feature = "httpmock")]
pub use generated::mock;
pub use generated::{Client, ClientInfo, ResponseValue, builder, types};
pub use ids::{BalanceUpdateId, ChildId, MerchantId, PetId, StoreId, UserId};
pub use response_body::DEFAULT_MAX_RESPONSE_BYTES;
pub use reward_ref::RewardRef;
pub use secret::Secret;
pub use user_ref::{PRIMARY_KEY_MAX_DIGITS, UserRef};

// The README's examples are compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// `Client` and `Error` cross threads and tasks.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<Error>();
};
