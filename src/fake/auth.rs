//! Credentials: the `Authorization` header on every documented call, and the `token`
//! parameter where the v2/v3 and accounts pages put it.
//!
//! Both answer a missing or wrong credential with 401 `{"detail": "Invalid token"}`.
//! A header is `Token <key>` or `Bearer <key>` (or `Bearer <jwt>` for an access
//! token this fake handed out); the scheme is case-insensitive, as in Django REST
//! framework.

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Map, Value};

use super::errors;
use super::server::Shared;
use crate::operations::{Operation, TokenPlacement};

/// Middleware: refuses requests without a valid `Authorization` header.
pub(super) async fn require_header(
    State(app): State<Shared>,
    request: Request,
    next: Next,
) -> Response {
    let valid = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|header| header_is_valid(&app, header));
    if valid {
        next.run(request).await
    } else {
        errors::invalid_token()
    }
}

fn header_is_valid(app: &super::server::App, header: &str) -> bool {
    let mut parts = header.split_whitespace();
    let (Some(scheme), Some(credential), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    if scheme.eq_ignore_ascii_case("token") {
        credential == app.token
    } else if scheme.eq_ignore_ascii_case("bearer") {
        app.accepts(credential)
    } else {
        false
    }
}

/// Whether the `token` parameter of `operation` is right, if its page documents one.
/// The suggestions API is documented twice, once without `token`: there it may be
/// left out, but not wrong.
pub(super) fn param_is_valid(
    app: &super::server::App,
    operation: &Operation,
    params: &Map<String, Value>,
) -> bool {
    if operation.token == TokenPlacement::None {
        return true;
    }
    match params.get("token") {
        None => operation.id == "suggest_members",
        Some(Value::String(token)) => app.accepts(token),
        Some(_) => false,
    }
}
