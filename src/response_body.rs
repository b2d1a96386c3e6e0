//! Reads a response body into memory, refusing bodies over the client's limit without
//! buffering them.
//!
//! The generated client buffers every body before decoding it; doing it here first
//! bounds the memory a hostile server can make it use, and keeps the bytes of error
//! answers for [`Error`](crate::Error) to quote.

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use reqwest::header::{CONTENT_LENGTH, HeaderValue, LOCATION};

use crate::redact::SecretFinder;

/// The default of [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes): 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// The buffered body, attached (the same bytes, not a copy) to every answer but the
/// documented success, for errors to quote, and to a success that is a JSON array,
/// which the hooks refuse (see `hooks::array_error`).
#[derive(Clone, Debug)]
pub(crate) struct BufferedBody(pub(crate) Bytes);

/// Marks a response whose body was over the limit; its body was dropped unread.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ResponseTooLarge {
    pub(crate) limit: u64,
}

/// Buffers `response`'s body (at most `limit` bytes) and returns an equivalent
/// response holding it. Over the limit, the response comes back empty and marked
/// with [`ResponseTooLarge`]. The client's own secret is masked in the body and in a
/// `Location` header (see [`SecretFinder`]). Transport errors while reading (a reset,
/// a timeout) are returned as they are.
pub(crate) async fn buffer(
    response: reqwest::Response,
    limit: u64,
    secret: &SecretFinder,
) -> reqwest::Result<reqwest::Response> {
    // `reqwest::Response` -> `http::Response` drops the URL, and the way back parses a
    // placeholder (`http://no.url.provided.local`) for every response: carry the real
    // one over instead, without its query (customer identifiers).
    let mut url = response.url().clone();
    url.set_query(None);
    let (mut parts, mut body) = http::Response::from(response).into_parts();
    // Errors quote a redirect's `Location`: a server may echo the credential in it too.
    if let Some(location) = parts.headers.get_mut(LOCATION) {
        let masked = secret.mask(Bytes::copy_from_slice(location.as_bytes()));
        if let Ok(value) = HeaderValue::from_maybe_shared(masked) {
            *location = value;
        }
    }
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Ok(too_large(parts, limit));
    }
    // Allocated only if a second chunk arrives (`single` keeps the first).
    let mut buf = BytesMut::new();
    let mut single: Option<Bytes> = None;
    while let Some(frame) = body.frame().await {
        let Ok(chunk) = frame?.into_data() else {
            continue;
        };
        let total = buf.len() + single.as_ref().map_or(0, Bytes::len) + chunk.len();
        if total as u64 > limit {
            return Ok(too_large(parts, limit));
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
    // Attached only where the hooks need it, keeping the common path allocation-free.
    if parts.status != crate::hooks::DOCUMENTED_SUCCESS || starts_an_array(&bytes) {
        parts.extensions.insert(BufferedBody(bytes.clone()));
    }
    Ok(rewrap(parts, bytes, url))
}

/// The buffered response as a `reqwest::Response` again, with its URL.
fn rewrap(mut parts: http::response::Parts, body: Bytes, url: reqwest::Url) -> reqwest::Response {
    use reqwest::ResponseBuilderExt;
    // reqwest keeps the URL in an extension only its builder can set: hand the builder
    // the response's own extensions, so that the URL joins them (a map built for the
    // URL alone would cost two more allocations per call).
    let mut builder = http::Response::builder();
    if let Some(extensions) = builder.extensions_mut() {
        *extensions = std::mem::take(&mut parts.extensions);
    }
    let (carrier, ()) = builder
        .url(url)
        .body(())
        .expect("an empty builder is valid")
        .into_parts();
    parts.extensions = carrier.extensions;
    http::Response::from_parts(parts, body).into()
}

fn too_large(mut parts: http::response::Parts, limit: u64) -> reqwest::Response {
    parts.extensions.insert(ResponseTooLarge { limit });
    http::Response::from_parts(parts, Bytes::new()).into()
}

/// Whether a body's first non-whitespace byte opens a JSON array.
pub(crate) fn starts_an_array(body: &[u8]) -> bool {
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[')
}
