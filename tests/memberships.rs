//! Membership API v2 and v3 (docs files 002 and 004): the documented request on the
//! wire, the documented answer decoded, the documented errors decoded.

use crate::common;

use common::{Api, response_example};
use stamps::types::{CodeOrLabel, Gender};
use stamps::{ChildId, PetId, UserId, UserRef};

/// The label of a choice the API reports as a code or a label (`"male"`, `"Budha"`).
fn label(value: &Option<CodeOrLabel>) -> Option<&str> {
    match value {
        Some(CodeOrLabel::Label(label)) => label.as_deref(),
        _ => None,
    }
}

/// The code of a choice the API reports as a code or a label (`2`, `1`).
fn code(value: &Option<CodeOrLabel>) -> Option<i64> {
    match value {
        Some(CodeOrLabel::Code(code)) => Some(*code),
        _ => None,
    }
}

#[tokio::test]
async fn suggest_members_sends_the_documented_query_and_decodes_the_suggestions() {
    let api = Api::start().await;
    let mock = api.expect_documented("suggest_members");

    let found = api
        .client
        .suggest_members()
        .query("steve")
        .merchant(14)
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let [gold, blue] = found.suggestions.as_slice() else {
        panic!("two suggestions: {:?}", found.suggestions);
    };
    assert_eq!(gold.id, Some(UserId::new(12)));
    assert_eq!(gold.name.as_deref(), Some("Customer Gold"));
    assert_eq!(gold.membership.as_deref(), Some("Gold"));
    assert_eq!(gold.email.as_deref(), Some("alice@stamps.co.id"));
    assert_eq!(gold.stamps, Some(100));
    assert_eq!(code(&gold.gender), Some(2));
    assert_eq!(gold.member_ids, ["123456789012", "123456789011"]);
    assert_eq!(blue.id, Some(UserId::new(13)));
    assert_eq!(blue.phone.as_deref(), Some("+62811231232"));
    assert_eq!(code(&blue.gender), Some(1));
    assert!(blue.member_ids.is_empty());
}

#[tokio::test]
async fn get_member_details_sends_the_documented_query_and_decodes_the_member() {
    let api = Api::start().await;
    let mock = api.expect_documented("get_member_details");

    let details = api
        .client
        .get_member_details()
        .user("customer@stamps.co.id")
        .merchant(14)
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let user = details.user.expect("the user");
    // The documentation sends this id as a string, "454".
    assert_eq!(user.id, Some(UserId::new(454)));
    assert_eq!(user.name.as_deref(), Some("Wisesi"));
    assert_eq!(user.email.as_deref(), Some("johndoe@gmail.com"));
    assert_eq!(user.phone.as_deref(), Some("+628555756061"));
    assert_eq!(user.address.as_deref(), Some("Jalan Anggrek No. 1"));
    assert_eq!(user.birthday.as_deref(), Some("1993-05-30"));
    assert_eq!(user.postal_code.as_deref(), Some("10310"));
    assert_eq!(label(&user.gender), Some("female"));
    assert_eq!(code(&user.religion), Some(1));
    assert_eq!(code(&user.marital_status), Some(1));
    assert_eq!(user.wedding_date, None);
    assert_eq!(user.id_number, None);
    assert_eq!(user.is_anonymized, Some(false));
    assert_eq!(user.has_pin, Some(false));
    assert_eq!(user.registration_status.as_deref(), Some("Partial"));
    assert_eq!(user.has_password, Some(true));
    let activity = user.site_activity.expect("the site activity");
    assert_eq!(activity.id, Some(1));
    assert_eq!(activity.registration_method.as_deref(), Some("API"));
    assert_eq!(user.member_ids, ["RRROWO5U51"]);
    assert!(details.tags.is_empty());
    let membership = details.membership.expect("the membership");
    assert_eq!(membership.level, Some(0));
    assert_eq!(membership.level_text.as_deref(), Some("Silver"));
    assert_eq!(membership.member_status.as_deref(), Some("Active"));
    assert_eq!(membership.stamps, Some(0));
    assert_eq!(membership.balance, Some(0));
    assert_eq!(membership.referral_code.as_deref(), Some("7J2K1"));
    assert_eq!(membership.stamps_owed, Some(0));
    assert_eq!(membership.allow_newsletters, Some(true));
    assert_eq!(membership.redemption_allowed, Some(true));
    assert_eq!(membership.allow_sms_marketing, Some(true));
    assert_eq!(membership.start_date.as_deref(), Some("2022-10-18"));
    assert!(membership.tags.is_empty());
    let card = membership.primary_card.expect("the primary card");
    assert_eq!(card.number.as_deref(), Some("A5MHG"));
    assert_eq!(card.activated_time, None);
}

#[tokio::test]
async fn get_member_details_sends_verbose_only_when_asked() {
    let api = Api::start().await;
    let mock = api.expect(
        "get_member_details",
        |when| {
            when.query_param("user", "8120")
                .query_param("merchant", "14")
                .query_param("verbose", "true")
                .query_param_count(".*", ".*", 3)
        },
        200,
        &response_example("get_member_details", "200", "docs"),
    );

    api.client
        .get_member_details()
        .user(UserId::new(8120))
        .merchant(14)
        .verbose(true)
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn get_member_details_sends_a_mobile_number_in_e164_with_its_plus_intact() {
    // A raw `+` in a query string reads as a space; the mock decodes the query, so
    // this only matches if the client percent-encodes it (`%2B`).
    let api = Api::start().await;
    let mock = api.expect(
        "get_member_details",
        |when| {
            when.query_param("user", "+6281234567890")
                .query_param("merchant", "14")
                .query_param_count(".*", ".*", 2)
        },
        200,
        &response_example("get_member_details", "200", "docs"),
    );

    api.client
        .get_member_details()
        .user(UserRef::mobile("0812-3456-7890"))
        .merchant(14)
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn register_member_sends_the_documented_body_and_decodes_the_customer() {
    let api = Api::start().await;
    let mock = api.expect_documented("register_member");

    let customer = api
        .client
        .register_member()
        .body_map(|b| {
            b.name("customer")
                .email("customer@stamps.co.id")
                .mobile_number("+6281314822365")
                .birthday(stamps::Date::from_ymd(1991, 10, 19).unwrap())
                .gender(Gender::Female)
                .merchant(stamps::MerchantId::new(788))
                .address("221b Baker Street".to_owned())
                .store(stamps::StoreId::new(412))
                .is_active(true)
                .registering_employee_code("EMP001".to_owned())
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    // The documentation sends this id as a string, "620".
    assert_eq!(customer.id, Some(UserId::new(620)));
    assert_eq!(customer.name.as_deref(), Some("John Doe"));
    assert_eq!(label(&customer.gender), Some("male"));
    assert_eq!(customer.birthday.as_deref(), Some("1993-05-30"));
    assert_eq!(customer.wedding_date, None);
    assert_eq!(customer.id_number, None);
    assert_eq!(customer.id_card_file_name.as_deref(), Some(""));
    assert_eq!(customer.protected_redemption, Some(false));
    assert_eq!(customer.has_incorrect_email, Some(true));
    assert_eq!(customer.referral_code.as_deref(), Some("GYHTLIY9"));
    assert_eq!(customer.registration_status.as_deref(), Some("Full"));
    assert_eq!(
        customer.registering_employee_code.as_deref(),
        Some("EMP001")
    );
    let membership = customer.membership.expect("the membership");
    assert_eq!(membership.status_text.as_deref(), Some("Silver"));
    assert_eq!(membership.level, Some(0));
    assert_eq!(membership.level_text.as_deref(), Some("Silver"));
    assert_eq!(membership.stamps, Some(0));
    let card = membership.primary_card.expect("the primary card");
    assert_eq!(card.id, Some(231));
    assert_eq!(card.number.as_deref(), Some("RRRB1AKUT0"));
    assert_eq!(card.is_active, Some(true));
    assert_eq!(card.activated_time.as_deref(), Some("2022-01-20 10:00:00"));
    let location = customer.location.expect("the location");
    let district = location.district.expect("the district");
    assert_eq!(district.id, Some(1));
    assert_eq!(district.name.as_deref(), Some("Kebayoran Baru"));
    assert_eq!(
        location.regency.and_then(|r| r.name).as_deref(),
        Some("Jakarta Selatan")
    );
    assert_eq!(
        location.province.and_then(|p| p.name).as_deref(),
        Some("DKI Jakarta")
    );
}

#[tokio::test]
async fn change_member_profile_sends_the_documented_body_and_decodes_the_customer() {
    let api = Api::start().await;
    let mock = api.expect_documented("change_member_profile");

    let customer = api
        .client
        .change_member_profile()
        .body_map(|b| {
            b.user(123)
                .name("me")
                .email("me@mail.com".to_owned())
                .mobile_number("+62215600010".to_owned())
                .birthday(stamps::Date::from_ymd(1991, 10, 19).unwrap())
                .gender(Gender::Female)
                .merchant(14)
                .address("221b Baker Street".to_owned())
                .phone_is_verified(true)
                .notes("A note".to_owned())
                .allow_whatsapp_marketing(false)
                .allow_sms_marketing(false)
                .allow_newsletters(false)
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(customer.id, Some(UserId::new(123)));
    assert_eq!(customer.name.as_deref(), Some("Customer"));
    assert_eq!(customer.address.as_deref(), Some("Jl MK raya"));
    assert_eq!(customer.phone.as_deref(), Some("+62812398712"));
    assert_eq!(customer.birthday.as_deref(), Some("1989-10-1"));
    assert_eq!(code(&customer.religion), Some(1));
    assert_eq!(customer.wedding_date, None);
    let membership = customer.membership.expect("the membership");
    assert_eq!(membership.level, Some(100));
    assert_eq!(membership.stamps, Some(500));
    assert_eq!(membership.stamps_owed, Some(0));
    assert_eq!(membership.allow_newsletters, Some(false));
    assert_eq!(membership.allow_whatsapp_marketing, Some(false));
    assert_eq!(membership.allow_sms_marketing, Some(false));
}

#[tokio::test]
async fn get_full_profile_sends_the_documented_query_and_decodes_the_profile() {
    let api = Api::start().await;
    let mock = api.expect_documented("get_full_profile");

    let profile = api
        .client
        .get_full_profile()
        .user(123)
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let [tag] = profile.tags.as_slice() else {
        panic!("one tag: {:?}", profile.tags);
    };
    assert_eq!(tag.group.as_deref(), Some("category"));
    assert_eq!(tag.tag.as_deref(), Some("vvip"));
    let user = profile.user.expect("the user");
    assert_eq!(user.id, Some(UserId::new(319)));
    assert_eq!(user.name.as_deref(), Some("John Doe"));
    assert_eq!(label(&user.gender), Some("f"));
    assert_eq!(label(&user.marital_status), Some("Married"));
    assert_eq!(label(&user.religion), Some("Budha"));
    assert_eq!(user.wedding_date.as_deref(), Some("2023-03-03"));
    assert_eq!(user.nationality.as_deref(), Some("Indonesian"));
    assert_eq!(user.notes.as_deref(), Some("Update HP Required"));
    assert_eq!(user.has_downloaded_app, Some(false));
    assert_eq!(user.has_incorrect_wa_number, Some(false));
    assert_eq!(user.phone_is_verified, Some(false));
    let location = user.location.expect("the location");
    let regency = location.regency.expect("the regency");
    assert_eq!(regency.id, Some(2));
    assert_eq!(regency.name.as_deref(), Some("Jakarta Barat"));

    let [iris] = user.children.as_slice() else {
        panic!("one child: {:?}", user.children);
    };
    assert_eq!(iris.id, Some(ChildId::new(14)));
    assert_eq!(iris.name.as_deref(), Some("Iris"));
    assert_eq!(iris.gender.as_deref(), Some("f"));
    assert_eq!(iris.birthday.as_deref(), Some("2000-10-19"));

    let [rocky, sandy] = user.pets.as_slice() else {
        panic!("two pets: {:?}", user.pets);
    };
    assert_eq!(rocky.id, Some(PetId::new(5)));
    assert_eq!(
        rocky.breed.as_ref().and_then(|b| b.name.as_deref()),
        Some("Affenpinscher")
    );
    assert_eq!(sandy.id, Some(PetId::new(3)));
    assert_eq!(sandy.name.as_deref(), Some("Sandy"));
    assert_eq!(sandy.birthday.as_deref(), Some("1991-10-19"));
    assert_eq!(
        sandy.type_.as_ref().and_then(|t| t.code.as_deref()),
        Some("78")
    );

    let hobbies: Vec<_> = user
        .hobbies
        .iter()
        .map(|h| (h.id, h.code.as_deref(), h.name.as_deref()))
        .collect();
    assert_eq!(
        hobbies,
        [
            (Some(30), Some("28"), Some("Film")),
            (Some(32), Some("30"), Some("Games"))
        ]
    );
    let social = user.social_media_profile.expect("the social media profile");
    assert_eq!(social.twitter.as_deref(), Some("@twitter"));
    assert_eq!(social.instagram.as_deref(), Some("@instagram"));
    assert_eq!(social.facebook.as_deref(), Some(""));
}

#[tokio::test]
async fn get_upgrade_requirement_sends_the_documented_query_and_decodes_the_requirement() {
    let api = Api::start().await;
    let mock = api.expect_documented("get_upgrade_requirement");

    let answer = api
        .client
        .get_upgrade_requirement()
        .user("me@mail.com")
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let requirement = answer.upgrade_requirement;
    assert_eq!(requirement.spending_requirement, Some(590000));
    assert_eq!(requirement.deadline.as_deref(), Some("2022-12-31"));
    assert_eq!(requirement.next_level.as_deref(), Some("Gold"));
    let downgrade = answer
        .downgrade_requirement
        .expect("the downgrade requirement");
    assert_eq!(downgrade.spending_requirement, Some(1000000));
    // Not a real date; responses keep dates as the server sends them.
    assert_eq!(downgrade.deadline.as_deref(), Some("2022-11-31"));
    assert_eq!(downgrade.next_level.as_deref(), Some("Blue"));
}

#[tokio::test]
async fn add_membership_tag_sends_the_documented_body_and_decodes_the_membership() {
    let api = Api::start().await;
    let mock = api.expect_documented("add_membership_tag");

    let membership = api
        .client
        .add_membership_tag()
        .body_map(|b| b.user(123).merchant(14).key("category").value("vvip"))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(membership.tags, ["vvip"]);
    assert_eq!(membership.status, Some(1));
    assert_eq!(membership.status_text.as_deref(), Some("Blue"));
    assert_eq!(membership.stamps, Some(100));
    assert_eq!(membership.balance, Some(100));
    assert_eq!(membership.is_blocked, Some(false));
    assert_eq!(membership.referral_code.as_deref(), Some("ABCDEF"));
    // Not a real date, kept as the server sends it.
    assert_eq!(membership.start_date.as_deref(), Some("2016-02-31"));
    assert_eq!(membership.created.as_deref(), Some("2016-02-14"));
    assert_eq!(membership.member_status, None);
}

#[tokio::test]
async fn remove_membership_tag_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("remove_membership_tag");

    let removed = api
        .client
        .remove_membership_tag()
        .body_map(|b| b.user(123).merchant(14).key("category").value("vvip"))
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert();
    assert_eq!(removed.status, "ok");
}

#[tokio::test]
async fn set_social_media_profile_sends_the_documented_body_and_decodes_the_profile() {
    let api = Api::start().await;
    let mock = api.expect_documented("set_social_media_profile");

    let profile = api
        .client
        .set_social_media_profile()
        .body_map(|b| {
            b.user(123)
                .instagram(String::new())
                .twitter("@test".to_owned())
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(profile.facebook.as_deref(), Some("Test"));
    assert_eq!(profile.instagram.as_deref(), Some(""));
    assert_eq!(profile.twitter.as_deref(), Some("@test"));
}

#[tokio::test]
async fn anonymize_member_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("anonymize_member");

    let anonymized = api
        .client
        .anonymize_member()
        .body_map(|b| b.identifier(123))
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert();
    assert_eq!(anonymized.status, "ok");
}

#[tokio::test]
async fn set_member_pending_anonymization_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("set_member_pending_anonymization");

    let pending = api
        .client
        .set_member_pending_anonymization()
        .body_map(|b| b.identifier(123))
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert();
    assert_eq!(pending.status, "ok");
}

#[tokio::test]
async fn set_member_level_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("set_member_level");

    let set = api
        .client
        .set_member_level()
        .body_map(|b| {
            b.user(123)
                .level(200)
                .end_date(stamps::Date::from_ymd(2023, 12, 31).unwrap())
                .store(stamps::StoreId::new(412))
        })
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert();
    assert_eq!(set.status, "ok");
}

#[tokio::test]
async fn register_member_partial_sends_the_documented_body_and_decodes_the_registration() {
    let api = Api::start().await;
    let mock = api.expect_documented("register_member_partial");

    let registration = api
        .client
        .register_member_partial()
        .body_map(|b| b.user("partial1@mail.com"))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let membership = registration.membership.expect("the membership");
    assert_eq!(membership.level, Some(100));
    assert_eq!(membership.level_text.as_deref(), Some("Blue"));
    assert_eq!(membership.status.as_deref(), Some("Active"));
    assert_eq!(membership.stamps, Some(0));
    assert_eq!(membership.referral_code.as_deref(), Some("7LXJ7"));
    assert_eq!(membership.start_date.as_deref(), Some("2022-09-16"));
    let card = membership.primary_card.expect("the primary card");
    assert_eq!(card.id, Some(7));
    assert_eq!(card.is_active, Some(true));
    let user = registration.user.expect("the user");
    assert_eq!(user.id, Some(UserId::new(140)));
    assert_eq!(user.name.as_deref(), Some(""));
    assert_eq!(user.email.as_deref(), Some("partial1@mail.com"));
    assert!(user.gender.is_none(), "{:?}", user.gender);
    assert_eq!(user.birthday, None);
    assert_eq!(user.picture_url, None);
    assert_eq!(user.phone, None);
    assert_eq!(user.phone_is_verified, Some(false));
    assert_eq!(user.registering_employee_code.as_deref(), Some("ABC123"));
    assert_eq!(user.member_ids, ["RRRAWWROWO", "RRRAWRRUWU"]);
    assert_eq!(user.primary_membership_id.as_deref(), Some("RRRAWWROWO"));
}

#[tokio::test]
async fn membership_calls_refuse_bad_input_before_sending() {
    let api = Api::start().await;
    let anything = api.fail_anything_else();
    let mut errors = Vec::new();
    errors.push((
        "user",
        api.client
            .get_member_details()
            .user("customer@stamps")
            .merchant(14)
            .send()
            .await
            .map(drop),
    ));
    errors.push((
        "query",
        api.client
            .suggest_members()
            .query("")
            .merchant(14)
            .send()
            .await
            .map(drop),
    ));
    errors.push((
        "not a real date",
        api.client
            .register_member_legacy()
            .body_map(|b| {
                b.name("me")
                    .email("me@mail.com")
                    .birthday("1991-02-30")
                    .gender(Gender::Female)
                    .merchant(14)
                    .store(412)
            })
            .send()
            .await
            .map(drop),
    ));
    errors.push((
        "level",
        api.client
            .set_member_level()
            .body_map(|b| b.user(123))
            .send()
            .await
            .map(drop),
    ));
    errors.push((
        "shorter than 1 characters",
        api.client
            .register_member_partial()
            .body_map(|b| b.user(""))
            .send()
            .await
            .map(drop),
    ));
    errors.push((
        "it contains spaces",
        api.client
            .anonymize_member()
            .body_map(|b| b.identifier("alice smith@example.com"))
            .send()
            .await
            .map(drop),
    ));
    for (expected, result) in errors {
        let error = result.expect_err("invalid input");
        assert!(
            matches!(error, stamps::Error::InvalidInput { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains(expected), "{expected}: {error}");
    }
    anything.assert_calls(0);
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("suggest_members", async |client| {
        client
            .suggest_members()
            .query("steve")
            .merchant(14)
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("get_member_details", async |client| {
        client
            .get_member_details()
            .user("customer@stamps.co.id")
            .merchant(14)
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("register_member", async |client| {
        client
            .register_member()
            .body_map(|b| {
                b.name("customer")
                    .email("customer@stamps.co.id")
                    .mobile_number("+6281314822365")
                    .birthday(stamps::Date::from_ymd(1991, 10, 19).unwrap())
                    .gender(Gender::Female)
                    .merchant(stamps::MerchantId::new(788))
                    .store(stamps::StoreId::new(412))
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("change_member_profile", async |client| {
        client
            .change_member_profile()
            .body_map(|b| b.user(123).name("me").gender(Gender::Female).merchant(14))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("get_full_profile", async |client| {
        client.get_full_profile().user(123).send().await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("get_upgrade_requirement", async |client| {
        client
            .get_upgrade_requirement()
            .user("me@mail.com")
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("add_membership_tag", async |client| {
        client
            .add_membership_tag()
            .body_map(|b| b.user(123).merchant(14).key("category").value("vvip"))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("remove_membership_tag", async |client| {
        client
            .remove_membership_tag()
            .body_map(|b| b.user(123).merchant(14).key("category").value("vvip"))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("set_social_media_profile", async |client| {
        client
            .set_social_media_profile()
            .body_map(|b| b.user(123).twitter("@test".to_owned()))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("anonymize_member", async |client| {
        client
            .anonymize_member()
            .body_map(|b| b.identifier(123))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("set_member_pending_anonymization", async |client| {
        client
            .set_member_pending_anonymization()
            .body_map(|b| b.identifier(123))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("set_member_level", async |client| {
        client
            .set_member_level()
            .body_map(|b| b.user(123).level(200))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("register_member_partial", async |client| {
        client
            .register_member_partial()
            .body_map(|b| b.user("partial1@mail.com"))
            .send()
            .await?;
        Ok(())
    })
    .await;
}
