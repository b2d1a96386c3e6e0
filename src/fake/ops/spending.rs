//! Redemptions spend stamps on rewards a test seeded; cancelling one returns them.
//! Vouchers issued to a member validate until redeemed.

use serde_json::{Value, json};

use super::{Ctx, Handler, Param, Problem};
use crate::fake::state::{RedemptionRecord, RewardRecord, VoucherRecord};
use crate::{RewardRef, types};

/// The activity type of a redemption (activity type table).
const ACTIVITY_REDEMPTION: u64 = 1;

/// The operations this module answers, each with its handler: the one list of them.
pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("list_rewards", list_rewards),
    ("redeem_reward", redeem),
    ("cancel_redemption", cancel),
    ("issue_voucher", issue_voucher),
    ("validate_voucher", validate_voucher),
];

fn reward_view(r: &RewardRecord, stamps: Option<u64>) -> Value {
    json!({
        "id": r.id, "name": r.name, "code": r.code, "stamps_to_redeem": r.stamps,
        "redeemable": stamps.is_none_or(|s| s >= r.stamps),
    })
}

/// The seeded rewards, by id, after `last_reward_id`, `per_page` at a time; with
/// `user`, `redeemable` says whether they have the stamps.
fn list_rewards(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    // The customer asked about, in both the table's and the example's names; without
    // `user`, none.
    let (stamps, customer) = match param!(ctx, ListRewards::user) {
        Param::Absent => (None, Value::Null),
        user => {
            let member = ctx.member(user.ok().as_ref())?;
            let customer = json!({
                "id": member.id, "stamps": member.stamps, "stamps_remaining": member.stamps,
                "membership_status": member.level_name(), "status": member.level_name(),
            });
            (Some(member.stamps), customer)
        }
    };
    let after: Option<types::RewardId> = param!(ctx, ListRewards::last_reward_id).ok();
    let after = after.and_then(|id| u64::try_from(id.0).ok()).unwrap_or(0);
    let per_page: Option<u64> = param!(ctx, ListRewards::per_page).ok();
    let per_page = per_page.map_or(usize::MAX, |n| n as usize);
    let rewards: Vec<Value> = ctx
        .state
        .rewards
        .values()
        .filter(|r| r.id > after)
        .take(per_page)
        .map(|r| reward_view(r, stamps))
        .collect();
    Ok(json!({"customer": customer, "rewards": rewards, "vouchers": []}))
}

fn redeem(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::RedeemRewardRequest = body!(ctx, RedeemReward)?;
    let reward = ctx
        .state
        .rewards
        .values()
        .find(|r| match &body.reward {
            RewardRef::Id(id) => *id == r.id,
            RewardRef::Code(code) => r.code.as_deref() == Some(code.as_str()),
        })
        .cloned()
        .ok_or_else(|| Problem::new("invalid_data", "reward", "Reward not found"))?;
    let whole = |n: Option<i64>| n.and_then(|n| u64::try_from(n).ok());
    let quantity = whole(body.qty).unwrap_or(1).max(1);
    // A flexible reward costs what the call says.
    let cost = whole(body.stamps)
        .filter(|_| reward.stamps == 0)
        .unwrap_or(reward.stamps * quantity);
    let id = ctx.state.next_id();
    let member = ctx.member(Some(&body.user))?;
    if member.stamps < cost {
        return Err(Problem::new(
            "invalid_data",
            "__all__",
            "Insufficient stamps",
        ));
    }
    member.stamps -= cost;
    let membership = super::members::view(member)["membership"].clone();
    let owner = member.id;
    ctx.state.redemptions.insert(
        id,
        RedemptionRecord {
            member: owner,
            stamps: cost,
            canceled: false,
        },
    );
    ctx.state.log(
        owner,
        ACTIVITY_REDEMPTION,
        -(cost as i64),
        reward.name.clone(),
    );
    Ok(json!({
        "redemption": {"id": id, "reward": reward.name, "stamps_used": cost},
        "membership": membership,
        "reward": reward_view(&reward, None),
    }))
}

fn cancel(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::CancelRedemptionRequest = body!(ctx, CancelRedemption)?;
    let id = u64::try_from(body.id.0).unwrap_or_default();
    let Some(redemption) = ctx.state.redemptions.get_mut(&id).filter(|r| !r.canceled) else {
        return Err(Problem::new(
            "invalid_data",
            "id",
            "Redemption not found or already canceled",
        ));
    };
    redemption.canceled = true;
    let (owner, stamps) = (redemption.member, redemption.stamps);
    let member = ctx
        .state
        .members
        .get_mut(&owner)
        .expect("a redemption's member exists");
    member.stamps += stamps;
    Ok(json!({
        "redemption": {"id": id, "status": "Canceled"},
        "customer": {"id": owner, "status": member.level_name(), "stamps_remaining": member.stamps},
    }))
}

/// Issues a voucher; its code, for `validate_voucher`, is its id. The answer echoes
/// the fields the call sent, as they were sent.
fn issue_voucher(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let body: types::IssueVoucherRequest = body!(ctx, IssueVoucher)?;
    let template = body.voucher_template.to_string();
    let id = ctx.state.next_id();
    let mut voucher = json!({"id": id, "start_date": body.start_date, "quantity": body.quantity});
    if let Some(notes) = body.notes {
        voucher["notes"] = notes.into();
    }
    if let Some(value) = body.value {
        voucher["value"] = match value {
            // As sent: `200`, not the `200.0` an `f64` writes.
            types::IssueVoucherRequestValue::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => {
                (n as i64).into()
            }
            value => json!(value),
        };
    }
    let member = ctx.member(Some(&body.user))?;
    let customer = json!({"id": member.id, "email": member.email});
    let owner = member.id;
    ctx.state.vouchers.insert(
        id,
        VoucherRecord {
            code: id.to_string(),
            member: owner,
            template,
            redeemed: false,
        },
    );
    Ok(json!({"voucher": voucher, "customer": customer}))
}

fn validate_voucher(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let code: Option<String> = param!(ctx, ValidateVoucher::voucher_code).ok();
    let code = code.unwrap_or_default();
    let Some(voucher) = ctx
        .state
        .vouchers
        .values()
        .find(|v| v.code == code && !v.redeemed)
    else {
        return Err(Problem::new(
            "invalid_data",
            "voucher_code",
            "Voucher not found",
        ));
    };
    let member = &ctx.state.members[&voucher.member];
    Ok(json!({
        "is_redeemable": true,
        "user": {"email": member.email, "name": member.name, "phone": member.phone},
        "voucher": {"id": voucher.code, "name": format!("Voucher {}", voucher.template)},
    }))
}
