//! Balance API (docs file 003): credit, debit, and cancel an earlier update once.
//!
//! `type` is optional (the cURL examples omit it) but must be `stamps` when given.
//! A debit larger than the balance is refused with a 400 on `amount`.

use axum::Router;
use axum::extract::State;
use axum::response::Response;

use super::errors::Problem;
use super::params::{Input, Params};
use super::server::{Shared, operation};
use super::state::{Direction, State as Model};
use super::views;

pub(super) fn routes() -> Router<Shared> {
    let router = operation(Router::new(), "credit_balance", credit);
    let router = operation(router, "debit_balance", debit);
    operation(router, "cancel_balance_update", cancel)
}

async fn credit(State(app): State<Shared>, input: Input) -> Response {
    app.answer("credit_balance", input, |state, p| {
        update(state, p, Direction::Credit)
    })
}

async fn debit(State(app): State<Shared>, input: Input) -> Response {
    app.answer("debit_balance", input, |state, p| {
        update(state, p, Direction::Debit)
    })
}

fn update(
    state: &mut Model,
    p: &mut Params,
    direction: Direction,
) -> Result<serde_json::Value, Problem> {
    let user = p.user("user");
    let amount = p.at_least("amount", 1);
    p.opt_choice("type", &["stamps"]);
    p.merchant();
    p.at_least("store", 0);
    p.finish()?;
    let member = state.find(user.as_ref())?.id;
    let update = state.update_balance(member, amount, direction)?;
    Ok(views::balance_update(state.member_mut(member), &update))
}

async fn cancel(State(app): State<Shared>, input: Input) -> Response {
    app.answer("cancel_balance_update", input, |state, p| {
        let id = p.at_least("id", 0);
        p.finish()?;
        let update = state.cancel_update(id)?;
        Ok(views::balance_update(
            state.member_mut(update.member),
            &update,
        ))
    })
}
