//! [`RewardRef`]: how a call names a reward.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

/// A reward, named by its integer id or its string code. An id goes on the wire as a
/// JSON integer, a code as a JSON string.
///
/// Setters take either: `.reward(12)` or `.reward("COFFEE")`. A string made only of
/// digits is a code (codes are the merchant's own text); build an id with
/// [`RewardRef::Id`] or an integer.
///
/// ```
/// use stamps::RewardRef;
/// assert_eq!(RewardRef::try_from(12).unwrap(), RewardRef::Id(12));
/// assert_eq!(RewardRef::try_from("COFFEE").unwrap(), RewardRef::Code("COFFEE".into()));
/// assert_eq!(serde_json::to_string(&RewardRef::Id(12)).unwrap(), "12");
/// assert_eq!(serde_json::to_string(&RewardRef::Code("12".into())).unwrap(), r#""12""#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RewardRef {
    /// The reward's id.
    Id(u64),
    /// The reward's code.
    Code(String),
}

impl RewardRef {
    /// A reward code: not empty, no surrounding whitespace or control characters.
    pub fn code(code: &str) -> Result<Self, Error> {
        if code.is_empty() {
            return Err(Error::invalid_input("empty reward code"));
        }
        if code.trim() != code || code.chars().any(char::is_control) {
            return Err(Error::invalid_input(format!(
                "invalid reward code {code:?}: surrounding whitespace or control characters"
            )));
        }
        Ok(RewardRef::Code(code.to_owned()))
    }

    /// A reward id; ids start at 1.
    pub fn id(id: u64) -> Result<Self, Error> {
        if id == 0 {
            return Err(Error::invalid_input("a reward id starts at 1"));
        }
        Ok(RewardRef::Id(id))
    }
}

impl FromStr for RewardRef {
    type Err = Error;
    /// Always a code: see the type's documentation.
    fn from_str(s: &str) -> Result<Self, Error> {
        RewardRef::code(s)
    }
}

impl fmt::Display for RewardRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RewardRef::Id(id) => write!(f, "{id}"),
            RewardRef::Code(code) => f.write_str(code),
        }
    }
}

impl Serialize for RewardRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RewardRef::Id(id) => serializer.serialize_u64(*id),
            RewardRef::Code(code) => serializer.serialize_str(code),
        }
    }
}

impl<'de> Deserialize<'de> for RewardRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Id(u64),
            Code(String),
        }
        Ok(match Wire::deserialize(deserializer)? {
            Wire::Id(id) => RewardRef::Id(id),
            Wire::Code(code) => RewardRef::Code(code),
        })
    }
}

impl TryFrom<&str> for RewardRef {
    type Error = Error;
    fn try_from(s: &str) -> Result<Self, Error> {
        RewardRef::code(s)
    }
}

impl TryFrom<String> for RewardRef {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        RewardRef::code(&s)
    }
}

impl TryFrom<&String> for RewardRef {
    type Error = Error;
    fn try_from(s: &String) -> Result<Self, Error> {
        RewardRef::code(s)
    }
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl TryFrom<$t> for RewardRef {
            type Error = Error;
            fn try_from(id: $t) -> Result<Self, Error> {
                let id = u64::try_from(id)
                    .map_err(|_| Error::invalid_input("a reward id cannot be negative"))?;
                RewardRef::id(id)
            }
        }
    )*};
}
from_integer!(u64, u32, i32, i64);

/// The id a listing answers with: `.reward(listed.id)`.
#[cfg(feature = "rewards")]
impl TryFrom<crate::types::RewardId> for RewardRef {
    type Error = Error;
    fn try_from(id: crate::types::RewardId) -> Result<Self, Error> {
        RewardRef::try_from(id.0)
    }
}

/// The id field of a listed reward (an `Option`, as every answer field): `None` is
/// refused.
#[cfg(feature = "rewards")]
impl TryFrom<Option<crate::types::RewardId>> for RewardRef {
    type Error = Error;
    fn try_from(id: Option<crate::types::RewardId>) -> Result<Self, Error> {
        id.ok_or_else(|| Error::invalid_input("the reward has no id"))
            .and_then(RewardRef::try_from)
    }
}

/// A reward from a listing (`list_rewards`), by its id, else its code:
/// `.reward(&listed)`.
#[cfg(feature = "rewards")]
impl TryFrom<&crate::types::Reward> for RewardRef {
    type Error = Error;
    fn try_from(reward: &crate::types::Reward) -> Result<Self, Error> {
        match (&reward.id, &reward.code) {
            (Some(id), _) => RewardRef::try_from(id.0),
            (None, Some(code)) => RewardRef::code(code),
            (None, None) => Err(Error::invalid_input("the reward has neither id nor code")),
        }
    }
}

impl From<&RewardRef> for RewardRef {
    fn from(r: &RewardRef) -> Self {
        r.clone()
    }
}
