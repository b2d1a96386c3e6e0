//! Accounts API v2 (docs file 004, sections 12 to 15): change a customer's mobile
//! number or email, confirmed by an OTP.
//!
//! Requesting an OTP answers it (as the documentation shows); the change succeeds
//! with that OTP once, and fails with 400 on `otp` otherwise. A mobile OTP belongs
//! to the customer named by `identifier` (which the fake requires: the table's
//! `mobile_number` is the new number, not the customer); an email OTP belongs to the
//! new address.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use super::errors::Problem;
use super::params::Input;
use super::server::{App, Shared, operation};
use crate::UserRef;

pub(super) fn routes() -> Router<Shared> {
    let router = operation(
        Router::new(),
        "request_mobile_number_change_otp",
        request_mobile_otp,
    );
    let router = operation(router, "change_mobile_number", change_mobile);
    let router = operation(router, "request_email_change_otp", request_email_otp);
    operation(router, "change_email", change_email)
}

/// Refuses a template code the fake was not told about (any code is fine unless the
/// fake was built with a list).
fn check_template(app: &App, code: Option<&str>, not_found: &str) -> Result<(), Problem> {
    match (code, &app.otp_templates) {
        (Some(code), Some(known)) if !known.iter().any(|k| k == code) => Err(Problem::coded(
            "invalid_template_code",
            "template_code",
            not_found,
        )),
        _ => Ok(()),
    }
}

async fn request_mobile_otp(State(app): State<Shared>, input: Input) -> Response {
    app.answer("request_mobile_number_change_otp", input, |state, p| {
        let user = p.user("identifier");
        let new_number = p.opt_mobile("mobile_number");
        let channel = p.choice("type", &["sms", "whatsapp"]);
        let template = p.string("template_code");
        p.finish()?;
        let member = state.find(user.as_ref())?;
        check_template(&app, Some(&template), "Messages template not found")?;
        if channel == "whatsapp" && member.phone.is_none() {
            return Err(Problem::coded(
                "invalid_user_whatsapp_number",
                "type",
                "User does not have mobile number or invalid whatsapp number",
            ));
        }
        let id = member.id;
        let otp = state.new_mobile_otp(id, new_number);
        Ok(json!({ "otp": otp }))
    })
}

async fn change_mobile(State(app): State<Shared>, input: Input) -> Response {
    app.answer("change_mobile_number", input, |state, p| {
        let user = p.user("identifier");
        let new_number = p.mobile("new_number");
        let otp = p.string("otp");
        p.finish()?;
        let id = state.find(user.as_ref())?.id;
        state.check_unique(
            Some(id),
            None,
            Some(("new_number", &new_number)),
            None,
            "email_already_used",
        )?;
        state.take_mobile_otp(id, &otp, &new_number)?;
        let member = state.member_mut(id);
        member.phone = Some(new_number);
        member.phone_is_verified = true;
        Ok(json!({ "status": "ok" }))
    })
}

async fn request_email_otp(State(app): State<Shared>, input: Input) -> Response {
    app.answer("request_email_change_otp", input, |state, p| {
        let new_email = p.email("new_email");
        let template = p.opt_string("template_code");
        p.finish()?;
        check_template(&app, template.as_deref(), "Email template not found")?;
        if state
            .holder(&UserRef::Email(new_email.clone()), None)
            .is_some()
        {
            return Err(Problem::coded(
                "email_already_used",
                "new_email",
                format!("{new_email} is already used"),
            ));
        }
        Ok(json!({ "otp": state.new_email_otp(&new_email) }))
    })
}

async fn change_email(State(app): State<Shared>, input: Input) -> Response {
    app.answer("change_email", input, |state, p| {
        let user = p.user("user");
        let otp = p.string("otp");
        let new_email = p.email("new_email");
        p.finish()?;
        let id = state.find(user.as_ref())?.id;
        state.check_unique(
            Some(id),
            Some(("new_email", &new_email)),
            None,
            None,
            "email_already_used",
        )?;
        state.take_email_otp(&new_email, &otp)?;
        let member = state.member_mut(id);
        member.email = Some(new_email);
        member.email_is_verified = true;
        Ok(json!({ "status": "ok" }))
    })
}
