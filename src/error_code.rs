//! The `error_code` values of the API's error bodies: the enum is generated from the
//! codes the spec's examples document (see `stamps_spec::error_codes`).

use std::fmt;

// `enum ErrorCode` and `KNOWN`, one variant per code the docs' examples show.
pub use crate::generated::error_codes::ErrorCode;
use crate::generated::error_codes::KNOWN;

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
