//! Comparing two Schema Objects in one direction (request or response),
//! following `$ref`s, and reporting each difference with what it breaks.

use serde_json::Value;

use super::Impact::{Breaking, NonBreaking, Unaffected};
use super::{Ctx, Differ, Dir, Impact, Side, rust};
use crate::lint::spec::{nullable_member, ref_of};

/// A missing node.
static NULL: Value = Value::Null;

/// Validation keywords that narrow what a schema admits when added, and
/// whether a larger value narrows (`minLength`) or widens (`maxLength`).
const CONSTRAINTS: &[(&str, Bound)] = &[
    ("minimum", Bound::Lower),
    ("exclusiveMinimum", Bound::Flag),
    ("maximum", Bound::Upper),
    ("exclusiveMaximum", Bound::Flag),
    ("multipleOf", Bound::Other),
    ("minLength", Bound::Lower),
    ("maxLength", Bound::Upper),
    ("pattern", Bound::Other),
    ("minItems", Bound::Lower),
    ("maxItems", Bound::Upper),
    ("uniqueItems", Bound::Flag),
    ("minProperties", Bound::Lower),
    ("maxProperties", Bound::Upper),
];

#[derive(Clone, Copy)]
enum Bound {
    /// Raising it narrows.
    Lower,
    /// Lowering it narrows.
    Upper,
    /// `true` narrows.
    Flag,
    /// Any change may narrow.
    Other,
}

impl<'a> Differ<'a> {
    /// Compares the schemas `old` (in OLD) and `new` (in NEW) found at `ctx`.
    pub(super) fn schema(&mut self, old: &'a Value, new: &'a Value, ctx: &Ctx) {
        // `allOf: [X]` with annotations beside it is X with those annotations
        // (the way OpenAPI 3.0 gives a `$ref` a description or a default), and
        // `oneOf: [X, {enum: [null]}]` is X made nullable: progenitor makes the
        // same Rust type of them as of X (or `Option<X>`).
        let (old_inner, new_inner) = (wrapped(old), wrapped(new));
        if old_inner.is_none() && new_inner.is_none() {
            return self.resolved(old, new, ctx);
        }
        self.annotations(old, new, ctx);
        self.nullable(old, new, ctx);
        let mut inner = ctx.clone();
        if let Some((suffix, _)) = &old_inner {
            inner.old.push_str(suffix);
        }
        if let Some((suffix, _)) = &new_inner {
            inner.new.push_str(suffix);
        }
        self.resolved(
            old_inner.map_or(old, |(_, x)| x),
            new_inner.map_or(new, |(_, x)| x),
            &inner,
        );
    }

    /// Follows `$ref`s on both sides, then compares what they point at.
    fn resolved(&mut self, old: &'a Value, new: &'a Value, ctx: &Ctx) {
        let (old_spec, new_spec) = (self.old, self.new);
        let (old_target, old) = old_spec.resolve(old).unwrap_or((None, &NULL));
        let (new_target, new) = new_spec.resolve(new).unwrap_or((None, &NULL));
        if old_target != new_target {
            self.rust_type(old_target.as_deref(), new_target.as_deref(), ctx);
        }
        match (old_target, new_target) {
            (Some(old_ptr), Some(new_ptr)) => self.component(old_ptr, new_ptr, old, new, ctx),
            (old_target, new_target) => {
                let mut ctx = ctx.clone();
                if let Some(pointer) = old_target {
                    ctx.old = pointer;
                }
                if let Some(pointer) = new_target {
                    ctx.new = pointer;
                }
                self.structure(old, new, &ctx);
            }
        }
    }

    /// A `$ref` now points elsewhere, or a `$ref` replaced an inline schema
    /// (or the reverse): the wire sees only what the schemas say, compared
    /// next; the Rust field or parameter changes type.
    fn rust_type(&mut self, old: Option<&str>, new: Option<&str>, ctx: &Ctx) {
        let describe = |target: Option<&str>| match target {
            Some(pointer) => rust::type_of_component(component_name(pointer)),
            None => "an inline type".to_owned(),
        };
        let (old_type, new_type) = (describe(old), describe(new));
        // Two components build.rs replaces with one type change nothing.
        let rust = if old_type == new_type {
            Unaffected
        } else {
            Breaking
        };
        let what = match (old, new) {
            (Some(o), Some(n)) => format!(
                "now refers to `{}` (was `{}`)",
                component_name(n),
                component_name(o)
            ),
            (None, Some(n)) => format!("is now the component `{}` (was inline)", component_name(n)),
            (Some(o), None) => format!("is now inline (was the component `{}`)", component_name(o)),
            (None, None) => return,
        };
        let what = format!("{} {what}", ctx.name());
        let rust_text = format!("its type is now {new_type} (was {old_type})");
        self.report_at(
            ctx,
            Side::New,
            "",
            "rust-type-changed",
            what,
            &rust_text,
            Unaffected,
            rust,
        );
    }

    /// Compares two components reached through `$ref`s, once per direction:
    /// later users only add themselves to the changes found.
    fn component(
        &mut self,
        old_ptr: String,
        new_ptr: String,
        old: &'a Value,
        new: &'a Value,
        ctx: &Ctx,
    ) {
        let name = component_name(&new_ptr).to_owned();
        let mut inner = Ctx {
            old: old_ptr,
            new: new_ptr,
            root: name.clone(),
            component: true,
            path: String::new(),
            ..ctx.clone()
        };
        if inner.hidden.is_none()
            && let Some(rust_type) = rust::replacement(&name)
        {
            inner.hidden = Some(format!(
                "build.rs replaces `{name}` with the hand-written `{rust_type}`: check it still matches"
            ));
        }
        let key = (
            inner.old.clone(),
            inner.new.clone(),
            inner.dir,
            inner.required,
            inner.hidden.is_some(),
        );
        if let Some(ids) = self.memo.get(&key).cloned() {
            return self.reuse(&ids);
        }
        if !self.active.insert(key.clone()) {
            // A recursive schema: its changes are being found further up.
            return;
        }
        self.collecting.push(Vec::new());
        self.structure(old, new, &inner);
        let ids = self.collecting.pop().unwrap_or_default();
        self.active.remove(&key);
        self.reuse(&ids);
        self.memo.insert(key, ids);
    }

    /// Compares two resolved schemas.
    fn structure(&mut self, old: &'a Value, new: &'a Value, ctx: &Ctx) {
        self.annotations(old, new, ctx);
        let (old_kind, new_kind) = (kind_of(old), kind_of(new));
        let same_branches = old.get(old_kind).is_some() && old.get(old_kind) == new.get(new_kind);
        if matches!(
            (old_kind, new_kind),
            ("oneOf", "anyOf") | ("anyOf", "oneOf")
        ) && same_branches
        {
            return self.one_of_any_of(old_kind == "oneOf", ctx);
        }
        if old_kind != new_kind {
            return self.type_changed(old_kind, new_kind, ctx);
        }
        self.format(old, new, ctx);
        self.nullable(old, new, ctx);
        self.enums(old, new, ctx);
        self.constraints(old, new, ctx);
        self.properties(old, new, ctx);
        self.additional_properties(old, new, ctx);
        if let (Some(old_items), Some(new_items)) = (old.get("items"), new.get("items")) {
            self.schema(old_items, new_items, &ctx.child(&["items"], "[]"));
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            self.composition(key, old, new, ctx);
        }
    }

    fn type_changed(&mut self, old: &str, new: &str, ctx: &Ctx) {
        // From "anything" to a type narrows; the reverse widens.
        let wire = match (ctx.dir, old, new) {
            (Dir::Request, _, "any") | (Dir::Response, "any", _) => NonBreaking,
            _ => Breaking,
        };
        let kind = ctx
            .dir
            .pick("request-type-changed", "response-type-changed");
        let what = format!(
            "{} {} changed type from {old} to {new}",
            ctx.dir.noun(),
            ctx.name()
        );
        self.report_at(
            ctx,
            Side::New,
            "",
            kind,
            what,
            "its type changes",
            wire,
            Breaking,
        );
    }

    /// The same branches, `oneOf` made `anyOf` (or back). `anyOf` admits more: the
    /// values that match several branches, which `oneOf` refuses (a query's
    /// `user=8120` matches an integer and a string). So `oneOf` to `anyOf` widens,
    /// and the reverse narrows; typify makes a different type of each.
    fn one_of_any_of(&mut self, widened: bool, ctx: &Ctx) {
        let (old, new) = if widened {
            ("oneOf", "anyOf")
        } else {
            ("anyOf", "oneOf")
        };
        let wire = ctx.dir.wire_impact(!widened);
        let kind = ctx
            .dir
            .pick("request-type-changed", "response-type-changed");
        let what = format!(
            "{} {} changed from {old} to {new} with the same branches: it {} values that match more than one",
            ctx.dir.noun(),
            ctx.name(),
            if widened {
                "now admits"
            } else {
                "no longer admits"
            }
        );
        self.report_at(
            ctx,
            Side::New,
            "",
            kind,
            what,
            "its type changes",
            wire,
            Breaking,
        );
    }

    /// Descriptions, titles, examples, defaults: informational, except where
    /// typify reads them (a `default` makes an optional field non-`Option`;
    /// a `title` names an inline type or a `oneOf` variant).
    fn annotations(&mut self, old: &Value, new: &Value, ctx: &Ctx) {
        for key in [
            "description",
            "example",
            "deprecated",
            "readOnly",
            "writeOnly",
        ] {
            if old.get(key) != new.get(key) {
                let kind = if key == "example" {
                    "example-changed"
                } else {
                    "description-changed"
                };
                let what = format!("`{key}` of {} changed", ctx.name());
                let suffix = format!("/{key}");
                self.report_at(
                    ctx,
                    Side::New,
                    &suffix,
                    kind,
                    what,
                    "",
                    Unaffected,
                    Unaffected,
                );
            }
        }
        self.extensions(old, new, ctx);
        if old.get("title") != new.get("title") {
            let at_component_root = ctx.component && ctx.path.is_empty();
            let rust = if at_component_root {
                Unaffected
            } else {
                Breaking
            };
            let what = format!(
                "`title` of {} changed from {} to {}",
                ctx.name(),
                show(old.get("title")),
                show(new.get("title")),
            );
            let rust_text = "typify names inline types and `oneOf` variants after it";
            self.report_at(
                ctx,
                Side::New,
                "/title",
                "title-changed",
                what,
                rust_text,
                Unaffected,
                rust,
            );
        }
        match (old.get("default"), new.get("default")) {
            (a, b) if a == b => {}
            (Some(a), Some(b)) => {
                let what = format!(
                    "default of {} changed from {a} to {b}: callers that omit it get the new default",
                    ctx.name()
                );
                self.report_at(
                    ctx,
                    Side::New,
                    "/default",
                    "default-changed",
                    what,
                    "",
                    Unaffected,
                    Unaffected,
                );
            }
            (a, b) => {
                // typify: an optional property with a default is a plain
                // field filled by serde, without one an `Option`.
                let what = format!(
                    "{} {} a default ({})",
                    ctx.name(),
                    if b.is_some() {
                        "now has"
                    } else {
                        "no longer has"
                    },
                    show(b.or(a))
                );
                let (rust, rust_text) = if ctx.required {
                    (Unaffected, "")
                } else if b.is_some() {
                    (Breaking, "its field changes from `Option<T>` to `T`")
                } else {
                    (Breaking, "its field changes from `T` to `Option<T>`")
                };
                self.report_at(
                    ctx,
                    Side::New,
                    "",
                    "default-changed",
                    what,
                    rust_text,
                    Unaffected,
                    rust,
                );
            }
        }
    }

    /// `x-` extensions: no effect on the wire or on typify, but other
    /// generators read some (`x-enum-varnames` names Python enum members).
    pub(super) fn extensions(&mut self, old: &Value, new: &Value, ctx: &Ctx) {
        let keys = |v: &Value| -> Vec<String> {
            v.as_object()
                .map(|o| o.keys().filter(|k| k.starts_with("x-")).cloned().collect())
                .unwrap_or_default()
        };
        let mut all = keys(old);
        all.extend(keys(new).into_iter().filter(|k| old.get(k).is_none()));
        for key in all {
            if old.get(&key) != new.get(&key) {
                let what = format!(
                    "extension `{key}` of {} changed from {} to {}",
                    ctx.name(),
                    show(old.get(&key)),
                    show(new.get(&key))
                );
                let suffix = if new.get(&key).is_some() {
                    format!("/{key}")
                } else {
                    String::new()
                };
                self.report_at(
                    ctx,
                    Side::New,
                    &suffix,
                    "extension-changed",
                    what,
                    "",
                    Unaffected,
                    Unaffected,
                );
            }
        }
    }

    /// `format`: a new format on a request narrows it, one dropped from a
    /// response widens it; the Rust type follows some formats (`date`,
    /// `int32`).
    fn format(&mut self, old: &Value, new: &Value, ctx: &Ctx) {
        let (a, b) = (old.get("format"), new.get("format"));
        if a == b {
            return;
        }
        let wire = match (ctx.dir, a, b) {
            (Dir::Request, Some(_), None) | (Dir::Response, None, Some(_)) => NonBreaking,
            _ => Breaking,
        };
        let rust = rust_impact(old, new);
        let kind = ctx
            .dir
            .pick("request-format-changed", "response-format-changed");
        let what = format!(
            "format of {} {} {} changed from {} to {}",
            ctx.dir.noun(),
            kind_of(new),
            ctx.name(),
            show(a),
            show(b)
        );
        let rust_text = if rust == Breaking {
            "its type changes"
        } else {
            ""
        };
        let suffix = if b.is_some() { "/format" } else { "" };
        self.report_at(ctx, Side::New, suffix, kind, what, rust_text, wire, rust);
    }

    fn nullable(&mut self, old: &Value, new: &Value, ctx: &Ctx) {
        let is_nullable = |v: &Value| {
            v.get("nullable") == Some(&Value::Bool(true)) || nullable_member(v).is_some()
        };
        let (a, b) = (is_nullable(old), is_nullable(new));
        if a == b {
            return;
        }
        // A request that may now be null, a response that no longer is: wider
        // for the sender, narrower for the reader.
        let wire = ctx.dir.wire_impact(!b);
        // An optional field is an `Option` either way; a required one gains
        // or loses it.
        let rust = if ctx.required { Breaking } else { Unaffected };
        let kind = ctx
            .dir
            .pick("request-nullable-changed", "response-nullable-changed");
        let what = format!(
            "{} {} {}",
            ctx.dir.noun(),
            ctx.name(),
            if b {
                "may now be null"
            } else {
                "may no longer be null"
            }
        );
        let rust_text = match (rust, b) {
            (Unaffected, _) => "",
            (_, true) => "the required field changes from `T` to `Option<T>`",
            (_, false) => "the required field changes from `Option<T>` to `T`",
        };
        let suffix = if b { "/nullable" } else { "" };
        self.report_at(ctx, Side::New, suffix, kind, what, rust_text, wire, rust);
    }

    fn enums(&mut self, old: &'a Value, new: &'a Value, ctx: &Ctx) {
        let values = |v: &'a Value| v.get("enum").and_then(Value::as_array);
        let (old_values, new_values) = match (values(old), values(new)) {
            (None, None) => return,
            (Some(_), None) => {
                let (kind, wire) = match ctx.dir {
                    Dir::Request => ("request-enum-removed", NonBreaking),
                    Dir::Response => ("response-enum-removed", Breaking),
                };
                let what = format!(
                    "{} {} is no longer an enum: any value is allowed",
                    ctx.dir.noun(),
                    ctx.name()
                );
                let rust_text = "the enum type is gone";
                return self.report_at(ctx, Side::New, "", kind, what, rust_text, wire, Breaking);
            }
            (None, Some(_)) => {
                let (kind, wire) = match ctx.dir {
                    Dir::Request => ("request-enum-added", Breaking),
                    Dir::Response => ("response-enum-added", NonBreaking),
                };
                let what = format!(
                    "{} {} is now an enum of {}{}",
                    ctx.dir.noun(),
                    ctx.name(),
                    list(values(new).into_iter().flatten()),
                    ctx.dir.pick(": the server refuses other values", ""),
                );
                let rust_text = "its type becomes an enum";
                return self.report_at(
                    ctx,
                    Side::New,
                    "/enum",
                    kind,
                    what,
                    rust_text,
                    wire,
                    Breaking,
                );
            }
            (Some(a), Some(b)) => (a, b),
        };
        let removed: Vec<&Value> = old_values
            .iter()
            .filter(|v| !new_values.contains(v))
            .collect();
        let added: Vec<&Value> = new_values
            .iter()
            .filter(|v| !old_values.contains(v))
            .collect();
        let name = ctx.name();
        if !removed.is_empty() {
            let values = list(removed);
            let (kind, what, wire) = match ctx.dir {
                Dir::Request => (
                    "request-enum-value-removed",
                    format!("request enum {name} lost {values}: the server refuses it"),
                    Breaking,
                ),
                Dir::Response => (
                    "response-enum-value-removed",
                    format!("response enum {name} lost {values}: the server no longer sends it"),
                    NonBreaking,
                ),
            };
            let rust_text = "the variant is gone";
            self.report_at(
                ctx,
                Side::New,
                "/enum",
                kind,
                what,
                rust_text,
                wire,
                Breaking,
            );
        }
        if !added.is_empty() {
            let values = list(added);
            let (kind, what, rust_text, wire) = match ctx.dir {
                Dir::Request => (
                    "request-enum-value-added",
                    format!("request enum {name} gained {values}: a new choice for callers"),
                    "a new variant",
                    NonBreaking,
                ),
                Dir::Response => (
                    "response-enum-value-added",
                    format!(
                        "response enum {name} gained {values}: old clients with a closed enum cannot decode it"
                    ),
                    "a new variant: exhaustive `match`es on the enum break (typify's enums are not #[non_exhaustive])",
                    Breaking,
                ),
            };
            self.report_at(ctx, Side::New, "/enum", kind, what, rust_text, wire, wire);
        }
    }

    /// Validation keywords: narrowing a request or widening a response can
    /// break; the Rust type changes where typify reads them.
    fn constraints(&mut self, old: &Value, new: &Value, ctx: &Ctx) {
        for (key, bound) in CONSTRAINTS {
            let (a, b) = (old.get(*key), new.get(*key));
            if a == b {
                continue;
            }
            let narrower = match (bound, a, b) {
                (_, None, Some(_)) => true,
                (_, Some(_), None) => false,
                (Bound::Lower, Some(a), Some(b)) => number(b) > number(a),
                (Bound::Upper, Some(a), Some(b)) => number(b) < number(a),
                (Bound::Flag, _, b) => b == Some(&Value::Bool(true)),
                _ => true,
            };
            let wire = ctx.dir.wire_impact(narrower);
            let rust = rust_impact(old, new);
            let kind = ctx
                .dir
                .pick("request-constraint-changed", "response-constraint-changed");
            let what = format!(
                "`{key}` of {} {} changed from {} to {} ({})",
                ctx.dir.noun(),
                ctx.name(),
                show(a),
                show(b),
                if narrower { "narrower" } else { "wider" }
            );
            let rust_text = if rust == Breaking {
                "its type changes"
            } else {
                ""
            };
            let suffix = if b.is_some() {
                format!("/{key}")
            } else {
                String::new()
            };
            self.report_at(ctx, Side::New, &suffix, kind, what, rust_text, wire, rust);
        }
    }

    fn properties(&mut self, old: &'a Value, new: &'a Value, ctx: &Ctx) {
        let props = |v: &'a Value| v.get("properties").and_then(Value::as_object);
        let (old_props, new_props) = (props(old), props(new));
        let required = |v: &Value, name: &str| {
            v.get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|n| n == name))
        };
        let (old_spec, new_spec) = (self.old, self.new);
        for (name, old_prop) in old_props.into_iter().flatten() {
            let was_required = required(old, name);
            let mut child = ctx.child(&["properties", name], &format!(".{name}"));
            child.hidden = ctx
                .hidden
                .clone()
                .or_else(|| token_property(ctx, name, old_prop));
            let Some(new_prop) = new_props.and_then(|p| p.get(name)) else {
                // An old client still sends a removed request field. A server ignores a
                // field it does not read (oasdiff rates the removal a warning), unless
                // the new schema is closed (`additionalProperties: false`).
                let closed = new.get("additionalProperties") == Some(&Value::Bool(false));
                let (kind, why, rust_text, wire) = match ctx.dir {
                    Dir::Request if closed => (
                        "request-property-removed",
                        "old clients that still send it are refused (`additionalProperties: false`)",
                        "its field and builder method are gone",
                        Breaking,
                    ),
                    Dir::Request => (
                        "request-property-removed",
                        "old clients that still send it are not refused (the server ignores it)",
                        "its field and builder method are gone",
                        NonBreaking,
                    ),
                    Dir::Response => (
                        "response-property-removed",
                        "old clients reading it get nothing",
                        "its field is gone",
                        Breaking,
                    ),
                };
                let what = format!(
                    "{} property {} removed (was {} {}): {why}",
                    ctx.dir.noun(),
                    child.name(),
                    if was_required { "required" } else { "optional" },
                    describe(old_spec, old_prop)
                );
                self.report_at(&child, Side::Old, "", kind, what, rust_text, wire, Breaking);
                continue;
            };
            let is_required = required(new, name);
            if was_required != is_required {
                self.required_changed(&child, is_required);
            }
            child.required = is_required;
            self.schema(old_prop, new_prop, &child);
        }
        for (name, new_prop) in new_props.into_iter().flatten() {
            if old_props.is_some_and(|p| p.contains_key(name)) {
                continue;
            }
            let is_required = required(new, name);
            let mut child = ctx.child(&["properties", name], &format!(".{name}"));
            child.hidden = ctx
                .hidden
                .clone()
                .or_else(|| token_property(ctx, name, new_prop));
            let (kind, wire, why, rust_text) = match (ctx.dir, is_required) {
                (Dir::Request, true) => (
                    "request-property-added-required",
                    Breaking,
                    "old clients do not send it",
                    "a new field callers must set (building the body fails until they do)",
                ),
                (Dir::Request, false) => (
                    "request-property-added",
                    NonBreaking,
                    "callers may send it",
                    "a new optional field and builder method",
                ),
                (Dir::Response, _) => (
                    "response-property-added",
                    NonBreaking,
                    "old clients ignore it",
                    "a new field",
                ),
            };
            let what = format!(
                "{} property {} added as {} {}: {why}",
                ctx.dir.noun(),
                child.name(),
                if is_required { "required" } else { "optional" },
                describe(new_spec, new_prop)
            );
            self.report_at(&child, Side::New, "", kind, what, rust_text, wire, wire);
        }
    }

    fn required_changed(&mut self, child: &Ctx, now_required: bool) {
        let (kind, wire, why) = match (child.dir, now_required) {
            (Dir::Request, true) => (
                "request-property-now-required",
                Breaking,
                "callers that leave it out are refused",
            ),
            (Dir::Request, false) => (
                "request-property-now-optional",
                NonBreaking,
                "callers may leave it out",
            ),
            (Dir::Response, true) => (
                "response-property-now-required",
                NonBreaking,
                "the server always sends it",
            ),
            (Dir::Response, false) => (
                "response-property-now-optional",
                Breaking,
                "old clients that rely on it may not get it",
            ),
        };
        let what = format!(
            "{} property {} is now {}: {why}",
            child.dir.noun(),
            child.name(),
            if now_required { "required" } else { "optional" }
        );
        let rust_text = if now_required {
            "its field changes from `Option<T>` to `T`"
        } else {
            "its field changes from `T` to `Option<T>`"
        };
        self.report_at(child, Side::New, "", kind, what, rust_text, wire, Breaking);
    }

    fn additional_properties(&mut self, old: &'a Value, new: &'a Value, ctx: &Ctx) {
        let (a, b) = (
            old.get("additionalProperties"),
            new.get("additionalProperties"),
        );
        if let (Some(a @ Value::Object(_)), Some(b @ Value::Object(_))) = (a, b) {
            return self.schema(a, b, &ctx.child(&["additionalProperties"], "[*]"));
        }
        // Absent and `true` mean the same.
        let open = |v: Option<&Value>| matches!(v, None | Some(Value::Bool(true)));
        if a == b || (open(a) && open(b)) {
            return;
        }
        let closed = |v: Option<&Value>| v == Some(&Value::Bool(false));
        // Narrower: fewer extra properties admitted.
        let narrower = closed(b) || (open(a) && !open(b));
        let wire = ctx.dir.wire_impact(narrower);
        let kind = ctx.dir.pick(
            "request-additional-properties-changed",
            "response-additional-properties-changed",
        );
        let what = format!(
            "`additionalProperties` of {} {} changed from {} to {} ({})",
            ctx.dir.noun(),
            ctx.name(),
            show(a),
            show(b),
            if narrower { "narrower" } else { "wider" }
        );
        let rust_text =
            "its type changes (`false` is #[serde(deny_unknown_fields)], a schema a map)";
        self.report_at(ctx, Side::New, "", kind, what, rust_text, wire, Breaking);
    }

    /// `oneOf`/`anyOf`/`allOf`: members compared by position (a member with
    /// the same `title` or `$ref` elsewhere in the list is matched to it).
    fn composition(&mut self, key: &str, old: &'a Value, new: &'a Value, ctx: &Ctx) {
        let members = |v: &'a Value| v.get(key).and_then(Value::as_array);
        let (Some(old_members), Some(new_members)) = (members(old), members(new)) else {
            return;
        };
        let identity = |v: &Value| {
            ref_of(v).map(str::to_owned).or_else(|| {
                v.get("title")
                    .and_then(Value::as_str)
                    .map(|t| format!("title {t}"))
            })
        };
        // First the members with the same `$ref` or `title`.
        let mut old_free = vec![true; old_members.len()];
        let mut new_of_old: Vec<Option<usize>> = vec![None; new_members.len()];
        for (j, member) in new_members.iter().enumerate() {
            let Some(id) = identity(member) else { continue };
            let found = (0..old_members.len()).find(|&i| {
                old_free[i] && identity(&old_members[i]).as_deref() == Some(id.as_str())
            });
            if let Some(i) = found {
                old_free[i] = false;
                new_of_old[j] = Some(i);
            }
        }
        // Then the anonymous ones of the same type, then by position.
        for (j, member) in new_members.iter().enumerate() {
            if new_of_old[j].is_some() || identity(member).is_some() {
                continue;
            }
            let found = (0..old_members.len()).find(|&i| {
                old_free[i]
                    && identity(&old_members[i]).is_none()
                    && kind_of(&old_members[i]) == kind_of(member)
            });
            if let Some(i) = found {
                old_free[i] = false;
                new_of_old[j] = Some(i);
            }
        }
        for (j, slot) in new_of_old.iter_mut().enumerate() {
            if slot.is_none() && old_free.get(j) == Some(&true) {
                old_free[j] = false;
                *slot = Some(j);
            }
        }
        let pairs: Vec<(usize, usize)> = new_of_old
            .iter()
            .enumerate()
            .filter_map(|(j, i)| i.map(|i| (i, j)))
            .collect();
        let added: Vec<usize> = (0..new_members.len())
            .filter(|&j| new_of_old[j].is_none())
            .collect();
        let unmatched_old: Vec<usize> = (0..old_members.len()).filter(|&i| old_free[i]).collect();
        for (i, j) in pairs {
            let label = format!(".{key}[{j}]");
            let mut child = ctx.child(&[], &label);
            child.old = format!("{}/{key}/{i}", ctx.old);
            child.new = format!("{}/{key}/{j}", ctx.new);
            self.schema(&old_members[i], &new_members[j], &child);
        }
        let all_of = key == "allOf";
        for j in added {
            // An extra `oneOf` variant widens; an extra `allOf` member narrows.
            let narrower = all_of;
            let wire = ctx.dir.wire_impact(narrower);
            let rust = if ctx.dir == Dir::Request && !all_of {
                NonBreaking
            } else {
                Breaking
            };
            let mut child = ctx.clone();
            child.new = format!("{}/{key}/{j}", ctx.new);
            let kind = ctx
                .dir
                .pick("request-variant-added", "response-variant-added");
            let what = format!(
                "{} {} gained a `{key}` member ({})",
                ctx.dir.noun(),
                ctx.name(),
                describe(self.new, &new_members[j]),
            );
            let rust_text = if all_of {
                "its type changes"
            } else {
                "a new variant of its enum"
            };
            self.report_at(&child, Side::New, "", kind, what, rust_text, wire, rust);
        }
        for i in unmatched_old {
            let narrower = !all_of;
            let wire = ctx.dir.wire_impact(narrower);
            let mut child = ctx.clone();
            child.old = format!("{}/{key}/{i}", ctx.old);
            let kind = ctx
                .dir
                .pick("request-variant-removed", "response-variant-removed");
            let what = format!(
                "{} {} lost its `{key}` member {i} ({})",
                ctx.dir.noun(),
                ctx.name(),
                describe(self.old, &old_members[i]),
            );
            let rust_text = if all_of {
                "its type changes"
            } else {
                "a variant of its enum is gone"
            };
            self.report_at(&child, Side::Old, "", kind, what, rust_text, wire, Breaking);
        }
    }
}

/// The schema that `schema` only wraps, with the pointer suffix that reaches it:
/// the single member of an `allOf` used to annotate it, or the referenced member
/// of a nullable reference (`oneOf: [X, {enum: [null]}]`).
fn wrapped(schema: &Value) -> Option<(String, &Value)> {
    let structural = ["type", "properties", "items", "enum"];
    if structural.iter().any(|k| schema.get(k).is_some()) {
        return None;
    }
    if let Some((key, i, member)) = nullable_member(schema) {
        let other = if key == "oneOf" { "anyOf" } else { "oneOf" };
        return (schema.get("allOf").is_none() && schema.get(other).is_none())
            .then(|| (format!("/{key}/{i}"), member));
    }
    let members = schema.get("allOf")?.as_array()?;
    (members.len() == 1 && schema.get("oneOf").is_none() && schema.get("anyOf").is_none())
        .then(|| ("/allOf/0".to_owned(), &members[0]))
}

/// The kind of value a schema admits, for "type changed" findings.
fn kind_of(schema: &Value) -> &str {
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        return t;
    }
    let has = |key: &str| schema.get(key).is_some();
    if has("properties") || has("additionalProperties") {
        "object"
    } else if has("items") {
        "array"
    } else if has("oneOf") {
        "oneOf"
    } else if has("anyOf") {
        "anyOf"
    } else if has("allOf") {
        "allOf"
    } else {
        "any"
    }
}

/// A short description of a schema for messages: `integer`, `string (date)`,
/// `Membership`.
fn describe(spec: &crate::lint::Spec, schema: &Value) -> String {
    if let Some(r) = ref_of(schema) {
        return format!("`{}`", r.rsplit('/').next().unwrap_or(r));
    }
    let schema = wrapped(schema)
        .and_then(|(_, inner)| spec.resolve(inner))
        .map_or(schema, |(_, v)| v);
    match schema.get("format").and_then(Value::as_str) {
        Some(format) => format!("{} ({format})", kind_of(schema)),
        None => kind_of(schema).to_owned(),
    }
}

/// The Rust impact of a change to a scalar: breaking if typify makes a
/// different type of it.
fn rust_impact(old: &Value, new: &Value) -> Impact {
    if rust::scalar_shape(old) == rust::scalar_shape(new) {
        Unaffected
    } else {
        Breaking
    }
}

/// Why the Rust API never saw property `name` of the schema at `ctx`, if it did
/// not: `token` as a `$ref` to `Token` directly in a component schema, which build.rs
/// removed until 0.2.0 (see the `rust` module).
fn token_property(ctx: &Ctx, name: &str, property: &Value) -> Option<String> {
    let at_component_root = ctx.component && ctx.path.is_empty();
    (at_component_root && name == rust::TOKEN && ref_of(property) == Some(rust::TOKEN_REF)).then(
        || {
            "build.rs removed it until 0.2.0; the client put the credential in the body itself"
                .to_owned()
        },
    )
}

/// The last segment of a component pointer: its name.
fn component_name(pointer: &str) -> &str {
    pointer.rsplit('/').next().unwrap_or(pointer)
}

fn number(value: &Value) -> f64 {
    value.as_f64().unwrap_or(0.0)
}

/// A value in a message: JSON, or `none`.
fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "none".to_owned(), Value::to_string)
}

/// Enum values in a message: `"a", "b"`.
fn list<'v>(values: impl IntoIterator<Item = &'v Value>) -> String {
    let shown: Vec<String> = values.into_iter().map(Value::to_string).collect();
    let noun = if shown.len() == 1 { "value" } else { "values" };
    format!("{noun} {}", shown.join(", "))
}
