//! A client for the Stamps loyalty API (stamps.co.id): memberships, balances,
//! children, pets and accounts.
//!
//! The client's methods are generated at build time from `openapi/stamps.yaml` (one
//! method per operation, named after its `operationId`); the modules here are the
//! small hand-written layer around them: credentials, identifiers, errors, retries.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod client_builder;
mod config;
mod credentials;
mod date;
mod error;
mod error_body;
mod error_code;
#[cfg(feature = "fake")]
pub mod fake;
mod generated;
mod hooks;
mod ids;
pub mod operations;
mod redact;
mod response_body;
mod retry;
mod token_param;
mod user_ref;

pub use client_builder::{
    ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
pub use config::ClientConfig;
pub use date::Date;
pub use error::{ApiError, Error, Result};
pub use error_code::ErrorCode;
pub use generated::{Client, ClientInfo, ResponseValue, builder, types};
pub use ids::{BalanceUpdateId, ChildId, MerchantId, PetId, StoreId, UserId};
pub use response_body::DEFAULT_MAX_RESPONSE_BYTES;
pub use user_ref::{PRIMARY_KEY_MAX_DIGITS, UserRef};

/// `Client` and `Error` cross threads and tasks.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<Error>();
};
