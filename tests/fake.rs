//! `stamps::fake`: the fake server, driven through the SDK (and through raw HTTP where
//! a test must send what the SDK refuses to send). It must be stateful, enforce what
//! the documentation says, and answer in the documented shapes.

mod common;

use std::collections::BTreeSet;

use serde_json::{Value, json};
use stamps::fake::{FakeStamps, NewMember};
use stamps::operations::{self, OPERATIONS, TokenPlacement};
use stamps::types::{ChildGender, Gender, OtpChannel, PetGender};
use stamps::{BalanceUpdateId, Error, ErrorCode, UserId, UserRef};

const STORE: u64 = 3;

// ---- Helpers ---------------------------------------------------------------------------

/// The answer of a call that must succeed; a failure panics with the SDK's message
/// (status, error code, field errors), which the generated error does not show.
trait Answer<T> {
    fn answer(self) -> T;
}

impl<T, E: serde::Serialize> Answer<T>
    for Result<stamps::ResponseValue<T>, progenitor_client::Error<E>>
{
    #[track_caller]
    fn answer(self) -> T {
        match self {
            Ok(value) => value.into_inner(),
            Err(error) => panic!("the call failed: {}", Error::from(error)),
        }
    }
}

/// Registers Siti through the v2 API and returns her id.
async fn register_siti(fake: &FakeStamps) -> UserId {
    let client = fake.client();
    let user = client
        .register_member()
        .body_map(|b| {
            b.name("Siti Rahma")
                .email("siti@example.com")
                .mobile_number("0813-1482-2365")
                .birthday("1991-10-19")
                .gender(Gender::Female)
                .merchant(fake.merchant())
                .store(STORE)
                .member_id("CARD-0001".to_owned())
        })
        .send()
        .await
        .answer();
    user.id.expect("the registered user's id")
}

/// The error of a call that must fail.
fn error<T: std::fmt::Debug>(result: Result<T, impl Into<Error>>) -> Error {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(error) => error.into(),
    }
}

/// Sends documented operation `id` as raw HTTP, with the `Authorization` header and
/// `token` where its page puts it, and `params` as the query string or JSON body.
async fn raw(fake: &FakeStamps, id: &str, params: Value) -> (u16, Value) {
    raw_with(
        fake,
        id,
        params,
        Some(&format!("Token {}", fake.token())),
        true,
    )
    .await
}

async fn raw_with(
    fake: &FakeStamps,
    id: &str,
    mut params: Value,
    authorization: Option<&str>,
    token_param: bool,
) -> (u16, Value) {
    let op = operations::find(id).unwrap_or_else(|| panic!("no operation {id}"));
    let url = format!("{}{}", fake.base_url(), op.path);
    let http = reqwest::Client::new();
    let mut request = if op.method == "GET" {
        let mut query: Vec<(String, String)> = params
            .as_object()
            .expect("params are an object")
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                )
            })
            .collect();
        if token_param && op.token == TokenPlacement::Query {
            query.push(("token".into(), fake.token().into()));
        }
        http.get(url).query(&query)
    } else {
        if token_param && op.token == TokenPlacement::Body {
            params["token"] = fake.token().into();
        }
        http.post(url).json(&params)
    };
    if let Some(authorization) = authorization {
        request = request.header("Authorization", authorization);
    }
    let response = request.send().await.expect("the fake answers");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

// ---- A merchant's flow -----------------------------------------------------------------

#[tokio::test]
async fn a_registered_member_is_found_by_every_kind_of_identifier() {
    let fake = FakeStamps::start().await;
    let client = fake.client();
    let id = register_siti(&fake).await;

    // The mobile number is normalised, so every way of writing it finds her.
    for user in [
        UserRef::email("SITI@example.com").unwrap(),
        UserRef::mobile("081314822365").unwrap(),
        UserRef::mobile("+62 813 1482 2365").unwrap(),
        UserRef::member_id("CARD-0001").unwrap(),
        UserRef::from(id),
    ] {
        let details = client
            .get_member_details()
            .user(&user)
            .merchant(fake.merchant())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{user:?}: {e}"))
            .into_inner();
        let found = details.user.expect("the user");
        assert_eq!(found.id, Some(id), "{user:?}");
        assert_eq!(found.name.as_deref(), Some("Siti Rahma"));
        assert_eq!(found.phone.as_deref(), Some("+6281314822365"));
        let membership = details.membership.expect("the membership");
        assert_eq!(membership.status, Some(100));
        assert_eq!(membership.status_text.as_deref(), Some("Blue"));
        assert!(membership.to_upgrade.is_none(), "only with verbose");
    }
    let verbose = client
        .get_member_details()
        .user(id)
        .merchant(fake.merchant())
        .verbose(true)
        .send()
        .await
        .answer();
    let to_upgrade = verbose.membership.unwrap().to_upgrade.expect("verbose");
    assert_eq!(to_upgrade.spending_requirement, Some(590_000));

    // Raw identifiers, as another client might send them, are classified by the fake.
    for user in [
        "SITI@example.com",
        "081314822365",
        "6281314822365",
        "CARD-0001",
        &id.to_string(),
    ] {
        let params = json!({"user": user, "merchant": fake.merchant().get()});
        let (status, body) = raw(&fake, "get_member_details", params).await;
        assert_eq!(status, 200, "{user}: {body}");
        assert_eq!(body["user"]["id"], json!(id.to_string()), "{user}");
    }

    let seeded = fake.member("siti@example.com").expect("the fake has her");
    assert_eq!(seeded.id, id);
    assert_eq!(seeded.member_id(), Some("CARD-0001"));
}

#[tokio::test]
async fn credit_debit_and_cancel_move_the_balance() {
    let fake = FakeStamps::start().await;
    let client = fake.client();
    let id = register_siti(&fake).await;
    let merchant = fake.merchant();

    let credit = client
        .credit_balance()
        .body_map(|b| {
            b.user("siti@example.com")
                .amount(1000u64)
                .merchant(merchant)
                .store(STORE)
        })
        .send()
        .await
        .answer();
    assert_eq!(credit.customer.as_ref().unwrap().balance, Some(1000));
    assert_eq!(credit.customer.as_ref().unwrap().id, Some(id));
    assert_eq!(credit.balance_update.as_ref().unwrap().amount, Some(1000));

    let debit = client
        .debit_balance()
        .body_map(|b| {
            b.user("CARD-0001")
                .amount(300u64)
                .merchant(merchant)
                .store(STORE)
        })
        .send()
        .await
        .answer();
    assert_eq!(debit.customer.unwrap().balance, Some(700));
    assert_eq!(fake.balance(id), Some(700));
    let debit_id: BalanceUpdateId = debit.balance_update.unwrap().id.expect("an update id");

    let cancel = client
        .cancel_balance_update()
        .body_map(|b| b.id(debit_id))
        .send()
        .await
        .answer();
    assert_eq!(cancel.customer.unwrap().balance, Some(1000));
    let update = cancel.balance_update.unwrap();
    assert_eq!(update.id, Some(debit_id));
    assert_eq!(update.status.as_deref(), Some("Canceled"));
    assert_eq!(fake.balance(id), Some(1000));

    // Once only.
    let again = error(
        client
            .cancel_balance_update()
            .body_map(|b| b.id(debit_id))
            .send()
            .await,
    );
    assert!(matches!(again, Error::Api(_)), "{again:?}");
    assert_eq!(again.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(
        again.field_errors()["id"],
        ["Balance update is already canceled"]
    );
    assert_eq!(fake.balance(id), Some(1000));

    // Cancelling a credit takes it back.
    let credit_id = credit.balance_update.unwrap().id.unwrap();
    client
        .cancel_balance_update()
        .body_map(|b| b.id(credit_id))
        .send()
        .await
        .answer();
    assert_eq!(fake.balance(id), Some(0));
}

#[tokio::test]
async fn debiting_more_than_the_balance_is_refused() {
    let fake = FakeStamps::start().await;
    let alice = fake.add_member(
        NewMember::new("Alice")
            .email("alice@example.com")
            .balance(500),
    );

    let overdraft = error(
        fake.client()
            .debit_balance()
            .body_map(|b| {
                b.user(alice.id)
                    .amount(501u64)
                    .merchant(fake.merchant())
                    .store(STORE)
            })
            .send()
            .await,
    );

    assert!(matches!(overdraft, Error::Api(_)), "{overdraft:?}");
    assert_eq!(overdraft.status().map(|s| s.as_u16()), Some(400));
    assert!(
        overdraft.field_errors().contains_key("amount"),
        "{overdraft:?}"
    );
    assert_eq!(fake.balance(alice.id), Some(500), "nothing was debited");
}

#[tokio::test]
async fn children_and_pets_appear_in_the_full_profile_until_deleted() {
    let fake = FakeStamps::start().await;
    let client = fake.client();
    let id = register_siti(&fake).await;

    let child = client
        .add_child()
        .body_map(|b| {
            b.user(id)
                .name("Budi")
                .birthday("2015-06-01")
                .gender(ChildGender::M)
        })
        .send()
        .await
        .answer()
        .child;
    assert_eq!(child.name.as_deref(), Some("Budi"));
    let pet = client
        .add_pet()
        .body_map(|b| {
            b.user("siti@example.com")
                .name("Kat")
                .type_("cat")
                .breed("persia".to_owned())
                .gender(PetGender::F)
        })
        .send()
        .await
        .answer()
        .pet;
    let kind = pet.type_.clone().expect("a type");
    assert_eq!(kind.name.as_deref(), Some("Felines"));
    assert_eq!(pet.breed.clone().unwrap().name.as_deref(), Some("Persian"));

    let profile = client.get_full_profile().user(id).send().await.answer();
    let user = profile.user.expect("the profile's user");
    assert_eq!(user.children.len(), 1);
    assert_eq!(user.children[0].id, child.id);
    assert_eq!(user.children[0].birthday.as_deref(), Some("2015-06-01"));
    assert_eq!(user.pets.len(), 1);
    assert_eq!(user.pets[0].name.as_deref(), Some("Kat"));

    client
        .delete_child()
        .body_map(|b| b.child(child.id.unwrap()))
        .send()
        .await
        .answer();
    client
        .delete_pet()
        .body_map(|b| b.pet(pet.id.unwrap()))
        .send()
        .await
        .answer();
    let profile = client.get_full_profile().user(id).send().await.answer();
    let user = profile.user.unwrap();
    assert!(user.children.is_empty() && user.pets.is_empty(), "{user:?}");

    let gone = error(
        client
            .delete_child()
            .body_map(|b| b.child(child.id.unwrap()))
            .send()
            .await,
    );
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(400), "{gone:?}");
    assert_eq!(
        gone.code(),
        None,
        "the Children page's errors have no error_code"
    );
}

#[tokio::test]
async fn tags_are_added_and_removed() {
    let fake = FakeStamps::start().await;
    let client = fake.client();
    let id = register_siti(&fake).await;
    let merchant = fake.merchant();
    let tag = async |key: &str, value: &str| {
        client
            .add_membership_tag()
            .body_map(|b| b.user(id).merchant(merchant).key(key).value(value))
            .send()
            .await
            .answer()
    };

    assert_eq!(tag("category", "vvip").await.tags, ["vvip"]);
    let membership = tag("segment", "gold").await;
    assert_eq!(
        membership.tags,
        ["vvip", "gold"],
        "add-tag answers the values"
    );
    assert_eq!(
        tag("segment", "gold").await.tags.len(),
        2,
        "a pair is added once"
    );

    let profile = client.get_full_profile().user(id).send().await.answer();
    let pairs: Vec<(String, String)> = profile
        .tags
        .into_iter()
        .map(|t| (t.key.unwrap(), t.value.unwrap()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("category".into(), "vvip".into()),
            ("segment".into(), "gold".into())
        ]
    );

    let removed = client
        .remove_membership_tag()
        .body_map(|b| b.user(id).merchant(merchant).key("category").value("vvip"))
        .send()
        .await
        .answer();
    assert_eq!(removed.status, "ok");
    let profile = client.get_full_profile().user(id).send().await.answer();
    assert_eq!(profile.tags.len(), 1, "{:?}", profile.tags);
    assert_eq!(profile.tags[0].key.as_deref(), Some("segment"));
    assert_eq!(
        fake.member(id).unwrap().tags,
        [("segment".to_owned(), "gold".to_owned())]
    );

    let absent = error(
        client
            .remove_membership_tag()
            .body_map(|b| b.user(id).merchant(merchant).key("category").value("vvip"))
            .send()
            .await,
    );
    assert_eq!(absent.code(), Some(&ErrorCode::InvalidData), "{absent:?}");
}

#[tokio::test]
async fn set_level_changes_the_level_and_honours_upgrade_only() {
    let fake = FakeStamps::start().await;
    let client = fake.client();
    let id = register_siti(&fake).await;
    let level_of = async |client: &stamps::Client| {
        let membership = client
            .get_member_details()
            .user(id)
            .merchant(fake.merchant())
            .send()
            .await
            .answer()
            .membership
            .unwrap();
        (membership.status.unwrap(), membership.status_text.unwrap())
    };

    client
        .set_member_level()
        .body_map(|b| b.user(id).level(300))
        .send()
        .await
        .answer();
    assert_eq!(level_of(&client).await, (300, "Gold".to_owned()));

    let refused = error(
        client
            .set_member_level()
            .body_map(|b| b.user(id).level(200).upgrade_only(true))
            .send()
            .await,
    );
    assert!(matches!(refused, Error::Api(_)), "{refused:?}");
    assert_eq!(refused.code(), Some(&ErrorCode::DowngradeNotAllowed));
    assert_eq!(
        refused.message(),
        Some("Level is lower than user's current level and downgrade is not allowed")
    );
    assert_eq!(level_of(&client).await.0, 300, "unchanged");

    client
        .set_member_level()
        .body_map(|b| b.user(id).level(200))
        .send()
        .await
        .answer();
    assert_eq!(level_of(&client).await, (200, "Silver".to_owned()));
    let requirement = client
        .get_upgrade_requirement()
        .user(id)
        .send()
        .await
        .answer()
        .upgrade_requirement;
    assert_eq!(requirement.next_level.as_deref(), Some("Gold"));
    let credit = client
        .credit_balance()
        .body_map(|b| {
            b.user(id)
                .amount(1u64)
                .merchant(fake.merchant())
                .store(STORE)
        })
        .send()
        .await
        .answer();
    let status = credit.customer.and_then(|c| c.status);
    assert_eq!(
        status.as_deref(),
        Some("Silver"),
        "balance answers name the level"
    );
}

#[tokio::test]
async fn the_otp_flows_change_the_mobile_number_and_the_email() {
    let fake = FakeStamps::start().await;
    let client = fake.client();
    let id = register_siti(&fake).await;

    // Mobile number: request, a wrong OTP, the right one.
    let otp = client
        .request_mobile_number_change_otp()
        .body_map(|b| {
            b.identifier(UserRef::from(id))
                .type_(OtpChannel::Sms)
                .template_code("OTP_1")
        })
        .send()
        .await
        .answer()
        .otp;
    assert_eq!(otp.len(), 4, "{otp}");
    let wrong = if otp == "0000" { "1111" } else { "0000" };
    let refused = error(
        client
            .change_mobile_number()
            .body_map(|b| b.identifier(id).new_number("+628123454321").otp(wrong))
            .send()
            .await,
    );
    assert!(matches!(refused, Error::Api(_)), "{refused:?}");
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(refused.code(), Some(&ErrorCode::InvalidData));
    assert_eq!(
        fake.member(id).unwrap().mobile.as_deref(),
        Some("+6281314822365")
    );
    client
        .change_mobile_number()
        .body_map(|b| {
            b.identifier(id)
                .new_number("+628123454321")
                .otp(otp.clone())
        })
        .send()
        .await
        .answer();
    assert_eq!(fake.member("08123454321").map(|m| m.id), Some(id));
    let reused = error(
        client
            .change_mobile_number()
            .body_map(|b| b.identifier(id).new_number("+628123454322").otp(otp))
            .send()
            .await,
    );
    assert_eq!(
        reused.status().map(|s| s.as_u16()),
        Some(400),
        "an OTP works once"
    );

    // Email: the OTP belongs to the new address.
    let otp = client
        .request_email_change_otp()
        .body_map(|b| {
            b.new_email("siti.rahma@example.com")
                .template_code("OTP_1".to_owned())
        })
        .send()
        .await
        .answer()
        .otp;
    assert_eq!(otp.len(), 6, "{otp}");
    let wrong = if otp == "000000" { "111111" } else { "000000" };
    let refused = error(
        client
            .change_email()
            .body_map(|b| b.user(id).new_email("siti.rahma@example.com").otp(wrong))
            .send()
            .await,
    );
    assert_eq!(
        refused.status().map(|s| s.as_u16()),
        Some(400),
        "{refused:?}"
    );
    client
        .change_email()
        .body_map(|b| b.user(id).new_email("siti.rahma@example.com").otp(otp))
        .send()
        .await
        .answer();
    assert_eq!(
        fake.member("siti.rahma@example.com").map(|m| m.id),
        Some(id)
    );
    assert_eq!(fake.member("siti@example.com"), None);

    // An address in use is refused as documented.
    fake.add_member(NewMember::new("Other").email("taken@example.com"));
    let taken = error(
        client
            .request_email_change_otp()
            .body_map(|b| b.new_email("taken@example.com"))
            .send()
            .await,
    );
    assert_eq!(taken.code(), Some(&ErrorCode::EmailAlreadyUsed));
    assert_eq!(taken.message(), Some("taken@example.com is already used"));
}

#[tokio::test]
async fn otp_templates_can_be_restricted() {
    let fake = FakeStamps::builder()
        .otp_templates(["OTP_1"])
        .start()
        .await
        .unwrap();
    let alice = fake.add_member(NewMember::new("Alice").mobile("081234567890"));
    let refused = error(
        fake.client()
            .request_mobile_number_change_otp()
            .body_map(|b| {
                b.identifier(alice.user_ref())
                    .type_(OtpChannel::Whatsapp)
                    .template_code("OTP_2")
            })
            .send()
            .await,
    );
    assert_eq!(refused.code(), Some(&ErrorCode::InvalidTemplateCode));
    assert_eq!(
        refused.field_errors()["template_code"],
        ["Messages template not found"]
    );
}

#[tokio::test]
async fn legacy_and_partial_registrations_are_found_like_any_member() {
    let fake = FakeStamps::start().await;
    let client = fake.client();
    let merchant = fake.merchant();

    let legacy = client
        .register_member_legacy()
        .body_map(|b| {
            b.name("Budi")
                .email("budi@example.com")
                .birthday("1980-01-31")
                .gender(Gender::Male)
                .merchant(merchant)
                .store(STORE)
                .phone("+6285712345678".to_owned())
        })
        .send()
        .await
        .answer()
        .customer;
    assert_eq!(legacy.identifier.as_deref(), Some("budi@example.com"));
    let card = legacy.member_id.clone().expect("a generated card number");
    let status = client
        .get_member_status()
        .user(UserRef::member_id(&card).unwrap())
        .merchant(merchant)
        .send()
        .await
        .answer();
    assert_eq!(status.id, legacy.id);
    assert_eq!(status.membership_status.as_deref(), Some("Blue"));

    let changed = client
        .change_member_legacy()
        .body_map(|b| {
            b.id(legacy.id.unwrap())
                .name("Budi Santoso")
                .birthday("1980-01-31")
                .gender(Gender::Male)
                .merchant(merchant)
        })
        .send()
        .await
        .answer()
        .customer;
    assert_eq!(changed.name.as_deref(), Some("Budi Santoso"));

    let partial = client
        .register_member_partial()
        .body_map(|b| b.user("0899-1234-5678"))
        .send()
        .await
        .answer();
    let user = partial.user.unwrap();
    assert_eq!(user.phone.as_deref(), Some("+6289912345678"));
    assert_eq!(
        partial.membership.unwrap().level_text.as_deref(),
        Some("Blue")
    );
    let found = client
        .get_full_profile()
        .user(UserRef::mobile("+6289912345678").unwrap())
        .send()
        .await
        .answer();
    assert_eq!(found.user.unwrap().id, user.id);

    // A second registration with the same email is refused.
    let twice = error(
        client
            .register_member_partial()
            .body_map(|b| b.user("budi@example.com"))
            .send()
            .await,
    );
    assert_eq!(
        twice.code(),
        Some(&ErrorCode::EmailAlreadyUsed),
        "{twice:?}"
    );
}

#[tokio::test]
async fn suggestions_match_prefixes_of_names_and_emails() {
    let fake = FakeStamps::start().await;
    fake.add_member(NewMember::new("Steve Jobs").email("steve@example.com"));
    fake.add_member(NewMember::new("Mary Stevens").email("mary@example.com"));
    fake.add_member(NewMember::new("Bob").email("stephen@example.com"));
    fake.add_member(NewMember::new("Alice").email("alice@example.com"));

    let names = async |query: &str| {
        let mut names: Vec<String> = fake
            .client()
            .suggest_members()
            .query(query)
            .merchant(fake.merchant())
            .send()
            .await
            .answer()
            .suggestions
            .into_iter()
            .map(|s| s.name.unwrap())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names("steve").await, ["Mary Stevens", "Steve Jobs"]);
    assert_eq!(names("STE").await, ["Bob", "Mary Stevens", "Steve Jobs"]);
    assert_eq!(names("alice@").await, ["Alice"]);
    assert!(names("zzz").await.is_empty());
}

#[tokio::test]
async fn profile_social_media_and_anonymization() {
    let fake = FakeStamps::start().await;
    let client = fake.client();
    let id = register_siti(&fake).await;

    let user = client
        .change_member_profile()
        .body_map(|b| {
            b.user(id)
                .merchant(fake.merchant())
                .name("Siti R.")
                .birthday("1991-10-20")
                .gender(Gender::Female)
                .address("Jl. Sudirman 1".to_owned())
        })
        .send()
        .await
        .answer();
    assert_eq!(user.name.as_deref(), Some("Siti R."));
    assert_eq!(user.address.as_deref(), Some("Jl. Sudirman 1"));
    assert_eq!(user.email.as_deref(), Some("siti@example.com"), "unchanged");

    client
        .set_social_media_profile()
        .body_map(|b| {
            b.user(id)
                .twitter("@siti".to_owned())
                .facebook("siti.r".to_owned())
        })
        .send()
        .await
        .answer();
    let social = client
        .set_social_media_profile()
        .body_map(|b| b.user(id).instagram("@siti.ig".to_owned()))
        .send()
        .await
        .answer();
    assert_eq!(
        social.twitter.as_deref(),
        Some("@siti"),
        "left out, so unchanged"
    );
    assert_eq!(social.instagram.as_deref(), Some("@siti.ig"));

    client
        .anonymize_member()
        .body_map(|b| b.identifier(id))
        .send()
        .await
        .answer();
    let details = client
        .get_member_details()
        .user(id)
        .merchant(fake.merchant())
        .send()
        .await
        .answer();
    let user = details.user.unwrap();
    assert_eq!(user.is_anonymized, Some(true));
    assert_eq!(user.email, None);
    assert!(fake.member("siti@example.com").is_none());
}

// ---- Coverage: every operation ----------------------------------------------------------

/// Calls all 26 operations through the SDK, each answered 200 and decoded.
#[tokio::test]
async fn every_operation_succeeds_and_decodes_through_the_sdk() {
    let fake = FakeStamps::start().await;
    let client = fake.client();
    let merchant = fake.merchant();
    let id = register_siti(&fake).await;
    let siti = UserRef::from(id);

    client
        .get_member_details()
        .user(&siti)
        .merchant(merchant)
        .send()
        .await
        .answer();
    client
        .get_member_status()
        .user(&siti)
        .merchant(merchant)
        .send()
        .await
        .answer();
    client
        .suggest_members()
        .query("sit")
        .merchant(merchant)
        .send()
        .await
        .answer();
    client.get_full_profile().user(&siti).send().await.answer();
    client
        .get_upgrade_requirement()
        .user(&siti)
        .send()
        .await
        .answer();
    client
        .register_member_legacy()
        .body_map(|b| {
            b.name("Budi")
                .email("budi@example.com")
                .birthday("1980-01-31")
                .gender(Gender::Male)
                .merchant(merchant)
                .store(STORE)
        })
        .send()
        .await
        .answer();
    client
        .change_member_legacy()
        .body_map(|b| {
            b.id(id)
                .name("Siti")
                .birthday("1991-10-19")
                .gender(Gender::Female)
                .merchant(merchant)
        })
        .send()
        .await
        .answer();
    client
        .change_member_profile()
        .body_map(|b| {
            b.user(id)
                .name("Siti")
                .birthday("1991-10-19")
                .gender(Gender::Female)
                .merchant(merchant)
        })
        .send()
        .await
        .answer();
    client
        .register_member_partial()
        .body_map(|b| b.user("new@example.com"))
        .send()
        .await
        .answer();
    client
        .credit_balance()
        .body_map(|b| b.user(id).amount(10u64).merchant(merchant).store(STORE))
        .send()
        .await
        .answer();
    let debit = client
        .debit_balance()
        .body_map(|b| b.user(id).amount(5u64).merchant(merchant).store(STORE))
        .send()
        .await
        .answer();
    let update = debit.balance_update.unwrap().id.unwrap();
    client
        .cancel_balance_update()
        .body_map(|b| b.id(update))
        .send()
        .await
        .answer();
    let child = client
        .add_child()
        .body_map(|b| {
            b.user(id)
                .name("A")
                .birthday("2020-01-01")
                .gender(ChildGender::F)
        })
        .send()
        .await
        .answer()
        .child;
    client
        .delete_child()
        .body_map(|b| b.child(child.id.unwrap()))
        .send()
        .await
        .answer();
    let pet = client
        .add_pet()
        .body_map(|b| b.user(id).name("Doug").type_("dog"))
        .send()
        .await
        .answer()
        .pet;
    client
        .delete_pet()
        .body_map(|b| b.pet(pet.id.unwrap()))
        .send()
        .await
        .answer();
    client
        .add_membership_tag()
        .body_map(|b| b.user(id).merchant(merchant).key("k").value("v"))
        .send()
        .await
        .answer();
    client
        .remove_membership_tag()
        .body_map(|b| b.user(id).merchant(merchant).key("k").value("v"))
        .send()
        .await
        .answer();
    client
        .set_social_media_profile()
        .body_map(|b| b.user(id))
        .send()
        .await
        .answer();
    client
        .set_member_level()
        .body_map(|b| b.user(id).level(200))
        .send()
        .await
        .answer();
    let otp = client
        .request_mobile_number_change_otp()
        .body_map(|b| {
            b.identifier(siti.clone())
                .type_(OtpChannel::Sms)
                .template_code("T")
        })
        .send()
        .await
        .answer()
        .otp;
    client
        .change_mobile_number()
        .body_map(|b| b.identifier(id).new_number("+628111111111").otp(otp))
        .send()
        .await
        .answer();
    let otp = client
        .request_email_change_otp()
        .body_map(|b| b.new_email("siti2@example.com"))
        .send()
        .await
        .answer()
        .otp;
    client
        .change_email()
        .body_map(|b| b.user(id).new_email("siti2@example.com").otp(otp))
        .send()
        .await
        .answer();
    client
        .anonymize_member()
        .body_map(|b| b.identifier(id))
        .send()
        .await
        .answer();

    let served: BTreeSet<&str> = fake
        .calls()
        .iter()
        .filter(|call| call.status == 200)
        .filter_map(|call| call.operation)
        .collect();
    let all: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.id).collect();
    assert_eq!(served, all);
}

/// Every documented method and path is routed (401 without credentials, not 404 or
/// 405), and refuses an empty request with 400 once authenticated.
#[tokio::test]
async fn every_documented_path_is_routed_and_checks_its_parameters() {
    let fake = FakeStamps::start().await;
    for op in OPERATIONS {
        let (status, body) = raw_with(&fake, op.id, json!({}), None, false).await;
        assert_eq!(
            (status, &body),
            (401, &json!({"detail": "Invalid token"})),
            "{}",
            op.id
        );
        let (status, body) = raw(&fake, op.id, json!({})).await;
        assert_eq!(status, 400, "{}: {body}", op.id);
        assert!(
            body["errors"].is_object() || body["errors"].is_array(),
            "{}: {body}",
            op.id
        );
    }
}

// ---- Enforcement ------------------------------------------------------------------------

#[tokio::test]
async fn a_missing_or_wrong_authorization_header_is_401_invalid_token() {
    let fake = FakeStamps::start().await;
    let id = register_siti(&fake).await;
    let params = json!({"user": id.get(), "merchant": fake.merchant().get()});
    let bearer = format!("Bearer {}", fake.token());
    let token = format!("Token {}", fake.token());

    for header in [
        None,
        Some("Token wrong"),
        Some("Bearer wrong"),
        Some(fake.token()),
        Some("Basic abc"),
    ] {
        let (status, body) =
            raw_with(&fake, "get_member_status", params.clone(), header, true).await;
        assert_eq!(status, 401, "{header:?}");
        assert_eq!(body, json!({"detail": "Invalid token"}), "{header:?}");
    }
    for header in [&token, &bearer, &token.replace("Token", "token")] {
        let (status, _) = raw_with(
            &fake,
            "get_member_status",
            params.clone(),
            Some(header),
            true,
        )
        .await;
        assert_eq!(status, 200, "{header}");
    }

    // Through the SDK: a client with another key.
    let stranger = stamps::Client::builder()
        .token("not-the-key")
        .base_url(fake.base_url())
        .build()
        .unwrap();
    let refused = error(
        stranger
            .get_member_status()
            .user(id)
            .merchant(fake.merchant())
            .send()
            .await,
    );
    let Error::Unauthorized(api) = &refused else {
        panic!("expected Unauthorized, got {refused:?}")
    };
    assert_eq!(api.status().as_u16(), 401);
    assert_eq!(api.detail(), Some("Invalid token"));
    // A bearer client with the key works, as documented for access tokens.
    let bearer_client = stamps::Client::builder()
        .bearer(fake.token())
        .base_url(fake.base_url())
        .build()
        .unwrap();
    bearer_client
        .get_full_profile()
        .user(id)
        .send()
        .await
        .answer();
}

#[tokio::test]
async fn the_token_parameter_is_required_where_the_v2_pages_put_it() {
    let fake = FakeStamps::start().await;
    let id = register_siti(&fake).await;
    let auth = format!("Token {}", fake.token());
    let details = json!({"user": id.get(), "merchant": fake.merchant().get()});

    // The header alone is not enough for a v2 GET or POST ...
    let (status, body) = raw_with(
        &fake,
        "get_member_details",
        details.clone(),
        Some(&auth),
        false,
    )
    .await;
    assert_eq!((status, body), (401, json!({"detail": "Invalid token"})));
    let tag =
        json!({"user": id.get(), "merchant": fake.merchant().get(), "key": "k", "value": "v"});
    let (status, _) = raw_with(&fake, "add_membership_tag", tag.clone(), Some(&auth), false).await;
    assert_eq!(status, 401);
    // ... and a wrong token parameter is refused too ...
    let mut wrong = tag.clone();
    wrong["token"] = "wrong".into();
    let (status, _) = raw_with(&fake, "add_membership_tag", wrong, Some(&auth), false).await;
    assert_eq!(status, 401);
    // ... while the right one passes, and legacy pages need none.
    assert_eq!(raw(&fake, "add_membership_tag", tag).await.0, 200);
    let (status, _) = raw_with(&fake, "get_member_status", details, Some(&auth), false).await;
    assert_eq!(status, 200);
    // The suggestions API is documented once without `token`: it may be left out.
    let query = json!({"query": "siti", "merchant": fake.merchant().get()});
    let (status, body) = raw_with(&fake, "suggest_members", query, Some(&auth), false).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["suggestions"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_missing_field_on_a_legacy_page_gets_the_legacy_shape() {
    let fake = FakeStamps::start().await;
    let id = register_siti(&fake).await;

    let (status, body) = raw(
        &fake,
        "add_child",
        json!({"user": id.get(), "birthday": "2015-06-01", "gender": "m"}),
    )
    .await;

    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({
            "detail": "Your transaction cannot be completed due to the following error(s)",
            "errors": [{"name": "This field is required"}],
        })
    );
    assert!(fake.member(id).unwrap().children.is_empty());

    let (status, body) = raw(
        &fake,
        "credit_balance",
        json!({"user": id.get(), "amount": 5}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"],
        json!([{"merchant": "This field is required"}, {"store": "This field is required"}])
    );
}

#[tokio::test]
async fn a_missing_field_on_a_v2_page_gets_the_v2_shape() {
    let fake = FakeStamps::start().await;
    let id = register_siti(&fake).await;

    let (status, body) = raw(
        &fake,
        "add_membership_tag",
        json!({"user": id.get(), "merchant": fake.merchant().get(), "value": "vvip"}),
    )
    .await;

    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({
            "errors": {"key": "This field is required."},
            "error_code": "invalid_data",
            "error_message": "This field is required.",
            "detail": "key: This field is required.",
        })
    );
    assert!(fake.member(id).unwrap().tags.is_empty());
}

#[tokio::test]
async fn an_unknown_member_is_invalid_data_user_not_found() {
    let fake = FakeStamps::start().await;
    fake.add_member(NewMember::new("Alice").email("alice@example.com"));

    let missing = error(
        fake.client()
            .get_member_details()
            .user("bob@example.com")
            .merchant(fake.merchant())
            .send()
            .await,
    );

    let Error::Api(api) = &missing else {
        panic!("expected Error::Api, got {missing:?}")
    };
    assert_eq!(api.status().as_u16(), 400);
    assert_eq!(api.code(), Some(&ErrorCode::InvalidData));
    assert_eq!(api.message(), Some("User not found"));
    assert_eq!(api.non_field_errors(), ["User not found"]);
    assert_eq!(api.detail(), Some("__all__: User not found"));
}

#[tokio::test]
async fn another_merchant_is_forbidden() {
    let fake = FakeStamps::builder().merchant(788).start().await.unwrap();
    let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com"));
    let client = fake.client();

    let refused = error(
        client
            .get_member_details()
            .user(alice.id)
            .merchant(14)
            .send()
            .await,
    );
    assert!(matches!(refused, Error::Unauthorized(_)), "{refused:?}");
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(403));
    client
        .get_member_details()
        .user(alice.id)
        .merchant(788)
        .send()
        .await
        .answer();
}

#[tokio::test]
async fn bodies_must_be_json_objects() {
    let fake = FakeStamps::start().await;
    let url = format!("{}/api/children/add", fake.base_url());
    let http = reqwest::Client::new();
    let auth = format!("Token {}", fake.token());

    let form = http
        .post(&url)
        .header("Authorization", &auth)
        .header("Content-Type", "text/plain")
        .body("user=1")
        .send()
        .await
        .expect("the fake answers");
    assert_eq!(form.status().as_u16(), 415);
    let broken = http
        .post(&url)
        .header("Authorization", &auth)
        .header("Content-Type", "application/json")
        .body("{\"user\": 1,")
        .send()
        .await
        .expect("the fake answers");
    assert_eq!(broken.status().as_u16(), 400);
    let body: Value = broken.json().await.unwrap();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .starts_with("JSON parse error"),
        "{body}"
    );
    let get = http
        .get(&url)
        .header("Authorization", &auth)
        .send()
        .await
        .expect("the fake answers");
    assert_eq!(get.status().as_u16(), 405);
    let body: Value = get.json().await.unwrap();
    assert_eq!(body, json!({"detail": "Method \"GET\" not allowed."}));
}

// ---- Shapes -----------------------------------------------------------------------------

/// Checks that `actual` has every key of the documented `example`, recursively, with
/// the same JSON type (a `null` in the example accepts anything; `nullable` lists the
/// keys the fake leaves null, such as `picture_url`). Arrays compare their first items.
fn assert_shape(example: &Value, actual: &Value, path: &str, nullable: &[&str]) {
    let key = path.rsplit('.').next().unwrap_or(path);
    match (example, actual) {
        (Value::Null, _) => {}
        (_, Value::Null) if nullable.contains(&key) => {}
        (Value::Object(expected), Value::Object(got)) => {
            for (k, v) in expected {
                let inner = format!("{path}.{k}");
                let got_v = got
                    .get(k)
                    .unwrap_or_else(|| panic!("{inner} is missing from {actual}"));
                assert_shape(v, got_v, &inner, nullable);
            }
        }
        (Value::Array(expected), Value::Array(got)) => {
            if let (Some(e), Some(g)) = (expected.first(), got.first()) {
                assert_shape(e, g, &format!("{path}[0]"), nullable);
            }
        }
        (Value::String(_), Value::String(_))
        | (Value::Number(_), Value::Number(_))
        | (Value::Bool(_), Value::Bool(_)) => {}
        _ => panic!("{path}: the documentation shows {example}, the fake answered {actual}"),
    }
}

#[tokio::test]
async fn answers_have_the_documented_keys_and_types() {
    let fake = FakeStamps::start().await;
    let m = fake.merchant().get();
    let (status, registered) = raw(
        &fake,
        "register_member",
        json!({
            "merchant": m, "name": "Customer", "email": "customer@stamps.co.id",
            "mobile_number": "+6281314811365", "birthday": "1990-11-26", "gender": "male",
            "store": STORE, "address": "Jl MK raya", "postal_code": "10310", "district": 1,
            "religion": 1, "marital_status": 1, "registering_employee_code": "EMP001",
            "wedding_date": "1995-12-01",
        }),
    )
    .await;
    assert_eq!(status, 200, "{registered}");
    let id = registered["id"]
        .as_str()
        .expect("a string id, as documented")
        .to_owned();
    let user = json!(id.parse::<u64>().unwrap());
    for (op, params) in [
        (
            "change_member_profile",
            json!({"user": user, "merchant": m, "name": "Customer", "birthday": "1990-11-26", "gender": "male", "notes": "Note"}),
        ),
        (
            "set_social_media_profile",
            json!({"user": user, "facebook": "f", "twitter": "@t", "instagram": "@i"}),
        ),
        (
            "add_membership_tag",
            json!({"user": user, "merchant": m, "key": "category", "value": "vvip"}),
        ),
        (
            "add_child",
            json!({"user": user, "name": "Child 1", "birthday": "2019-09-09", "gender": "f"}),
        ),
        (
            "add_pet",
            json!({"user": user, "name": "Kat", "birthday": "2019-04-15", "type": "cat", "breed": "siamese", "gender": "f"}),
        ),
        (
            "credit_balance",
            json!({"user": user, "amount": 1000, "type": "stamps", "merchant": m, "store": STORE}),
        ),
    ] {
        assert_eq!(raw(&fake, op, params).await.0, 200, "{op}");
    }
    let cases = [
        ("register_member", None),
        (
            "get_member_details",
            Some(json!({"user": user, "merchant": m, "verbose": "true"})),
        ),
        ("get_full_profile", Some(json!({"user": user}))),
        (
            "get_member_status",
            Some(json!({"user": user, "merchant": m})),
        ),
        (
            "suggest_members",
            Some(json!({"query": "cust", "merchant": m})),
        ),
        ("get_upgrade_requirement", Some(json!({"user": user}))),
        (
            "change_member_profile",
            Some(
                json!({"user": user, "merchant": m, "name": "Customer", "birthday": "1990-11-26", "gender": "male"}),
            ),
        ),
        (
            "add_membership_tag",
            Some(json!({"user": user, "merchant": m, "key": "category", "value": "vvip"})),
        ),
        (
            "remove_membership_tag",
            Some(json!({"user": user, "merchant": m, "key": "category", "value": "vvip"})),
        ),
        (
            "set_social_media_profile",
            Some(json!({"user": user, "twitter": "@test"})),
        ),
        (
            "add_child",
            Some(json!({"user": user, "name": "Child 2", "birthday": "2077-07-07", "gender": "m"})),
        ),
        ("delete_child", Some(json!({"child": 1}))),
        (
            "add_pet",
            Some(
                json!({"user": user, "name": "Doug", "type": "dog", "breed": "bulldog", "birthday": "2020-01-01", "gender": "m"}),
            ),
        ),
        ("delete_pet", Some(json!({"pet": 1}))),
        (
            "credit_balance",
            Some(json!({"user": user, "amount": 100, "merchant": m, "store": STORE})),
        ),
        (
            "debit_balance",
            Some(json!({"user": user, "amount": 100, "merchant": m, "store": STORE})),
        ),
        ("cancel_balance_update", Some(json!({"id": "1"}))),
        (
            "register_member_legacy",
            Some(
                json!({"name": "me", "email": "me@mail.com", "member_id": "123412341234", "phone": "+62215600010", "birthday": "1991-10-19", "gender": "Female", "merchant": m, "address": "221b Baker Street", "store": 2}),
            ),
        ),
        (
            "change_member_legacy",
            Some(
                json!({"id": user, "name": "me", "email": "me2@mail.com", "member_id": "123412341235", "phone": "+62215600011", "birthday": "1991-10-19", "gender": "Female", "merchant": m, "address": "221b Baker Street"}),
            ),
        ),
        (
            "set_member_level",
            Some(json!({"user": user, "level": 200})),
        ),
        (
            "request_mobile_number_change_otp",
            Some(json!({"identifier": user, "type": "sms", "template_code": "OTP_1"})),
        ),
        (
            "request_email_change_otp",
            Some(json!({"new_email": "alice@stamps.co.id", "template_code": "OTP_1"})),
        ),
        (
            "register_member_partial",
            Some(json!({"user": "partial1@mail.com", "registering_employee_code": "ABC123"})),
        ),
        ("anonymize_member", Some(json!({"identifier": user}))),
    ];
    let mut checked = BTreeSet::new();
    for (op, params) in cases {
        let body = match params {
            None => registered.clone(),
            Some(params) => {
                let (status, body) = raw(&fake, op, params).await;
                assert_eq!(status, 200, "{op}: {body}");
                body
            }
        };
        let example = common::response_example(op, "200", "docs");
        assert_shape(
            &example,
            &body,
            op,
            &["picture_url", "nationality", "hobbies"],
        );
        checked.insert(op);
    }
    // The two OTP changes need a fresh OTP; their documented answer is {"status": "ok"}.
    let all: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.id).collect();
    let rest: Vec<_> = all.difference(&checked).collect();
    assert_eq!(rest, [&"change_email", &"change_mobile_number"]);
}

// ---- The fake itself --------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn it_serves_concurrent_calls_on_a_multi_thread_runtime() {
    let fake = FakeStamps::start().await;
    let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com"));
    let client = fake.client();
    let merchant = fake.merchant();

    let credits = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .credit_balance()
                .body_map(|b| {
                    b.user(alice.id)
                        .amount(5u64)
                        .merchant(merchant)
                        .store(STORE)
                })
                .send()
                .await
                .map(|_| ())
        })
    });
    for credit in credits.collect::<Vec<_>>() {
        credit.await.unwrap().unwrap();
    }
    assert_eq!(fake.balance("alice@example.com"), Some(100));
}

#[tokio::test]
async fn it_stops_when_dropped() {
    let fake = FakeStamps::start().await;
    let client = fake.client();
    let alice = fake.add_member(NewMember::new("Alice"));
    client
        .get_full_profile()
        .user(alice.id)
        .send()
        .await
        .answer();
    let base_url = fake.base_url();

    drop(fake);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;

    let fresh = stamps::Client::builder()
        .token("x")
        .base_url(base_url)
        .max_retries(0)
        .build()
        .unwrap();
    let gone = error(fresh.get_full_profile().user(1).send().await);
    assert!(matches!(gone, Error::Connection { .. }), "{gone:?}");
}

#[tokio::test]
async fn calls_are_recorded_and_seeds_are_validated() {
    let fake = FakeStamps::start().await;
    let alice = fake.add_member(
        NewMember::new("Alice")
            .mobile("0812 3456 7890")
            .member_id("RRR123456")
            .level(200)
            .balance(10),
    );
    assert_eq!(alice.mobile.as_deref(), Some("+6281234567890"));
    assert_eq!(alice.level_name, "Silver");
    let generated = fake.add_member(NewMember::new("Bob"));
    assert_eq!(generated.member_id(), Some("STP000000002"));
    assert_eq!(fake.members().len(), 2);

    let _ = fake
        .client()
        .get_full_profile()
        .user("RRR123456")
        .send()
        .await
        .answer();
    let _ = stamps::Client::builder()
        .token("wrong")
        .base_url(fake.base_url())
        .build()
        .unwrap()
        .get_full_profile()
        .user(1)
        .send()
        .await;
    let calls = fake.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].operation, Some("get_full_profile"));
    assert_eq!(
        (calls[0].method.as_str(), calls[0].path.as_str()),
        ("GET", "/api/v2/memberships/full-profile")
    );
    assert_eq!((calls[0].status, calls[1].status), (200, 401));

    let duplicate = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        fake.add_member(NewMember::new("Alice again").mobile("+6281234567890"))
    }));
    assert!(
        duplicate.is_err(),
        "a second member with the same mobile number"
    );
}

#[tokio::test]
async fn ping_and_access_tokens_work_as_api_notes_describe() {
    let fake = FakeStamps::builder()
        .token("static-key")
        .merchant_name("Toko Fake")
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();

    let pong: Value = http
        .post(format!("{}/api/ping", fake.base_url()))
        .header("Authorization", "Token static-key")
        .send()
        .await
        .expect("the fake answers")
        .json()
        .await
        .unwrap();
    assert_eq!(
        pong,
        json!({"pong": {"merchant": "Toko Fake", "merchant_id": 14}})
    );

    let answer: Value = http
        .post(format!("{}/api/auth/get-access-token/", fake.base_url()))
        .json(&json!({"token": "static-key", "crm_merchant_id": 14}))
        .send()
        .await
        .expect("the fake answers")
        .json()
        .await
        .unwrap();
    let jwt = answer["access_token"].as_str().expect("an access token");
    let client = stamps::Client::builder()
        .bearer(jwt)
        .base_url(fake.base_url())
        .build()
        .unwrap();
    let alice = fake.add_member(NewMember::new("Alice"));
    client
        .get_full_profile()
        .user(alice.id)
        .send()
        .await
        .answer();

    let error_page = http
        .get(format!("{}/api/500", fake.base_url()))
        .send()
        .await
        .expect("the fake answers");
    assert_eq!(error_page.status().as_u16(), 500);
    assert_eq!(error_page.text().await.unwrap(), "Server error - 500");
}
