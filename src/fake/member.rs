//! Seeding the fake: members and rewards a test adds directly, and the copies of
//! them it reads back.

use super::state::{MemberRecord, RewardRecord, State, level_name};
use crate::types::Gender;
use crate::{ChildId, PetId, UserId, UserRef};

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
    record: MemberRecord,
    mobile: Option<String>,
}

impl NewMember {
    /// A member called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        NewMember {
            record: MemberRecord {
                name: name.into(),
                level: 100,
                ..MemberRecord::default()
            },
            mobile: None,
        }
    }

    /// Their email address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.record.email = Some(email.into());
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
        self.record.member_ids = vec![card.into()];
        self
    }

    /// Their birthday, `YYYY-MM-DD`.
    pub fn birthday(mut self, date: impl Into<String>) -> Self {
        self.record.birthday = Some(date.into());
        self
    }

    /// Their gender.
    pub fn gender(mut self, gender: Gender) -> Self {
        self.record.gender = Some(gender.to_string());
        self
    }

    /// Their address.
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.record.address = Some(address.into());
        self
    }

    /// Their level: 100 (`Blue`, the default), 200 (`Silver`) or 300 (`Gold`).
    pub fn level(mut self, level: u64) -> Self {
        self.record.level = level;
        self
    }

    /// Their stamps.
    pub fn stamps(mut self, stamps: u64) -> Self {
        self.record.stamps = stamps;
        self
    }

    /// Their balance.
    pub fn balance(mut self, balance: u64) -> Self {
        self.record.balance = balance;
        self
    }

    /// Validates the seed and adds it to `state`; panics on what the API would refuse.
    pub(super) fn add_to(self, state: &mut State) -> Member {
        let fail = |why: String| -> ! { panic!("FakeStamps::add_member: {why}") };
        let mut record = self.record;
        if let Some(email) = &record.email
            && !matches!(UserRef::email(email), Ok(UserRef::Email(_)))
        {
            fail(format!("invalid email {email:?}"));
        }
        if let Some(number) = self.mobile {
            match UserRef::mobile(&number) {
                Ok(UserRef::Mobile(e164)) => record.phone = Some(e164),
                _ => fail(format!("invalid mobile number {number:?}")),
            }
        }
        for card in &record.member_ids {
            if UserRef::member_id(card).is_err() {
                fail(format!("invalid member id {card:?}"));
            }
        }
        if level_name(record.level).is_none() {
            fail(format!(
                "no level {}: the fake has 100, 200 and 300",
                record.level
            ));
        }
        Member::of(state.add_member(record))
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
                .map(|(id, n)| (ChildId::new(*id), n.clone()))
                .collect(),
            pets: m
                .pets
                .iter()
                .map(|(id, n)| (PetId::new(*id), n.clone()))
                .collect(),
            is_anonymized: m.is_anonymized,
        }
    }
}

/// A reward to add with [`FakeStamps::add_reward`](super::FakeStamps::add_reward).
///
/// ```
/// let coffee = stamps::fake::NewReward::new("Free coffee", 5).code("COFFEE");
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct NewReward {
    name: String,
    stamps: u64,
    code: Option<String>,
}

impl NewReward {
    /// A reward called `name` that costs `stamps`.
    pub fn new(name: impl Into<String>, stamps: u64) -> Self {
        NewReward {
            name: name.into(),
            stamps,
            code: None,
        }
    }

    /// Its code, by which a redemption may name it instead of its id.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    pub(super) fn add_to(self, state: &mut State) -> Reward {
        let id = state.next_id();
        let record = RewardRecord {
            id,
            code: self.code,
            name: self.name,
            stamps: self.stamps,
        };
        let reward = Reward::of(&record);
        state.rewards.insert(id, record);
        reward
    }
}

/// A reward as the fake holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reward {
    /// Its id.
    pub id: u64,
    /// Its code, if it has one.
    pub code: Option<String>,
    /// Its name.
    pub name: String,
    /// What it costs.
    pub stamps: u64,
}

impl Reward {
    pub(super) fn of(r: &RewardRecord) -> Self {
        Reward {
            id: r.id,
            code: r.code.clone(),
            name: r.name.clone(),
            stamps: r.stamps,
        }
    }
}
