//! What happens around every generated call, in one place (progenitor's
//! `ClientHooks`): credentials on the way out, retries and a bounded read on the way
//! in, and error answers handed to [`Error`](crate::Error) with their body.

use std::time::Instant;

use bytes::Bytes;
use futures_util::FutureExt as _;
use futures_util::future::Either;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, USER_AGENT};
use reqwest::{Request, Response, StatusCode};
use tracing::Instrument;

use crate::access_token::{AccessTokens, Failure};
use crate::operations::{self, Operation};
use crate::redact::{self, SecretFinder, mask_answer, without_query};
use crate::response_body::{self, Received};
use crate::retry::Verdict;
use crate::{Client, ClientConfig};

/// The one success status the spec documents (build.rs checks it); any other status
/// becomes an [`Error`](crate::Error).
pub(crate) const DOCUMENTED_SUCCESS: StatusCode = StatusCode::OK;

impl ClientHooks<ClientConfig> for Client {
    /// Adds the credential (the `Authorization` header, its only place) and the timeout.
    async fn pre<E>(
        &self,
        request: &mut Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let config = &self.inner;
        *request.timeout_mut() = Some(config.timeout);
        if let Some(user_agent) = &config.user_agent {
            request.headers_mut().insert(USER_AGENT, user_agent.clone());
        }
        // Its row of the operations table: every generated call has one (both come
        // from the same spec); an id without one would get no path check and no copy.
        let operation = operations::find(info.operation_id);
        if let Some(operation) = operation {
            check_path(operation, request.url())
                .map_err(progenitor_client::Error::InvalidRequest)?;
        }
        // With managed access tokens, `exec` adds the JWT (it may have to get one),
        // and the static key goes nowhere but the exchange. An operation whose
        // credential is in its body (`security: []`) takes no header.
        if config.access_tokens.is_some() || operation.is_some_and(|op| !op.authorization) {
            return Ok(());
        }
        request
            .headers_mut()
            .insert(AUTHORIZATION, config.credential.header().clone());
        if let Some(operation) = operation {
            config.credential.copy_into(operation, request);
        }
        Ok(())
    }

    /// Sends with retries (see the `retry` module) and reads the body within the limit,
    /// inside a `tracing` span (`stamps.call`) that records the operation, method,
    /// path, status, attempts and latency; never the query, body or credential.
    ///
    /// Not an `async fn`: what needs the request runs before the future is made, so the
    /// future (inside every call's) does not keep a second copy of it (rustc keeps an
    /// `async fn`'s arguments apart from its locals).
    fn exec(
        &self,
        request: Request,
        info: &OperationInfo,
    ) -> impl Future<Output = reqwest::Result<Response>> {
        let span = tracing::debug_span!(
            "stamps.call",
            operation = info.operation_id,
            method = %request.method(),
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let operation = operations::find(info.operation_id);
        // A PIN or password this call sends is masked in the answer too.
        let secrets = operation.map_or_else(Vec::new, |op| redact::sent_secrets(op, &request));
        let managed = self
            .inner
            .access_tokens
            .as_ref()
            .filter(|_| operation.is_none_or(|op| op.authorization));
        let sent = match managed {
            None => Either::Left(self.send_with_retries(request).instrument(span.clone())),
            // Boxed: this path holds the token exchange's future, which would make
            // every call's future larger (and slower to move), managed tokens or not.
            Some(tokens) => Either::Right(
                Box::pin(self.send_with_access_token(tokens, request)).instrument(span.clone()),
            ),
        };
        // A combinator, not an `async` block: awaiting `sent` there would move it into a
        // second place in the future.
        sent.map(move |(result, attempts)| {
            let result = match secrets.is_empty() {
                true => result,
                false => result.map(|r| mask_answer(r, |body| redact::mask_each(body, &secrets))),
            };
            let latency_ms = started.elapsed().as_millis() as u64;
            // Nothing to record into when no subscriber wants the span (with tracing's
            // `log` feature, each record would still go through `log`'s checks).
            let recording = !span.is_disabled();
            if recording {
                span.record("attempts", attempts);
                span.record("latency_ms", latency_ms);
            }
            let _entered = span.enter();
            match &result {
                Ok(response) => {
                    let status = response.status().as_u16();
                    if recording {
                        span.record("status", status);
                    }
                    tracing::debug!(status, attempts, latency_ms, "stamps call answered");
                }
                Err(error) => {
                    tracing::debug!(attempts, latency_ms, error = %error, "stamps call failed")
                }
            }
            result
        })
    }

    /// Turns every answer other than the documented success into
    /// `UnexpectedResponse`, carrying its status, headers and body (credential
    /// already masked), for [`Error`](crate::Error) to classify and quote.
    async fn post<E>(
        &self,
        result: &reqwest::Result<Response>,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let Ok(response) = result else { return Ok(()) };
        let received = Received::of(response.extensions());
        if response.status() == DOCUMENTED_SUCCESS {
            match received {
                // The usual answer: a documented success, read whole.
                Some(Received::Body(body)) => {
                    return match array_error(body) {
                        Some(error) => Err(progenitor_client::Error::InvalidResponsePayload(
                            body.clone(),
                            error,
                        )),
                        None => Ok(()),
                    };
                }
                // Not read (no such answer comes out of `exec`): the decoder refuses it.
                None => return Ok(()),
                // Too large, redirected, or a refused exchange's: an error.
                Some(_) => {}
            }
        }
        let mut copy = http::Response::new(Bytes::new());
        *copy.status_mut() = response.status();
        *copy.headers_mut() = response.headers().clone();
        if let Some(received) = received {
            copy.extensions_mut().insert(received.clone());
        }
        Err(progenitor_client::Error::UnexpectedResponse(copy.into()))
    }
}

impl Client {
    /// Sends `request` with the managed JWT: gets one first if need be (a refused
    /// exchange's answer becomes this call's), and on a 401 gets a new one and sends
    /// the call once more. A 401 means the server did not act on the call, so a POST
    /// too is sent at most twice.
    async fn send_with_access_token(
        &self,
        tokens: &AccessTokens,
        mut request: Request,
    ) -> (reqwest::Result<Response>, u32) {
        let jwt = match tokens.jwt(self).await {
            Ok(jwt) => jwt,
            Err(Failure::Refused(refusal)) => return (Ok(refusal.into_response()), 0),
            Err(Failure::Transport(error)) => return (Err(without_query(error)), 0),
        };
        request
            .headers_mut()
            .insert(AUTHORIZATION, jwt.header().clone());
        let again = Resend::of(&request);
        let (result, attempts) = self.send_with_retries(request).await;
        let result = result.map(|r| mask_answer(r, |body| jwt.finder().mask(body)));
        let refused = matches!(&result, Ok(r) if r.status() == StatusCode::UNAUTHORIZED);
        let Some(again) = again.filter(|_| refused) else {
            return (result, attempts);
        };
        tracing::debug!("access token refused by the server; getting a new one");
        tokens.forget(&jwt).await;
        let jwt = match tokens.jwt(self).await {
            Ok(jwt) => jwt,
            Err(Failure::Refused(refusal)) => return (Ok(refusal.into_response()), attempts),
            Err(Failure::Transport(error)) => return (Err(without_query(error)), attempts),
        };
        let mut request = again.into_request();
        request
            .headers_mut()
            .insert(AUTHORIZATION, jwt.header().clone());
        let (result, more) = self.send_with_retries(request).await;
        (
            result.map(|r| mask_answer(r, |body| jwt.finder().mask(body))),
            attempts + more,
        )
    }

    /// Sends `request`, again while the retry policy allows; returns the last outcome
    /// and the number of attempts.
    ///
    /// Not an `async fn`, for the same reason as `exec`: the loop below moves and
    /// replaces the captured request itself, so the future holds one request, not two.
    #[allow(
        clippy::manual_async_fn,
        reason = "one copy of the request, as said above"
    )]
    pub(crate) fn send_with_retries(
        &self,
        mut request: Request,
    ) -> impl Future<Output = (reqwest::Result<Response>, u32)> + Send + '_ {
        async move {
            let config = &self.inner;
            let method = request.method().clone();
            let mut attempt = 0;
            loop {
                attempt += 1;
                // One attempt, in a block of its own: none of its locals take room in
                // the future while it sleeps before the next.
                let wait = {
                    // What the next attempt needs, should there be one.
                    let spare = if attempt <= config.retry.max_retries {
                        Resend::of(&request)
                    } else {
                        None
                    };
                    // The built client never follows redirects; a caller's may.
                    let sent_to = config.caller_http_client.then(|| request.url().clone());
                    // Held while this attempt is sent and read, not during a backoff.
                    // Below the limit (the usual case) a permit is one atomic step,
                    // without building and polling `acquire`'s future.
                    let permit = match config.in_flight.try_acquire() {
                        Ok(permit) => permit,
                        Err(_) => config
                            .in_flight
                            .acquire()
                            .await
                            .expect("the semaphore is never closed"),
                    };
                    let result = match self.client().execute(request).await {
                        Ok(response)
                            if sent_to.as_ref().is_some_and(|url| response.url() != url) =>
                        {
                            Ok(followed_redirect(response, config.credential.finder()))
                        }
                        Ok(response) => {
                            response_body::buffer(
                                response,
                                config.max_response_bytes,
                                config.credential.finder(),
                            )
                            .await
                        }
                        Err(error) => Err(error),
                    }
                    .map_err(without_query);
                    drop(permit);
                    let verdict = config.retry.judge(
                        &method,
                        attempt,
                        result.as_ref().map(|r| (r.status(), r.headers())),
                    );
                    let (Verdict::RetryAfter(wait), Some(next)) = (verdict, spare) else {
                        return (result, attempt);
                    };
                    match &result {
                        Ok(response) => tracing::debug!(
                            attempt,
                            status = response.status().as_u16(),
                            wait_ms = wait.as_millis() as u64,
                            "retrying"
                        ),
                        Err(error) => tracing::debug!(
                            attempt,
                            error = %error,
                            wait_ms = wait.as_millis() as u64,
                            "retrying"
                        ),
                    }
                    request = next.into_request();
                    wait
                };
                tokio::time::sleep(wait).await;
            }
        }
    }
}

/// The parts of a request a retry sends again.
///
/// Taken before every attempt that may be retried, so it is kept cheap: reqwest's
/// `Request::try_clone` also clones the extension map and inserts the timeout into a
/// fresh one; this copies only what a resend needs (the URL, the headers and a POST's
/// body, copied: reqwest does not expose it as `Bytes`). The request is built only when
/// a retry happens.
struct Resend {
    method: reqwest::Method,
    url: reqwest::Url,
    headers: reqwest::header::HeaderMap,
    body: Option<Bytes>,
    timeout: Option<std::time::Duration>,
    version: reqwest::Version,
}

impl Resend {
    /// `None` for a streaming body, which cannot be sent twice (the generated client
    /// only makes buffered ones).
    fn of(request: &Request) -> Option<Self> {
        let body = match request.body() {
            Some(body) => Some(Bytes::copy_from_slice(body.as_bytes()?)),
            None => None,
        };
        Some(Resend {
            method: request.method().clone(),
            url: request.url().clone(),
            headers: request.headers().clone(),
            body,
            timeout: request.timeout().copied(),
            version: request.version(),
        })
    }

    fn into_request(self) -> Request {
        let mut request = Request::new(self.method, self.url);
        *request.headers_mut() = self.headers;
        *request.timeout_mut() = self.timeout;
        *request.version_mut() = self.version;
        *request.body_mut() = self.body.map(reqwest::Body::from);
        request
    }
}

/// Refuses a URL whose path is not the operation's: a path parameter of `.` or `..`
/// (which URL parsing resolves away, even percent-encoded) or one that makes the
/// path another operation's (a reward code `by-merchant-group` would call
/// `GET /api/rewards/by-merchant-group`). Only templated paths are looked at.
fn check_path(op: &Operation, url: &reqwest::Url) -> Result<(), String> {
    if !op.templated {
        return Ok(());
    }
    let operation = op.id;
    let template: Vec<&str> = op.path.split('/').collect();
    let sent: Vec<&str> = url.path().split('/').collect();
    let fits = template.len() == sent.len()
        && template
            .iter()
            .zip(&sent)
            .all(|(t, s)| (t.starts_with('{') && !s.is_empty()) || t == s);
    let taken = operations::OPERATIONS
        .iter()
        .find(|other| other.method == op.method && other.path == url.path());
    match (fits, taken) {
        (true, None) => Ok(()),
        (_, Some(other)) => Err(format!(
            "a path parameter of {operation} cannot make the path {}: that is {}'s path",
            url.path(),
            other.id
        )),
        (false, None) => Err(format!(
            "a path parameter of {operation} cannot be sent as one path segment (`.` and `..` are not allowed)"
        )),
    }
}

/// Drops (unread) an answer that came from wherever a redirect led, recorded as
/// [`Received::Redirected`]: the caller gets [`Error::Config`](crate::Error::Config)
/// instead of another host's answer decoded as Stamps'. By then the redirected request
/// has been sent, so this makes the misconfiguration loud; only
/// `redirect(Policy::none())` keeps the credential from going along.
fn followed_redirect(response: Response, secret: &SecretFinder) -> Response {
    let to = redact::redirect_target(response.url(), secret);
    let (mut parts, _unread) = http::Response::from(response).into_parts();
    parts.extensions.insert(Received::Redirected { to });
    http::Response::from_parts(parts, Bytes::new()).into()
}

/// The decoding error a success body deserves if it is a JSON array.
///
/// Every documented success is a JSON object (a test checks the spec), but serde's
/// derived structs also accept an array, reading it positionally: `[[1000, 7, "ok"],
/// null, null]` would pass for a balance update of 1000 with id 7, and `[null, null,
/// null]` for an empty one. Only the first byte is looked at, so a valid body costs
/// nothing. (Arrays nested in an object are still read positionally: only the generated
/// types could refuse them.)
fn array_error(body: &[u8]) -> Option<serde_json::Error> {
    if !response_body::starts_an_array(body) {
        return None;
    }
    serde::Deserializer::deserialize_map(
        &mut serde_json::Deserializer::from_slice(body),
        JsonObject,
    )
    .err()
}

/// Accepts only a JSON object; its error message names what is expected.
struct JsonObject;

impl<'de> serde::de::Visitor<'de> for JsonObject {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::IgnoredAny;
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::array_error;

    #[test]
    fn only_a_top_level_array_is_refused() {
        for body in [&b"[]"[..], b" \r\n\t[1, 2]", b"[[[[", b"[null, null, null]"] {
            let error = array_error(body).expect("an array is refused");
            assert!(
                error
                    .to_string()
                    .starts_with("invalid type: sequence, expected a JSON object"),
                "{error}"
            );
        }
        for body in [
            &b"{}"[..],
            b" {\"a\": [1]}",
            b"",
            b"null",
            b"\"[\"",
            b"<html>[",
        ] {
            assert!(array_error(body).is_none(), "{body:?}");
        }
    }
}
