//! Membership API, legacy v1 pages (docs file 002): member status, registration and
//! change, authenticated by the `Authorization` header alone. (The suggestions API,
//! documented on this page too, is served with the v2 operations.)

use axum::Router;
use axum::extract::State;
use axum::response::Response;

use super::params::Input;
use super::server::{Shared, operation};
use super::state::Registration;
use super::views;
use crate::UserRef;

pub(super) fn routes() -> Router<Shared> {
    let router = operation(Router::new(), "get_member_status", status);
    let router = operation(router, "register_member_legacy", register);
    operation(router, "change_member_legacy", change)
}

async fn status(State(app): State<Shared>, input: Input) -> Response {
    app.answer("get_member_status", input, |state, p| {
        let user = p.user("user");
        p.merchant();
        p.finish()?;
        Ok(views::legacy_status(state.find(user.as_ref())?))
    })
}

async fn register(State(app): State<Shared>, input: Input) -> Response {
    app.answer("register_member_legacy", input, |state, p| {
        p.merchant();
        let name = p.string("name");
        let email = p.email("email");
        let birthday = p.date("birthday");
        let gender = p.gender("gender");
        p.at_least("store", 0);
        let member_id = p.opt_member_id("member_id");
        let phone = p.opt_mobile("phone");
        let address = p.opt_string("address");
        p.finish()?;
        state.check_unique(
            None,
            Some(("email", &email)),
            phone.as_deref().map(|n| ("phone", n)),
            member_id.as_deref().map(|c| ("member_id", c)),
            "email_already_used",
        )?;
        let member = state.register(Registration {
            name,
            email: Some(email),
            phone,
            member_id,
            birthday: Some(birthday),
            gender,
            address,
            ..Registration::default()
        });
        Ok(views::legacy_customer(member, true))
    })
}

async fn change(State(app): State<Shared>, input: Input) -> Response {
    app.answer("change_member_legacy", input, |state, p| {
        let id = p.at_least("id", 1);
        p.merchant();
        let name = p.string("name");
        let birthday = p.date("birthday");
        let gender = p.gender("gender");
        let email = p.opt_email("email");
        let member_id = p.opt_member_id("member_id");
        let phone = p.opt_mobile("phone");
        let address = p.opt_string("address");
        p.finish()?;
        let id = state.find(Some(&UserRef::Id(id)))?.id;
        state.check_unique(
            Some(id),
            email.as_deref().map(|e| ("email", e)),
            phone.as_deref().map(|n| ("phone", n)),
            member_id.as_deref().map(|c| ("member_id", c)),
            "email_already_used",
        )?;
        let member = state.member_mut(id);
        member.name = name;
        member.birthday = Some(birthday);
        member.gender = gender;
        if email.is_some() {
            member.email = email;
        }
        if phone.is_some() {
            member.phone = phone;
        }
        if address.is_some() {
            member.address = address;
        }
        if let Some(card) = member_id {
            member.member_ids.retain(|c| *c != card);
            member.member_ids.insert(0, card);
        }
        Ok(views::legacy_customer(member, false))
    })
}
