//! Pet API (docs file 001): add and delete a customer's pets. Pet genders are the
//! Gender Mapping codes `m`, `f` and `o`.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use super::params::Input;
use super::server::{Shared, operation};
use super::state::PetRecord;
use super::views;

pub(super) fn routes() -> Router<Shared> {
    let router = operation(Router::new(), "add_pet", add);
    operation(router, "delete_pet", delete)
}

async fn add(State(app): State<Shared>, input: Input) -> Response {
    app.answer("add_pet", input, |state, p| {
        let user = p.user("user");
        let name = p.string("name");
        let kind = p.string("type");
        let birthday = p.opt_date("birthday");
        let breed = p.opt_string("breed").filter(|b| !b.is_empty());
        let gender = p.opt_choice("gender", &["m", "f", "o"]);
        p.finish()?;
        let owner = state.find(user.as_ref())?.id;
        let pet = state.add_pet(
            owner,
            PetRecord {
                id: 0,
                name,
                kind,
                breed,
                birthday,
                gender,
            },
        );
        Ok(json!({ "pet": views::pet(&pet) }))
    })
}

async fn delete(State(app): State<Shared>, input: Input) -> Response {
    app.answer("delete_pet", input, |state, p| {
        let pet = p.at_least("pet", 1);
        p.finish()?;
        state.delete_pet(pet)?;
        Ok(json!({ "status": "ok" }))
    })
}
