//! The fake's memory: members and what changes them (balance updates, transactions,
//! redemptions, vouchers), rewards a test seeds, and access tokens handed out.
//! Nothing here knows HTTP or the spec's shapes; `ops` turns it into answers.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::webhooks::Event;
use crate::UserRef;

/// The levels of the fake's loyalty programme: value and name.
pub(super) const LEVELS: &[(u64, &str)] = &[(100, "Blue"), (200, "Silver"), (300, "Gold")];

/// The name of a level value, if the programme has it.
pub(super) fn level_name(level: u64) -> Option<&'static str> {
    LEVELS.iter().find(|(v, _)| *v == level).map(|(_, n)| *n)
}

/// A customer with their membership of the fake's merchant.
#[derive(Clone, Debug, Default)]
pub(super) struct MemberRecord {
    pub(super) id: u64,
    pub(super) name: String,
    pub(super) email: Option<String>,
    /// E.164, e.g. `+6281234567890`.
    pub(super) phone: Option<String>,
    /// Card numbers; the first is the primary card.
    pub(super) member_ids: Vec<String>,
    pub(super) birthday: Option<String>,
    pub(super) gender: Option<String>,
    pub(super) address: Option<String>,
    pub(super) level: u64,
    pub(super) stamps: u64,
    pub(super) balance: u64,
    /// Key/value tags, in the order they were added.
    pub(super) tags: Vec<(String, String)>,
    /// (id, name)
    pub(super) children: Vec<(u64, String)>,
    /// (id, name)
    pub(super) pets: Vec<(u64, String)>,
    pub(super) is_anonymized: bool,
}

impl MemberRecord {
    /// Whether `user` names this member.
    pub(super) fn is(&self, user: &UserRef) -> bool {
        match user {
            UserRef::Id(id) => self.id == *id,
            UserRef::Email(email) => self
                .email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email)),
            UserRef::Mobile(number) => self.phone.as_deref() == Some(number.as_str()),
            UserRef::MemberId(card) => self.member_ids.iter().any(|c| c == card),
        }
    }

    pub(super) fn level_name(&self) -> &'static str {
        level_name(self.level).unwrap_or("Unknown")
    }
}

/// A credit or debit, kept so that it can be cancelled once.
#[derive(Clone, Debug)]
pub(super) struct BalanceUpdate {
    pub(super) member: u64,
    /// Positive for a credit, negative for a debit.
    pub(super) amount: i64,
    pub(super) canceled: bool,
}

/// A sale recorded with `add_transaction`, and the stamps it earned.
#[derive(Clone, Debug)]
pub(super) struct TransactionRecord {
    pub(super) id: u64,
    pub(super) member: u64,
    pub(super) invoice_number: String,
    pub(super) value: u64,
    pub(super) stamps: u64,
    /// Unix seconds.
    pub(super) created: u64,
    pub(super) canceled: bool,
}

/// A reward a test seeded with [`FakeStamps::add_reward`](super::FakeStamps::add_reward).
#[derive(Clone, Debug)]
pub(super) struct RewardRecord {
    pub(super) id: u64,
    pub(super) code: Option<String>,
    pub(super) name: String,
    pub(super) stamps: u64,
}

/// Stamps spent on a reward, until cancelled.
#[derive(Clone, Debug)]
pub(super) struct RedemptionRecord {
    pub(super) member: u64,
    pub(super) stamps: u64,
    pub(super) canceled: bool,
}

/// A voucher issued to a member.
#[derive(Clone, Debug)]
pub(super) struct VoucherRecord {
    pub(super) code: String,
    pub(super) member: u64,
    pub(super) template: String,
    pub(super) redeemed: bool,
}

/// One entry of a member's activity feed, newest last in the state.
#[derive(Clone, Debug)]
pub(super) struct ActivityRecord {
    pub(super) id: u64,
    pub(super) member: u64,
    /// The documented activity type code.
    pub(super) kind: u64,
    pub(super) stamps: i64,
    pub(super) created: u64,
    pub(super) description: String,
}

/// Everything the fake knows, behind one lock.
#[derive(Debug, Default)]
pub(super) struct State {
    pub(super) members: BTreeMap<u64, MemberRecord>,
    pub(super) updates: BTreeMap<u64, BalanceUpdate>,
    pub(super) transactions: BTreeMap<u64, TransactionRecord>,
    pub(super) rewards: BTreeMap<u64, RewardRecord>,
    pub(super) redemptions: BTreeMap<u64, RedemptionRecord>,
    pub(super) vouchers: BTreeMap<u64, VoucherRecord>,
    pub(super) activities: Vec<ActivityRecord>,
    /// JWTs handed out, with their expiry (unix seconds).
    pub(super) access_tokens: BTreeMap<String, u64>,
    /// Changes whose webhooks are sent once the call that made them has its answer.
    pub(super) outbox: Vec<Event>,
    next_id: u64,
}

impl State {
    /// A fresh id, shared by every kind of record (ids never collide across kinds).
    pub(super) fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub(super) fn find(&self, user: &UserRef) -> Option<&MemberRecord> {
        self.members.values().find(|m| m.is(user))
    }

    /// Adds a member with a fresh id and, unless they have one, a card number.
    pub(super) fn add_member(&mut self, mut member: MemberRecord) -> &mut MemberRecord {
        let id = self.next_id();
        member.id = id;
        if member.member_ids.is_empty() {
            member.member_ids.push(format!("STP{id:09}"));
        }
        if level_name(member.level).is_none() {
            member.level = LEVELS[0].0;
        }
        self.members.entry(id).or_insert(member)
    }

    /// Records an activity entry for `member`.
    pub(super) fn log(&mut self, member: u64, kind: u64, stamps: i64, description: String) {
        let id = self.next_id();
        self.activities.push(ActivityRecord {
            id,
            member,
            kind,
            stamps,
            created: unix_now(),
            description,
        });
    }

    /// Whether `jwt` was handed out and has not expired.
    pub(super) fn access_token_valid(&self, jwt: &str) -> Option<bool> {
        self.access_tokens.get(jwt).map(|exp| *exp > unix_now())
    }
}

/// Seconds since the epoch.
pub(super) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs()
}
