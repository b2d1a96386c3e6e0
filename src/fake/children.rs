//! Children API (docs file 000): add and delete a customer's children.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use super::params::Input;
use super::server::{Shared, operation};
use super::views;

pub(super) fn routes() -> Router<Shared> {
    let router = operation(Router::new(), "add_child", add);
    operation(router, "delete_child", delete)
}

async fn add(State(app): State<Shared>, input: Input) -> Response {
    app.answer("add_child", input, |state, p| {
        let user = p.user("user");
        let name = p.string("name");
        let birthday = p.date("birthday");
        let gender = p.choice("gender", &["m", "f"]);
        p.finish()?;
        let owner = state.find(user.as_ref())?.id;
        let child = state.add_child(owner, name, birthday, gender);
        Ok(json!({ "child": views::child(&child) }))
    })
}

async fn delete(State(app): State<Shared>, input: Input) -> Response {
    app.answer("delete_child", input, |state, p| {
        let child = p.at_least("child", 1);
        p.finish()?;
        state.delete_child(child)?;
        Ok(json!({ "status": "ok" }))
    })
}
