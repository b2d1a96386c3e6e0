//! The operations whose answers come from the fake's state. Every other operation is
//! answered by the engine from its documented example.
//!
//! A handler reads the checked input, changes the [`State`], and returns the values
//! to write over the operation's documented example (see `overlay`): keys the
//! example does not have are dropped, so a handler may return more than one page
//! shows. A handler's error is a [`Problem`], rendered in its page's 400 shape.

mod earning;
mod members;
mod spending;
mod tokens;

use serde_json::{Map, Value};

use super::Settings;
use super::state::{MemberRecord, State};
use crate::UserRef;

/// A stateful operation.
pub(super) type Handler = fn(&mut Ctx<'_>) -> Result<Value, Problem>;

/// Every stateful operation with its handler: each module's table, in one list.
const TABLES: [&[(&str, Handler)]; 4] = [
    members::HANDLERS,
    earning::HANDLERS,
    spending::HANDLERS,
    tokens::HANDLERS,
];

/// The handler of operation `id`, if it has state.
pub(super) fn handler(id: &str) -> Option<Handler> {
    TABLES
        .iter()
        .flat_map(|table| table.iter())
        .find(|(op, _)| *op == id)
        .map(|(_, handler)| *handler)
}

/// Every operation id with a handler, so that a test can check each is in the spec.
pub(super) fn stateful_ids() -> Vec<&'static str> {
    TABLES
        .iter()
        .flat_map(|table| table.iter())
        .map(|(op, _)| *op)
        .collect()
}

/// What a handler sees.
pub(super) struct Ctx<'a> {
    pub(super) state: &'a mut State,
    /// Path, query and body inputs, checked against the spec.
    pub(super) input: &'a Map<String, Value>,
    pub(super) settings: &'a Settings,
    /// The `Authorization` header, if any.
    pub(super) credential: Option<&'a str>,
}

/// A refusal in the documented 400 shape.
#[derive(Debug)]
pub(super) struct Problem {
    /// 400, or 401 for a refused credential (answered with the docs' 401 body).
    pub(super) status: u16,
    pub(super) code: &'static str,
    pub(super) field: String,
    pub(super) message: String,
}

impl Problem {
    pub(super) fn new(code: &'static str, field: &str, message: impl Into<String>) -> Problem {
        Problem {
            status: 400,
            code,
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// A refused credential: the docs' 401.
    pub(super) fn unauthorized() -> Problem {
        Problem {
            status: 401,
            ..Problem::new("invalid_token", "token", "Invalid token")
        }
    }

    /// The documented `{"__all__": "User not found"}`.
    fn user_not_found() -> Problem {
        Problem::new("invalid_data", "__all__", "User not found")
    }
}

impl Ctx<'_> {
    /// A text input.
    pub(super) fn str(&self, key: &str) -> Option<String> {
        match self.input.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// An integer input (`5` or `"5"`).
    pub(super) fn u64(&self, key: &str) -> Option<u64> {
        match self.input.get(key)? {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// The id of the member the `key` input names, or the documented "User not found".
    pub(super) fn member_id(&self, key: &str) -> Result<u64, Problem> {
        let user = match self.input.get(key) {
            Some(Value::Number(n)) => n.as_u64().map(UserRef::Id),
            Some(Value::String(s)) => s.parse::<UserRef>().ok(),
            _ => None,
        };
        user.and_then(|u| self.state.find(&u))
            .map(|m| m.id)
            .ok_or_else(Problem::user_not_found)
    }

    /// The member the `key` input names.
    pub(super) fn member(&mut self, key: &str) -> Result<&mut MemberRecord, Problem> {
        let id = self.member_id(key)?;
        Ok(self.state.members.get_mut(&id).expect("found just now"))
    }
}

#[cfg(test)]
mod tests {
    use crate::fake::{FakeStamps, NewMember};
    use crate::types::Gender;

    #[tokio::test]
    async fn anonymize_member_anonymizes_the_identified_member() {
        let fake = FakeStamps::start().await;
        let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com"));
        fake.client()
            .anonymize_member()
            .body_map(|b| b.identifier("alice@example.com"))
            .send()
            .await
            .expect("anonymized");
        let alice = fake.member(alice.id).expect("still there");
        assert!(alice.is_anonymized);
        assert_eq!((alice.name.as_str(), alice.email), ("", None));
    }

    #[tokio::test]
    async fn change_member_legacy_changes_the_member_its_id_names() {
        let fake = FakeStamps::start().await;
        let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com"));
        fake.client()
            .change_member_legacy()
            .body_map(|b| {
                b.id(alice.id)
                    .name("Alicia")
                    .birthday("1990-01-02")
                    .gender(Gender::Female)
            })
            .send()
            .await
            .expect("changed");
        let alice = fake.member(alice.id).expect("still there");
        assert_eq!(alice.name, "Alicia");
        assert_eq!(alice.birthday.as_deref(), Some("1990-01-02"));
    }

    #[tokio::test]
    async fn register_member_partial_registers_its_contact() {
        let fake = FakeStamps::start().await;
        let client = fake.client();
        for user in ["partial@example.com", "0812-3456-7890"] {
            client
                .register_member_partial()
                .body_map(|b| b.user(user))
                .send()
                .await
                .expect("registered");
        }
        let by_email = fake.member("partial@example.com").expect("by email");
        assert_eq!(by_email.mobile, None);
        let by_mobile = fake.member("+6281234567890").expect("by mobile");
        assert_eq!(by_mobile.mobile.as_deref(), Some("+6281234567890"));
        assert_eq!(by_mobile.email, None);
    }
}
