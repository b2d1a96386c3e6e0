//! Reads a response body into memory, refusing bodies over the client's limit without
//! buffering them, and decodes it for the generated client.
//!
//! Every body is read here, once, before anything decodes it: this bounds the memory a
//! hostile server can make the client use, masks the client's secret, and keeps the
//! bytes for the generated `send`s to decode and for [`Error`](crate::Error) to quote.

use bytes::{Bytes, BytesMut};
use progenitor_client::ResponseValue;
use reqwest::header::CONTENT_LENGTH;
use serde::de::DeserializeOwned;

use crate::redact::{self, SecretFinder};

/// The default of [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes): 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// What the client made of an answer, inserted once in the response's extensions by
/// whoever produced it (the read, [`buffer`]; a followed redirect; a refused token
/// exchange) and read by the `post` hook, [`decode`] and [`Error`](crate::Error).
#[derive(Clone, Debug)]
pub(crate) enum Received {
    /// The body, read whole within the limit (the client's secret masked): the
    /// generated `send`s decode it, errors quote it.
    Body(Bytes),
    /// The answer to a refused token exchange, handed to a call that needed a JWT:
    /// quoted by the error, never decoded as the call's own success.
    RefusedExchange(Bytes),
    /// The body was over the limit; it was left unread.
    TooLarge {
        /// The client's limit in bytes.
        limit: u64,
    },
    /// The HTTP client followed a redirect (the built client never does; one given to
    /// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) without
    /// `redirect(Policy::none())` may); the answer was dropped unread.
    Redirected {
        /// Where it led, as errors show a URL ([`redact::redirect_target`]).
        to: String,
    },
}

impl Received {
    /// The record of a response, if it has one.
    pub(crate) fn of(extensions: &http::Extensions) -> Option<&Received> {
        extensions.get()
    }

    /// The body that was read, if one was.
    pub(crate) fn body(&self) -> Option<&Bytes> {
        match self {
            Received::Body(body) | Received::RefusedExchange(body) => Some(body),
            Received::TooLarge { .. } | Received::Redirected { .. } => None,
        }
    }

    /// The body that was read, to mask it further.
    pub(crate) fn body_mut(&mut self) -> Option<&mut Bytes> {
        match self {
            Received::Body(body) | Received::RefusedExchange(body) => Some(body),
            Received::TooLarge { .. } | Received::Redirected { .. } => None,
        }
    }
}

/// Reads `response`'s body (at most `limit` bytes) and records it as
/// [`Received::Body`]; the response itself is kept (its URL, headers and extensions
/// untouched). Over the limit, the record is [`Received::TooLarge`] instead and the
/// body is not read further. The client's own secret is masked in the body and in a
/// `Location` header (see [`SecretFinder`]). Transport errors while reading (a
/// reset, a timeout) are returned as they are.
///
/// Not an `async fn`: its future (inside every call's) would keep a second copy of the
/// response, as rustc stores an `async fn`'s arguments apart from its locals.
#[allow(
    clippy::manual_async_fn,
    reason = "one copy of the response, as said above"
)]
pub(crate) fn buffer(
    mut response: reqwest::Response,
    limit: u64,
    secret: &SecretFinder,
) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send {
    async move {
        redact::mask_location(response.headers_mut(), secret);
        let declared = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if declared.is_some_and(|len| len > limit) {
            return Ok(too_large(response, limit));
        }
        // Allocated only if a second chunk arrives (`single` keeps the first).
        let mut buf = BytesMut::new();
        let mut single: Option<Bytes> = None;
        while let Some(chunk) = response.chunk().await? {
            let total = buf.len() + single.as_ref().map_or(0, Bytes::len) + chunk.len();
            if total as u64 > limit {
                return Ok(too_large(response, limit));
            }
            // Most bodies arrive in one chunk: keep it without copying.
            match single.take() {
                None if buf.is_empty() => single = Some(chunk),
                previous => {
                    if let Some(previous) = previous {
                        buf.reserve(declared.map_or(0, |len| len as usize));
                        buf.extend_from_slice(&previous);
                    }
                    buf.extend_from_slice(&chunk);
                }
            }
        }
        let bytes = secret.mask(single.unwrap_or_else(|| buf.freeze()));
        response.extensions_mut().insert(Received::Body(bytes));
        Ok(response)
    }
}

fn too_large(mut response: reqwest::Response, limit: u64) -> reqwest::Response {
    response
        .extensions_mut()
        .insert(Received::TooLarge { limit });
    response
}

/// Decodes the body [`buffer`] recorded in `response` as JSON: what every generated
/// `send` does with an answer (build.rs's `buffered_decode` pass puts it in place of
/// progenitor's `ResponseValue::from_response`, which would read the body a second
/// time and clone the headers). A body that does not decode is
/// `InvalidResponsePayload`, with the bytes.
#[allow(clippy::result_large_err)] // progenitor's error type, as its decoder returns it
pub(crate) fn decode<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, progenitor_client::Error<E>> {
    let body = Received::of(response.extensions())
        .and_then(Received::body)
        .cloned()
        .unwrap_or_default();
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(
            inner,
            response.status(),
            std::mem::take(response.headers_mut()),
        )),
        Err(error) => Err(progenitor_client::Error::InvalidResponsePayload(
            body, error,
        )),
    }
}

/// Whether a body's first non-whitespace byte opens a JSON array.
pub(crate) fn starts_an_array(body: &[u8]) -> bool {
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[')
}
