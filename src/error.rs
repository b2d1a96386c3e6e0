//! The one error type of the SDK, and the conversion from the generated client's errors.

use std::collections::BTreeMap;
use std::fmt;

use reqwest::StatusCode;

use crate::error_body::ErrorBody;
use crate::error_code::ErrorCode;
use crate::redact;
use crate::response_body::Received;

/// A `Result` whose error is [`stamps::Error`](Error).
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when calling Stamps.
///
/// Match on the variant to tell who is at fault, or use the accessors
/// ([`status`](Error::status), [`code`](Error::code), [`message`](Error::message),
/// [`field_errors`](Error::field_errors), [`is_timeout`](Error::is_timeout),
/// [`is_retryable`](Error::is_retryable)). Neither `Display` nor `Debug` ever shows the
/// credential: URLs lose their query string and body excerpts are redacted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built: no credential, a base URL that does not parse or
    /// is plain `http://` to a remote host, a credential that cannot go in a header.
    /// Also returned by a call whose HTTP client (one given to
    /// [`http_client`](crate::ClientBuilder::http_client)) followed a redirect.
    #[error("invalid client configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },

    /// A value given by the caller was refused before anything was sent: an invalid
    /// [`UserRef`](crate::UserRef), id or date, or a required parameter left unset.
    #[error("invalid input: {message}")]
    InvalidInput {
        /// What is wrong, naming the parameter where known.
        message: String,
    },

    /// The API refused the request with its own JSON error (a 4xx other than 401/403):
    /// see [`ApiError::code`] and [`ApiError::field_errors`].
    #[error("{0}")]
    Api(ApiError),

    /// The credential was refused (401) or lacks permission (403).
    #[error("{0}")]
    Unauthorized(ApiError),

    /// A server error (5xx), or an error status whose body is not the API's JSON error
    /// (an HTML page from Stamps or a proxy). The body excerpt is kept.
    #[error("{0}")]
    Server(ApiError),

    /// A success status whose body does not decode into the documented type.
    #[error("cannot decode the {status} response: {source} (body: {body_excerpt:?})")]
    Decode {
        /// The response status.
        status: StatusCode,
        /// The first bytes of the body, redacted.
        body_excerpt: String,
        /// Why decoding failed, with line and column.
        #[source]
        source: serde_json::Error,
    },

    /// A response the API does not document: a redirect (not followed, so the
    /// credential stays with Stamps), `204 No Content`, or another unexpected status.
    #[error("unexpected response status {status}{}", location.as_deref().map(|l| format!(" (redirect to {l})")).unwrap_or_default())]
    UnexpectedStatus {
        /// The response status.
        status: StatusCode,
        /// The `Location` header of a redirect, without its query string.
        location: Option<String>,
        /// The first bytes of the body, redacted.
        body_excerpt: String,
    },

    /// The response body was larger than the client's
    /// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes); it was not read.
    #[error("response body exceeds the limit of {limit} bytes (status {status})")]
    ResponseTooLarge {
        /// The response status.
        status: StatusCode,
        /// The limit in bytes.
        limit: u64,
    },

    /// The call did not complete within the client's
    /// [`timeout`](crate::ClientBuilder::timeout).
    #[error("request timed out")]
    Timeout {
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },

    /// The connection failed or broke: refused, reset, closed mid-response, TLS.
    #[error("connection failed: {}", with_root_cause(source))]
    Connection {
        /// The transport error; its URL has no query string.
        #[source]
        source: reqwest::Error,
    },
}

impl Error {
    /// The HTTP status of the response, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) | Error::Unauthorized(e) | Error::Server(e) => Some(e.status()),
            Error::Decode { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Timeout { source } | Error::Connection { source } => source.status(),
            Error::Config { .. } | Error::InvalidInput { .. } => None,
        }
    }

    /// The server's error body, for [`Api`](Error::Api),
    /// [`Unauthorized`](Error::Unauthorized) and [`Server`](Error::Server).
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) | Error::Unauthorized(e) | Error::Server(e) => Some(e),
            _ => None,
        }
    }

    /// The server's `error_code`, if it sent one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.api_error()?.code()
    }

    /// The server's message: `error_message`, else `detail`.
    pub fn message(&self) -> Option<&str> {
        self.api_error()?.message()
    }

    /// Field errors from the server, field name to messages (`__all__` holds the
    /// errors not tied to a field). Empty when there are none.
    pub fn field_errors(&self) -> &BTreeMap<String, Vec<String>> {
        static EMPTY: BTreeMap<String, Vec<String>> = BTreeMap::new();
        self.api_error().map_or(&EMPTY, ApiError::field_errors)
    }

    /// Whether the call ran out of time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether the same call may succeed later: connection failures, timeouts, 429,
    /// 502, 503 and 504.
    ///
    /// The client already retries GETs on these. Retrying a POST is the caller's
    /// decision: the first attempt may have reached the server (a retried credit is a
    /// double credit).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Connection { .. } => true,
            _ => self.status().is_some_and(crate::retry::is_retryable_status),
        }
    }

    pub(crate) fn invalid_input(message: impl Into<String>) -> Self {
        Error::InvalidInput {
            message: message.into(),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// Classifies a transport error; the URL loses its query string (it carries the
    /// token and customer identifiers).
    pub(crate) fn from_reqwest(source: reqwest::Error) -> Self {
        let source = redact::without_query(source);
        if source.is_timeout() {
            Error::Timeout { source }
        } else if source.is_builder() {
            Error::InvalidInput {
                message: format!("cannot build the request: {source}"),
            }
        } else {
            Error::Connection { source }
        }
    }

    /// Classifies a response the client did not decode as a success.
    fn from_response(response: &reqwest::Response) -> Self {
        let status = response.status();
        let body = match Received::of(response.extensions()) {
            Some(Received::Redirected { to }) => {
                return Error::config(format!(
                    "the HTTP client followed a redirect to {to} and its answer was not used; \
                     build it with .redirect(reqwest::redirect::Policy::none()) so that the \
                     credential stays with Stamps"
                ));
            }
            Some(&Received::TooLarge { limit }) => {
                return Error::ResponseTooLarge { status, limit };
            }
            Some(Received::Body(body) | Received::RefusedExchange(body)) => body.as_ref(),
            None => &[],
        };
        if status.is_client_error() || status.is_server_error() {
            let api = ApiError::from_body(status, body);
            return match status.as_u16() {
                401 | 403 => Error::Unauthorized(api),
                _ if status.is_client_error() && api.is_json() => Error::Api(api),
                _ => Error::Server(api),
            };
        }
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .map(|l| redact::shown_url(l).to_owned());
        Error::UnexpectedStatus {
            status,
            location,
            body_excerpt: redact::excerpt(body),
        }
    }
}

/// Every failed input of a call, in one message (the generated `send`s check them all
/// before they fail).
#[allow(
    dead_code,
    reason = "called by the generated sends with two or more inputs, which some feature sets lack"
)]
pub(crate) fn input_errors(errors: &[Option<String>]) -> String {
    let failed: Vec<&str> = errors.iter().flatten().map(String::as_str).collect();
    failed.join("; ")
}

/// The generated builders' messages, made readable: progenitor spells types as token
/// streams (``conversion to `crate :: UserRef` for user failed``), and a nested
/// `stamps::Error` repeats the `invalid input: ` prefix.
fn tidy_input_message(message: &str) -> String {
    message
        .replace("crate :: ", "")
        .replace(": invalid input: ", ": ")
}

/// A transport error's message followed by its innermost cause.
///
/// reqwest's own message only names the phase ("error sending request for url (...)",
/// "request or response body error"); what happened is at the end of the chain:
/// "connection closed before message completed", "invalid HTTP version parsed",
/// "Connection reset by peer". Without it a reader cannot tell a server that hung up
/// from one that speaks garbage. None of these causes carries a URL.
fn with_root_cause(error: &reqwest::Error) -> String {
    let mut root: Option<&dyn std::error::Error> = None;
    let mut next = std::error::Error::source(error);
    while let Some(cause) = next {
        root = Some(cause);
        next = cause.source();
    }
    match root {
        Some(cause) => format!("{error}: {cause}"),
        None => error.to_string(),
    }
}

/// `?` on a generated call converts progenitor's error into [`Error`].
impl<E: serde::Serialize> From<progenitor_client::Error<E>> for Error {
    fn from(error: progenitor_client::Error<E>) -> Self {
        use progenitor_client::Error as P;
        match error {
            P::InvalidRequest(message) | P::Custom(message) => Error::InvalidInput {
                message: tidy_input_message(&message),
            },
            P::CommunicationError(e) | P::InvalidUpgrade(e) | P::ResponseBodyError(e) => {
                Error::from_reqwest(e)
            }
            // The client's `post` hook turns every error status into `UnexpectedResponse`
            // with the body attached, so this arm only serves hand-made values.
            P::ErrorResponse(value) => {
                let body = serde_json::to_vec(value.as_ref()).unwrap_or_default();
                let api = ApiError::from_body(value.status(), &body);
                match value.status().as_u16() {
                    401 | 403 => Error::Unauthorized(api),
                    s if s >= 500 => Error::Server(api),
                    _ => Error::Api(api),
                }
            }
            // Only the documented success status (200, checked by build.rs) is decoded.
            P::InvalidResponsePayload(body, source) => Error::Decode {
                status: StatusCode::OK,
                body_excerpt: redact::excerpt(&body),
                source,
            },
            P::UnexpectedResponse(response) => Error::from_response(&response),
        }
    }
}

/// An error answer from Stamps: its status and what its body says.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiError(Box<ApiErrorParts>);

/// Boxed so that [`Error`] stays small on the success path.
#[derive(Clone, PartialEq, Eq)]
struct ApiErrorParts {
    status: StatusCode,
    body: ErrorBody,
    body_excerpt: String,
}

impl ApiError {
    /// Reads an error body in any of the documented shapes; other bodies keep only
    /// their (redacted) excerpt.
    pub(crate) fn from_body(status: StatusCode, body: &[u8]) -> Self {
        ApiError(Box::new(ApiErrorParts {
            status,
            body: ErrorBody::parse(body).unwrap_or_default(),
            body_excerpt: redact::excerpt(body),
        }))
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The `error_code` of a v2 error body.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.0.body.code.as_ref()
    }

    /// `error_message`, else `detail`.
    pub fn message(&self) -> Option<&str> {
        self.0
            .body
            .message
            .as_deref()
            .or(self.0.body.detail.as_deref())
    }

    /// The `detail` field.
    pub fn detail(&self) -> Option<&str> {
        self.0.body.detail.as_deref()
    }

    /// Field name to messages, from either documented shape of `errors`.
    pub fn field_errors(&self) -> &BTreeMap<String, Vec<String>> {
        &self.0.body.field_errors
    }

    /// The messages not tied to one field (`__all__`).
    pub fn non_field_errors(&self) -> &[String] {
        self.0
            .body
            .field_errors
            .get(crate::error_body::NON_FIELD_ERRORS)
            .map_or(&[], Vec::as_slice)
    }

    /// The first bytes of the body as text, with any credential redacted.
    pub fn body_excerpt(&self) -> &str {
        &self.0.body_excerpt
    }

    /// Whether the body was a JSON object (the API's own error format).
    pub fn is_json(&self) -> bool {
        self.0.body.is_json
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.0.status.as_u16() {
            401 | 403 => "unauthorized",
            500.. => "server error",
            _ => "request refused",
        };
        write!(f, "{kind} ({})", self.0.status)?;
        if let Some(code) = self.code() {
            write!(f, " [{code}]")?;
        }
        match self.message() {
            Some(message) => write!(f, ": {message}")?,
            None if !self.0.body_excerpt.is_empty() => write!(f, ": {:?}", self.0.body_excerpt)?,
            None => {}
        }
        // The field errors name what to fix (the message alone often does not say which
        // field it is about).
        let fields: Vec<_> = self
            .field_errors()
            .iter()
            .filter(|(field, _)| field.as_str() != crate::error_body::NON_FIELD_ERRORS)
            .collect();
        if !fields.is_empty() {
            // A field whose only message is the one shown is just named.
            let message = self.message().unwrap_or_default();
            let list: Vec<String> = fields
                .iter()
                .map(|(k, v)| match v.as_slice() {
                    [only] if only == message => (*k).clone(),
                    _ => format!("{k}: {}", v.join("; ")),
                })
                .collect();
            write!(f, " ({})", list.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.0.status)
            .field("code", &self.0.body.code)
            .field("message", &self.0.body.message)
            .field("detail", &self.0.body.detail)
            .field("field_errors", &self.0.body.field_errors)
            .field("body_excerpt", &self.0.body_excerpt)
            .finish()
    }
}
