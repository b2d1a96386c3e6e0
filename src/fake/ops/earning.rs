//! Transactions earn stamps ([`Settings::stamps_per_value`]); cancelling one takes
//! them back. Both show in the member's transaction history and activity feed, which
//! page as documented (`last_transaction_id` and `has_next`; `older_than`, 20 a page).

use serde_json::{Value, json};

use super::{Ctx, Handler, Problem};
use crate::fake::Settings;
use crate::fake::state::{TransactionRecord, unix_now};
use crate::types;

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
    let body: types::AddTransactionRequest = body!(ctx, AddTransaction)?;
    // Whole units: the schema's `number` admits a fraction, the stamps rule does not.
    let value = body.total_value as u64;
    let invoice_number = body.invoice_number;
    let (owner, stamps, customer) = match body.user {
        None => (OPEN, 0, Value::Null),
        Some(user) => {
            let stamps = earned(ctx.settings, value);
            let member = ctx.member(Some(&user))?;
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
    let body: types::CancelTransactionRequest = body!(ctx, CancelTransaction)?;
    let found = ctx
        .state
        .transactions
        .values_mut()
        .find(|t| t.invoice_number == body.invoice_number && !t.canceled);
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
    let id: Option<types::TransactionId> = param!(ctx, GetTransaction::transaction_id).ok();
    let id = id
        .and_then(|id| u64::try_from(id.0).ok())
        .unwrap_or_default();
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
    let member = ctx.member_id(param!(ctx, ListMemberTransactions::user).ok().as_ref())?;
    let before: Option<types::TransactionId> =
        param!(ctx, ListMemberTransactions::last_transaction_id).ok();
    let before = before
        .and_then(|id| u64::try_from(id.0).ok())
        .unwrap_or(u64::MAX);
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
    let member = ctx.member_id(param!(ctx, ListActivities::user).ok().as_ref())?;
    let before: u64 = param!(ctx, ListActivities::older_than)
        .ok()
        .unwrap_or(u64::MAX);
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
