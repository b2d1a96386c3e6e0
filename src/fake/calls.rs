//! The log of requests the fake received, for tests to inspect.

use serde_json::Value;

/// A request the fake received: see [`FakeStamps::calls`](super::FakeStamps::calls).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Call {
    /// `GET` or `POST` (or whatever the client sent).
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// The spec's `operationId` for this method and path, e.g. `credit_balance`;
    /// `None` for a path the spec does not document.
    pub operation: Option<&'static str>,
    /// The status the fake answered with; 0 for a connection it dropped on purpose.
    pub status: u16,
    /// The query string's pairs, decoded, in order (repeated keys repeat).
    pub query: Vec<(String, String)>,
    /// The body, if it was JSON.
    pub body: Option<Value>,
}

impl Call {
    pub(super) fn new(
        method: String,
        path: String,
        operation: Option<&'static str>,
        status: u16,
        query: Vec<(String, String)>,
        body: &[u8],
    ) -> Call {
        Call {
            method,
            path,
            operation,
            status,
            query,
            body: serde_json::from_slice(body).ok(),
        }
    }

    /// The first value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}
