//! Membership API v2 and v3 (docs file 004, sections 1 to 11 and 16): details,
//! suggestions, registration, profile changes, full profile, upgrade requirement,
//! tags, social media, anonymization, levels and partial registration.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use serde_json::{Value, json};

use super::errors::{ALL, Problem};
use super::params::Input;
use super::server::{Shared, operation};
use super::state::{Registration, level_name};
use super::views;
use crate::UserRef;

/// At most this many suggestions are returned.
const MAX_SUGGESTIONS: usize = 10;

pub(super) fn routes() -> Router<Shared> {
    let router = operation(Router::new(), "get_member_details", details);
    let router = operation(router, "suggest_members", suggestions);
    let router = operation(router, "register_member", register);
    let router = operation(router, "change_member_profile", change_profile);
    let router = operation(router, "get_full_profile", full_profile);
    let router = operation(router, "get_upgrade_requirement", upgrade_requirement);
    let router = operation(router, "add_membership_tag", add_tag);
    let router = operation(router, "remove_membership_tag", remove_tag);
    let router = operation(router, "set_social_media_profile", social_media);
    let router = operation(router, "anonymize_member", anonymize);
    let router = operation(router, "set_member_level", set_level);
    operation(router, "register_member_partial", partial_registration)
}

async fn details(State(app): State<Shared>, input: Input) -> Response {
    app.answer("get_member_details", input, |state, p| {
        let user = p.user("user");
        p.merchant();
        let verbose = p.opt_bool("verbose").unwrap_or(false);
        p.finish()?;
        Ok(views::details(state.find(user.as_ref())?, verbose))
    })
}

/// Members one of whose name's words, or whose email, starts with the query
/// (case-insensitive).
async fn suggestions(State(app): State<Shared>, input: Input) -> Response {
    app.answer("suggest_members", input, |state, p| {
        let query = p.string("query").trim().to_lowercase();
        p.merchant();
        p.finish()?;
        let suggestions: Vec<Value> = state
            .members()
            .filter(|m| !m.is_anonymized)
            .filter(|m| {
                m.name
                    .split_whitespace()
                    .any(|word| word.to_lowercase().starts_with(&query))
                    || m.name.to_lowercase().starts_with(&query)
                    || m.email
                        .as_deref()
                        .is_some_and(|e| e.to_lowercase().starts_with(&query))
            })
            .take(MAX_SUGGESTIONS)
            .map(views::suggestion)
            .collect();
        Ok(json!({ "suggestions": suggestions }))
    })
}

async fn register(State(app): State<Shared>, input: Input) -> Response {
    app.answer("register_member", input, |state, p| {
        p.merchant();
        let name = p.string("name");
        let email = p.email("email");
        let mobile = p.mobile("mobile_number");
        let birthday = p.date("birthday");
        let gender = p.gender("gender");
        p.at_least("store", 0);
        let member_id = p.opt_member_id("member_id");
        let address = p.opt_string("address");
        let district = p.opt_integer("district");
        let postal_code = p.opt_string("postal_code");
        p.opt_string("password");
        let referral_code = p.opt_string("referral_code");
        let is_active = p.opt_bool("is_active");
        let religion = p.opt_code_or_label("religion");
        let marital_status = p.opt_code_or_label("marital_status");
        let wedding_date = p.opt_date("wedding_date");
        let extra_data = p.opt_object("extra_data");
        let employee = p.opt_string("registering_employee_code");
        p.finish()?;
        state.check_unique(
            None,
            Some(("email", &email)),
            Some(("mobile_number", &mobile)),
            member_id.as_deref().map(|c| ("member_id", c)),
            "email_already_used",
        )?;
        if let Some(code) = &referral_code
            && !state.members().any(|m| m.referral_code == *code)
        {
            return Err(Problem::field("referral_code", "Invalid referral code"));
        }
        let member = state.register(Registration {
            name,
            email: Some(email),
            phone: Some(mobile),
            member_id,
            birthday: Some(birthday),
            gender,
            address,
            ..Registration::default()
        });
        member.district = district;
        member.postal_code = postal_code;
        member.is_active = is_active.unwrap_or(true);
        member.religion = religion.unwrap_or_default();
        member.marital_status = marital_status.unwrap_or_default();
        member.wedding_date = wedding_date;
        member.extra_data = extra_data.unwrap_or_default();
        member.registering_employee_code = employee;
        Ok(views::registered(member))
    })
}

async fn change_profile(State(app): State<Shared>, input: Input) -> Response {
    app.answer("change_member_profile", input, |state, p| {
        let user = p.user("user");
        p.merchant();
        let name = p.string("name");
        let birthday = p.date("birthday");
        let gender = p.gender("gender");
        let email = p.opt_email("email");
        let mobile = p.opt_mobile("mobile_number");
        let address = p.opt_string("address");
        let district = p.opt_integer("district");
        let postal_code = p.opt_string("postal_code");
        let extra_data = p.opt_object("extra_data");
        let has_downloaded_app = p.opt_bool("has_downloaded_app");
        let phone_is_verified = p.opt_bool("phone_is_verified");
        let email_is_verified = p.opt_bool("email_is_verified");
        let notes = p.opt_string("notes");
        let marital_status = p.opt_code_or_label("marital_status");
        let wedding_date = p.opt_date("wedding_date");
        p.finish()?;
        let id = state.find(user.as_ref())?.id;
        state.check_unique(
            Some(id),
            email.as_deref().map(|e| ("email", e)),
            mobile.as_deref().map(|n| ("mobile_number", n)),
            None,
            "email_already_used",
        )?;
        let m = state.member_mut(id);
        m.name = name;
        m.birthday = Some(birthday);
        m.gender = gender;
        set(&mut m.email, email);
        set(&mut m.phone, mobile);
        set(&mut m.address, address);
        set(&mut m.district, district);
        set(&mut m.postal_code, postal_code);
        set(&mut m.notes, notes);
        set(&mut m.wedding_date, wedding_date);
        if let Some(extra_data) = extra_data {
            m.extra_data = extra_data;
        }
        if let Some(status) = marital_status {
            m.marital_status = status;
        }
        m.has_downloaded_app = has_downloaded_app.unwrap_or(m.has_downloaded_app);
        m.phone_is_verified = phone_is_verified.unwrap_or(m.phone_is_verified);
        m.email_is_verified = email_is_verified.unwrap_or(m.email_is_verified);
        Ok(views::user(m))
    })
}

/// A field left out stays unchanged.
fn set<T>(field: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *field = value;
    }
}

async fn full_profile(State(app): State<Shared>, input: Input) -> Response {
    app.answer("get_full_profile", input, |state, p| {
        let user = p.user("user");
        p.finish()?;
        Ok(views::full_profile(state.find(user.as_ref())?))
    })
}

async fn upgrade_requirement(State(app): State<Shared>, input: Input) -> Response {
    app.answer("get_upgrade_requirement", input, |state, p| {
        let user = p.user("user");
        p.finish()?;
        let member = state.find(user.as_ref())?;
        Ok(json!({ "upgrade_requirement": views::upgrade_requirement(member) }))
    })
}

/// Adding a pair the membership already has changes nothing.
async fn add_tag(State(app): State<Shared>, input: Input) -> Response {
    app.answer("add_membership_tag", input, |state, p| {
        let user = p.user("user");
        p.merchant();
        let key = p.string("key");
        let value = p.string("value");
        p.finish()?;
        let member = state.find_mut(user.as_ref())?;
        let tag = (key, value);
        if !member.tags.contains(&tag) {
            member.tags.push(tag);
        }
        Ok(views::membership(member, false, false))
    })
}

async fn remove_tag(State(app): State<Shared>, input: Input) -> Response {
    app.answer("remove_membership_tag", input, |state, p| {
        let user = p.user("user");
        p.merchant();
        let key = p.string("key");
        let value = p.string("value");
        p.finish()?;
        let member = state.find_mut(user.as_ref())?;
        let before = member.tags.len();
        member.tags.retain(|(k, v)| !(*k == key && *v == value));
        if member.tags.len() == before {
            return Err(Problem::field(
                ALL,
                format!("Membership has no tag {key}: {value}"),
            ));
        }
        Ok(json!({ "status": "ok" }))
    })
}

/// Each network left out stays unchanged; the answer is the profile after the change.
async fn social_media(State(app): State<Shared>, input: Input) -> Response {
    app.answer("set_social_media_profile", input, |state, p| {
        let user = p.user("user");
        let facebook = p.opt_string("facebook");
        let twitter = p.opt_string("twitter");
        let instagram = p.opt_string("instagram");
        p.finish()?;
        let member = state.find_mut(user.as_ref())?;
        set(&mut member.facebook, facebook);
        set(&mut member.twitter, twitter);
        set(&mut member.instagram, instagram);
        Ok(views::social_media(member))
    })
}

async fn anonymize(State(app): State<Shared>, input: Input) -> Response {
    app.answer("anonymize_member", input, |state, p| {
        let user = p.user("identifier");
        p.finish()?;
        let id = state.find(user.as_ref())?.id;
        state.anonymize(id);
        Ok(json!({ "status": "ok" }))
    })
}

/// With `upgrade_only`, a lower level is refused with `downgrade_not_allowed`.
async fn set_level(State(app): State<Shared>, input: Input) -> Response {
    app.answer("set_member_level", input, |state, p| {
        let user = p.user("user");
        let level = p.integer("level");
        let upgrade_only = p.opt_bool("upgrade_only").unwrap_or(false);
        p.finish()?;
        let member = state.find_mut(user.as_ref())?;
        let level = u64::try_from(level)
            .ok()
            .filter(|l| level_name(*l).is_some())
            .ok_or_else(|| Problem::field("level", format!("Level {level} does not exist")))?;
        if upgrade_only && level < member.level {
            return Err(Problem::coded(
                "downgrade_not_allowed",
                ALL,
                "Level is lower than user's current level and downgrade is not allowed",
            ));
        }
        member.level = level;
        Ok(json!({ "status": "ok" }))
    })
}

/// Registers a customer by email or mobile number alone.
async fn partial_registration(State(app): State<Shared>, input: Input) -> Response {
    app.answer("register_member_partial", input, |state, p| {
        let user = p.string("user");
        p.opt_bool("send_registration_message");
        let employee = p.opt_string("registering_employee_code");
        p.finish()?;
        // "Member's email or mobile number": written any way `UserRef` accepts them.
        let (email, phone) = if user.contains('@') {
            match UserRef::email(&user) {
                Ok(UserRef::Email(email)) => (Some(email), None),
                _ => return Err(Problem::field("user", "Enter a valid email address.")),
            }
        } else {
            match UserRef::mobile(&user) {
                Ok(UserRef::Mobile(number)) => (None, Some(number)),
                _ => {
                    return Err(Problem::field(
                        "user",
                        "Enter a valid email or mobile number.",
                    ));
                }
            }
        };
        state.check_unique(
            None,
            email.as_deref().map(|e| ("user", e)),
            phone.as_deref().map(|n| ("user", n)),
            None,
            "email_already_used",
        )?;
        let member = state.register(Registration {
            email,
            phone,
            ..Registration::default()
        });
        member.registering_employee_code = employee;
        Ok(views::partial_registration(member))
    })
}
