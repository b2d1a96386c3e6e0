//! The fake's in-memory model: members, their children, pets and tags, balance
//! updates and pending OTPs. Routes change it under one lock; nothing here knows
//! HTTP.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, RandomState};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::errors::Problem;
use crate::UserRef;

/// The levels of the fake's loyalty program: value, name, and the spending needed to
/// reach it from the level below.
pub(super) const LEVELS: &[(u64, &str, u64)] = &[
    (100, "Blue", 0),
    (200, "Silver", 590_000),
    (300, "Gold", 2_000_000),
];

/// The level new members start at.
pub(super) const FIRST_LEVEL: u64 = 100;

/// The name of a level value, if the program has it.
pub(super) fn level_name(level: u64) -> Option<&'static str> {
    LEVELS
        .iter()
        .find(|(value, _, _)| *value == level)
        .map(|(_, name, _)| *name)
}

/// A customer's gender as the fake stores it; each API reports it its own way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Gender {
    Male,
    Female,
}

impl Gender {
    /// Reads `male` or `female`, in any case (the legacy examples send `Female`).
    pub(super) fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "male" => Some(Gender::Male),
            "female" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// A child of a member.
#[derive(Clone, Debug)]
pub(super) struct ChildRecord {
    pub(super) id: u64,
    pub(super) name: String,
    pub(super) birthday: String,
    pub(super) gender: String,
}

/// A pet of a member.
#[derive(Clone, Debug)]
pub(super) struct PetRecord {
    pub(super) id: u64,
    pub(super) name: String,
    pub(super) kind: String,
    pub(super) breed: Option<String>,
    pub(super) birthday: Option<String>,
    pub(super) gender: Option<String>,
}

/// A customer with their membership of the fake's merchant.
#[derive(Clone, Debug)]
pub(super) struct MemberRecord {
    pub(super) id: u64,
    pub(super) name: String,
    pub(super) email: Option<String>,
    /// E.164, e.g. `+6281234567890`.
    pub(super) phone: Option<String>,
    /// Card numbers; the first is the primary card.
    pub(super) member_ids: Vec<String>,
    pub(super) birthday: Option<String>,
    pub(super) gender: Option<Gender>,
    pub(super) address: Option<String>,
    pub(super) postal_code: Option<String>,
    pub(super) district: Option<i64>,
    pub(super) religion: Value,
    pub(super) marital_status: Value,
    pub(super) wedding_date: Option<String>,
    pub(super) notes: Option<String>,
    pub(super) extra_data: Map<String, Value>,
    pub(super) is_active: bool,
    pub(super) is_anonymized: bool,
    pub(super) has_downloaded_app: bool,
    pub(super) phone_is_verified: bool,
    pub(super) email_is_verified: bool,
    pub(super) registering_employee_code: Option<String>,
    pub(super) referral_code: String,
    /// `YYYY-MM-DD`.
    pub(super) created: String,
    /// `YYYY-MM-DD HH:MM:SS`, when the primary card was activated.
    pub(super) card_activated: String,
    pub(super) level: u64,
    pub(super) stamps: u64,
    pub(super) balance: u64,
    /// Key/value pairs, in the order they were added.
    pub(super) tags: Vec<(String, String)>,
    pub(super) children: Vec<ChildRecord>,
    pub(super) pets: Vec<PetRecord>,
    pub(super) facebook: Option<String>,
    pub(super) twitter: Option<String>,
    pub(super) instagram: Option<String>,
}

impl MemberRecord {
    /// The name of the member's level.
    pub(super) fn level_name(&self) -> &'static str {
        level_name(self.level).unwrap_or("Unknown")
    }

    /// The next level and the spending it needs, if there is one.
    pub(super) fn next_level(&self) -> Option<(&'static str, u64)> {
        LEVELS
            .iter()
            .find(|(value, _, _)| *value > self.level)
            .map(|(_, name, spending)| (*name, *spending))
    }

    /// Whether `user` names this member.
    fn is(&self, user: &UserRef) -> bool {
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
}

/// What a new member starts with; everything else takes its default.
#[derive(Clone, Debug, Default)]
pub(super) struct Registration {
    pub(super) name: String,
    pub(super) email: Option<String>,
    pub(super) phone: Option<String>,
    pub(super) member_id: Option<String>,
    pub(super) birthday: Option<String>,
    pub(super) gender: Option<Gender>,
    pub(super) address: Option<String>,
    pub(super) level: Option<u64>,
    pub(super) stamps: u64,
    pub(super) balance: u64,
}

/// Whether a balance update added to or took from the balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Direction {
    Credit,
    Debit,
}

/// A credit or debit, kept so that it can be cancelled once.
#[derive(Clone, Debug)]
pub(super) struct BalanceUpdateRecord {
    pub(super) id: u64,
    pub(super) member: u64,
    pub(super) amount: u64,
    pub(super) direction: Direction,
    pub(super) canceled: bool,
}

/// An OTP sent for a mobile number change, waiting to be used.
#[derive(Clone, Debug)]
struct MobileOtp {
    otp: String,
    /// The new number given with the request, if any: the change must use it.
    new_number: Option<String>,
}

/// Everything the fake knows.
#[derive(Debug)]
pub(super) struct State {
    members: BTreeMap<u64, MemberRecord>,
    updates: BTreeMap<u64, BalanceUpdateRecord>,
    /// By member id.
    mobile_otps: HashMap<u64, MobileOtp>,
    /// By new email, lowercased.
    email_otps: HashMap<String, String>,
    /// JWTs handed out by `get-access-token`.
    access_tokens: Vec<String>,
    next_member: u64,
    next_child: u64,
    next_pet: u64,
    next_update: u64,
    rng: u64,
}

impl Default for State {
    fn default() -> Self {
        State {
            members: BTreeMap::new(),
            updates: BTreeMap::new(),
            mobile_otps: HashMap::new(),
            email_otps: HashMap::new(),
            access_tokens: Vec::new(),
            next_member: 1,
            next_child: 1,
            next_pet: 1,
            next_update: 1,
            rng: RandomState::new().hash_one(SystemTime::now()) | 1,
        }
    }
}

impl State {
    // ---- Members ---------------------------------------------------------------

    /// The member `user` names, if any (`None` for an identifier that did not parse).
    pub(super) fn find(&self, user: Option<&UserRef>) -> Result<&MemberRecord, Problem> {
        let user = user.ok_or_else(Problem::user_not_found)?;
        self.members
            .values()
            .find(|m| m.is(user))
            .ok_or_else(Problem::user_not_found)
    }

    /// The member `user` names, for a change.
    pub(super) fn find_mut(
        &mut self,
        user: Option<&UserRef>,
    ) -> Result<&mut MemberRecord, Problem> {
        let id = self.find(user)?.id;
        Ok(self.member_mut(id))
    }

    /// The member with primary key `id`; it must exist.
    pub(super) fn member_mut(&mut self, id: u64) -> &mut MemberRecord {
        self.members.get_mut(&id).expect("a member found earlier")
    }

    /// Every member, by primary key.
    pub(super) fn members(&self) -> impl Iterator<Item = &MemberRecord> {
        self.members.values()
    }

    /// The member (other than `except`) who has this email, mobile number or card.
    pub(super) fn holder(&self, user: &UserRef, except: Option<u64>) -> Option<&MemberRecord> {
        self.members
            .values()
            .find(|m| Some(m.id) != except && m.is(user))
    }

    /// Checks that no other member uses `email`, `phone` or `member_id`; the error
    /// names `fields` (the request's names for them) and carries `email_code` for
    /// an email in use.
    pub(super) fn check_unique(
        &self,
        except: Option<u64>,
        email: Option<(&str, &str)>,
        phone: Option<(&str, &str)>,
        member_id: Option<(&str, &str)>,
        email_code: &'static str,
    ) -> Result<(), Problem> {
        if let Some((field, email)) = email
            && self
                .holder(&UserRef::Email(email.to_owned()), except)
                .is_some()
        {
            return Err(Problem::coded(
                email_code,
                field,
                format!("{email} is already used"),
            ));
        }
        if let Some((field, phone)) = phone
            && self
                .holder(&UserRef::Mobile(phone.to_owned()), except)
                .is_some()
        {
            return Err(Problem::field(field, format!("{phone} is already used")));
        }
        if let Some((field, card)) = member_id
            && self
                .holder(&UserRef::MemberId(card.to_owned()), except)
                .is_some()
        {
            return Err(Problem::field(field, format!("{card} is already used")));
        }
        Ok(())
    }

    /// Adds a member; the caller has checked that its identifiers are free. A member
    /// without a card gets one (`STP` and nine digits), as Stamps issues card numbers.
    pub(super) fn register(&mut self, new: Registration) -> &mut MemberRecord {
        let id = self.next_member;
        self.next_member += 1;
        let card = new.member_id.unwrap_or_else(|| format!("STP{id:09}"));
        let referral_code = self.code(5);
        let member = MemberRecord {
            id,
            name: new.name,
            email: new.email,
            phone: new.phone,
            member_ids: vec![card],
            birthday: new.birthday,
            gender: new.gender,
            address: new.address,
            postal_code: None,
            district: None,
            religion: Value::Null,
            marital_status: Value::Null,
            wedding_date: None,
            notes: None,
            extra_data: Map::new(),
            is_active: true,
            is_anonymized: false,
            has_downloaded_app: false,
            phone_is_verified: false,
            email_is_verified: false,
            registering_employee_code: None,
            referral_code,
            created: today(),
            card_activated: now(),
            level: new.level.unwrap_or(FIRST_LEVEL),
            stamps: new.stamps,
            balance: new.balance,
            tags: Vec::new(),
            children: Vec::new(),
            pets: Vec::new(),
            facebook: None,
            twitter: None,
            instagram: None,
        };
        self.members.entry(id).or_insert(member)
    }

    /// Erases what identifies a person; the primary key and cards stay.
    pub(super) fn anonymize(&mut self, id: u64) {
        let member = self.member_mut(id);
        member.name = String::new();
        member.email = None;
        member.phone = None;
        member.birthday = None;
        member.gender = None;
        member.address = None;
        member.postal_code = None;
        member.wedding_date = None;
        member.notes = None;
        member.facebook = None;
        member.twitter = None;
        member.instagram = None;
        member.is_anonymized = true;
        self.mobile_otps.remove(&id);
    }

    // ---- Children and pets -----------------------------------------------------

    /// Adds a child to member `owner`.
    pub(super) fn add_child(
        &mut self,
        owner: u64,
        name: String,
        birthday: String,
        gender: String,
    ) -> ChildRecord {
        let child = ChildRecord {
            id: self.next_child,
            name,
            birthday,
            gender,
        };
        self.next_child += 1;
        self.member_mut(owner).children.push(child.clone());
        child
    }

    /// Removes child `id` from whoever has it.
    pub(super) fn delete_child(&mut self, id: u64) -> Result<(), Problem> {
        for member in self.members.values_mut() {
            if let Some(at) = member.children.iter().position(|c| c.id == id) {
                member.children.remove(at);
                return Ok(());
            }
        }
        Err(Problem::field("child", "Child not found"))
    }

    /// Adds a pet to member `owner`; the caller fills `id` with anything.
    pub(super) fn add_pet(&mut self, owner: u64, mut pet: PetRecord) -> PetRecord {
        pet.id = self.next_pet;
        self.next_pet += 1;
        self.member_mut(owner).pets.push(pet.clone());
        pet
    }

    /// Removes pet `id` from whoever has it.
    pub(super) fn delete_pet(&mut self, id: u64) -> Result<(), Problem> {
        for member in self.members.values_mut() {
            if let Some(at) = member.pets.iter().position(|p| p.id == id) {
                member.pets.remove(at);
                return Ok(());
            }
        }
        Err(Problem::field("pet", "Pet not found"))
    }

    // ---- Balances --------------------------------------------------------------

    /// Credits or debits `amount` to member `id`; a debit may not exceed the balance.
    pub(super) fn update_balance(
        &mut self,
        member: u64,
        amount: u64,
        direction: Direction,
    ) -> Result<BalanceUpdateRecord, Problem> {
        let record = self.member_mut(member);
        record.balance = match direction {
            Direction::Credit => record.balance.saturating_add(amount),
            Direction::Debit => record.balance.checked_sub(amount).ok_or_else(|| {
                Problem::field(
                    "amount",
                    format!("Insufficient balance: {} available", record.balance),
                )
            })?,
        };
        let update = BalanceUpdateRecord {
            id: self.next_update,
            member,
            amount,
            direction,
            canceled: false,
        };
        self.next_update += 1;
        self.updates.insert(update.id, update.clone());
        Ok(update)
    }

    /// Cancels balance update `id`, restoring the balance; once only.
    pub(super) fn cancel_update(&mut self, id: u64) -> Result<BalanceUpdateRecord, Problem> {
        let update = self
            .updates
            .get(&id)
            .cloned()
            .ok_or_else(|| Problem::field("id", "Balance update not found"))?;
        if update.canceled {
            return Err(Problem::field("id", "Balance update is already canceled"));
        }
        let member = self.member_mut(update.member);
        member.balance = match update.direction {
            Direction::Credit => member.balance.checked_sub(update.amount).ok_or_else(|| {
                Problem::field(
                    "id",
                    format!(
                        "Insufficient balance to cancel this credit: {} available",
                        member.balance
                    ),
                )
            })?,
            Direction::Debit => member.balance.saturating_add(update.amount),
        };
        let update = self.updates.get_mut(&id).expect("found above");
        update.canceled = true;
        Ok(update.clone())
    }

    // ---- OTPs ------------------------------------------------------------------

    /// A new 4-digit OTP for member `id`'s mobile number change.
    pub(super) fn new_mobile_otp(&mut self, member: u64, new_number: Option<String>) -> String {
        let otp = self.digits(4);
        self.mobile_otps.insert(
            member,
            MobileOtp {
                otp: otp.clone(),
                new_number,
            },
        );
        otp
    }

    /// Uses member `id`'s pending OTP for a change to `new_number`.
    pub(super) fn take_mobile_otp(
        &mut self,
        member: u64,
        otp: &str,
        new_number: &str,
    ) -> Result<(), Problem> {
        let pending = self
            .mobile_otps
            .get(&member)
            .ok_or_else(|| Problem::field("otp", "Invalid OTP"))?;
        if pending.otp != otp {
            return Err(Problem::field("otp", "Invalid OTP"));
        }
        if pending
            .new_number
            .as_deref()
            .is_some_and(|n| n != new_number)
        {
            return Err(Problem::field(
                "new_number",
                "The OTP was requested for another number",
            ));
        }
        self.mobile_otps.remove(&member);
        Ok(())
    }

    /// A new 6-digit OTP for a change to `new_email`.
    pub(super) fn new_email_otp(&mut self, new_email: &str) -> String {
        let otp = self.digits(6);
        self.email_otps
            .insert(new_email.to_ascii_lowercase(), otp.clone());
        otp
    }

    /// Uses the pending OTP for `new_email`.
    pub(super) fn take_email_otp(&mut self, new_email: &str, otp: &str) -> Result<(), Problem> {
        let key = new_email.to_ascii_lowercase();
        if self.email_otps.get(&key).map(String::as_str) != Some(otp) {
            return Err(Problem::field("otp", "Invalid OTP"));
        }
        self.email_otps.remove(&key);
        Ok(())
    }

    // ---- Access tokens ---------------------------------------------------------

    /// A new JWT-looking access token, accepted as `Bearer` from now on.
    pub(super) fn new_access_token(&mut self) -> String {
        // `{"alg":"none","typ":"JWT"}` and `{"fake":true}`, base64url.
        let token = format!(
            "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJmYWtlIjp0cnVlfQ.{}",
            self.code(32)
        );
        self.access_tokens.push(token.clone());
        token
    }

    /// Whether `token` is an access token this fake handed out.
    pub(super) fn is_access_token(&self, token: &str) -> bool {
        self.access_tokens.iter().any(|t| t == token)
    }

    // ---- Randomness ------------------------------------------------------------

    /// xorshift64: plenty for OTPs and codes of a fake.
    fn next_random(&mut self) -> u64 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        x
    }

    fn digits(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(b'0' + (self.next_random() % 10) as u8))
            .collect()
    }

    /// Upper-case letters and digits, like the documentation's referral codes.
    pub(super) fn code(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        (0..len)
            .map(|_| char::from(ALPHABET[(self.next_random() % ALPHABET.len() as u64) as usize]))
            .collect()
    }
}

/// Seconds since the epoch, now.
fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Today (UTC), `YYYY-MM-DD`.
pub(super) fn today() -> String {
    chrono::DateTime::from_timestamp(unix_now(), 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string()
}

/// Now (UTC), `YYYY-MM-DD HH:MM:SS`, as the documentation's `activated_time`.
fn now() -> String {
    chrono::DateTime::from_timestamp(unix_now(), 0)
        .unwrap_or_default()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The last day of this year, the deadline of upgrade requirements.
pub(super) fn end_of_year() -> String {
    format!("{}-12-31", &today()[..4])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice(state: &mut State) -> u64 {
        state
            .register(Registration {
                name: "Alice".into(),
                email: Some("alice@example.com".into()),
                phone: Some("+6281234567890".into()),
                ..Registration::default()
            })
            .id
    }

    #[test]
    fn finds_members_by_every_identifier() {
        let mut state = State::default();
        let id = alice(&mut state);
        for user in [
            "ALICE@example.com",
            "081234567890",
            "+6281234567890",
            "STP000000001",
            "1",
        ] {
            let user: UserRef = user.parse().unwrap();
            assert_eq!(state.find(Some(&user)).unwrap().id, id, "{user:?}");
        }
        let nobody: UserRef = "bob@example.com".parse().unwrap();
        assert_eq!(
            state.find(Some(&nobody)).unwrap_err(),
            Problem::user_not_found()
        );
        assert!(state.find(None).is_err());
    }

    #[test]
    fn a_cancel_restores_the_balance_once() {
        let mut state = State::default();
        let id = alice(&mut state);
        let credit = state.update_balance(id, 1000, Direction::Credit).unwrap();
        let debit = state.update_balance(id, 300, Direction::Debit).unwrap();
        assert!(state.update_balance(id, 701, Direction::Debit).is_err());
        assert_eq!(state.member_mut(id).balance, 700);
        state.cancel_update(debit.id).unwrap();
        assert_eq!(state.member_mut(id).balance, 1000);
        assert!(state.cancel_update(debit.id).is_err());
        state.cancel_update(credit.id).unwrap();
        assert_eq!(state.member_mut(id).balance, 0);
        assert!(state.cancel_update(99).is_err());
    }

    #[test]
    fn otps_are_single_use() {
        let mut state = State::default();
        let id = alice(&mut state);
        let otp = state.new_mobile_otp(id, None);
        assert_eq!(otp.len(), 4);
        assert!(state.take_mobile_otp(id, "wrong", "+6281").is_err());
        state.take_mobile_otp(id, &otp, "+6281").unwrap();
        assert!(state.take_mobile_otp(id, &otp, "+6281").is_err());
        let otp = state.new_email_otp("New@example.com");
        assert_eq!(otp.len(), 6);
        state.take_email_otp("new@example.com", &otp).unwrap();
        assert!(state.take_email_otp("new@example.com", &otp).is_err());
    }
}
