//! The model as each API shows it, following the documentation's examples: which
//! keys, how they nest, and their JSON types, down to the differences between pages
//! (the user id is `"8120"` in v2 details and registration but `6` in the full
//! profile; gender is `"male"` in v2, `"m"` in the full profile, `2` in the legacy
//! status and suggestions, `"Female"` in legacy registration).

use serde_json::{Value, json};

use super::state::{
    BalanceUpdateRecord, ChildRecord, Gender, MemberRecord, PetRecord, end_of_year,
};

fn gender_word(gender: Option<Gender>) -> Value {
    match gender {
        Some(Gender::Male) => "male".into(),
        Some(Gender::Female) => "female".into(),
        None => Value::Null,
    }
}

fn gender_letter(gender: Option<Gender>) -> Value {
    match gender {
        Some(Gender::Male) => "m".into(),
        Some(Gender::Female) => "f".into(),
        None => Value::Null,
    }
}

/// The legacy status table: "1" means male, "2" means female (the examples send numbers).
fn gender_code(gender: Option<Gender>) -> Value {
    match gender {
        Some(Gender::Male) => 1.into(),
        Some(Gender::Female) => 2.into(),
        None => Value::Null,
    }
}

fn gender_title(gender: Option<Gender>) -> Value {
    match gender {
        Some(Gender::Male) => "Male".into(),
        Some(Gender::Female) => "Female".into(),
        None => Value::Null,
    }
}

/// Religions and marital statuses by code. The documentation shows the codes in v2
/// details and registration (`1`) and labels in the full profile (`"Budha"`,
/// `"Married"`) without a table; these are the fake's.
const RELIGIONS: &[(i64, &str)] = &[
    (1, "Islam"),
    (2, "Protestan"),
    (3, "Katolik"),
    (4, "Hindu"),
    (5, "Budha"),
    (6, "Konghucu"),
];
const MARITAL_STATUSES: &[(i64, &str)] = &[(1, "Single"), (2, "Married"), (3, "Divorced")];

/// A code-or-label as its code (a label not in `table` stays as sent).
fn as_code(value: &Value, table: &[(i64, &str)]) -> Value {
    match value {
        Value::String(label) => table
            .iter()
            .find(|(_, l)| l.eq_ignore_ascii_case(label))
            .map_or_else(|| value.clone(), |(code, _)| (*code).into()),
        other => other.clone(),
    }
}

/// A code-or-label as its label (a code not in `table` stays as sent).
fn as_label(value: &Value, table: &[(i64, &str)]) -> Value {
    match value.as_i64() {
        Some(code) => table
            .iter()
            .find(|(c, _)| *c == code)
            .map_or_else(|| value.clone(), |(_, label)| (*label).into()),
        None => value.clone(),
    }
}

/// `identifier` of the legacy pages: "can be email or phone".
fn identifier(m: &MemberRecord) -> Value {
    m.email.clone().or_else(|| m.phone.clone()).into()
}

/// A child, as added and in the full profile.
pub(super) fn child(c: &ChildRecord) -> Value {
    json!({"birthday": c.birthday, "gender": c.gender, "name": c.name, "id": c.id})
}

/// Display names of the pet types and breeds the documentation shows; others get
/// their code capitalised.
fn category(code: &str) -> Value {
    let name = match code {
        "cat" => "Felines".to_owned(),
        "dog" => "Canines".to_owned(),
        "persia" => "Persian".to_owned(),
        other => {
            let mut chars = other.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    };
    json!({"code": code, "name": name})
}

/// A pet, as added and in the full profile. Without a breed, `breed` is left out.
pub(super) fn pet(p: &PetRecord) -> Value {
    let mut pet = json!({
        "id": p.id,
        "name": p.name,
        "birthday": p.birthday,
        "gender": p.gender,
        "type": category(&p.kind),
    });
    if let Some(breed) = &p.breed {
        pet["breed"] = category(breed);
    }
    pet
}

/// The upgrade requirement; at the top level there is no next level to name.
pub(super) fn upgrade_requirement(m: &MemberRecord) -> Value {
    match m.next_level() {
        Some((next, spending)) => json!({
            "spending_requirement": spending,
            "deadline": end_of_year(),
            "next_level": next,
        }),
        None => json!({"spending_requirement": 0, "deadline": null}),
    }
}

/// The membership of v2 details, registration and add-tag: `tags` are the values.
pub(super) fn membership(m: &MemberRecord, verbose: bool, card: bool) -> Value {
    let tags: Vec<&str> = m.tags.iter().map(|(_, value)| value.as_str()).collect();
    let mut membership = json!({
        "tags": tags,
        "status": m.level,
        "status_text": m.level_name(),
        "member_status": if m.is_active { "Active" } else { "Inactive" },
        "stamps": m.stamps,
        "balance": m.balance,
        "is_blocked": false,
        "referral_code": m.referral_code,
        "start_date": m.created,
        "created": m.created,
        "extra_data": m.extra_data,
    });
    if verbose {
        membership["to_upgrade"] = upgrade_requirement(m);
    }
    if card && let Some(number) = m.member_ids.first() {
        membership["primary_card"] = json!({
            "id": m.id,
            "number": number,
            "is_active": true,
            "activated_time": m.card_activated,
        });
    }
    membership
}

/// The user of v2 details and change-profile; the id is a string, as documented.
pub(super) fn user(m: &MemberRecord) -> Value {
    json!({
        "member_ids": m.member_ids,
        "id": m.id.to_string(),
        "name": m.name,
        "gender": gender_word(m.gender),
        "address": m.address.clone().unwrap_or_default(),
        "is_active": m.is_active,
        "is_anonymized": m.is_anonymized,
        "email": m.email,
        "phone": m.phone,
        "picture_url": null,
        "birthday": m.birthday,
        "postal_code": m.postal_code,
        "protected_redemption": false,
        "religion": as_code(&m.religion, RELIGIONS),
        "marital_status": as_code(&m.marital_status, MARITAL_STATUSES),
        "wedding_date": m.wedding_date,
        "has_pin": false,
        "pin_is_blocked": false,
    })
}

/// The documentation's example regions; other district ids get made-up names.
fn location(m: &MemberRecord) -> Option<Value> {
    let district = m.district?;
    let (district_name, regency, province) = match district {
        1 => (
            "Kebayoran Baru".to_owned(),
            "Jakarta Selatan",
            "DKI Jakarta",
        ),
        2 => ("Kembangan".to_owned(), "Jakarta Barat", "DKI Jakarta"),
        other => (format!("District {other}"), "Kota Fake", "Provinsi Fake"),
    };
    let regency_id = if district == 1 { 1 } else { 2 };
    Some(json!({
        "district": {"id": district, "name": district_name},
        "regency": {"id": regency_id, "name": regency},
        "province": {"id": 1, "name": province},
    }))
}

/// v2 registration: the user at the top level, with membership and location.
pub(super) fn registered(m: &MemberRecord) -> Value {
    let mut user = user(m);
    user["membership"] = membership(m, false, true);
    if let Some(location) = location(m) {
        user["location"] = location;
    }
    user["registering_employee_code"] = m.registering_employee_code.clone().into();
    user
}

/// v2 details: `{"membership": ..., "user": ...}`.
pub(super) fn details(m: &MemberRecord, verbose: bool) -> Value {
    json!({"membership": membership(m, verbose, false), "user": user(m)})
}

/// The full profile: the user with children, pets, hobbies and social media (the id an
/// integer, the gender a letter), and the tags as key/value pairs.
pub(super) fn full_profile(m: &MemberRecord) -> Value {
    let mut user = json!({
        "id": m.id,
        "name": m.name,
        "gender": gender_letter(m.gender),
        "address": m.address,
        "is_active": m.is_active,
        "email": m.email,
        "birthday": m.birthday,
        "phone": m.phone,
        "has_incorrect_email": false,
        "has_incorrect_phone": false,
        "has_incorrect_wa_number": false,
        "nationality": null,
        "postal_code": m.postal_code,
        "marital_status": as_label(&m.marital_status, MARITAL_STATUSES),
        "religion": as_label(&m.religion, RELIGIONS),
        "wedding_date": m.wedding_date,
        "is_anonymized": m.is_anonymized,
        "has_pin": false,
        "pin_is_blocked": false,
        "notes": m.notes,
        "has_downloaded_app": m.has_downloaded_app,
        "member_ids": m.member_ids,
        "children": m.children.iter().map(child).collect::<Vec<_>>(),
        "pets": m.pets.iter().map(pet).collect::<Vec<_>>(),
        "hobbies": [],
        "social_media_profile": social_media(m),
    });
    if let Some(location) = location(m) {
        user["location"] = location;
    }
    let tags: Vec<Value> = m
        .tags
        .iter()
        .map(|(key, value)| json!({"key": key, "value": value}))
        .collect();
    json!({"user": user, "tags": tags})
}

/// The social media profile.
pub(super) fn social_media(m: &MemberRecord) -> Value {
    json!({"facebook": m.facebook, "instagram": m.instagram, "twitter": m.twitter})
}

/// v3 partial registration: `{"membership": ..., "user": ...}` with the membership's
/// level as `level`/`level_text`.
pub(super) fn partial_registration(m: &MemberRecord) -> Value {
    json!({
        "membership": {
            "level": m.level,
            "level_text": m.level_name(),
            "status": "Active",
            "stamps": m.stamps,
            "balance": m.balance,
            "is_blocked": false,
            "referral_code": m.referral_code,
            "start_date": m.created,
            "created": m.created,
        },
        "user": {
            "id": m.id,
            "name": m.name,
            "gender": gender_word(m.gender),
            "is_active": m.is_active,
            "email": m.email,
            "birthday": m.birthday,
            "picture_url": null,
            "phone": m.phone,
            "has_incorrect_email": false,
            "has_incorrect_phone": false,
            "has_incorrect_wa_number": false,
            "phone_is_verified": m.phone_is_verified,
            "email_is_verified": m.email_is_verified,
            "registering_employee_code": m.registering_employee_code,
            "member_ids": m.member_ids,
        },
    })
}

/// The legacy status API's member data.
pub(super) fn legacy_status(m: &MemberRecord) -> Value {
    json!({
        "id": m.id,
        "name": m.name,
        "birthday": m.birthday,
        "stamps": m.stamps,
        "email": m.email,
        "identifier": identifier(m),
        "membership_status": m.level_name(),
        "is_active": m.is_active,
        "member_ids": m.member_ids,
        "gender": gender_code(m.gender),
        "phone": m.phone,
        "address": m.address,
        "balance": m.balance,
    })
}

/// One member suggestion.
pub(super) fn suggestion(m: &MemberRecord) -> Value {
    json!({
        "membership": m.level_name(),
        "email": m.email,
        "stamps": m.stamps,
        "id": m.id,
        "name": m.name,
        "phone": m.phone,
        "address": m.address,
        "gender": gender_code(m.gender),
        "member_ids": m.member_ids,
    })
}

/// The legacy registration and change APIs' `customer`; registration adds `identifier`.
pub(super) fn legacy_customer(m: &MemberRecord, with_identifier: bool) -> Value {
    let mut customer = json!({
        "id": m.id,
        "name": m.name,
        "email": m.email,
        "member_id": m.member_ids.first(),
        "phone": m.phone,
        "birthday": m.birthday,
        "gender": gender_title(m.gender),
    });
    if with_identifier {
        customer["identifier"] = identifier(m);
    }
    json!({"customer": customer})
}

/// A credit, debit or cancel: the customer after it and the update.
pub(super) fn balance_update(m: &MemberRecord, update: &BalanceUpdateRecord) -> Value {
    let mut balance_update = json!({"id": update.id, "amount": update.amount});
    if update.canceled {
        balance_update["status"] = "Canceled".into();
    }
    json!({
        "customer": {"id": m.id, "balance": m.balance, "status": m.level_name()},
        "balance_update": balance_update,
    })
}
