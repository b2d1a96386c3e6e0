//! Integer ids as newtypes, so a store id cannot be passed where a merchant id goes.
//!
//! The generated client uses them wherever the spec names the schema (build.rs maps
//! `MerchantId` to [`MerchantId`], and so on). Each one is sent as a JSON integer and
//! accepts both forms the API answers with: `6` and `"8120"`.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::Error;

macro_rules! integer_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u64);

        impl $name {
            /// Wraps a raw id, unchecked (conversions refuse values above `i64::MAX`).
            pub const fn new(id: u64) -> Self {
                Self(id)
            }

            /// The raw id.
            pub const fn get(self) -> u64 {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        /// Ids are `int64` in the spec: values above `i64::MAX` are refused.
        impl TryFrom<u64> for $name {
            type Error = Error;
            fn try_from(id: u64) -> Result<Self, Error> {
                i64::try_from(id).map_err(|_| Error::invalid_input(format!(concat!("a ", $what, " is at most {}, got {}"), i64::MAX, id)))?;
                Ok(Self(id))
            }
        }

        impl From<u32> for $name {
            fn from(id: u32) -> Self {
                Self(id.into())
            }
        }

        /// Integer literals (`.merchant(14)`) are `i32`; negatives are refused.
        impl TryFrom<i32> for $name {
            type Error = Error;
            fn try_from(id: i32) -> Result<Self, Error> {
                Self::try_from(i64::from(id))
            }
        }

        impl TryFrom<i64> for $name {
            type Error = Error;
            fn try_from(id: i64) -> Result<Self, Error> {
                u64::try_from(id)
                    .map(Self)
                    .map_err(|_| Error::invalid_input(format!(concat!("a ", $what, " cannot be negative, got {}"), id)))
            }
        }

        impl From<$name> for u64 {
            fn from(id: $name) -> u64 {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                parse_digits(s).map(Self).ok_or_else(|| {
                    Error::invalid_input(format!(concat!("a ", $what, " is an unsigned integer, got {:?}"), s))
                })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u64(self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(IdVisitor($what)).map(Self)
            }
        }
    };
}

integer_id!(
    /// A merchant's id (`merchant` in requests).
    MerchantId, "merchant id"
);
integer_id!(
    /// A store's id (`store` in requests).
    StoreId, "store id"
);
integer_id!(
    /// A customer's primary key (`id` of a user). Also a [`UserRef`](crate::UserRef):
    /// `UserRef::from(user_id)`.
    UserId, "user id"
);
integer_id!(
    /// The id of a balance update, returned by a credit or debit and used to cancel it.
    BalanceUpdateId, "balance update id"
);
integer_id!(
    /// A child's id (`child` in a delete request).
    ChildId, "child id"
);
integer_id!(
    /// A pet's id (`pet` in a delete request).
    PetId, "pet id"
);

/// Digits only, no sign, no spaces: `"8120"`.
fn parse_digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Accepts an unsigned integer or a string of digits.
struct IdVisitor(&'static str);

impl Visitor<'_> for IdVisitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a {} (an unsigned integer or a string of digits)",
            self.0
        )
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        parse_digits(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_integers_and_digit_strings() {
        let ids: Vec<UserId> = serde_json::from_str(r#"[6, "8120", 0]"#).unwrap();
        assert_eq!(ids, [UserId::new(6), UserId::new(8120), UserId::new(0)]);
        for bad in [
            r#""81a""#,
            r#""""#,
            "-1",
            "1.5",
            r#"" 1""#,
            "null",
            "99999999999999999999999",
        ] {
            let err = serde_json::from_str::<UserId>(bad).unwrap_err().to_string();
            assert!(err.contains("user id"), "{bad}: {err}");
        }
    }

    #[test]
    fn encodes_as_a_json_integer() {
        assert_eq!(
            serde_json::to_string(&BalanceUpdateId::new(123)).unwrap(),
            "123"
        );
    }

    #[test]
    fn converts_from_literals_and_refuses_negatives() {
        assert_eq!(MerchantId::try_from(14i32).unwrap().get(), 14);
        let err = StoreId::try_from(-3i32).unwrap_err().to_string();
        assert_eq!(err, "invalid input: a store id cannot be negative, got -3");
        assert_eq!("42".parse::<PetId>().unwrap(), PetId::new(42));
        assert!("4 2".parse::<ChildId>().is_err());
        assert_eq!(
            format!("{:?} {}", ChildId::new(7), ChildId::new(7)),
            "ChildId(7) 7"
        );
    }
}
