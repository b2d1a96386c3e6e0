//! `cargo xtask diff OLD NEW`: what changed between two versions of the spec,
//! and whom it breaks.
//!
//! Every change is classified twice:
//!
//! - for the **wire contract**: can a client written against OLD fail against a
//!   server that implements NEW (a request OLD allowed that NEW refuses, an
//!   answer NEW allows that OLD's clients cannot read)? Other languages'
//!   clients and hand-written HTTP calls care about this;
//! - for the **generated Rust API**: does code that compiled against the
//!   `stamps` crate built from OLD stop compiling, or fail at run time where it
//!   did not, once the crate is built from NEW (a renamed method, a removed
//!   field, a new variant in an exhaustive enum)? progenitor and typify
//!   generate exhaustive enums and structs with public fields, and build.rs
//!   replaces some schemas with hand-written types; see [`rust`]. (A spec from
//!   before the docs of 2025-10-29 may still declare a `token` parameter, which
//!   the Rust client never exposed.)
//!
//! Each is [`Impact::Breaking`], [`Impact::NonBreaking`] or
//! [`Impact::Unaffected`]; changes that affect neither (descriptions,
//! examples) are informational.
//!
//! The comparison walks the operations of both documents side by side
//! ([`operations`]) and, for every parameter, request body and response, the
//! schemas ([`schema`]), following `$ref`s. A change inside a shared component
//! is reported once, at the component, naming every operation that uses it
//! (and once per direction: a component used by requests and responses can
//! break one and not the other).

mod operations;
mod report;
mod rust;
mod schema;
mod source;

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::lint::Spec;
use crate::yaml_positions::escape;

pub use report::{Sides, print};
pub use source::load;

/// How a change affects one audience.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Impact {
    /// Code or clients that worked with OLD can fail with NEW.
    Breaking,
    /// A visible change that breaks nothing (an addition, a relaxation).
    NonBreaking,
    /// This audience cannot see the change.
    Unaffected,
}

/// Which way data flows through a schema: sent by the client, or read by it.
/// The same change (a new enum value, a property becoming optional) breaks
/// one direction and not the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dir {
    Request,
    Response,
}

impl Dir {
    /// The change kind for this direction.
    fn pick(self, request: &'static str, response: &'static str) -> &'static str {
        match self {
            Dir::Request => request,
            Dir::Response => response,
        }
    }

    fn noun(self) -> &'static str {
        self.pick("request", "response")
    }

    /// What a change does on the wire: narrowing what a request may carry, or widening
    /// what a response may hold, breaks a client written against the old document.
    fn wire_impact(self, narrower: bool) -> Impact {
        match (self, narrower) {
            (Dir::Request, true) | (Dir::Response, false) => Impact::Breaking,
            _ => Impact::NonBreaking,
        }
    }
}

/// Which document a change's pointer is in: a removed thing exists only in OLD.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Old,
    New,
}

/// One change between the documents.
#[derive(Debug)]
pub struct Change {
    /// Stable kebab-case id, e.g. `response-property-removed`.
    pub kind: &'static str,
    /// The document [`pointer`](Self::pointer) is in.
    pub side: Side,
    /// JSON pointer of the changed node (for a removal, in OLD).
    pub pointer: String,
    /// What changed, and what it means for whom.
    pub message: String,
    pub wire: Impact,
    pub rust: Impact,
    /// Indexes into [`Diff::operations`] of the operations affected.
    pub users: BTreeSet<usize>,
}

impl Change {
    pub fn is_breaking(&self) -> bool {
        self.wire == Impact::Breaking || self.rust == Impact::Breaking
    }

    pub fn is_informational(&self) -> bool {
        self.wire == Impact::Unaffected && self.rust == Impact::Unaffected
    }
}

/// The result of a comparison.
#[derive(Debug)]
pub struct Diff {
    /// In the order found: operations of NEW in document order, then the
    /// operations of OLD that NEW no longer has.
    pub changes: Vec<Change>,
    /// The name of each operation a change can name: its `operationId` (in
    /// NEW, or in OLD for a removed one), else `METHOD /path`.
    pub operations: Vec<String>,
}

/// Compares two loaded specs.
pub fn compare(old: &Spec, new: &Spec) -> Diff {
    let mut differ = Differ {
        old,
        new,
        changes: Vec::new(),
        index: HashMap::new(),
        user: None,
        operations: Vec::new(),
        memo: HashMap::new(),
        active: HashSet::new(),
        collecting: Vec::new(),
    };
    differ.document();
    Diff {
        changes: differ.changes,
        operations: differ.operations,
    }
}

/// Where a schema comparison is, and what it is comparing.
#[derive(Clone, Debug)]
struct Ctx {
    dir: Dir,
    /// Pointer of the node in OLD.
    old: String,
    /// Pointer of the node in NEW.
    new: String,
    /// What the root of this walk is: a component name (`Membership`) or an
    /// inline place (`add_child request body`, `query parameter \`user\``).
    root: String,
    /// Whether `root` is a component (`Membership.balance`) or an inline place
    /// (`` `balance` in add_child 200 response ``).
    component: bool,
    /// Dotted path from the root: `children[].name`.
    path: String,
    /// Whether the parent requires this node (a required property, a required
    /// parameter or body): `nullable` then changes the Rust type.
    required: bool,
    /// Why the Rust API does not see this node, if it does not.
    hidden: Option<String>,
}

impl Ctx {
    /// A walk starting at an inline place of an operation.
    fn root(dir: Dir, old: String, new: String, root: String, required: bool) -> Ctx {
        Ctx {
            dir,
            old,
            new,
            root,
            component: false,
            path: String::new(),
            required,
            hidden: None,
        }
    }

    /// The child at `segment` (one pointer segment, unescaped), shown as
    /// `label` appended to the path (`.name`, `[]`).
    fn child(&self, segments: &[&str], label: &str) -> Ctx {
        let mut child = self.clone();
        for segment in segments {
            child.old = format!("{}/{}", child.old, escape(segment));
            child.new = format!("{}/{}", child.new, escape(segment));
        }
        child.path = if self.path.is_empty() {
            label.trim_start_matches('.').to_owned()
        } else {
            format!("{}{label}", self.path)
        };
        child.required = false;
        child
    }

    /// How messages name this node.
    fn name(&self) -> String {
        match (self.component, self.path.is_empty()) {
            (true, true) => format!("`{}`", self.root),
            (true, false) => format!("`{}.{}`", self.root, self.path),
            (false, true) => self.root.clone(),
            (false, false) => format!("`{}` in {}", self.path, self.root),
        }
    }
}

/// A component comparison already done: OLD pointer, NEW pointer, direction,
/// required by its parent, hidden from Rust.
type MemoKey = (String, String, Dir, bool, bool);

/// The comparison in progress.
struct Differ<'a> {
    old: &'a Spec,
    new: &'a Spec,
    changes: Vec<Change>,
    /// Where each distinct change is in `changes`: a change reached from
    /// several operations is one change with several users.
    index: HashMap<(&'static str, Side, String, String), usize>,
    /// The operation being compared (an index into `operations`).
    user: Option<usize>,
    operations: Vec<String>,
    /// The changes each component comparison found, so that the next
    /// operation using the component only adds itself to their users.
    memo: HashMap<MemoKey, Vec<usize>>,
    /// Component comparisons under way: a recursive schema stops here.
    active: HashSet<MemoKey>,
    /// The changes found by each component comparison under way, innermost
    /// last.
    collecting: Vec<Vec<usize>>,
}

impl Differ<'_> {
    /// Records a change (or adds the current operation to an identical one).
    fn report(
        &mut self,
        kind: &'static str,
        side: Side,
        pointer: &str,
        message: String,
        wire: Impact,
        rust: Impact,
    ) {
        let key = (kind, side, pointer.to_owned(), message.clone());
        let id = match self.index.get(&key) {
            Some(&id) => id,
            None => {
                self.changes.push(Change {
                    kind,
                    side,
                    pointer: pointer.to_owned(),
                    message,
                    wire,
                    rust,
                    users: BTreeSet::new(),
                });
                let id = self.changes.len() - 1;
                self.index.insert(key, id);
                id
            }
        };
        self.reuse(&[id]);
    }

    /// Records a change found while walking a schema, at NEW's pointer (OLD's
    /// for a removal) plus `suffix` (`/enum`, to name the keyword). The
    /// message is `what` then `rust`, what the Rust API sees, unless build.rs
    /// hides the node from Rust: then the Rust impact is cancelled and the
    /// message says why.
    #[allow(clippy::too_many_arguments)]
    fn report_at(
        &mut self,
        ctx: &Ctx,
        side: Side,
        suffix: &str,
        kind: &'static str,
        what: String,
        rust_text: &str,
        wire: Impact,
        rust: Impact,
    ) {
        let pointer = match side {
            Side::Old => format!("{}{suffix}", ctx.old),
            Side::New => format!("{}{suffix}", ctx.new),
        };
        let (message, rust) = match &ctx.hidden {
            Some(why) if rust != Impact::Unaffected => (
                format!("{what} (not in the Rust API: {why})"),
                Impact::Unaffected,
            ),
            _ if rust_text.is_empty() => (what, rust),
            _ => (format!("{what}; in Rust, {rust_text}"), rust),
        };
        self.report(kind, side, &pointer, message, wire, rust);
    }

    /// Adds the current operation to the users of changes found earlier, and
    /// hands them to the component comparison under way, if any.
    fn reuse(&mut self, ids: &[usize]) {
        for &id in ids {
            if let Some(user) = self.user {
                self.changes[id].users.insert(user);
            }
        }
        if let Some(top) = self.collecting.last_mut() {
            top.extend_from_slice(ids);
        }
    }
}
