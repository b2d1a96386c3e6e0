//! KLG API (docs page klg_api.rst, endpoints made for one merchant group): the
//! documented request on the wire, the documented answer decoded, the documented errors
//! decoded.
//!
//! The page lists a `token` parameter on most of its calls; the client sends the
//! credential only in the `Authorization` header, and `Api::expect` checks that no
//! `token` is in the query (the bodies are matched exactly, so none is in a body).
//!
//! Where a call has a JSON and a cURL example that differ, both are sent through the
//! typed builder and matched. Bodies with `type: number` fields (amounts, quantities) are
//! compared with numbers by value: the client sends `-15000` as `-15000.0`.

use crate::common;

use chrono::TimeZone;
use common::{Api, json_body_by_value, request_example, response_example, with_credential};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use stamps::types::{
    self, Channel, CodeOrLabel, KlgItem, KlgPaymentStatus, KlgPromoCodeRedemption, KlgReturnItem,
    KlgReturnPayment, KlgVoucherRef, RedemptionId, RedemptionReward, TransactionId,
    TransactionType, VoucherId,
};
use stamps::{Date, MerchantId, Secret, UserId, UserRef};

/// An optional date field takes a `Date`, not a string.
fn date(text: &str) -> Date {
    text.parse().expect("a valid date")
}

/// A PIN or password (a `format: password` field).
fn secret(text: &str) -> Secret {
    Secret::try_from(text).expect("a non-empty secret")
}

/// Field `field` of `operation`'s request example `example`, decoded into its typed form.
fn docs_part<T: DeserializeOwned>(operation: &str, example: &str, field: &str) -> T {
    serde_json::from_value(request_example(operation, example)[field].clone())
        .unwrap_or_else(|e| panic!("{operation} {example} {field} decodes: {e}"))
}

/// `docs` plus the fields the client always sends with their default value, which
/// the docs' examples leave out: `eligible_for_stamps: true` on a transaction item and
/// `eligible_for_membership: true` on a payment (`TransactionItem`, `TransactionPayment`).
fn with_sent_defaults(mut docs: Value) -> Value {
    for item in docs
        .get_mut("items")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        item.as_object_mut()
            .unwrap()
            .entry("eligible_for_stamps")
            .or_insert(json!(true));
    }
    for payment in docs
        .get_mut("payments")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        payment
            .as_object_mut()
            .unwrap()
            .entry("eligible_for_membership")
            .or_insert(json!(true));
    }
    docs
}

/// 2013-02-15 13:01:01 in Jakarta (UTC+07:00), the JSON example's `created`.
fn docs_created() -> stamps::DateTime {
    let jakarta = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
    stamps::DateTime::from(jakarta.with_ymd_and_hms(2013, 2, 15, 13, 1, 1).unwrap())
}

/// The store `3` of the returns' examples (a store id; a code is a string).
fn store_3() -> types::KlgStoreRef {
    serde_json::from_value(json!(3)).expect("a store id")
}

/// The returned item and payment of both returns' examples.
fn returned_tea() -> (Vec<KlgReturnItem>, Vec<KlgReturnPayment>) {
    (
        vec![KlgReturnItem {
            product_name: "tea".to_owned(),
            quantity: -1.0,
            subtotal: -15000.0,
        }],
        vec![KlgReturnPayment {
            payment_method: "1300".to_owned(),
            value: -15000.0,
            voucher_code: None,
        }],
    )
}

/// The `extra_data` of both voucher redemption examples: the voucher value per store.
fn vouchers_per_store() -> types::KlgRedemptionExtraData {
    types::KlgRedemptionExtraData {
        vouchers: [("A001".to_owned(), 10000.0), ("I002".to_owned(), 40000.0)]
            .into_iter()
            .collect(),
    }
}

#[tokio::test]
async fn get_duplicate_legacy_members_with_pin_sends_the_documented_query_and_decodes_both_lists() {
    let api = Api::start().await;
    // The documented query: `user`, `pin`, and the credential as `token`, where the
    // page puts it (`x-stamps-credential-copy`), besides the header.
    let mock = api.expect_documented("get_duplicate_legacy_members_with_pin");

    let answer = api
        .client
        .get_duplicate_legacy_members_with_pin()
        .user("example@stamps.com")
        .pin("123456")
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
    // Legacy Member Status: 1 Merged, 2 Unmerged.
    assert_eq!(first.status, Some(2));
    let second = &answer.legacy_members[1];
    assert_eq!(second.member_id.as_deref(), Some("63414"));
    assert_eq!(second.mobile_number.as_deref(), Some("+62851111222444"));
    assert_eq!(second.merchant, Some(MerchantId::new(2)));
    assert_eq!(second.duplicate_id.as_deref(), Some("1234"));
    // Not in the response table, but in the example.
    let [merged] = answer.merged_legacy_members.as_slice() else {
        panic!("one merged member: {:?}", answer.merged_legacy_members);
    };
    assert_eq!(merged.member_id.as_deref(), Some("377142"));
    assert_eq!(merged.status, Some(1));
    assert_eq!(answer.errors, None);
}

#[tokio::test]
async fn merge_legacy_member_without_pin_sends_the_documented_body_and_decodes_the_membership() {
    let api = Api::start().await;
    let mock = api.expect_documented("merge_legacy_member_without_pin");

    let answer = api
        .client
        .merge_legacy_member_without_pin()
        .body_map(|b| {
            // The example sends both identifiers as integers.
            b.target_user(1)
                .legacy_member(31245)
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
    assert_eq!(membership.created.as_deref(), Some("2014-08-08"));
}

#[tokio::test]
async fn activate_legacy_member_without_pin_sends_the_documented_body_and_decodes_user_and_membership()
 {
    let api = Api::start().await;
    let mock = api.expect_documented("activate_legacy_member_without_pin");

    let answer = api
        .client
        .activate_legacy_member_without_pin()
        .body_map(|b| b.user(12).merchant_id(1).bonus_stamps(10_i64))
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
    // Not zero-padded in the documentation: kept as sent.
    assert_eq!(user.birthday.as_deref(), Some("1989-10-1"));
    let membership = answer.membership.expect("the active membership");
    assert_eq!(membership.level, Some(1));
    assert_eq!(membership.stamps, Some(100));
    let card = membership.primary_card.expect("the primary card");
    assert_eq!(card.id, Some(1));
    assert_eq!(card.number.as_deref(), Some("RRR123456"));
    assert_eq!(card.activated_time.as_deref(), Some("2022-01-20 10:00:00"));
}

#[tokio::test]
async fn activate_klg_legacy_member_sends_the_documented_body_and_decodes_the_customer() {
    let api = Api::start().await;
    // The documented body has no `name` (the table marks it required) and an empty
    // `passkey` (with `with_passkey` false).
    let mock = api.expect(
        "activate_klg_legacy_member",
        |when| {
            when.json_body(with_credential(
                "activate_klg_legacy_member",
                request_example("activate_klg_legacy_member", "docs"),
            ))
            .body_includes(r#""passkey":"""#)
            .body_includes(r#""new_password":"password""#)
        },
        200,
        &response_example("activate_klg_legacy_member", "200", "docs"),
    );
    // An empty secret cannot be built (`Secret::try_from("")` refuses it); it can be
    // read, as the example sends it.
    let empty_passkey: Secret = serde_json::from_value(json!("")).unwrap();

    let customer = api
        .client
        .activate_klg_legacy_member()
        .body_map(|b| {
            b.user(12)
                .merchant_id(1)
                .bonus_stamps(10_i64)
                .passkey(empty_passkey)
                .with_passkey(false)
                .new_password("password")
                .pin(secret("123123"))
                .confirm_pin(secret("123123"))
                .birthday(date("1993-05-30"))
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(customer.id, Some(UserId::new(620)));
    assert_eq!(customer.name.as_deref(), Some("John Doe"));
    assert_eq!(customer.birthday.as_deref(), Some("1993-05-30"));
    assert_eq!(customer.has_password, Some(true));
    assert_eq!(customer.registration_status.as_deref(), Some("Full"));
    assert_eq!(
        customer.registering_employee_code.as_deref(),
        Some("EMP001")
    );
    let location = customer.location.expect("the location");
    let district = location.district.expect("the district");
    assert_eq!(district.name.as_deref(), Some("Kebayoran Baru"));
    let membership = customer.membership.expect("the membership");
    assert_eq!(membership.status_text.as_deref(), Some("Silver"));
    assert_eq!(membership.member_status.as_deref(), Some("Active"));
    let card = membership.primary_card.expect("the primary card");
    assert_eq!(card.id, Some(231));
    assert_eq!(card.number.as_deref(), Some("RRRB1AKUT0"));
}

#[tokio::test]
async fn register_klg_member_sends_the_documented_body_and_decodes_the_customer() {
    let api = Api::start().await;
    // The documented body: a password and a PIN, no `name` (the table marks it required)
    // and no `generate_default_password` (the server defaults it to true).
    let mock = api.expect_documented("register_klg_member");

    let customer = api
        .client
        .register_klg_member()
        .body_map(|b| {
            b.password("password")
                .pin(secret("123123"))
                .confirm_pin(secret("123123"))
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(customer.id, Some(UserId::new(620)));
    assert_eq!(customer.email.as_deref(), Some("johndoe@example.com"));
    assert_eq!(customer.phone.as_deref(), Some("+6285567146065"));
    assert!(
        matches!(&customer.marital_status, Some(CodeOrLabel::Code(1))),
        "{:?}",
        customer.marital_status
    );
    assert_eq!(customer.referral_code.as_deref(), Some("GYHTLIY9"));
    let membership = customer.membership.expect("the membership");
    assert_eq!(membership.referral_code.as_deref(), Some("7J133"));
    assert_eq!(membership.start_date.as_deref(), Some("2022-11-24"));
}

#[tokio::test]
async fn register_klg_member_sends_the_legacy_member_to_merge() {
    // Fields the table lists and the documented example does not send.
    let api = Api::start().await;
    let mock = api.expect(
        "register_klg_member",
        |when| {
            when.json_body(json!({
                "name": "John Doe",
                "gender": "male",
                "store": 3,
                "marital_status": 2,
                "password": "password",
                "legacy_member": "legacy@example.com",
                "legacy_merchant_id": 1,
                "token": common::TOKEN
            }))
        },
        200,
        &response_example("register_klg_member", "200", "docs"),
    );

    api.client
        .register_klg_member()
        .body_map(|b| {
            b.name("John Doe".to_owned())
                .gender(types::Gender::Male)
                .store(stamps::StoreId::new(3))
                .marital_status(types::KlgMaritalStatus::try_from(2).unwrap())
                .password("password")
                .legacy_member(UserRef::email("legacy@example.com").unwrap())
                .legacy_merchant_id(MerchantId::new(1))
        })
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn preview_return_transaction_sends_the_documented_body_and_decodes_the_preview() {
    let api = Api::start().await;
    let mock = api.expect(
        "preview_return_transaction",
        |when| json_body_by_value(when, request_example("preview_return_transaction", "docs")),
        200,
        &response_example("preview_return_transaction", "200", "docs"),
    );
    let (items, payments) = returned_tea();

    let preview = api
        .client
        .preview_return_transaction()
        .body_map(|b| {
            b.root_invoice_number("6288988812712621")
                .root_transaction_store(store_3())
                .return_invoice_number("6288988812712621.1")
                .total_value_delta(-15000.0)
                .return_store(store_3())
                .items(items)
                .payments(payments)
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let user = preview.user.expect("the customer");
    assert_eq!(user.id, Some(UserId::new(2845532)));
    assert_eq!(user.name.as_deref(), Some("Marsha Test"));
    let membership = preview.membership.expect("the membership");
    assert_eq!(membership.status, Some(100));
    assert_eq!(membership.stamps, Some(13));
    assert_eq!(membership.stamps_owed, Some(0));
    let root = preview.root_transaction.expect("the root transaction");
    assert_eq!(root.id, Some(TransactionId(26091)));
    assert_eq!(root.value, Some(150000.0));
    assert_eq!(root.subtotal, None);
    let [item] = root.items.as_slice() else {
        panic!("one item: {:?}", root.items);
    };
    assert_eq!(item.id, Some(3670));
    assert_eq!(item.quantity, Some(10.0));
    assert_eq!(item.subtotal, Some(150000.0));
    assert_eq!(item.price_per_unit, None);
    let product = item.product.as_ref().expect("the product");
    assert_eq!(product.id, Some(3));
    assert_eq!(product.name.as_deref(), Some("tea"));
    let [payment] = root.payments.as_slice() else {
        panic!("one payment: {:?}", root.payments);
    };
    assert_eq!(payment.payment_method_code.as_deref(), Some("1300"));
    assert!(matches!(
        payment.eligible_for_stamps,
        Some(types::TransactionPaymentDetailEligibleForStamps::Boolean(
            true
        ))
    ));
    // Not saved by a preview: no ids yet.
    let modified = preview
        .modified_transaction
        .expect("the modified transaction");
    assert_eq!(modified.id, None);
    assert_eq!(modified.value, Some(149999.0));
    assert_eq!(modified.stamps_earned, Some(13));
    assert!(modified.items.is_empty());
    assert_eq!(modified.payments[0].id, None);
    let modification = preview.modification.expect("the modification");
    assert_eq!(modification.id, None);
    assert_eq!(modification.created, Some(1661844369));
    assert_eq!(modification.stamps_delta, Some(-12));
    assert_eq!(modification.total_stamps_delta, Some(-12));
    assert_eq!(modification.subtotal_delta, Some(-15000.0));
    assert_eq!(modification.grand_total_delta, Some(-15000.0));
    let [voucher] = preview.returnable_vouchers.as_slice() else {
        panic!("one voucher: {:?}", preview.returnable_vouchers);
    };
    assert_eq!(voucher.id, Some(VoucherId(9)));
    assert_eq!(voucher.code.as_deref(), Some("R-FWEWQWVV"));
    assert_eq!(voucher.value, Some(50000.0));
    let template = voucher.template.as_ref().expect("the template");
    assert_eq!(template.name.as_deref(), Some("MULTI VOUCHER"));
    assert_eq!(template.landscape_picture_url, None);
    // Fields only the KLG examples show.
    assert_eq!(template.usable_in_merchant_ids, vec![1, 2]);
    assert_eq!(template.html_terms_and_conditions, None);
    assert_eq!(voucher.html_terms_and_conditions, None);
    // Listed by the table, not shown by the example.
    assert_eq!(preview.allow_partial_returns, None);
}

#[tokio::test]
async fn add_return_transaction_sends_the_documented_body_and_decodes_the_return() {
    let api = Api::start().await;
    let mock = api.expect(
        "add_return_transaction",
        |when| json_body_by_value(when, request_example("add_return_transaction", "docs")),
        200,
        &response_example("add_return_transaction", "200", "docs"),
    );
    let (items, payments) = returned_tea();

    let result = api
        .client
        .add_return_transaction()
        .body_map(|b| {
            b.root_invoice_number("6288988812712621")
                .root_transaction_store(store_3())
                .return_invoice_number("6288988812712621.1")
                .total_value_delta(-15000.0)
                .return_store(store_3())
                .items(items)
                .payments(payments)
                .issue_voucher(docs_part::<types::TransactionVoucherIssue>(
                    "add_return_transaction",
                    "docs",
                    "issue_voucher",
                ))
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let modified = result
        .modified_transaction
        .expect("the modified transaction");
    assert_eq!(modified.id, Some(TransactionId(26092)));
    assert_eq!(modified.subtotal, Some(135000.0));
    assert_eq!(modified.payments[0].id, Some(79));
    let original = result
        .original_transaction
        .expect("the original transaction");
    assert_eq!(original.stamps_earned, Some(25));
    let modification = result.modification.expect("the modification");
    assert_eq!(modification.id, Some(1));
    assert_eq!(modification.stamps_delta_override, Some(0));
    assert_eq!(modification.stamps_refund_from_payments, Some(0));
    // Shown by the example, not listed by the response table.
    let issued = result.issued_voucher.expect("the issued voucher");
    assert_eq!(issued.id, Some(VoucherId(1)));
    assert_eq!(issued.code.as_deref(), Some("VC-ABC"));
    assert_eq!(issued.value, Some(200.0));
    let template = issued.template.expect("the template");
    assert_eq!(template.merchant_code.as_deref(), Some("M-ABC"));
    assert_eq!(template.extra_data, None);
    let [returned] = result.returned_vouchers.as_slice() else {
        panic!("one returned voucher: {:?}", result.returned_vouchers);
    };
    assert_eq!(returned.code.as_deref(), Some("R-ZLT2ULER"));
    assert_eq!(returned.end_date.as_deref(), Some("2022-12-29"));
    assert_eq!(
        result.user.and_then(|u| u.email),
        Some("marshadouble@test.com".to_owned())
    );
}

#[tokio::test]
async fn redeem_klg_voucher_sends_both_documented_bodies_and_decodes_the_redemption() {
    // The JSON example names the voucher by the integer 1, the cURL one by the code "ABC".
    let api = Api::start().await;
    let mock = api.expect(
        "redeem_klg_voucher",
        |when| {
            json_body_by_value(
                when,
                with_credential(
                    "redeem_klg_voucher",
                    request_example("redeem_klg_voucher", "docs"),
                ),
            )
        },
        200,
        &response_example("redeem_klg_voucher", "200", "docs"),
    );
    let curl_api = Api::start().await;
    let curl = curl_api.expect(
        "redeem_klg_voucher",
        |when| {
            json_body_by_value(
                when,
                with_credential(
                    "redeem_klg_voucher",
                    request_example("redeem_klg_voucher", "docs_curl"),
                ),
            )
        },
        200,
        &response_example("redeem_klg_voucher", "200", "docs"),
    );

    let answer = api
        .client
        .redeem_klg_voucher()
        .body_map(|b| {
            b.user("customer@stamps.co.id")
                .store(32)
                .voucher(KlgVoucherRef::Id(1))
                .invoice_number("POS-1020123".to_owned())
                .extra_data(vouchers_per_store())
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();
    curl_api
        .client
        .redeem_klg_voucher()
        .body_map(|b| {
            b.user("customer@stamps.co.id")
                .store(32)
                .voucher(KlgVoucherRef::Code("ABC".to_owned()))
                .extra_data(vouchers_per_store())
        })
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
    curl.assert();
    let redemption = answer.redemption.expect("the redemption");
    assert_eq!(redemption.id, Some(RedemptionId(2)));
    assert_eq!(
        redemption.reward,
        Some(RedemptionReward::String("Discount Rp 100,000".into()))
    );
    assert_eq!(redemption.stamps_used, Some(0));
    let voucher = answer.voucher.expect("the voucher");
    assert_eq!(voucher.id, Some(VoucherId(4)));
    assert_eq!(voucher.code.as_deref(), Some("PZ633ECV"));
    assert_eq!(voucher.type_.as_deref(), Some("voucher"));
    let membership = answer.membership.expect("the membership");
    assert_eq!(membership.stamps, Some(250));
    assert_eq!(membership.referral_code.as_deref(), Some("9121682"));
}

/// The error, shown or debugged, does not contain the test key.
fn assert_token_hidden<E>(error: E)
where
    stamps::Error: From<E>,
{
    let error = stamps::Error::from(error);
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains(common::TOKEN), "{shown}");
    }
}

#[tokio::test]
async fn the_credential_copied_into_a_body_or_a_query_stays_out_of_errors() {
    // The page's `token` goes in the body (and the header); a 400 echoing it back is
    // masked in the error, its Display and its Debug.
    let api = Api::start().await;
    let echo = json!({
        "detail": format!("token: {} is not valid", common::TOKEN),
        "errors": {"token": common::TOKEN}
    });
    let body = api.expect(
        "add_klg_card",
        |when| when.body_includes(format!(r#""token":"{}""#, common::TOKEN)),
        400,
        &echo,
    );
    let error = api
        .client
        .add_klg_card()
        .body_map(|b| b.rrr_id("RRR123456").user_id_odi("999"))
        .send()
        .await
        .expect_err("a 400");
    body.assert();
    assert_token_hidden(error);

    // The one GET: in the query string, which errors leave out.
    let api = Api::start().await;
    let query = api.expect(
        "get_duplicate_legacy_members_with_pin",
        |when| when.query_param("token", common::TOKEN),
        400,
        &echo,
    );
    let error = api
        .client
        .get_duplicate_legacy_members_with_pin()
        .user("example@stamps.com")
        .pin("123456")
        .send()
        .await
        .expect_err("a 400");
    query.assert();
    assert_token_hidden(error);
}

#[tokio::test]
async fn add_klg_card_sends_the_documented_body_and_decodes_the_card() {
    let api = Api::start().await;
    // To `/api/klg/cards/add`, not the voucher redemption URL of the page's cURL example.
    let mock = api.expect_documented("add_klg_card");

    let added = api
        .client
        .add_klg_card()
        .body_map(|b| b.rrr_id("RRR123456").user_id_odi("999"))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let card = added.card.expect("the card");
    assert_eq!(card.id, Some(2));
    assert_eq!(card.number.as_deref(), Some("UIODI-999"));
    // Python's `True` in the documentation.
    assert_eq!(card.is_active, Some(true));
    assert_eq!(card.activated_time.as_deref(), Some("2023-01-11 10:00:00"));
}

#[tokio::test]
async fn add_klg_transaction_with_redemptions_sends_the_documented_body_and_decodes_the_transaction()
 {
    const OP: &str = "add_klg_transaction_with_redemptions";
    let docs = request_example(OP, "docs");
    assert_eq!(docs["created"], "2013-02-15T13:01:01+07");
    let api = Api::start().await;
    // The client also sends the defaults `"eligible_for_stamps": true` (first item) and
    // `"eligible_for_membership": true` (first payment), which the example leaves out.
    let mock = api.expect(
        OP,
        |when| {
            json_body_by_value(when, with_credential(OP, with_sent_defaults(docs.clone())))
                .body_includes(r#""created":"2013-02-15T13:01:01+07""#)
        },
        200,
        &response_example(OP, "200", "docs"),
    );

    let result = api
        .client
        .add_klg_transaction_with_redemptions()
        .body_map(|b| {
            // An optional `user` takes a `UserRef`, not a string.
            b.user(UserRef::email("customer@stamps.co.id").unwrap())
                .stamps(10_i64)
                .store(32)
                .invoice_number("my_invoice_number")
                .sub_total(45000.0)
                .total_value(50000.0)
                .number_of_people(8)
                .tax(5000.0)
                .channel(Channel::try_from(1).unwrap())
                .require_email_notification(false)
                .employee_code("employee_code".to_owned())
                .type_(TransactionType::try_from(2).unwrap())
                .created(docs_created())
                .payment_status(KlgPaymentStatus(1))
                .use_tax_invoice(true)
                .allow_stamps_for_tax_invoice(false)
                .allow_bonus_for_tax_invoice(true)
                .extra_data(docs_part::<types::ExtraData>(OP, "docs", "extra_data"))
                .items(docs_part::<Vec<types::TransactionItem>>(
                    OP, "docs", "items",
                ))
                .payments(docs_part::<Vec<types::TransactionPayment>>(
                    OP, "docs", "payments",
                ))
                .reward_redemptions(docs_part::<Vec<types::TransactionRewardRedemption>>(
                    OP,
                    "docs",
                    "reward_redemptions",
                ))
                .voucher_redemptions(docs_part::<Vec<types::TransactionVoucherRedemption>>(
                    OP,
                    "docs",
                    "voucher_redemptions",
                ))
                .promo_code_redemptions(vec![KlgPromoCodeRedemption {
                    request_id: "request-id-1".to_owned(),
                    promo_code: "PROMOCODE".to_owned(),
                }])
                .original_invoice_number("original_invoice_number".to_owned())
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let membership = result.membership.expect("the membership");
    assert_eq!(membership.status, Some(10));
    assert_eq!(membership.status_text.as_deref(), Some("Blue"));
    assert_eq!(membership.stamps, Some(10));
    assert_eq!(membership.balance, Some(20));
    assert_eq!(membership.referral_code.as_deref(), Some("asd"));
    let transaction = result.transaction.expect("the transaction");
    assert_eq!(transaction.id, Some(TransactionId(2374815)));
    assert_eq!(transaction.stamps_earned, Some(5));
    assert_eq!(transaction.value, Some(50000.0));
    assert_eq!(transaction.number_of_people, Some(8));
    assert_eq!(transaction.discount, Some(5000.0));
    assert_eq!(transaction.use_tax_invoice, Some(true));
    assert_eq!(result.detail, None);
}

#[tokio::test]
async fn add_klg_transaction_with_redemptions_sends_the_documented_curl_body() {
    const OP: &str = "add_klg_transaction_with_redemptions";
    let docs = request_example(OP, "docs_curl");
    let body: types::KlgAddTransactionWithRedemptionsRequest =
        serde_json::from_value(docs.clone()).expect("the documented body decodes");
    let api = Api::start().await;
    let mock = api.expect(
        OP,
        |when| json_body_by_value(when, with_credential(OP, with_sent_defaults(docs.clone()))),
        200,
        &response_example(OP, "200", "docs"),
    );

    api.client
        .add_klg_transaction_with_redemptions()
        .body(body)
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn add_klg_transaction_payments_sends_both_documented_bodies_and_decodes_the_transaction() {
    const OP: &str = "add_klg_transaction_payments";
    let api = Api::start().await;
    // The client also sends the first payment's default `"eligible_for_membership": true`.
    let mock = api.expect(
        OP,
        |when| {
            json_body_by_value(
                when,
                with_credential(OP, with_sent_defaults(request_example(OP, "docs"))),
            )
        },
        200,
        &response_example(OP, "200", "docs"),
    );
    let curl_api = Api::start().await;
    let curl = curl_api.expect(
        OP,
        |when| {
            json_body_by_value(
                when,
                with_credential(OP, with_sent_defaults(request_example(OP, "docs_curl"))),
            )
        },
        200,
        &response_example(OP, "200", "docs"),
    );

    let result = api
        .client
        .add_klg_transaction_payments()
        .body_map(|b| {
            // `2` is not in the Payment Status table (1 Full, 5 Partial): sent as given.
            b.store(32)
                .invoice_number("my_invoice_number")
                .payment_status(KlgPaymentStatus(2))
                .payments(docs_part::<Vec<types::TransactionPayment>>(
                    OP, "docs", "payments",
                ))
                .reward_redemptions(docs_part::<Vec<types::TransactionRewardRedemption>>(
                    OP,
                    "docs",
                    "reward_redemptions",
                ))
                .voucher_redemptions(docs_part::<Vec<types::TransactionVoucherRedemption>>(
                    OP,
                    "docs",
                    "voucher_redemptions",
                ))
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();
    // The cURL example sends no `payment_status`, which the table marks required.
    curl_api
        .client
        .add_klg_transaction_payments()
        .body_map(|b| {
            b.store(422)
                .invoice_number("invoice_1")
                .payments(docs_part::<Vec<types::TransactionPayment>>(
                    OP,
                    "docs_curl",
                    "payments",
                ))
                .reward_redemptions(docs_part::<Vec<types::TransactionRewardRedemption>>(
                    OP,
                    "docs_curl",
                    "reward_redemptions",
                ))
                .voucher_redemptions(docs_part::<Vec<types::TransactionVoucherRedemption>>(
                    OP,
                    "docs_curl",
                    "voucher_redemptions",
                ))
        })
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
    curl.assert();
    let transaction = result.transaction.expect("the transaction");
    assert_eq!(transaction.id, Some(TransactionId(2374815)));
    assert_eq!(transaction.payment_status, Some(1));
    assert_eq!(transaction.discount, Some(5000.0));
    let membership = result.membership.expect("the membership");
    assert_eq!(membership.is_blocked, Some(false));
    assert_eq!(membership.start_date.as_deref(), Some("2020-01-01"));
}

#[tokio::test]
async fn modify_klg_transaction_items_sends_the_documented_body_and_decodes_the_modification() {
    const OP: &str = "modify_klg_transaction_items";
    let api = Api::start().await;
    // To `/api/klg/transactions/modify-items`, not the cURL example's `/api/klg/modify-items`.
    let mock = api.expect(
        OP,
        |when| json_body_by_value(when, request_example(OP, "docs")),
        200,
        &response_example(OP, "200", "docs"),
    );

    let result = api
        .client
        .modify_klg_transaction_items()
        .body_map(|b| {
            b.original_invoice_number("Impale1418")
                .invoice_number("Impale1418-1")
                .items(vec![
                    KlgItem {
                        product_name: "Tea".to_owned(),
                        quantity: 1.0,
                        subtotal: 15000.0,
                    },
                    KlgItem {
                        product_name: "Milk".to_owned(),
                        quantity: 2.0,
                        subtotal: 20000.0,
                    },
                ])
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let modification = result.modification.expect("the modification");
    assert_eq!(modification.id, Some(230));
    assert_eq!(
        modification.original_invoice_number.as_deref(),
        Some("Impale1418")
    );
    assert_eq!(modification.invoice_number.as_deref(), Some("Impale1418-1"));
    assert_eq!(modification.created, Some(1701115200));
    assert_eq!(modification.subtotal_delta, Some(0.0));
    let transaction = result.transaction.expect("the transaction");
    assert_eq!(transaction.id, Some(TransactionId(209)));
    assert_eq!(transaction.value, Some(35000.0));
    assert_eq!(transaction.stamps_earned, Some(70));
    assert_eq!(transaction.number_of_people, None);
    assert_eq!(transaction.invoice_number.as_deref(), Some("Impale1418-1"));
    assert!(
        matches!(transaction.status, Some(CodeOrLabel::Code(1))),
        "{:?}",
        transaction.status
    );
    assert_eq!(transaction.payment_status, Some(1));
    let products: Vec<_> = transaction
        .items
        .iter()
        .map(|i| {
            (
                i.id,
                i.product.as_ref().and_then(|p| p.name.as_deref()),
                i.quantity,
            )
        })
        .collect();
    assert_eq!(
        products,
        [
            (Some(1038), Some("Milk"), Some(1.0)),
            (Some(1039), Some("Tea"), Some(1.0)),
            (Some(1040), Some("sprite"), Some(0.0)),
            (Some(1041), Some("Milk"), Some(1.0)),
        ]
    );
    assert!(transaction.payments.is_empty());
}

#[tokio::test]
async fn refund_klg_redemption_sends_the_documented_body_and_decodes_the_refund() {
    let api = Api::start().await;
    // No `status` on the wire: the server defaults it to `paid`.
    let mock = api.expect_documented("refund_klg_redemption");

    let refund = api
        .client
        .refund_klg_redemption()
        .body_map(|b| b.redemption(RedemptionId(100)).value(10000_i64))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(refund.refunded_stamps, Some(10000));
    let redemption = refund.redemption.expect("the redemption");
    assert_eq!(redemption.id, Some(RedemptionId(4746)));
    assert_eq!(redemption.code.as_deref(), Some("X738ZK"));
    assert_eq!(redemption.reward.as_deref(), Some("Pay With Coin"));
    // A Unix time with a fraction.
    assert_eq!(redemption.created, Some(1698117417.91183));
    assert_eq!(redemption.channel, Some(4));
    assert_eq!(redemption.transaction_id, None);
    assert_eq!(redemption.merchant_invoice_number.as_deref(), Some(""));
    let user = refund.user.expect("the customer");
    assert_eq!(user.id, Some(UserId::new(6889592)));
    assert_eq!(user.has_incorrect_wa_number, Some(false));
    // The membership's `status` is its state here (`Active`), not a level code.
    let membership = refund.membership.expect("the membership");
    assert_eq!(membership.status.as_deref(), Some("Active"));
    assert_eq!(membership.level_text.as_deref(), Some("Silver"));
    assert_eq!(membership.stamps, Some(367000));
    let activity = refund.activity.expect("the activity");
    assert_eq!(activity.id, Some(2590959));
    assert_eq!(activity.type_, Some(1));
    assert_eq!(activity.created, Some(1607049764));
}

#[tokio::test]
async fn refund_klg_redemption_sends_an_unpaid_status() {
    let api = Api::start().await;
    let mock = api.expect(
        "refund_klg_redemption",
        |when| when.json_body(json!({"redemption": 100, "value": 10000, "status": "unpaid"})),
        200,
        &response_example("refund_klg_redemption", "200", "docs"),
    );

    api.client
        .refund_klg_redemption()
        .body_map(|b| {
            b.redemption(RedemptionId(100))
                .value(10000_i64)
                .status(types::KlgRefundPaymentStatus::Unpaid)
        })
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("get_duplicate_legacy_members_with_pin", async |client| {
        client
            .get_duplicate_legacy_members_with_pin()
            .user("example@stamps.com")
            .pin("123456")
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("merge_legacy_member_without_pin", async |client| {
        client
            .merge_legacy_member_without_pin()
            .body_map(|b| b.target_user(1).legacy_member(31245).merchant_id(1))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("activate_legacy_member_without_pin", async |client| {
        client
            .activate_legacy_member_without_pin()
            .body_map(|b| b.user(12).merchant_id(1))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("activate_klg_legacy_member", async |client| {
        client
            .activate_klg_legacy_member()
            .body_map(|b| {
                b.user(12)
                    .merchant_id(1)
                    .with_passkey(false)
                    .new_password("password")
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("register_klg_member", async |client| {
        client
            .register_klg_member()
            .body_map(|b| b.password("password"))
            .send()
            .await?;
        Ok(())
    })
    .await;
    for op in ["preview_return_transaction", "add_return_transaction"] {
        common::assert_error_examples_decode(op, async |client| {
            let body: types::KlgReturnTransactionRequest =
                serde_json::from_value(request_example(op, "docs")).unwrap();
            if op == "preview_return_transaction" {
                client
                    .preview_return_transaction()
                    .body(body)
                    .send()
                    .await?;
            } else {
                client.add_return_transaction().body(body).send().await?;
            }
            Ok(())
        })
        .await;
    }
    common::assert_error_examples_decode("redeem_klg_voucher", async |client| {
        client
            .redeem_klg_voucher()
            .body_map(|b| {
                b.user("customer@stamps.co.id")
                    .store(32)
                    .voucher(KlgVoucherRef::Code("ABC".to_owned()))
                    .extra_data(vouchers_per_store())
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("add_klg_card", async |client| {
        client
            .add_klg_card()
            .body_map(|b| b.rrr_id("RRR123456").user_id_odi("999"))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("add_klg_transaction_with_redemptions", async |client| {
        let body: types::KlgAddTransactionWithRedemptionsRequest = serde_json::from_value(
            request_example("add_klg_transaction_with_redemptions", "docs"),
        )
        .unwrap();
        client
            .add_klg_transaction_with_redemptions()
            .body(body)
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("add_klg_transaction_payments", async |client| {
        let body: types::KlgAddTransactionPaymentsRequest =
            serde_json::from_value(request_example("add_klg_transaction_payments", "docs"))
                .unwrap();
        client
            .add_klg_transaction_payments()
            .body(body)
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("modify_klg_transaction_items", async |client| {
        let body: types::KlgModifyTransactionItemsRequest =
            serde_json::from_value(request_example("modify_klg_transaction_items", "docs"))
                .unwrap();
        client
            .modify_klg_transaction_items()
            .body(body)
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("refund_klg_redemption", async |client| {
        client
            .refund_klg_redemption()
            .body_map(|b| b.redemption(RedemptionId(100)).value(10000_i64))
            .send()
            .await?;
        Ok(())
    })
    .await;
}
