//! What happens around every generated call, in one place (progenitor's
//! `ClientHooks`): credentials on the way out, retries and a bounded read on the way
//! in, and error answers handed to [`Error`](crate::Error) with their body.

use std::time::Instant;

use bytes::Bytes;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, USER_AGENT};
use reqwest::{Request, Response, StatusCode};
use tracing::Instrument;

use crate::operations::{self, TokenPlacement};
use crate::response_body::{self, BufferedBody, ResponseTooLarge};
use crate::retry::Verdict;
use crate::{Client, ClientConfig, token_param};

/// The one success status the spec documents (build.rs checks it); any other status
/// becomes an [`Error`](crate::Error).
pub(crate) const DOCUMENTED_SUCCESS: StatusCode = StatusCode::OK;

/// progenitor sends the spec's `info.version` in this header; Stamps does not
/// document it, so it is not sent.
const API_VERSION_HEADER: &str = "api-version";

impl ClientHooks<ClientConfig> for Client {
    /// Adds the credential (header, and `token` where the docs put it) and the timeout.
    async fn pre<E>(
        &self,
        request: &mut Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let config = &self.inner;
        let headers = request.headers_mut();
        headers.remove(API_VERSION_HEADER);
        headers.insert(AUTHORIZATION, config.credential.header().clone());
        if let Some(user_agent) = &config.user_agent {
            headers.insert(USER_AGENT, user_agent.clone());
        }
        *request.timeout_mut() = Some(config.timeout);
        let placement =
            operations::find(info.operation_id).map_or(TokenPlacement::None, |op| op.token);
        token_param::add(request, placement, &config.credential)
            .map_err(progenitor_client::Error::Custom)
    }

    /// Sends with retries (see [`crate::retry`]) and reads the body within the limit,
    /// inside a `tracing` span (`stamps.call`) that records the operation, method,
    /// path, status, attempts and latency; never the query, body or credential.
    async fn exec(&self, request: Request, info: &OperationInfo) -> reqwest::Result<Response> {
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
        let (mut result, attempts) = self
            .send_with_retries(request)
            .instrument(span.clone())
            .await;
        // The URL's query holds the token: no error leaves here with it, even one the
        // caller prints before converting it to `stamps::Error`.
        if let Err(error) = &mut result
            && let Some(url) = error.url_mut()
        {
            url.set_query(None);
        }
        span.record("attempts", attempts);
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        let _entered = span.enter();
        match &result {
            Ok(response) => {
                span.record("status", response.status().as_u16());
                tracing::debug!(
                    status = response.status().as_u16(),
                    attempts,
                    "stamps call answered"
                );
            }
            Err(error) => tracing::debug!(attempts, error = %error, "stamps call failed"),
        }
        result
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
        let too_large = response.extensions().get::<ResponseTooLarge>().copied();
        if response.status() == DOCUMENTED_SUCCESS && too_large.is_none() {
            return Ok(());
        }
        let mut copy = http::Response::new(Bytes::new());
        *copy.status_mut() = response.status();
        *copy.headers_mut() = response.headers().clone();
        if let Some(body) = response.extensions().get::<BufferedBody>() {
            copy.extensions_mut().insert(body.clone());
        }
        if let Some(marker) = too_large {
            copy.extensions_mut().insert(marker);
        }
        Err(progenitor_client::Error::UnexpectedResponse(copy.into()))
    }
}

impl Client {
    /// Sends `request`, again while the retry policy allows; returns the last outcome
    /// and the number of attempts.
    async fn send_with_retries(&self, mut request: Request) -> (reqwest::Result<Response>, u32) {
        let config = &self.inner;
        let method = request.method().clone();
        let mut attempt = 0;
        loop {
            attempt += 1;
            // A copy for the next attempt; bodies are `Bytes`, so this does not copy them.
            let spare = if attempt <= config.retry.max_retries {
                request.try_clone()
            } else {
                None
            };
            let result = match self.client().execute(request).await {
                Ok(response) => {
                    response_body::buffer(
                        response,
                        config.max_response_bytes,
                        config.credential.finder(),
                    )
                    .await
                }
                Err(error) => Err(error),
            };
            let verdict = config.retry.judge(
                &method,
                attempt,
                result.as_ref().map(|r| (r.status(), r.headers())),
            );
            match (verdict, spare) {
                (Verdict::RetryAfter(wait), Some(next)) => {
                    match &result {
                        Ok(response) => tracing::debug!(
                            attempt,
                            status = response.status().as_u16(),
                            wait_ms = wait.as_millis() as u64,
                            "retrying"
                        ),
                        Err(error) => {
                            tracing::debug!(attempt, error = %redacted(error), wait_ms = wait.as_millis() as u64, "retrying")
                        }
                    }
                    tokio::time::sleep(wait).await;
                    request = next;
                }
                _ => return (result, attempt),
            }
        }
    }
}

/// A transport error's message with its URL cut to the path (the query holds the
/// token).
fn redacted(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    if let Some(url) = error.url() {
        message = message.replace(url.as_str(), url.path());
    }
    message
}
