//! Members and what the membership, children, pets and balance pages change.

use serde_json::{Value, json};

use super::{Ctx, Handler, Problem};
use crate::UserRef;
use crate::fake::state::{BalanceUpdate, MemberRecord, level_name};
use crate::fake::webhooks::Event;
use crate::types;

/// The handler of `$op`, which shows the member its `user` parameter names.
macro_rules! look_up {
    ($op:ident) => {
        |ctx| {
            let user = param!(ctx, $op::user).ok();
            look_up(ctx, user)
        }
    };
}

/// The operations this module answers, each with its handler: the one list of them.
pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("register_member", register),
    ("register_member_legacy", register_legacy),
    ("register_member_partial", register_partial),
    ("get_member_details", look_up!(GetMemberDetails)),
    ("get_full_profile", look_up!(GetFullProfile)),
    ("get_member_status", look_up!(GetMemberStatus)),
    ("get_upgrade_requirement", look_up!(GetUpgradeRequirement)),
    ("change_member_profile", change),
    ("change_member_legacy", change_legacy),
    ("add_membership_tag", add_tag),
    ("remove_membership_tag", remove_tag),
    ("set_member_level", set_level),
    ("anonymize_member", anonymize),
    ("add_child", add_child),
    ("delete_child", delete_child),
    ("add_pet", add_pet),
    ("delete_pet", delete_pet),
    ("credit_balance", |ctx| {
        let body = body!(ctx, CreditBalance)?;
        update_balance(ctx, body, 1)
    }),
    ("debit_balance", |ctx| {
        let body = body!(ctx, DebitBalance)?;
        update_balance(ctx, body, -1)
    }),
    ("cancel_balance_update", cancel_balance_update),
];

/// A member in every shape the pages show: `user`, `customer` and the top level of
/// the v2 registration; the overlay keeps what each example has. The level is
/// `status` in v2 (a number), `membership_status` and `status` (a name) elsewhere,
/// and `level` in v3.
pub(super) fn view(m: &MemberRecord) -> Value {
    let tags: Vec<&str> = m.tags.iter().map(|(_, value)| value.as_str()).collect();
    let membership = json!({
        "tags": tags,
        "status": m.level,
        "status_text": m.level_name(),
        "level": m.level,
        "level_text": m.level_name(),
        "stamps": m.stamps,
        "balance": m.balance,
    });
    let user = json!({
        "id": m.id,
        "name": m.name,
        "email": m.email,
        "phone": m.phone,
        "identifier": m.email.clone().or_else(|| m.phone.clone()),
        "member_id": m.member_ids.first(),
        "member_ids": m.member_ids,
        "birthday": m.birthday,
        "address": m.address,
        "is_anonymized": m.is_anonymized,
    });
    let mut top = user.clone();
    let fields = top.as_object_mut().expect("an object");
    fields.insert("membership".to_owned(), membership.clone());
    fields.insert("user".to_owned(), user.clone());
    fields.insert("customer".to_owned(), user);
    fields.insert("stamps".to_owned(), m.stamps.into());
    fields.insert("balance".to_owned(), m.balance.into());
    fields.insert("membership_status".to_owned(), m.level_name().into());
    top
}

fn register(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::RegisterMemberRequest = body!(ctx, RegisterMember)?;
    let member = MemberRecord {
        name: body.name,
        email: Some(body.email),
        phone: Some(body.mobile_number),
        member_ids: body.member_id.into_iter().collect(),
        birthday: body.birthday.map(|d| d.to_string()),
        gender: body.gender.map(|g| g.to_string()),
        address: body.address,
        ..MemberRecord::default()
    };
    add_member(ctx, member)
}

fn register_legacy(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::RegisterMemberLegacyRequest = body!(ctx, RegisterMemberLegacy)?;
    let member = MemberRecord {
        name: body.name,
        email: Some(body.email),
        phone: body.phone,
        member_ids: body.member_id.into_iter().collect(),
        birthday: Some(body.birthday.to_string()),
        gender: Some(body.gender.to_string()),
        address: body.address,
        ..MemberRecord::default()
    };
    add_member(ctx, member)
}

/// Registers `member` unless its email is taken; a local mobile number is kept in
/// E.164, as the seeded members' are.
fn add_member(ctx: &mut Ctx<'_>, mut member: MemberRecord) -> Result<Value, Problem> {
    if let Some(email) = &member.email
        && ctx
            .state
            .members
            .values()
            .any(|m| m.email.as_deref() == Some(email.as_str()))
    {
        return Err(Problem::new(
            "email_already_used",
            "email",
            "Email is already used",
        ));
    }
    member.phone = member.phone.map(|n| match n.parse::<crate::UserRef>() {
        Ok(crate::UserRef::Mobile(e164)) => e164,
        _ => n,
    });
    Ok(view(ctx.state.add_member(member)))
}

/// A partial registration names only the member's contact, `user`: an email, else a
/// mobile number.
fn register_partial(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::RegisterMemberPartialRequest = body!(ctx, RegisterMemberPartial)?;
    let user = body.user.to_string();
    let (email, phone) = if user.contains('@') {
        (Some(user), None)
    } else {
        (None, Some(user))
    };
    add_member(
        ctx,
        MemberRecord {
            email,
            phone,
            ..MemberRecord::default()
        },
    )
}

fn look_up(ctx: &mut Ctx<'_>, user: Option<UserRef>) -> Result<Value, Problem> {
    Ok(view(ctx.member(user.as_ref())?))
}

fn change(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::ChangeMemberProfileRequest = body!(ctx, ChangeMemberProfile)?;
    let id = ctx.member_id(Some(&body.user))?;
    let change = Change {
        name: body.name,
        birthday: body.birthday,
        gender: body.gender,
        address: body.address,
    };
    change_profile(ctx, id, change)
}

/// The legacy page names the member by `id`, their primary key.
fn change_legacy(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::ChangeMemberLegacyRequest = body!(ctx, ChangeMemberLegacy)?;
    let id = ctx.member_id(Some(&UserRef::from(body.id)))?;
    let change = Change {
        name: body.name,
        birthday: Some(body.birthday),
        gender: Some(body.gender),
        address: body.address,
    };
    change_profile(ctx, id, change)
}

/// What a profile change sets; what it leaves out stays.
struct Change {
    name: String,
    birthday: Option<crate::Date>,
    gender: Option<types::Gender>,
    address: Option<String>,
}

fn change_profile(ctx: &mut Ctx<'_>, id: u64, change: Change) -> Result<Value, Problem> {
    let member = ctx.state.members.get_mut(&id).expect("found just now");
    member.name = change.name;
    member.birthday = change
        .birthday
        .map(|d| d.to_string())
        .or(member.birthday.take());
    member.gender = change
        .gender
        .map(|g| g.to_string())
        .or(member.gender.take());
    member.address = change.address.or(member.address.take());
    let (answer, event) = (view(member), Event::changed(member, member.email.clone()));
    ctx.state.outbox.push(event);
    Ok(answer)
}

fn add_tag(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::MembershipTagRequest = body!(ctx, AddMembershipTag)?;
    let (key, value) = (body.key, body.value);
    let member = ctx.member(Some(&body.user))?;
    member.tags.retain(|(k, _)| *k != key);
    member.tags.push((key, value));
    Ok(view(member)["membership"].clone())
}

fn remove_tag(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::MembershipTagRequest = body!(ctx, RemoveMembershipTag)?;
    let key = body.key;
    let member = ctx.member(Some(&body.user))?;
    let before = member.tags.len();
    member.tags.retain(|(k, _)| *k != key);
    if member.tags.len() == before {
        return Err(Problem::new(
            "invalid_data",
            "__all__",
            format!("Membership has no tag {key}"),
        ));
    }
    Ok(json!({}))
}

fn set_level(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::SetMemberLevelRequest = body!(ctx, SetMemberLevel)?;
    let level = u64::try_from(body.level).unwrap_or_default();
    if level_name(level).is_none() {
        return Err(Problem::new(
            "invalid_data",
            "level",
            "Level does not exist",
        ));
    }
    let member = ctx.member(Some(&body.user))?;
    member.level = level;
    let event = Event::changed(member, member.email.clone());
    ctx.state.outbox.push(event);
    Ok(json!({}))
}

fn anonymize(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::AnonymizeMemberRequest = body!(ctx, AnonymizeMember)?;
    let member = ctx.member(Some(&body.identifier))?;
    member.is_anonymized = true;
    member.name.clear();
    member.email = None;
    member.phone = None;
    Ok(json!({}))
}

fn add_child(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::AddChildRequest = body!(ctx, AddChild)?;
    let owner = ctx.member_id(Some(&body.user))?;
    let id = ctx.state.next_id();
    let member = ctx.state.members.get_mut(&owner).expect("found");
    member.children.push((id, body.name.clone()));
    Ok(
        json!({"child": {"id": id, "name": body.name, "birthday": body.birthday, "gender": body.gender}}),
    )
}

fn delete_child(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::DeleteChildRequest = body!(ctx, DeleteChild)?;
    let id = u64::from(body.child);
    remove_owned(ctx, id, "child", |m| &mut m.children)
}

fn add_pet(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::AddPetRequest = body!(ctx, AddPet)?;
    let owner = ctx.member_id(Some(&body.user))?;
    let id = ctx.state.next_id();
    let member = ctx.state.members.get_mut(&owner).expect("found");
    member.pets.push((id, body.name.clone()));
    Ok(
        json!({"pet": {"id": id, "name": body.name, "birthday": body.birthday, "gender": body.gender}}),
    )
}

fn delete_pet(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::DeletePetRequest = body!(ctx, DeletePet)?;
    let id = u64::from(body.pet);
    remove_owned(ctx, id, "pet", |m| &mut m.pets)
}

/// Removes child or pet `id` from whoever has it.
fn remove_owned(
    ctx: &mut Ctx<'_>,
    id: u64,
    field: &str,
    list: fn(&mut MemberRecord) -> &mut Vec<(u64, String)>,
) -> Result<Value, Problem> {
    for member in ctx.state.members.values_mut() {
        let items = list(member);
        if let Some(at) = items.iter().position(|(i, _)| *i == id) {
            items.remove(at);
            return Ok(json!({}));
        }
    }
    Err(Problem::new(
        "invalid_data",
        field,
        format!("No {field} with id {id}"),
    ))
}

/// The balance answer: the member as `customer` (level as `status`), the update.
fn balance_view(m: &MemberRecord, id: u64, amount: u64, canceled: bool) -> Value {
    let mut update = json!({"id": id, "amount": amount});
    if canceled {
        update["status"] = "Canceled".into();
    }
    json!({
        "customer": {"id": m.id, "balance": m.balance, "status": m.level_name()},
        "balance_update": update,
    })
}

fn update_balance(
    ctx: &mut Ctx<'_>,
    body: types::BalanceUpdateRequest,
    sign: i64,
) -> Result<Value, Problem> {
    let amount = body.amount.get();
    let id = ctx.state.next_id();
    let member = ctx.member(Some(&body.user))?;
    if sign < 0 && amount > member.balance {
        return Err(Problem::new(
            "insufficient_balance",
            "amount",
            "Insufficient balance",
        ));
    }
    member.balance = if sign < 0 {
        member.balance - amount
    } else {
        member.balance + amount
    };
    let (owner, view) = (member.id, balance_view(member, id, amount, false));
    let signed = i64::try_from(amount).unwrap_or(i64::MAX) * sign;
    ctx.state.updates.insert(
        id,
        BalanceUpdate {
            member: owner,
            amount: signed,
            canceled: false,
        },
    );
    Ok(view)
}

fn cancel_balance_update(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::CancelBalanceUpdateRequest = body!(ctx, CancelBalanceUpdate)?;
    let id = u64::from(body.id);
    let Some(update) = ctx.state.updates.get_mut(&id).filter(|u| !u.canceled) else {
        return Err(Problem::new(
            "invalid_data",
            "id",
            "Balance update not found or already canceled",
        ));
    };
    update.canceled = true;
    let (owner, amount) = (update.member, update.amount);
    let member = ctx
        .state
        .members
        .get_mut(&owner)
        .expect("an update's member exists");
    member.balance = member.balance.saturating_add_signed(-amount);
    Ok(balance_view(member, id, amount.unsigned_abs(), true))
}
