//! The credential: `ping` checks it; `get-access-token` hands out JWTs that carry an
//! `exp`, which the fake accepts as `Bearer` until then (see `server`).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::{Ctx, Handler, Problem};
use crate::fake::state::unix_now;
use crate::types;

/// The operations this module answers, each with its handler: the one list of them.
pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("ping", ping),
    ("get_access_token", issue),
    ("verify_access_token", verify),
];

fn ping(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let settings = ctx.settings;
    Ok(json!({"pong": {"merchant": settings.merchant_name, "merchant_id": settings.merchant}}))
}

fn issue(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::GetAccessTokenRequest = body!(ctx, GetAccessToken)?;
    let settings = ctx.settings;
    if body.token.expose() != settings.token.as_str() {
        return Err(Problem::unauthorized());
    }
    if u64::from(body.crm_merchant_id) != settings.merchant {
        return Err(Problem::new(
            "invalid_data",
            "crm_merchant_id",
            "Invalid merchant",
        ));
    }
    let iat = unix_now();
    let exp = iat + ctx.settings.access_token_lifetime().as_secs();
    let serial = ctx.state.next_id();
    let jwt = encode(
        &json!({"token_type": "access", "exp": exp, "iat": iat, "jti": format!("{serial:032x}"), "merchant_id": settings.merchant}),
    );
    ctx.state.access_tokens.insert(jwt.clone(), exp);
    Ok(json!({"access_token": jwt}))
}

fn verify(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let jwt = ctx
        .credential
        .and_then(|c| c.strip_prefix("Bearer "))
        .unwrap_or_default();
    match ctx.state.access_token_valid(jwt) {
        Some(true) => Ok(decode(jwt).unwrap_or_default()),
        _ => Err(Problem::new(
            "invalid_token",
            "token",
            "Token is invalid or expired",
        )),
    }
}

/// `header.payload.signature`, base64url; the signature is opaque (only the fake
/// checks its tokens, by looking them up).
fn encode(payload: &Value) -> String {
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let signature = URL_SAFE_NO_PAD.encode(payload["jti"].to_string());
    format!(
        "{}.{}.{signature}",
        part(&json!({"alg": "HS256", "typ": "JWT"})),
        part(payload)
    )
}

/// The payload of a JWT.
pub(crate) fn decode(jwt: &str) -> Option<Value> {
    let payload = jwt.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}
