//! Members as tests see them: [`NewMember`] to seed one, [`Member`] to read one back.

use super::state::{Gender as StoredGender, MemberRecord, Registration, State, level_name};
use crate::types::Gender;
use crate::{ChildId, Date, PetId, UserId, UserRef};

/// A member to add with [`FakeStamps::add_member`](super::FakeStamps::add_member),
/// without going through the API.
///
/// Only the name is needed; a member without a card number gets one (`STP000000001`
/// for id 1, and so on), and starts at the first level (100, `Blue`) with nothing on
/// their balance.
///
/// ```
/// use stamps::fake::NewMember;
///
/// let alice = NewMember::new("Alice Tan")
///     .email("alice@example.com")
///     .mobile("0812-3456-7890")
///     .balance(5_000);
/// ```
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct NewMember {
    name: String,
    email: Option<String>,
    mobile: Option<String>,
    member_id: Option<String>,
    birthday: Option<String>,
    gender: Option<Gender>,
    address: Option<String>,
    level: Option<u64>,
    stamps: u64,
    balance: u64,
}

impl NewMember {
    /// A member called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        NewMember {
            name: name.into(),
            ..NewMember::default()
        }
    }

    /// Their email address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Their mobile number, in any form [`UserRef::mobile`] accepts (`0812...`,
    /// `+62812...`); it is stored in E.164 form.
    pub fn mobile(mut self, number: impl Into<String>) -> Self {
        self.mobile = Some(number.into());
        self
    }

    /// Their card number (member id), instead of a generated one.
    pub fn member_id(mut self, card: impl Into<String>) -> Self {
        self.member_id = Some(card.into());
        self
    }

    /// Their birthday, `YYYY-MM-DD`.
    pub fn birthday(mut self, date: impl Into<String>) -> Self {
        self.birthday = Some(date.into());
        self
    }

    /// Their gender.
    pub fn gender(mut self, gender: Gender) -> Self {
        self.gender = Some(gender);
        self
    }

    /// Their address.
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }

    /// Their level: 100 (`Blue`, the default), 200 (`Silver`) or 300 (`Gold`).
    pub fn level(mut self, level: u64) -> Self {
        self.level = Some(level);
        self
    }

    /// Their stamps.
    pub fn stamps(mut self, stamps: u64) -> Self {
        self.stamps = stamps;
        self
    }

    /// Their balance.
    pub fn balance(mut self, balance: u64) -> Self {
        self.balance = balance;
        self
    }

    /// Validates the seed and adds it to `state`; panics on what the API would refuse.
    pub(super) fn add_to(self, state: &mut State) -> Member {
        let fail = |why: String| -> ! { panic!("FakeStamps::add_member: {why}") };
        let email = self.email.map(|e| match UserRef::email(&e) {
            Ok(UserRef::Email(email)) => email,
            _ => fail(format!("invalid email {e:?}")),
        });
        let phone = self.mobile.map(|n| match UserRef::mobile(&n) {
            Ok(UserRef::Mobile(number)) => number,
            _ => fail(format!("invalid mobile number {n:?}")),
        });
        let member_id = self.member_id.map(|c| match UserRef::member_id(&c) {
            Ok(UserRef::MemberId(card)) => card,
            _ => fail(format!("invalid member id {c:?}")),
        });
        let birthday = self.birthday.map(|b| match b.parse::<Date>() {
            Ok(date) => date.to_string(),
            Err(_) => fail(format!("invalid birthday {b:?}: expected YYYY-MM-DD")),
        });
        if let Some(level) = self.level
            && level_name(level).is_none()
        {
            fail(format!("no level {level}: the fake has 100, 200 and 300"));
        }
        if let Err(problem) = state.check_unique(
            None,
            email.as_deref().map(|e| ("email", e)),
            phone.as_deref().map(|n| ("mobile", n)),
            member_id.as_deref().map(|c| ("member_id", c)),
            "email_already_used",
        ) {
            fail(format!(
                "another member has the same identifier: {problem:?}"
            ));
        }
        let record = state.register(Registration {
            name: self.name,
            email,
            phone,
            member_id,
            birthday,
            gender: self.gender.map(|g| match g {
                Gender::Male => StoredGender::Male,
                Gender::Female => StoredGender::Female,
            }),
            address: self.address,
            level: self.level,
            stamps: self.stamps,
            balance: self.balance,
        });
        Member::of(record)
    }
}

/// A member as the fake holds them now: a copy, read with
/// [`FakeStamps::member`](super::FakeStamps::member) or returned by
/// [`FakeStamps::add_member`](super::FakeStamps::add_member).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Member {
    /// Their primary key.
    pub id: UserId,
    /// Their name (empty once anonymized).
    pub name: String,
    /// Their email address.
    pub email: Option<String>,
    /// Their mobile number, E.164 (`+6281234567890`).
    pub mobile: Option<String>,
    /// Their card numbers; the first is the primary card.
    pub member_ids: Vec<String>,
    /// Their birthday, `YYYY-MM-DD`.
    pub birthday: Option<String>,
    /// Their level value (100, 200, 300).
    pub level: u64,
    /// Their level's name (`Blue`, `Silver`, `Gold`).
    pub level_name: String,
    /// Their stamps.
    pub stamps: u64,
    /// Their balance.
    pub balance: u64,
    /// Their membership's tags, as key/value pairs in the order they were added.
    pub tags: Vec<(String, String)>,
    /// Their children's ids and names.
    pub children: Vec<(ChildId, String)>,
    /// Their pets' ids and names.
    pub pets: Vec<(PetId, String)>,
    /// Whether they were anonymized.
    pub is_anonymized: bool,
}

impl Member {
    /// Their primary card number.
    pub fn member_id(&self) -> Option<&str> {
        self.member_ids.first().map(String::as_str)
    }

    /// Their primary key as a [`UserRef`], to pass to a call.
    pub fn user_ref(&self) -> UserRef {
        UserRef::from(self.id)
    }
}

impl Member {
    /// A copy of what the model holds.
    pub(super) fn of(m: &MemberRecord) -> Self {
        Member {
            id: UserId::new(m.id),
            name: m.name.clone(),
            email: m.email.clone(),
            mobile: m.phone.clone(),
            member_ids: m.member_ids.clone(),
            birthday: m.birthday.clone(),
            level: m.level,
            level_name: m.level_name().to_owned(),
            stamps: m.stamps,
            balance: m.balance,
            tags: m.tags.clone(),
            children: m
                .children
                .iter()
                .map(|c| (ChildId::new(c.id), c.name.clone()))
                .collect(),
            pets: m
                .pets
                .iter()
                .map(|p| (PetId::new(p.id), p.name.clone()))
                .collect(),
            is_anonymized: m.is_anonymized,
        }
    }
}
