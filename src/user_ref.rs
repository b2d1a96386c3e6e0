//! [`UserRef`]: how a call names a customer.
//!
//! The documentation accepts "a string indicating customer's email, Member ID, mobile
//! number or primary key ID" in many places. `UserRef` says which one a value is,
//! checks it, and normalises Indonesian mobile numbers to E.164.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, UserId};

/// Strings of up to this many digits (without a leading zero) are read as a primary
/// key by [`UserRef::from_str`]; longer ones are member (card) numbers, like the
/// documentation's `123456789012`.
pub const PRIMARY_KEY_MAX_DIGITS: usize = 9;

/// E.164 allows at most 15 digits; fewer than 8 is no real mobile number.
const MOBILE_DIGITS: std::ops::RangeInclusive<usize> = 8..=15;

/// A customer, named by email, mobile number, member (card) id or primary key.
///
/// Build one with a constructor that validates ([`email`](UserRef::email),
/// [`mobile`](UserRef::mobile), [`member_id`](UserRef::member_id),
/// [`id`](UserRef::id)) or parse a string of unknown kind with [`str::parse`]. The
/// variants can also be built directly, unchecked.
///
/// Every generated builder's `user`/`identifier` setter takes anything that converts:
///
/// ```no_run
/// # async fn run(client: stamps::Client) -> stamps::Result<()> {
/// use stamps::UserRef;
/// client.get_member_details().user("alice@example.com").merchant(14).send().await?;
/// client.get_member_details().user(UserRef::mobile("0812-3456-7890")?).merchant(14).send().await?;
/// client.get_member_details().user(8120).merchant(14).send().await?;
/// # Ok(()) }
/// ```
///
/// A primary key is sent as a JSON integer, the others as strings; `Display` gives the
/// normalised form (`+6281234567890`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UserRef {
    /// An email address.
    Email(String),
    /// A mobile number in E.164 form, e.g. `+6281234567890`.
    Mobile(String),
    /// A member (card) id, e.g. `123456789012` or `RRR123456`.
    MemberId(String),
    /// The customer's integer primary key.
    Id(u64),
}

impl UserRef {
    /// An email address: one `@`, a non-empty local part, a dotted domain, no spaces.
    pub fn email(email: &str) -> Result<Self, Error> {
        let email = email.trim();
        let invalid = |why: &str| Error::invalid_input(format!("invalid email {email:?}: {why}"));
        if email.is_empty() {
            return Err(Error::invalid_input("empty email"));
        }
        if email.chars().any(char::is_whitespace) {
            return Err(invalid("it contains spaces"));
        }
        let (local, domain) = email.split_once('@').ok_or_else(|| invalid("no @"))?;
        if local.is_empty() {
            return Err(invalid("nothing before the @"));
        }
        if domain.is_empty() {
            return Err(invalid("no domain after the @"));
        }
        if domain.contains('@') {
            return Err(invalid("more than one @"));
        }
        if !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(invalid("the domain is not a dotted name"));
        }
        Ok(UserRef::Email(email.to_owned()))
    }

    /// A mobile number, normalised to E.164: `+62...` as given, Indonesian local
    /// `08...` and `628...` prefixed. Spaces, dashes, dots and parentheses are ignored.
    pub fn mobile(number: &str) -> Result<Self, Error> {
        let invalid =
            |why: &str| Error::invalid_input(format!("invalid mobile number {number:?}: {why}"));
        let compact: String = number
            .trim()
            .chars()
            .filter(|c| !is_separator(*c))
            .collect();
        if compact.is_empty() {
            return Err(Error::invalid_input("empty mobile number"));
        }
        let (plus, digits) = match compact.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, compact.as_str()),
        };
        if digits.chars().any(|c| c.is_alphabetic()) {
            return Err(invalid("it contains letters"));
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("only digits may follow the +"));
        }
        let e164 = if plus {
            format!("+{digits}")
        } else if let Some(local) = digits.strip_prefix('0') {
            format!("+62{local}")
        } else if digits.starts_with("62") {
            format!("+{digits}")
        } else {
            return Err(invalid(
                "write it as +<country code><number>, or as a local 08... number",
            ));
        };
        if !MOBILE_DIGITS.contains(&(e164.len() - 1)) {
            return Err(invalid("an E.164 number has 8 to 15 digits"));
        }
        Ok(UserRef::Mobile(e164))
    }

    /// A member (card) id: any non-empty text without spaces.
    pub fn member_id(member_id: &str) -> Result<Self, Error> {
        let member_id = member_id.trim();
        if member_id.is_empty() {
            return Err(Error::invalid_input("empty member id"));
        }
        if member_id
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(Error::invalid_input(format!(
                "invalid member id {member_id:?}: it contains spaces"
            )));
        }
        Ok(UserRef::MemberId(member_id.to_owned()))
    }

    /// The customer's primary key, unchecked (the integer conversions refuse 0 and
    /// values above `i64::MAX`).
    pub const fn id(id: u64) -> Self {
        UserRef::Id(id)
    }
}

/// Classifies a string: an email has `@`; a mobile number starts with `+`, or is an
/// Indonesian local `08...` (10 to 13 digits) or `628...` (11 to 14 digits) number,
/// separators (spaces, `-`, `.`, parentheses) aside;
/// up to [`PRIMARY_KEY_MAX_DIGITS`] digits without a leading zero is a primary key;
/// anything else is a member (card) id.
impl FromStr for UserRef {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let s = s.trim();
        let all_digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if s.is_empty() {
            Err(Error::invalid_input("empty user identifier"))
        } else if s.contains('@') {
            UserRef::email(s)
        } else if s.starts_with('+') || is_local_mobile(s) {
            UserRef::mobile(s)
        } else if all_digits && !s.starts_with('0') && s.len() <= PRIMARY_KEY_MAX_DIGITS {
            Ok(UserRef::Id(s.parse().expect("at most 9 digits fit in u64")))
        } else {
            UserRef::member_id(s)
        }
    }
}

/// An Indonesian local number, `08...` (10 to 13 digits) or `628...` (11 to 14),
/// often written with separators: `0812-3456-7890`. Reads `s` in place (this runs
/// for every identifier given as text).
fn is_local_mobile(s: &str) -> bool {
    let mut head = [0u8; 3];
    let mut len = 0;
    for c in s.chars().filter(|c| !is_separator(*c)) {
        if !c.is_ascii_digit() {
            return false;
        }
        if let Some(slot) = head.get_mut(len) {
            *slot = c as u8;
        }
        len += 1;
    }
    (head.starts_with(b"08") && (10..=13).contains(&len))
        || (head == *b"628" && (11..=14).contains(&len))
}

/// What people put between the digits of a phone number.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '(' | ')')
}

impl fmt::Display for UserRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserRef::Email(s) | UserRef::Mobile(s) | UserRef::MemberId(s) => f.write_str(s),
            UserRef::Id(id) => write!(f, "{id}"),
        }
    }
}

impl Serialize for UserRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            UserRef::Email(s) | UserRef::Mobile(s) | UserRef::MemberId(s) => {
                serializer.serialize_str(s)
            }
            UserRef::Id(id) => serializer.serialize_u64(*id),
        }
    }
}

/// An integer is a primary key; a string is classified as by [`FromStr`].
impl<'de> Deserialize<'de> for UserRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Id(u64),
            Text(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Id(id) => Ok(UserRef::Id(id)),
            Raw::Text(text) => text.parse().map_err(serde::de::Error::custom),
        }
    }
}

impl TryFrom<&str> for UserRef {
    type Error = Error;
    fn try_from(s: &str) -> Result<Self, Error> {
        s.parse()
    }
}

impl TryFrom<&String> for UserRef {
    type Error = Error;
    fn try_from(s: &String) -> Result<Self, Error> {
        s.parse()
    }
}

impl TryFrom<String> for UserRef {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        s.parse()
    }
}

/// A primary key: positive and at most `i64::MAX` (the spec's `minimum: 1`, `int64`).
impl TryFrom<u64> for UserRef {
    type Error = Error;
    fn try_from(id: u64) -> Result<Self, Error> {
        if id == 0 {
            return Err(Error::invalid_input(
                "a customer's primary key is positive, got 0",
            ));
        }
        UserId::try_from(id).map(UserRef::from)
    }
}

impl TryFrom<u32> for UserRef {
    type Error = Error;
    fn try_from(id: u32) -> Result<Self, Error> {
        UserRef::try_from(u64::from(id))
    }
}

/// Integer literals (`.user(123)`) are `i32`; zero and negatives are refused.
impl TryFrom<i32> for UserRef {
    type Error = Error;
    fn try_from(id: i32) -> Result<Self, Error> {
        UserRef::try_from(i64::from(id))
    }
}

impl TryFrom<i64> for UserRef {
    type Error = Error;
    fn try_from(id: i64) -> Result<Self, Error> {
        UserId::try_from(id).and_then(|id| UserRef::try_from(id.get()))
    }
}

/// An id the server gave (unchecked, like [`UserRef::id`]).
impl From<UserId> for UserRef {
    fn from(id: UserId) -> Self {
        UserRef::Id(id.get())
    }
}

impl From<&UserRef> for UserRef {
    fn from(user: &UserRef) -> Self {
        user.clone()
    }
}

/// Lets a constructor's result go straight into a builder,
/// `.user(UserRef::email("a@b.co"))`; an error surfaces when the call is sent.
impl TryFrom<Result<UserRef, Error>> for UserRef {
    type Error = Error;
    fn try_from(result: Result<UserRef, Error>) -> Result<Self, Error> {
        result
    }
}
