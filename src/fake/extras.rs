//! Endpoints outside the spec that API-NOTES.md documents: the account check
//! (`POST /api/ping`), access tokens (`POST /api/auth/get-access-token/`) and the
//! error test endpoints (`/api/400`, `/api/500`, GET or POST).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::errors;
use super::params::Input;
use super::server::Shared;

/// Behind the `Authorization` check.
pub(super) fn authenticated_routes() -> Router<Shared> {
    Router::new().route("/api/ping", post(ping))
}

/// Open: the error tests always answer, and an access token is got with the key in
/// the body.
pub(super) fn open_routes() -> Router<Shared> {
    Router::new()
        .route("/api/auth/get-access-token/", post(access_token))
        .route("/api/400", any(bad_request))
        .route("/api/500", any(server_error))
}

async fn ping(State(app): State<Shared>) -> Response {
    Json(json!({"pong": {"merchant": app.merchant_name, "merchant_id": app.merchant}}))
        .into_response()
}

/// `{"token": "<static key>", "crm_merchant_id": <int>}` → `{"access_token": "<jwt>"}`.
async fn access_token(State(app): State<Shared>, input: Input) -> Response {
    let map = match input.0 {
        Ok(map) => map,
        Err(refusal) => return refusal,
    };
    let key_ok = map.get("token").and_then(Value::as_str) == Some(app.token.as_str());
    let merchant_ok = map.get("crm_merchant_id").and_then(Value::as_u64) == Some(app.merchant);
    if !key_ok || !merchant_ok {
        return errors::invalid_token();
    }
    let token = app.state().new_access_token();
    Json(json!({ "access_token": token })).into_response()
}

async fn bad_request() -> Response {
    errors::html(StatusCode::BAD_REQUEST, "Bad request - 400")
}

async fn server_error() -> Response {
    errors::html(StatusCode::INTERNAL_SERVER_ERROR, "Server error - 500")
}
