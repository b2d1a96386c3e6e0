//! The fake's HTTP side: one hyper service that records each call, applies injected
//! failures, checks the credential, lets the engine check the request, and answers
//! from the state or the documented example.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use serde_json::{Value, json};

use super::engine::{self, Incoming as Checked, Refusal, Route};
use super::ops::{self, Ctx};
use super::overlay::overlay;
use super::{App, Call, Failure};

/// The largest request body the fake reads.
const MAX_BODY: usize = 1 << 20;

/// Why the connection is closed without an answer (an injected drop).
#[derive(Debug)]
pub(super) struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for DropConnection {}

/// Serves connections from `listener` until the task is aborted.
pub(super) async fn serve(listener: tokio::net::TcpListener, app: Arc<App>) {
    let read_timeout = app.read_timeout;
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let app = app.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| handle(app.clone(), request));
            // An injected drop, or the client going away, ends the connection. A head
            // not received in time closes it; one that does not parse gets hyper's 400.
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(read_timeout)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

type Answer = Response<Full<Bytes>>;

/// `answer`, after which the connection closes.
fn closing(mut answer: Answer) -> Answer {
    answer.headers_mut().insert(
        hyper::header::CONNECTION,
        hyper::header::HeaderValue::from_static("close"),
    );
    answer
}

async fn handle(app: Arc<App>, request: Request<Incoming>) -> Result<Answer, DropConnection> {
    let (parts, body) = request.into_parts();
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
    let query: Vec<(String, String)> =
        form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    // A body announced beyond the cap is refused before it is read; one that does
    // not arrive in time is answered too. Either way the connection then closes: the
    // rest of the body is never read.
    let too_large = || {
        closing(json_answer(
            413,
            &json!({"detail": "Request body too large"}),
        ))
    };
    let announced = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|length| length > MAX_BODY as u64) {
        return Ok(too_large());
    }
    let read = tokio::time::timeout(app.read_timeout, Limited::new(body, MAX_BODY).collect());
    let body = match read.await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(_)) => return Ok(too_large()),
        Err(_) => {
            return Ok(closing(json_answer(
                408,
                &json!({"detail": "Request body not received in time"}),
            )));
        }
    };
    let route = engine::engine().route(&method, &path);
    let operation = route.as_ref().ok().map(|(r, _)| r.id);
    let failure = operation.and_then(|id| app.next_failure(id));
    let answer = match failure {
        Some(Failure::Drop) => {
            app.record(Call::new(method, path, operation, 0, query, &body));
            return Err(DropConnection);
        }
        Some(Failure::Status {
            status,
            body: answer,
        }) => Ok(raw_answer(status, answer)),
        Some(Failure::Stall(wait)) => {
            tokio::time::sleep(wait).await;
            answer(&app, route, &parts.headers, &query, &body)
        }
        None => answer(&app, route, &parts.headers, &query, &body),
    };
    let answer = answer.unwrap_or_else(|never: Infallible| match never {});
    // The webhooks of what the call changed go out before it is answered, so that a
    // test sees them as soon as its call returns.
    let events = std::mem::take(&mut app.state().outbox);
    app.webhooks.send_events(events).await;
    app.record(Call::new(
        method,
        path,
        operation,
        answer.status().as_u16(),
        query,
        &body,
    ));
    Ok(answer)
}

fn answer(
    app: &App,
    route: Result<(&'static Route, serde_json::Map<String, Value>), Refusal>,
    headers: &hyper::HeaderMap,
    query: &[(String, String)],
    body: &[u8],
) -> Result<Answer, Infallible> {
    let engine = engine::engine();
    let (route, captured) = match route {
        Ok(found) => found,
        Err(Refusal::MethodNotAllowed) => {
            return Ok(json_answer(405, &json!({"detail": "Method not allowed."})));
        }
        Err(_) => return Ok(html_answer(404, "<h1>Not Found</h1>")),
    };
    let credential = credential(headers);
    if !route.public {
        match &credential {
            None => return Ok(json_answer(403, &engine.forbidden)),
            Some(credential) if !app.accepts(credential) => {
                return Ok(json_answer(401, &engine.unauthorized));
            }
            Some(_) => {}
        }
    }
    let incoming = Checked { query, body };
    let (params, body) = match route.check(&incoming, captured) {
        Ok(checked) => checked,
        Err(Refusal::Invalid(errors)) => {
            return Ok(json_answer(
                400,
                &engine::error_body(&route.style, "invalid_data", &errors),
            ));
        }
        Err(Refusal::Malformed(detail)) => return Ok(json_answer(400, &json!({"detail": detail}))),
        Err(_) => return Ok(json_answer(400, &json!({"detail": "Bad request"}))),
    };
    let documented = route.answer();
    let Some(handler) = ops::handler(route.id) else {
        return Ok(documented_answer(
            documented.status,
            documented.content_type,
            &documented.body,
        ));
    };
    let mut state = app.state();
    let mut ctx = Ctx {
        id: route.id,
        state: &mut state,
        params: &params,
        body: &body,
        settings: &app.settings,
        credential: credential.as_deref(),
    };
    Ok(match handler(&mut ctx) {
        Ok(values) => json_answer(documented.status, &overlay(documented.body.clone(), values)),
        Err(problem) if problem.status == 401 => json_answer(401, &engine.unauthorized),
        Err(problem) => json_answer(
            problem.status,
            &engine::error_body(
                &route.style,
                problem.code,
                &[(problem.field, problem.message)],
            ),
        ),
    })
}

/// The `Authorization` header's value, if any.
fn credential(headers: &hyper::HeaderMap) -> Option<String> {
    headers.get(AUTHORIZATION)?.to_str().ok().map(str::to_owned)
}

fn documented_answer(status: u16, content_type: &str, body: &Value) -> Answer {
    match body {
        Value::String(text) if content_type == "text/html" => html_answer(status, text),
        body => json_answer(status, body),
    }
}

fn json_answer(status: u16, body: &Value) -> Answer {
    with_body(status, "application/json", Bytes::from(body.to_string()))
}

fn html_answer(status: u16, body: &str) -> Answer {
    with_body(
        status,
        "text/html; charset=utf-8",
        Bytes::from(body.to_owned()),
    )
}

/// An injected answer: JSON if it parses as JSON, else HTML.
fn raw_answer(status: u16, body: Bytes) -> Answer {
    let content_type = if serde_json::from_slice::<Value>(&body).is_ok() {
        "application/json"
    } else {
        "text/html; charset=utf-8"
    };
    with_body(status, content_type, body)
}

fn with_body(status: u16, content_type: &str, body: Bytes) -> Answer {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        CONTENT_TYPE,
        content_type.parse().expect("a valid content type"),
    );
    response
}
