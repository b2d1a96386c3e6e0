//! Pet API (docs file 001): the documented request on the wire, the documented answer
//! decoded, the documented errors decoded.

use crate::common;

use common::{Api, response_example};
use serde_json::json;
use stamps::types::PetGender;
use stamps::{Date, PetId, UserRef};

/// An optional date field takes a `Date` (or `Option<Date>`), not a string.
fn date(text: &str) -> Date {
    text.parse().expect("a valid date")
}

#[tokio::test]
async fn add_pet_sends_the_documented_body_and_decodes_the_pet() {
    let api = Api::start().await;
    let mock = api.expect_documented("add_pet");

    let added = api
        .client
        .add_pet()
        .body_map(|b| {
            b.user(123)
                .name("Kat")
                .birthday(date("1991-10-19"))
                .type_("cat")
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let pet = added.pet;
    assert_eq!(pet.id, Some(PetId::new(1)));
    assert_eq!(pet.name.as_deref(), Some("Kat"));
    assert_eq!(pet.birthday.as_deref(), Some("1989-04-15"));
    assert_eq!(pet.gender.as_deref(), Some("m"));
    let kind = pet.type_.expect("the pet's type");
    assert_eq!(kind.code.as_deref(), Some("cat"));
    assert_eq!(kind.name.as_deref(), Some("Felines"));
    let breed = pet.breed.expect("the pet's breed");
    assert_eq!(breed.code.as_deref(), Some("persia"));
    assert_eq!(breed.name.as_deref(), Some("Persian"));
}

#[tokio::test]
async fn add_pet_sends_the_optional_breed_and_gender_codes() {
    // The table lists `breed` and `gender` (codes from the Gender Mapping table: m, f, o)
    // as optional; the documented example sends neither.
    let api = Api::start().await;
    let mock = api.expect(
        "add_pet",
        |when| {
            when.json_body(json!({
                "user": "alice@example.com",
                "name": "Doug",
                "type": "dog",
                "breed": "shiba",
                "gender": "o"
            }))
        },
        200,
        &response_example("add_pet", "200", "docs"),
    );

    api.client
        .add_pet()
        .body_map(|b| {
            b.user(UserRef::email("alice@example.com"))
                .name("Doug")
                .type_("dog")
                .breed("shiba".to_owned())
                .gender(PetGender::O)
        })
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn add_pet_refuses_bad_input_before_sending() {
    let api = Api::start().await;
    let anything = api.fail_anything_else();
    let cases = [
        ("", "empty user identifier"),
        ("alice@", "no domain after the @"),
        ("alice @example.com", "it contains spaces"),
    ];
    for (user, expected) in cases {
        let error = api
            .client
            .add_pet()
            .body_map(|b| b.user(user).name("Kat").type_("cat"))
            .send()
            .await
            .expect_err("invalid input");
        assert!(
            matches!(error, stamps::Error::InvalidInput { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains(expected), "{error}");
    }
    let missing = api
        .client
        .add_pet()
        .body_map(|b| b.user(123).name("Kat"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(missing, stamps::Error::InvalidInput { .. }),
        "{missing:?}"
    );
    assert!(missing.to_string().contains("type"), "{missing}");
    let negative = api
        .client
        .delete_pet()
        .body_map(|b| b.pet(-1))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(negative, stamps::Error::InvalidInput { .. }),
        "{negative:?}"
    );
    assert!(
        negative.to_string().contains("a pet id cannot be negative"),
        "{negative}"
    );
    anything.assert_calls(0);
}

#[tokio::test]
async fn delete_pet_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("delete_pet");

    let deleted = api
        .client
        .delete_pet()
        .body_map(|b| b.pet(123))
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert();
    assert_eq!(deleted.status, "ok");
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("add_pet", async |client| {
        client
            .add_pet()
            .body_map(|b| {
                b.user(123)
                    .name("Kat")
                    .birthday(date("1991-10-19"))
                    .type_("cat")
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("delete_pet", async |client| {
        client.delete_pet().body_map(|b| b.pet(123)).send().await?;
        Ok(())
    })
    .await;
}
