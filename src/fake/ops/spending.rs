//! Redemptions spend stamps on rewards a test seeded; cancelling one returns them.
//! Vouchers issued to a member validate until redeemed.

use serde_json::{Value, json};

use super::{Ctx, Handler, Problem};
use crate::fake::state::{RedemptionRecord, RewardRecord, VoucherRecord};

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
    let (stamps, customer) = match ctx.input.get("user") {
        Some(_) => {
            let member = ctx.member("user")?;
            let customer = json!({
                "id": member.id, "stamps": member.stamps, "stamps_remaining": member.stamps,
                "membership_status": member.level_name(), "status": member.level_name(),
            });
            (Some(member.stamps), customer)
        }
        None => (None, Value::Null),
    };
    let after = ctx.u64("last_reward_id").unwrap_or(0);
    let per_page = ctx.u64("per_page").map_or(usize::MAX, |n| n as usize);
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
    let wanted = ctx.input.get("reward").cloned().unwrap_or_default();
    let reward = ctx
        .state
        .rewards
        .values()
        .find(|r| match &wanted {
            Value::Number(n) => n.as_u64() == Some(r.id),
            Value::String(code) => r.code.as_deref() == Some(code.as_str()),
            _ => false,
        })
        .cloned()
        .ok_or_else(|| Problem::new("invalid_data", "reward", "Reward not found"))?;
    let quantity = ctx.u64("qty").unwrap_or(1).max(1);
    // A flexible reward costs what the call says.
    let cost = ctx
        .u64("stamps")
        .filter(|_| reward.stamps == 0)
        .unwrap_or(reward.stamps * quantity);
    let id = ctx.state.next_id();
    let member = ctx.member("user")?;
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
    let id = ctx.u64("id").unwrap_or_default();
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
    let template = ctx.str("voucher_template").unwrap_or_default();
    let id = ctx.state.next_id();
    let mut voucher = json!({"id": id});
    for field in ["start_date", "quantity", "notes", "value"] {
        if let Some(value) = ctx.input.get(field) {
            voucher[field] = value.clone();
        }
    }
    let member = ctx.member("user")?;
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
    let code = ctx.str("voucher_code").unwrap_or_default();
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
