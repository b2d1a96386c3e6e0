//! The `error_code` values of the API's v2 error bodies.

use std::fmt;

/// A machine-readable `error_code` from a v2 error body.
///
/// The named variants are the codes the documentation shows; any other code arrives
/// as [`Other`](ErrorCode::Other), so a new code on the server never breaks decoding.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `invalid_data`: the request's data is invalid, e.g. the user is not found.
    InvalidData,
    /// `user_has_no_membership`: the customer has no membership with the merchant.
    UserHasNoMembership,
    /// `downgrade_not_allowed`: `upgrade_only` was set and the level is lower.
    DowngradeNotAllowed,
    /// `invalid_template_code`: no OTP message template has that code.
    InvalidTemplateCode,
    /// `invalid_user_whatsapp_number`: no mobile number, or not a WhatsApp number.
    InvalidUserWhatsappNumber,
    /// `email_already_used`: another customer has that email.
    EmailAlreadyUsed,
    /// A code this version of the SDK does not know.
    Other(String),
}

/// Known codes and their wire form, in one place.
const KNOWN: &[(ErrorCode, &str)] = &[
    (ErrorCode::InvalidData, "invalid_data"),
    (ErrorCode::UserHasNoMembership, "user_has_no_membership"),
    (ErrorCode::DowngradeNotAllowed, "downgrade_not_allowed"),
    (ErrorCode::InvalidTemplateCode, "invalid_template_code"),
    (
        ErrorCode::InvalidUserWhatsappNumber,
        "invalid_user_whatsapp_number",
    ),
    (ErrorCode::EmailAlreadyUsed, "email_already_used"),
];

impl ErrorCode {
    /// The code as the server sends it, e.g. `"invalid_data"`.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::Other(code) => code,
            known => KNOWN
                .iter()
                .find(|(k, _)| k == known)
                .map_or("", |(_, s)| s),
        }
    }
}

impl From<&str> for ErrorCode {
    fn from(code: &str) -> Self {
        KNOWN
            .iter()
            .find(|(_, s)| *s == code)
            .map_or_else(|| ErrorCode::Other(code.to_owned()), |(k, _)| k.clone())
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_known_code_and_keeps_unknown_ones() {
        for (code, wire) in KNOWN {
            assert_eq!(&ErrorCode::from(*wire), code);
            assert_eq!(code.as_str(), *wire);
        }
        assert_eq!(
            ErrorCode::from("brand_new"),
            ErrorCode::Other("brand_new".into())
        );
        assert_eq!(ErrorCode::from("brand_new").to_string(), "brand_new");
    }
}
