//! A client for the [Stamps](https://stamps.co.id) loyalty API: memberships,
//! transactions, redemptions, rewards, vouchers, balances and every other documented
//! operation.
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
//! The README covers credentials, identifiers, errors, retries and the fake server.
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
