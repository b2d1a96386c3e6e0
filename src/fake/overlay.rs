//! Writes the state's values over an operation's documented example, so that a
//! stateful answer keeps the documented shape by construction: only keys the example
//! has are written, each in the JSON type the example uses (`"8120"` stays a string,
//! `6` a number), and a list takes a documented item as the template of each of its
//! items: the one with the same `type` (entries whose shape depends on it, such as
//! activities), else the first. A field that a docs update adds to an example appears with no code.

use serde_json::Value;

/// Writes `values` over `example`; returns the result.
pub(super) fn overlay(mut example: Value, values: Value) -> Value {
    write(&mut example, values);
    example
}

fn write(target: &mut Value, value: Value) {
    match (target, value) {
        (Value::Object(target), Value::Object(values)) => {
            for (key, value) in values {
                // `null` over a documented object: the state has none (an open
                // transaction's customer), so the key goes, as an answer's fields may.
                if value.is_null() && target.get(&key).is_some_and(Value::is_object) {
                    target.remove(&key);
                } else if let Some(slot) = target.get_mut(&key) {
                    write(slot, value);
                }
            }
        }
        (target @ Value::Array(_), Value::Array(items)) => {
            let documented = target.as_array().cloned().unwrap_or_default();
            *target = Value::Array(
                items
                    .into_iter()
                    .map(|item| {
                        let same_type = documented.iter().find(|t| {
                            item.get("type").is_some() && t.get("type") == item.get("type")
                        });
                        match same_type.or(documented.first()) {
                            Some(template) => overlay(template.clone(), item),
                            None => item,
                        }
                    })
                    .collect(),
            );
        }
        (target, value) => *target = in_type_of(target, value),
    }
}

/// `value` in the JSON type `example` has, where that can be done without loss; a
/// value that cannot take the documented type leaves the documented value in place
/// (an answer never changes a field's JSON type). A documented `null` takes anything.
fn in_type_of(example: &Value, value: Value) -> Value {
    match (example, value) {
        (Value::Null, value) | (_, value @ Value::Null) => value,
        (Value::String(_), Value::Number(n)) => Value::String(n.to_string()),
        (Value::Number(_), Value::String(s)) => match s.parse::<serde_json::Number>() {
            Ok(n) => Value::Number(n),
            Err(_) => example.clone(),
        },
        (Value::String(_), value @ Value::String(_))
        | (Value::Number(_), value @ Value::Number(_))
        | (Value::Bool(_), value @ Value::Bool(_)) => value,
        _ => example.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::overlay;
    use serde_json::json;

    #[test]
    fn null_over_a_documented_object_removes_it() {
        let example = json!({"customer": {"id": 1}, "note": null, "transaction": {"id": 2}});
        let result = overlay(example, json!({"customer": null, "note": null}));
        assert_eq!(result, json!({"note": null, "transaction": {"id": 2}}));
    }

    #[test]
    fn writes_only_documented_keys_in_documented_types() {
        let example = json!({"user": {"id": "8120", "name": "Customer", "tags": []}, "stamps": 1});
        let result = overlay(
            example,
            json!({"user": {"id": 7, "name": "Alice", "extra": 1}, "stamps": "12", "new": 0}),
        );
        assert_eq!(
            result,
            json!({"user": {"id": "7", "name": "Alice", "tags": []}, "stamps": 12})
        );
    }

    #[test]
    fn lists_take_the_first_item_as_template() {
        let example = json!({"items": [{"id": 1, "name": "a", "kept": true}, {"id": 2}]});
        let result = overlay(
            example,
            json!({"items": [{"id": 5}, {"id": 6, "name": "b"}]}),
        );
        assert_eq!(
            result,
            json!({"items": [{"id": 5, "name": "a", "kept": true}, {"id": 6, "name": "b", "kept": true}]})
        );
        assert_eq!(
            overlay(json!({"a": []}), json!({"a": [1]})),
            json!({"a": [1]})
        );
        assert_eq!(
            overlay(json!({"a": [1, 2]}), json!({"a": []})),
            json!({"a": []})
        );
    }

    #[test]
    fn null_and_scalars_are_replaced() {
        assert_eq!(
            overlay(json!({"a": null}), json!({"a": "x"})),
            json!({"a": "x"})
        );
        assert_eq!(
            overlay(json!({"a": 1}), json!({"a": null})),
            json!({"a": null})
        );
        // A value that cannot take the documented type leaves the documented one.
        assert_eq!(
            overlay(json!({"a": 1}), json!({"a": "no"})),
            json!({"a": 1})
        );
        assert_eq!(
            overlay(json!({"a": true}), json!({"a": 3})),
            json!({"a": true})
        );
        assert_eq!(
            overlay(json!({"a": {"b": 1}}), json!({"a": 2})),
            json!({"a": {"b": 1}})
        );
    }
}
