//! The operations whose answers come from the fake's state. Every other operation is
//! answered by the engine from its documented example.
//!
//! A handler reads the checked input, changes the [`State`], and returns the values
//! to write over the operation's documented example (see `overlay`): keys the
//! example does not have are dropped, so a handler may return more than one page
//! shows. A handler's error is a [`Problem`], rendered in its page's 400 shape.
//!
//! A handler reads its input through its operation's generated builder
//! (`crate::builder::CreditBalance`), with `body!` and `param!`: the body as the
//! generated type the builder sends, a parameter by the builder's setter of that name.
//! A field or parameter renamed or removed in the spec then fails to compile, where a
//! read by name would silently become a default value.

/// The JSON body of operation `$op` (`crate::builder::$op`), as the generated type the
/// handler names (`let body: types::BalanceUpdateRequest = body!(ctx, CreditBalance)?`):
/// a type the operation does not send fails to compile.
macro_rules! body {
    ($ctx:expr, $op:ident) => {
        $ctx.body(crate::builder::$op::body)
    };
}

/// Query or path parameter `$param` of operation `$op` (`crate::builder::$op`), as a
/// `Param` of the type the handler names: it compiles only while the spec gives `$op` that parameter.
macro_rules! param {
    ($ctx:expr, $op:ident :: $param:ident) => {
        $ctx.param(stringify!($param), crate::builder::$op::$param)
    };
}

mod earning;
mod members;
mod spending;
mod tokens;

use serde::de::DeserializeOwned;
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
    /// The operation's id.
    pub(super) id: &'static str,
    pub(super) state: &'a mut State,
    /// Path and query parameters, checked against the spec and typed by its schemas.
    pub(super) params: &'a Map<String, Value>,
    /// The JSON body, checked against the spec (`null` for an operation without one).
    pub(super) body: &'a Value,
    pub(super) settings: &'a Settings,
    /// The `Authorization` header, if any.
    pub(super) credential: Option<&'a str>,
}

/// A parameter, as the call sent it.
pub(super) enum Param<T> {
    Absent,
    /// Sent, but not a value of the type read (text `UserRef` refuses: "User not found").
    Unreadable,
    Sent(T),
}

impl<T> Param<T> {
    /// The value, if sent and readable.
    pub(super) fn ok(self) -> Option<T> {
        match self {
            Param::Sent(value) => Some(value),
            Param::Absent | Param::Unreadable => None,
        }
    }
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
    /// The body, as `T`; `body!` passes the operation's setter, whose type proves `T` is
    /// what the operation sends. The body matched the spec's schema, which the generated
    /// types may read more strictly (a `UserRef` refuses some text, `LegacyGender` reads
    /// as `Gender`): such a body is refused as a value the server does not take.
    pub(super) fn body<B, T: DeserializeOwned>(
        &self,
        _setter: fn(B, T) -> B,
    ) -> Result<T, Problem> {
        self.check_builder::<B>();
        T::deserialize(self.body)
            .map_err(|_| Problem::new("invalid_data", "non_field_errors", "Enter a valid value."))
    }

    /// Parameter `name`, as `T`; `param!` passes the operation's setter of that name,
    /// whose type proves the parameter exists and takes a `T`.
    pub(super) fn param<B, T: DeserializeOwned>(
        &self,
        name: &str,
        _setter: fn(B, T) -> B,
    ) -> Param<T> {
        self.check_builder::<B>();
        match self.params.get(name) {
            None => Param::Absent,
            Some(value) => T::deserialize(value).map_or(Param::Unreadable, Param::Sent),
        }
    }

    /// A handler reads its own operation's input (`CreditBalance` for `credit_balance`):
    /// the macros name the builder, the handler tables the id.
    fn check_builder<B>(&self) {
        if !cfg!(debug_assertions) {
            return;
        }
        let builder = std::any::type_name::<B>();
        let builder = builder.split('<').next().unwrap_or(builder);
        let builder = builder.rsplit("::").next().unwrap_or(builder);
        debug_assert!(
            builder.eq_ignore_ascii_case(&self.id.replace('_', "")),
            "the handler of {} reads the input of {builder}",
            self.id
        );
    }

    /// The id of the member `user` names, or the documented "User not found".
    pub(super) fn member_id(&self, user: Option<&UserRef>) -> Result<u64, Problem> {
        user.and_then(|u| self.state.find(u))
            .map(|m| m.id)
            .ok_or_else(Problem::user_not_found)
    }

    /// The member `user` names.
    pub(super) fn member(&mut self, user: Option<&UserRef>) -> Result<&mut MemberRecord, Problem> {
        let id = self.member_id(user)?;
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
