//! [`Secret`]: a string the spec marks `format: password` (a PIN, a password, the key in
//! the token exchange, a JWT in an answer).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;
use crate::redact::MASK;

/// A secret string: sent and received as a plain JSON string, but `Debug` and
/// `Display` show `***`, so that logging a request or an answer shows no PIN.
/// [`expose`](Secret::expose) gives the value.
///
/// ```
/// let pin = stamps::Secret::try_from("123456").unwrap();
/// assert_eq!(format!("{pin:?} {pin}"), "Secret(***) ***");
/// assert_eq!(pin.expose(), "123456");
/// assert_eq!(serde_json::to_string(&pin).unwrap(), r#""123456""#);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(Box<str>);

impl Secret {
    /// The value itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({MASK})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl FromStr for Secret {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        if s.is_empty() {
            return Err(Error::invalid_input(
                "a secret (PIN, password, key) cannot be empty",
            ));
        }
        Ok(Secret(s.into()))
    }
}

impl TryFrom<&str> for Secret {
    type Error = Error;
    fn try_from(s: &str) -> Result<Self, Error> {
        s.parse()
    }
}

impl TryFrom<String> for Secret {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        s.parse()
    }
}

impl TryFrom<&String> for Secret {
    type Error = Error;
    fn try_from(s: &String) -> Result<Self, Error> {
        s.parse()
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    /// Liberal: an answer's secret may be empty.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Secret(String::deserialize(deserializer)?.into()))
    }
}
