//! Printing a [`Diff`]: the changes under five headings, one line each, then
//! a summary line.
//!
//! ```text
//! Wire contract: breaking (1)
//!   [response-property-removed] get_member_details, register_member: response property `Membership.balance` removed (...) at openapi/stamps.yaml:1712 #/components/schemas/Membership/properties/balance
//! Rust API: breaking (1)
//!   [response-property-removed] ...
//! summary: 1 change: 1 breaking (1 on the wire, 1 in the Rust API), 0 non-breaking, 0 informational
//! ```
//!
//! A change appears under the wire heading of its wire impact and under the
//! Rust heading of its Rust impact (so an added operation is listed twice,
//! as non-breaking); changes that affect neither are informational.

use std::fmt::Write as _;

use super::{Change, Diff, Impact, Side};
use crate::lint::Spec;

/// At most this many operations are named on a line; the rest are counted.
const MAX_USERS: usize = 5;

/// Whether a change goes under a heading.
type Belongs = fn(&Change) -> bool;

/// The headings, in order, and which changes go under each.
const SECTIONS: &[(&str, Belongs)] = &[
    ("Wire contract: breaking", |c| c.wire == Impact::Breaking),
    ("Wire contract: non-breaking", |c| {
        c.wire == Impact::NonBreaking
    }),
    ("Rust API: breaking", |c| c.rust == Impact::Breaking),
    ("Rust API: non-breaking", |c| c.rust == Impact::NonBreaking),
    ("Informational", Change::is_informational),
];

/// The two documents, to name places in them.
pub struct Sides<'a> {
    pub old: (&'a str, &'a Spec),
    pub new: (&'a str, &'a Spec),
}

/// Prints the report to stdout; returns whether any change is breaking.
pub fn print(diff: &Diff, sides: &Sides<'_>, allow_breaking: bool) -> bool {
    println!("comparing {} (old) with {} (new)", sides.old.0, sides.new.0);
    for (heading, belongs) in SECTIONS {
        let changes: Vec<&Change> = diff.changes.iter().filter(|c| belongs(c)).collect();
        if changes.is_empty() {
            continue;
        }
        println!("\n{heading} ({})", changes.len());
        for change in changes {
            println!("  {}", line(change, diff, sides));
        }
    }
    let breaking = diff.changes.iter().filter(|c| c.is_breaking()).count();
    let summary = summary(diff, breaking);
    println!();
    if breaking > 0 && allow_breaking {
        println!("{summary}; breaking changes allowed (--allow-breaking)");
    } else {
        println!("{summary}");
    }
    breaking > 0
}

/// `[kind] users: message at FILE:LINE #POINTER`.
fn line(change: &Change, diff: &Diff, sides: &Sides<'_>) -> String {
    let mut out = format!("[{}] ", change.kind);
    let users: Vec<&str> = change
        .users
        .iter()
        .map(|&i| diff.operations[i].as_str())
        .collect();
    if !users.is_empty() {
        let shown = if users.len() > MAX_USERS {
            format!(
                "{} and {} more",
                users[..MAX_USERS - 1].join(", "),
                users.len() - (MAX_USERS - 1)
            )
        } else {
            users.join(", ")
        };
        let _ = write!(out, "{shown}: ");
    }
    let (shown, spec) = match change.side {
        Side::Old => sides.old,
        Side::New => sides.new,
    };
    let place = match spec.line(&change.pointer) {
        Some(line) => format!("{shown}:{line}"),
        None => shown.to_owned(),
    };
    let _ = write!(out, "{} at {place} #{}", change.message, change.pointer);
    out
}

/// `summary: N changes: B breaking (W on the wire, R in the Rust API), K non-breaking, I informational`.
fn summary(diff: &Diff, breaking: usize) -> String {
    let total = diff.changes.len();
    if total == 0 {
        return "summary: no changes".to_owned();
    }
    let count = |f: fn(&Change) -> bool| diff.changes.iter().filter(|c| f(c)).count();
    let wire = count(|c| c.wire == Impact::Breaking);
    let rust = count(|c| c.rust == Impact::Breaking);
    let informational = count(Change::is_informational);
    let non_breaking = total - breaking - informational;
    format!(
        "summary: {total} change{}: {breaking} breaking ({wire} on the wire, {rust} in the Rust API), \
         {non_breaking} non-breaking, {informational} informational",
        if total == 1 { "" } else { "s" }
    )
}
