//! The fake's HTTP side: the shared state of the routes, the router, and how every
//! documented operation is answered (credential, parameters, error shape).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Json;
use axum::Router;
use axum::handler::Handler;
use axum::http::{Method, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};
use serde_json::Value;

use super::calls::{self, Call};
use super::errors::{self, Problem, Style};
use super::params::{Input, Params};
use super::state::State;
use super::{accounts, auth, balances, children, extras, memberships, memberships_legacy, pets};
use crate::operations::{self, Operation};

/// What every route shares.
pub(super) type Shared = Arc<App>;

/// The fake's configuration and state.
#[derive(Debug)]
pub(super) struct App {
    /// The static key (`Token <key>`, and `Bearer <key>`).
    pub(super) token: String,
    /// The merchant the key belongs to.
    pub(super) merchant: u64,
    /// Its name, as `ping` reports it.
    pub(super) merchant_name: String,
    /// OTP message templates that exist; `None`: any code does.
    pub(super) otp_templates: Option<Vec<String>>,
    state: Mutex<State>,
    calls: Mutex<Vec<Call>>,
}

impl App {
    pub(super) fn new(
        token: String,
        merchant: u64,
        merchant_name: String,
        otp_templates: Option<Vec<String>>,
    ) -> Self {
        App {
            token,
            merchant,
            merchant_name,
            otp_templates,
            state: Mutex::new(State::default()),
            calls: Mutex::new(Vec::new()),
        }
    }

    /// The model, locked. A panic elsewhere does not make it unusable.
    pub(super) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The request log, locked.
    pub(super) fn calls(&self) -> MutexGuard<'_, Vec<Call>> {
        self.calls.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `credential` is the static key or an access token handed out.
    pub(super) fn accepts(&self, credential: &str) -> bool {
        credential == self.token || self.state().is_access_token(credential)
    }

    /// Answers documented operation `id`: checks the `token` parameter where its page
    /// has one, runs `serve` on the parameters and the model, and renders its
    /// refusal in the shape of the operation's page.
    pub(super) fn answer(
        &self,
        id: &'static str,
        input: Input,
        serve: impl FnOnce(&mut State, &mut Params) -> Result<Value, Problem>,
    ) -> Response {
        let operation = operations::find(id).expect("every served operation is in the spec");
        let map = match input.0 {
            Ok(map) => map,
            Err(refusal) => return refusal,
        };
        if !auth::param_is_valid(self, operation, &map) {
            return errors::invalid_token();
        }
        let style = style(operation, map.contains_key("token"));
        let mut params = Params::new(map, self.merchant);
        let result = serve(&mut self.state(), &mut params);
        match result {
            Ok(body) => Json(body).into_response(),
            Err(problem) => problem.render(style),
        }
    }
}

/// The error shape of an operation's page. Suggestions are documented on both the
/// legacy page and the v2 page (the one with `token`).
fn style(operation: &Operation, has_token: bool) -> Style {
    match operation.tag {
        "memberships" | "accounts" if operation.id != "suggest_members" || has_token => Style::V2,
        _ => Style::Legacy,
    }
}

/// Adds documented operation `id` at its path and method, as the spec has them.
pub(super) fn operation<H, T>(router: Router<Shared>, id: &str, handler: H) -> Router<Shared>
where
    H: Handler<T, Shared>,
    T: 'static,
{
    let op = operations::find(id).unwrap_or_else(|| panic!("{id} is not in the spec"));
    let filter = if op.method == "GET" {
        MethodFilter::GET
    } else {
        MethodFilter::POST
    };
    router.route(op.path, on(filter, handler))
}

/// Every route: the documented operations behind the `Authorization` check, the
/// account-check and error-test endpoints, and JSON 405s.
pub(super) fn router(app: Shared) -> Router {
    let documented = Router::new()
        .merge(children::routes())
        .merge(pets::routes())
        .merge(memberships_legacy::routes())
        .merge(balances::routes())
        .merge(memberships::routes())
        .merge(accounts::routes())
        .merge(extras::authenticated_routes())
        .method_not_allowed_fallback(method_not_allowed)
        .route_layer(middleware::from_fn_with_state(
            app.clone(),
            auth::require_header,
        ));
    Router::new()
        .merge(documented)
        .merge(extras::open_routes())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), calls::record))
        .with_state(app)
}

async fn method_not_allowed(method: Method) -> Response {
    errors::method_not_allowed(method.as_str())
}

async fn not_found() -> Response {
    errors::html(
        StatusCode::NOT_FOUND,
        "<h1>Not Found</h1><p>The requested resource was not found on this server.</p>",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::OPERATIONS;

    #[test]
    fn styles_follow_the_pages() {
        let style_of = |id: &str, token| style(operations::find(id).unwrap(), token);
        assert_eq!(style_of("add_child", false), Style::Legacy);
        assert_eq!(style_of("credit_balance", false), Style::Legacy);
        assert_eq!(style_of("get_member_status", false), Style::Legacy);
        assert_eq!(style_of("get_member_details", true), Style::V2);
        assert_eq!(style_of("change_email", true), Style::V2);
        assert_eq!(style_of("suggest_members", true), Style::V2);
        assert_eq!(style_of("suggest_members", false), Style::Legacy);
        assert_eq!(OPERATIONS.len(), 26);
    }
}
