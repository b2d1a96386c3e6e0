//! Transactions earn stamps ([`Settings::stamps_per_value`]); cancelling one takes
//! them back. Both show in the member's transaction history and activity feed, which
//! page as documented (`last_transaction_id` and `has_next`; `older_than`, 20 a page).

use serde_json::{Value, json};

use super::{Ctx, Handler, Problem};
use crate::fake::Settings;
use crate::fake::state::{TransactionRecord, unix_now};

/// Transactions in one page of `list_member_transactions`.
pub(crate) const TRANSACTIONS_PER_PAGE: usize = 10;
/// Entries in one page of `list_activities`, as documented.
pub(crate) const ACTIVITIES_PER_PAGE: usize = 20;
/// The owner of an open transaction (one without a member): no member has id 0.
const OPEN: u64 = 0;
/// The activity type of a transaction, and of a redemption (activity type table).
pub(super) const ACTIVITY_TRANSACTION: u64 = 0;

/// The operations this module answers, each with its handler: the one list of them.
pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("add_transaction", add),
    ("cancel_transaction", cancel),
    ("get_transaction", details),
    ("list_member_transactions", by_user),
    ("list_activities", activities),
];

/// The stamps a sale of `value` earns under the fake's rule.
pub(super) fn earned(settings: &Settings, value: u64) -> u64 {
    value / settings.stamps_per_value()
}

fn view(t: &TransactionRecord) -> Value {
    json!({
        "id": t.id,
        "value": t.value,
        "stamps": t.stamps,
        "stamps_earned": t.stamps,
        "invoice_number": t.invoice_number,
        "created": t.created,
        "status": match (t.canceled, t.member) {
            (true, _) => "Canceled",
            (false, OPEN) => "Open",
            (false, _) => "Created",
        },
    })
}

/// A transaction without `user` is an open one (status 3, "Open", in the docs): it is
/// recorded, earns no one stamps, and answers with no customer.
fn add(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let value = number(ctx.input.get("total_value")).unwrap_or_default();
    let invoice_number = ctx.str("invoice_number").unwrap_or_default();
    let (owner, stamps, customer) = match ctx.input.get("user") {
        None => (OPEN, 0, Value::Null),
        Some(_) => {
            let stamps = earned(ctx.settings, value);
            let member = ctx.member("user")?;
            member.stamps += stamps;
            let customer = json!({
                "id": member.id, "status": member.level_name(), "balance": member.balance,
                "mobile_phone": member.phone, "stamps_remaining": member.stamps,
            });
            (member.id, stamps, customer)
        }
    };
    let id = ctx.state.next_id();
    let record = TransactionRecord {
        id,
        member: owner,
        invoice_number,
        value,
        stamps,
        created: unix_now(),
        canceled: false,
    };
    let transaction = view(&record);
    if owner != OPEN {
        ctx.state.log(
            owner,
            ACTIVITY_TRANSACTION,
            stamps as i64,
            format!("Transaction #{id}"),
        );
    }
    ctx.state.transactions.insert(id, record);
    Ok(json!({"customer": customer, "transaction": transaction}))
}

fn cancel(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let invoice = ctx.str("invoice_number");
    let found = ctx
        .state
        .transactions
        .values_mut()
        .find(|t| Some(&t.invoice_number) == invoice.as_ref() && !t.canceled);
    let Some(transaction) = found else {
        return Err(Problem::new(
            "invalid_data",
            "invoice_number",
            "Transaction not found",
        ));
    };
    transaction.canceled = true;
    let (view, owner, stamps) = (view(transaction), transaction.member, transaction.stamps);
    // An open transaction has no member to take stamps from.
    let Some(member) = ctx.state.members.get_mut(&owner) else {
        return Ok(json!({"transaction": view, "membership": null}));
    };
    member.stamps = member.stamps.saturating_sub(stamps);
    let membership = super::members::view(member)["membership"].clone();
    Ok(json!({"transaction": view, "membership": membership}))
}

fn details(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let id = ctx.u64("transaction_id").unwrap_or_default();
    match ctx.state.transactions.get(&id) {
        Some(t) => Ok(json!({"transaction": view(t)})),
        None => Err(Problem::new(
            "invalid_data",
            "transaction_id",
            "Transaction not found",
        )),
    }
}

/// Newest first, `TRANSACTIONS_PER_PAGE` at a time, older than `last_transaction_id`.
fn by_user(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let member = ctx.member_id("user")?;
    let before = ctx.u64("last_transaction_id").unwrap_or(u64::MAX);
    let mut older = ctx
        .state
        .transactions
        .values()
        .rev()
        .filter(|t| t.member == member && t.id < before);
    let page: Vec<Value> = older
        .by_ref()
        .take(TRANSACTIONS_PER_PAGE)
        .map(view)
        .collect();
    let has_next = older.next().is_some();
    Ok(json!({"transactions": page, "has_next": has_next}))
}

/// Newest first, `ACTIVITIES_PER_PAGE` at a time, older than `older_than` (an id).
fn activities(ctx: &mut Ctx<'_>) -> Result<Value, Problem> {
    let member = ctx.member_id("user")?;
    let before = ctx.u64("older_than").unwrap_or(u64::MAX);
    let page: Vec<Value> = ctx
        .state
        .activities
        .iter()
        .rev()
        .filter(|a| a.member == member && a.id < before)
        .take(ACTIVITIES_PER_PAGE)
        .map(|a| {
            let detail = json!({"stamps": a.stamps, "name": a.description});
            json!({"id": a.id, "type": a.kind, "created": a.created, "notes": "",
                   "transaction": detail, "redemption": detail})
        })
        .collect();
    Ok(json!({"activities": page}))
}

/// A JSON number or numeric string, as a whole number.
pub(super) fn number(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().map(|f| f as u64)),
        Value::String(s) => s.parse::<f64>().ok().map(|f| f as u64),
        _ => None,
    }
}
