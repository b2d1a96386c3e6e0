//! Legacy Membership API (docs page legacy_members_api): the documented request on the
//! wire, the documented answer decoded, the documented errors decoded.

use crate::common;

use common::{Api, request_example, response_example};
use stamps::types::{CodeOrLabel, LegacyMemberPinChannel};
use stamps::{MerchantId, UserId};

#[tokio::test]
async fn validate_legacy_member_sends_the_documented_query_and_decodes_the_legacy_member() {
    let api = Api::start().await;
    let mock = api.expect_documented("validate_legacy_member");

    let answer = api
        .client
        .validate_legacy_member()
        .merchant_id(1)
        .member_id("322145")
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let member = answer.legacy_member.expect("the legacy member");
    assert_eq!(member.member_id.as_deref(), Some("322145"));
    assert_eq!(member.email.as_deref(), Some("legacy_member@stamps.com"));
    assert_eq!(member.mobile_number.as_deref(), Some("+62851111222333"));
    assert_eq!(member.merchant, Some(MerchantId::new(1)));
    // Legacy Member Status: 1 Merged, 2 Unmerged.
    assert_eq!(member.status, Some(1));
    assert_eq!(member.duplicate_id.as_deref(), Some("1234"));
    assert_eq!(answer.errors, None);
}

#[tokio::test]
async fn validate_legacy_member_pin_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect(
        "validate_legacy_member_pin",
        |when| {
            when.json_body(request_example("validate_legacy_member_pin", "docs"))
                .body_includes(r#""pin":"123456""#)
        },
        200,
        &response_example("validate_legacy_member_pin", "200", "docs"),
    );

    let answer = api
        .client
        .validate_legacy_member_pin()
        .body_map(|b| b.user("legacy_member@stamps.com").pin("123456"))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status, "ok");
}

#[tokio::test]
async fn get_duplicate_legacy_members_sends_the_documented_query_and_decodes_both_lists() {
    let api = Api::start().await;
    let mock = api.expect_documented("get_duplicate_legacy_members");

    let answer = api
        .client
        .get_duplicate_legacy_members()
        .member_id("612345")
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.legacy_members.len(), 2);
    let first = &answer.legacy_members[0];
    assert_eq!(first.member_id.as_deref(), Some("322145"));
    assert_eq!(first.status, Some(2));
    let second = &answer.legacy_members[1];
    assert_eq!(second.member_id.as_deref(), Some("63414"));
    assert_eq!(
        second.email.as_deref(),
        Some("duplicate_member2@stamps.com")
    );
    assert_eq!(second.mobile_number.as_deref(), Some("+62851111222444"));
    assert_eq!(second.merchant, Some(MerchantId::new(2)));
    assert_eq!(second.duplicate_id.as_deref(), Some("1234"));
    // Not in the response table, but in the example.
    assert_eq!(answer.merged_legacy_members.len(), 1);
    let merged = &answer.merged_legacy_members[0];
    assert_eq!(merged.member_id.as_deref(), Some("377142"));
    assert_eq!(merged.email.as_deref(), Some("legacy_member3@stamps.com"));
    assert_eq!(merged.status, Some(1));
}

#[tokio::test]
async fn search_legacy_members_sends_the_documented_query_and_decodes_the_members() {
    let api = Api::start().await;
    // The cURL example writes `mobile_number=+6285123123123` unencoded; the client sends
    // `%2B`, which the mock decodes back to the documented `+6285123123123`.
    let mock = api.expect_documented("search_legacy_members");

    let answer = api
        .client
        .search_legacy_members()
        .email("test@stamps.co.id")
        .mobile_number("+6285123123123")
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.legacy_members.len(), 2);
    let first = &answer.legacy_members[0];
    assert_eq!(first.member_id.as_deref(), Some("322145"));
    assert_eq!(first.email.as_deref(), Some("legacy_member@stamps.com"));
    assert_eq!(first.merchant, Some(MerchantId::new(1)));
    assert_eq!(first.status, Some(1));
    assert_eq!(
        answer.legacy_members[1].mobile_number.as_deref(),
        Some("+62851111222444")
    );
    assert!(answer.merged_legacy_members.is_empty());
    assert_eq!(answer.errors, None);
}

#[tokio::test]
async fn merge_legacy_member_sends_the_documented_body_and_decodes_the_membership() {
    let api = Api::start().await;
    let mock = api.expect_documented("merge_legacy_member");

    let answer = api
        .client
        .merge_legacy_member()
        .body_map(|b| {
            // The example sends both identifiers as integers.
            b.target_user(1)
                .legacy_member(31245)
                .pin("123456")
                .merchant_id(1)
                .bonus_stamps(10_i64)
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let membership = answer.membership.expect("the target user's membership");
    assert_eq!(membership.level, Some(100));
    assert_eq!(membership.level_text.as_deref(), Some("Blue"));
    assert_eq!(membership.stamps, Some(410));
    assert_eq!(membership.balance, Some(150000));
    assert_eq!(membership.is_blocked, Some(false));
    assert_eq!(membership.referral_code.as_deref(), Some("ABCDE"));
    assert_eq!(membership.start_date.as_deref(), Some("2014-08-08"));
    assert_eq!(membership.created.as_deref(), Some("2014-08-08"));
    assert_eq!(membership.primary_card, None);
}

#[tokio::test]
async fn request_legacy_member_pin_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("request_legacy_member_pin");

    let answer = api
        .client
        .request_legacy_member_pin()
        .body_map(|b| {
            b.type_(LegacyMemberPinChannel::Email)
                .user("test@example.com")
                .merchant_id(1)
                .template_code("1234".to_owned())
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status, "ok");
}

#[tokio::test]
async fn activate_legacy_member_sends_the_documented_body_and_decodes_user_and_membership() {
    let api = Api::start().await;
    // No `generate_default_password` on the wire: the server defaults it to true, and
    // the documented body leaves it out.
    let mock = api.expect_documented("activate_legacy_member");

    let answer = api
        .client
        .activate_legacy_member()
        .body_map(|b| b.user(12).pin("123456").merchant_id(1).bonus_stamps(10_i64))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let user = answer.user.expect("the customer's profile");
    // Sent as the string "123".
    assert_eq!(user.id, Some(UserId::new(123)));
    assert_eq!(user.name.as_deref(), Some("Customer"));
    assert!(
        matches!(&user.gender, Some(CodeOrLabel::Label(Some(g))) if g == "m"),
        "{:?}",
        user.gender
    );
    assert_eq!(user.address.as_deref(), Some("Jl MK raya"));
    assert_eq!(user.is_active, Some(true));
    assert_eq!(user.email.as_deref(), Some("customer@stamps.co.id"));
    assert_eq!(user.phone.as_deref(), Some("+62812398712"));
    // Not zero-padded in the documentation: kept as sent.
    assert_eq!(user.birthday.as_deref(), Some("1989-10-1"));
    let membership = answer.membership.expect("the active membership");
    assert_eq!(membership.level, Some(1));
    assert_eq!(membership.level_text.as_deref(), Some("Blue"));
    assert_eq!(membership.stamps, Some(100));
    assert_eq!(membership.balance, Some(0));
    assert_eq!(membership.referral_code.as_deref(), Some("abc123"));
    assert_eq!(membership.start_date.as_deref(), Some("2022-01-01"));
    let card = membership.primary_card.expect("the primary card");
    assert_eq!(card.id, Some(1));
    assert_eq!(card.number.as_deref(), Some("RRR123456"));
    assert_eq!(card.is_active, Some(true));
    assert_eq!(card.activated_time.as_deref(), Some("2022-01-20 10:00:00"));
}

#[tokio::test]
async fn get_merged_legacy_members_sends_the_documented_query_and_decodes_the_members() {
    let api = Api::start().await;
    let mock = api.expect_documented("get_merged_legacy_members");

    let answer = api
        .client
        .get_merged_legacy_members()
        .user(2)
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.merged_members.len(), 1);
    let member = &answer.merged_members[0];
    assert_eq!(member.member_id.as_deref(), Some("322177"));
    assert_eq!(
        member.email.as_deref(),
        Some("merged_legacy_member@stamps.com")
    );
    assert_eq!(member.mobile_number.as_deref(), Some("+62851111222444"));
    assert_eq!(member.merchant, Some(MerchantId::new(1)));
    assert_eq!(member.status, Some(1));
    assert_eq!(member.duplicate_id.as_deref(), Some("1234"));
}

#[tokio::test]
async fn legacy_member_calls_refuse_a_missing_pin_before_sending() {
    let api = Api::start().await;
    let anything = api.fail_anything_else();
    let missing = api
        .client
        .activate_legacy_member()
        .body_map(|b| b.user(12).merchant_id(1))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(missing, stamps::Error::InvalidInput { .. }),
        "{missing:?}"
    );
    assert!(missing.to_string().contains("pin"), "{missing}");
    let empty = api
        .client
        .validate_legacy_member_pin()
        .body_map(|b| b.user("legacy_member@stamps.com").pin(""))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(empty, stamps::Error::InvalidInput { .. }),
        "{empty:?}"
    );
    anything.assert_calls(0);
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("validate_legacy_member", async |client| {
        client
            .validate_legacy_member()
            .merchant_id(1)
            .member_id("322145")
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("validate_legacy_member_pin", async |client| {
        client
            .validate_legacy_member_pin()
            .body_map(|b| b.user("legacy_member@stamps.com").pin("123456"))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("get_duplicate_legacy_members", async |client| {
        client
            .get_duplicate_legacy_members()
            .member_id("612345")
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("search_legacy_members", async |client| {
        client
            .search_legacy_members()
            .email("test@stamps.co.id")
            .mobile_number("+6285123123123")
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("merge_legacy_member", async |client| {
        client
            .merge_legacy_member()
            .body_map(|b| {
                b.target_user(1)
                    .legacy_member(31245)
                    .pin("123456")
                    .merchant_id(1)
                    .bonus_stamps(10_i64)
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("request_legacy_member_pin", async |client| {
        client
            .request_legacy_member_pin()
            .body_map(|b| {
                b.type_(LegacyMemberPinChannel::Sms)
                    .user("test@example.com")
                    .merchant_id(1)
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("activate_legacy_member", async |client| {
        client
            .activate_legacy_member()
            .body_map(|b| b.user(12).pin("123456").merchant_id(1))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("get_merged_legacy_members", async |client| {
        client.get_merged_legacy_members().user(2).send().await?;
        Ok(())
    })
    .await;
}
