//! Activity API (docs page activity_api.rst): the documented query on the wire, the
//! documented answer decoded, the documented errors decoded.

use crate::common;

use common::{Api, documented_query, response_example};
use stamps::MerchantId;
use stamps::types::ActivityStatus;

#[tokio::test]
async fn list_activities_sends_the_documented_query_and_decodes_every_activity_type() {
    let docs = response_example("list_activities", "200", "docs");
    let api = Api::start().await;
    let mock = api.expect(
        "list_activities",
        |when| documented_query(when, "list_activities"),
        200,
        &docs,
    );

    let list = api
        .client
        .list_activities()
        .user("customer@stamps.co.id")
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(
        list.activities.len(),
        docs["activities"].as_array().unwrap().len()
    );
    let types: Vec<_> = list.activities.iter().map(|a| a.type_).collect();
    let documented: Vec<_> = docs["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["type"].as_i64())
        .collect();
    assert_eq!(types, documented);

    let transaction = &list.activities[0];
    assert_eq!(transaction.id, Some(704));
    assert_eq!(transaction.created, Some(1661925661));
    assert_eq!(transaction.notes.as_deref(), Some("Acvitity notes"));
    let merchant = transaction.merchant.as_ref().expect("the merchant");
    assert_eq!(merchant.id, Some(MerchantId::new(5)));
    assert_eq!(merchant.name.as_deref(), Some("Ace Hardware"));
    let store = transaction.store.as_ref().expect("the store");
    assert_eq!(store.display_name.as_deref(), Some("ST ACE KARAWACI MAL"));
    let details = transaction.transaction.as_ref().expect("the transaction");
    assert_eq!(details.stamps, Some(20));
    assert_eq!(details.invoice_number.as_deref(), Some("INV-17"));
    assert_eq!(details.channel.as_deref(), Some("Mobile App"));
    assert_eq!(details.status, Some(ActivityStatus(2)));

    let redemption = list.activities[1]
        .redemption
        .as_ref()
        .expect("a redemption");
    assert_eq!(
        redemption.name.as_deref(),
        Some("Update Database Voucher IDR 100,000")
    );
    assert_eq!(redemption.channel.as_deref(), Some("POS"));
    assert!(list.activities[2].award.is_some());
    assert_eq!(
        list.activities[3].notes.as_deref(),
        Some("Upgraded to Silver")
    );
    assert_eq!(list.activities[3].stamps, Some(0));

    let balance = list.activities[5]
        .balance_update
        .as_ref()
        .expect("a balance update");
    assert_eq!(balance.transaction_number.as_deref(), Some("ABCDE123"));
    assert_eq!(balance.amount, Some(120000));
    assert_eq!(balance.balance_type, Some(1));
    let survey = list.activities[6].survey.as_ref().expect("a survey");
    assert_eq!(survey.name.as_deref(), Some("Test Survey"));
    assert_eq!(survey.transaction_id, None);
    let deduction = list.activities[8]
        .stamps_deduction
        .as_ref()
        .expect("a deduction");
    assert_eq!(deduction.stamps, Some(100));

    let modification = list.activities[9]
        .transaction_modification
        .as_ref()
        .expect("a modification");
    assert_eq!(
        modification
            .root_transaction
            .as_ref()
            .and_then(|t| t.invoice_number.as_deref()),
        Some("ABC-123")
    );
    assert_eq!(
        modification
            .modified_transaction
            .as_ref()
            .and_then(|t| t.id),
        Some(14)
    );
    assert_eq!(modification.total_stamps_delta, Some(-10));
    assert_eq!(modification.grand_total_delta, Some(-100000));
    // A return without a modified transaction: `"modified_transaction": null`.
    let full_return = list.activities[10]
        .transaction_modification
        .as_ref()
        .expect("a modification");
    assert!(full_return.modified_transaction.is_none());
    // Types 13 and 14 carry neither `created` nor anything else.
    assert_eq!(list.activities[12].created, None);
    let expired = list
        .activities
        .iter()
        .find(|a| a.type_ == Some(15))
        .expect("an expiry");
    assert_eq!(expired.expired_stamps, Some(102));
}

#[tokio::test]
async fn list_activities_sends_older_than_to_page_back() {
    let api = Api::start().await;
    let mock = api.expect(
        "list_activities",
        |when| {
            when.query_param("user", "customer@stamps.co.id")
                .query_param("older_than", "2590959")
                .query_param_count(".*", ".*", 2)
        },
        200,
        &response_example("list_activities", "200", "docs"),
    );

    api.client
        .list_activities()
        .user("customer@stamps.co.id")
        .older_than(2590959)
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn list_activities_by_merchant_group_sends_the_documented_query_and_decodes_the_activities() {
    let api = Api::start().await;
    let mock = api.expect_documented("list_activities_by_merchant_group");

    let list = api
        .client
        .list_activities_by_merchant_group()
        .user("customer@stamps.co.id")
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let [transaction, redemption] = list.activities.as_slice() else {
        panic!("two activities: {:?}", list.activities);
    };
    assert_eq!(transaction.id, Some(704));
    assert_eq!(transaction.type_, Some(0));
    assert_eq!(
        transaction
            .transaction
            .as_ref()
            .and_then(|t| t.name.as_deref()),
        Some("Transaction #493")
    );
    assert_eq!(redemption.id, Some(2590959));
    assert_eq!(redemption.type_, Some(1));
    assert_eq!(
        redemption.merchant.as_ref().and_then(|m| m.name.as_deref()),
        Some("Levi's")
    );
    assert_eq!(
        redemption
            .redemption
            .as_ref()
            .and_then(|r| r.status.clone()),
        Some(ActivityStatus(2))
    );
}

#[tokio::test]
async fn list_activities_by_merchant_group_sends_merchant_ids_as_repeated_keys() {
    let api = Api::start().await;
    let mock = api.expect(
        "list_activities_by_merchant_group",
        |when| {
            when.query_param("user", "customer@stamps.co.id")
                .query_param("merchant_id", "2")
                .query_param("merchant_id", "5")
                .query_param_count("merchant_id", ".*", 2)
                .query_param_count(".*", ".*", 3)
                .is_true(|request| {
                    request
                        .uri()
                        .query()
                        .is_some_and(|q| q.contains("merchant_id=2&merchant_id=5"))
                })
        },
        200,
        &response_example("list_activities_by_merchant_group", "200", "docs"),
    );

    api.client
        .list_activities_by_merchant_group()
        .user("customer@stamps.co.id")
        .merchant_id(vec![MerchantId::new(2), MerchantId::new(5)])
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("list_activities", async |client| {
        client
            .list_activities()
            .user("customer@stamps.co.id")
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("list_activities_by_merchant_group", async |client| {
        client
            .list_activities_by_merchant_group()
            .user("customer@stamps.co.id")
            .send()
            .await?;
        Ok(())
    })
    .await;
}
