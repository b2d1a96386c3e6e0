//! Puts the credential where an operation's documentation lists `token`: the query
//! string of a GET or the JSON body of a POST (see [`TokenPlacement`]).
//!
//! The body is not parsed again: the prepared `"token":"..."` member is spliced in
//! after the opening brace of the JSON object the generated code serialised.

use reqwest::Request;

use crate::credentials::Credential;
use crate::operations::TokenPlacement;

/// Adds `token` to `request` as `placement` says.
pub(crate) fn add(
    request: &mut Request,
    placement: TokenPlacement,
    credential: &Credential,
) -> Result<(), String> {
    match placement {
        TokenPlacement::None => Ok(()),
        TokenPlacement::Query => {
            request
                .url_mut()
                .query_pairs_mut()
                .append_pair("token", credential.secret());
            Ok(())
        }
        TokenPlacement::Body => {
            let body = request
                .body()
                .and_then(reqwest::Body::as_bytes)
                .unwrap_or_default();
            let spliced = splice(body, credential.json_member())?;
            *request.body_mut() = Some(spliced.into());
            Ok(())
        }
    }
}

/// `{...}` becomes `{<member>,...}`; `{}` becomes `{<member>}`.
fn splice(body: &[u8], member: &[u8]) -> Result<Vec<u8>, String> {
    let rest = body.strip_prefix(b"{").ok_or_else(|| {
        "the request body is not a JSON object, so `token` cannot be added to it".to_owned()
    })?;
    let mut out = Vec::with_capacity(body.len() + member.len() + 1);
    out.push(b'{');
    out.extend_from_slice(member);
    if !rest.trim_ascii_start().starts_with(b"}") {
        out.push(b',');
    }
    out.extend_from_slice(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::splice;

    #[test]
    fn splices_the_member_first() {
        let member = br#""token":"k""#;
        assert_eq!(
            splice(br#"{"user":1}"#, member).unwrap(),
            br#"{"token":"k","user":1}"#
        );
        assert_eq!(splice(b"{}", member).unwrap(), br#"{"token":"k"}"#);
        assert!(splice(b"[1]", member).is_err());
        assert!(splice(b"", member).is_err());
    }
}
