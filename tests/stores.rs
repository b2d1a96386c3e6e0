//! Store API (docs page store_api): the documented request on the wire, the documented
//! answer decoded, the documented errors decoded.

use crate::common;

use common::Api;
use stamps::MerchantId;
use stamps::types::NumericId;

#[tokio::test]
async fn add_or_update_store_sends_the_documented_body_and_decodes_the_store() {
    let api = Api::start().await;
    let mock = api.expect_documented("add_or_update_store");

    let answer = api
        .client
        .add_or_update_store()
        .body_map(|b| {
            b.merchant_id(MerchantId::new(1))
                .name("TEST")
                .code("CODE")
                .display_name("Test Name")
                .is_active(true)
                .address("New Street")
                .area("Area")
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let store = answer.store.expect("the store's data");
    // The example sends the id as a string.
    assert_eq!(store.id, Some(NumericId::Digits("1".to_owned())));
    assert_eq!(store.name.as_deref(), Some("store-1"));
    assert_eq!(store.code.as_deref(), Some("store-1"));
    assert_eq!(store.display_name.as_deref(), Some("Store 1"));
    assert_eq!(store.area.as_deref(), Some("Jakarta"));
    assert_eq!(store.address.as_deref(), Some("Example street"));
    assert_eq!(store.phone.as_deref(), Some(""));
    assert_eq!(store.slug.as_deref(), Some("test-store"));
    assert_eq!(store.latitude, None);
    assert_eq!(store.longitude, None);
    assert_eq!(store.is_active, Some(true));
    assert_eq!(answer.errors, None);
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("add_or_update_store", async |client| {
        client
            .add_or_update_store()
            .body_map(|b| {
                b.merchant_id(MerchantId::new(1))
                    .name("TEST")
                    .code("CODE")
                    .display_name("Test Name")
                    .is_active(true)
                    .address("New Street")
                    .area("Area")
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
}
