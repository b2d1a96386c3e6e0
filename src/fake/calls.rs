//! The log of requests the fake received, for tests to inspect.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::server::Shared;
use crate::operations::OPERATIONS;

/// A request the fake answered: see [`FakeStamps::calls`](super::FakeStamps::calls).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Call {
    /// `GET` or `POST` (or whatever the client sent).
    pub method: String,
    /// The path, without the query string (it holds the token).
    pub path: String,
    /// The spec's `operationId` for this method and path, e.g. `credit_balance`;
    /// `None` for a path the spec does not document.
    pub operation: Option<&'static str>,
    /// The status the fake answered with.
    pub status: u16,
}

/// Middleware: records every request and the status of its answer.
pub(super) async fn record(State(app): State<Shared>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let operation = OPERATIONS
        .iter()
        .find(|op| op.method == method && op.path == path)
        .map(|op| op.id);
    let response = next.run(request).await;
    app.calls().push(Call {
        method,
        path,
        operation,
        status: response.status().as_u16(),
    });
    response
}
