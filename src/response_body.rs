//! Reads a response body into memory, refusing bodies over the client's limit without
//! buffering them, and decodes it for the generated client.
//!
//! Every body is read here, once, before anything decodes it: this bounds the memory a
//! hostile server can make the client use, masks the client's secret, and keeps the
//! bytes for the generated `send`s to decode and for [`Error`](crate::Error) to quote.

use bytes::{Bytes, BytesMut};
use progenitor_client::ResponseValue;
use reqwest::header::{CONTENT_LENGTH, HeaderValue, LOCATION};
use serde::de::DeserializeOwned;

use crate::redact::SecretFinder;

/// The default of [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes): 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// The buffered body (secret masked), attached to every answer read within the limit:
/// the generated `send`s decode it ([`decode`]), and errors quote it.
#[derive(Clone, Debug)]
pub(crate) struct BufferedBody(pub(crate) Bytes);

/// Marks a response whose body was over the limit; its body was left unread.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ResponseTooLarge {
    pub(crate) limit: u64,
}

/// Reads `response`'s body (at most `limit` bytes) and attaches it as a
/// [`BufferedBody`]; the response itself is kept (its URL, headers and extensions
/// untouched). Over the limit, the response is marked with [`ResponseTooLarge`] instead
/// and its body is not read further. The client's own secret is masked in the body and
/// in a `Location` header (see [`SecretFinder`]). Transport errors while reading (a
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
        // Errors quote a redirect's `Location`: a server may echo the credential in it too.
        if let Some(location) = response.headers_mut().get_mut(LOCATION) {
            let masked = secret.mask(Bytes::copy_from_slice(location.as_bytes()));
            if let Ok(value) = HeaderValue::from_maybe_shared(masked) {
                *location = value;
            }
        }
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
        response.extensions_mut().insert(BufferedBody(bytes));
        Ok(response)
    }
}

fn too_large(mut response: reqwest::Response, limit: u64) -> reqwest::Response {
    response.extensions_mut().insert(ResponseTooLarge { limit });
    response
}

/// Decodes the body [`buffer`] attached to `response` as JSON: what every generated
/// `send` does with an answer (build.rs's `buffered_decode` pass puts it in place of
/// progenitor's `ResponseValue::from_response`, which would read the body a second
/// time and clone the headers). A body that does not decode is
/// `InvalidResponsePayload`, with the bytes.
#[allow(clippy::result_large_err)] // progenitor's error type, as its decoder returns it
pub(crate) fn decode<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, progenitor_client::Error<E>> {
    let body = response
        .extensions()
        .get::<BufferedBody>()
        .map(|b| b.0.clone())
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
