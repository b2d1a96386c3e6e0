//! Inventory API (OMNI, docs page inventory_api): the documented request on the wire, the
//! documented answer decoded, the documented errors decoded.
//!
//! These calls go to the OMNI host (`https://host.com` in the docs, a placeholder); here
//! the mock server stands in for it. The docs send `Authorization: token <merchant
//! token>`; the client sends `Token <key>`, which this Django REST framework API reads
//! case-insensitively.

use crate::common;

use common::{Api, json_body_by_value, request_example, response_example};
use serde_json::json;
use stamps::types::{InventoryStatusResponse, InventoryVariantUpdate};

/// The one real variant of the documented request (the others are `[Redacted Content]`).
fn burger() -> InventoryVariantUpdate {
    InventoryVariantUpdate {
        variant_code: "burger-1".to_owned(),
        price: 36364.0,
        out_of_stock: Some(false),
        is_active: Some(true),
    }
}

#[tokio::test]
async fn add_or_update_inventory_sends_the_documented_body_and_decodes_the_status_string() {
    let api = Api::start().await;
    // `price` is a `type: number`: the client sends `36364.0` where the docs write
    // `36364`, the same JSON number.
    let mock = api.expect(
        "add_or_update_inventory",
        |when| json_body_by_value(when, request_example("add_or_update_inventory", "docs")),
        200,
        &response_example("add_or_update_inventory", "200", "docs"),
    );

    let answer = api
        .client
        .add_or_update_inventory()
        .body_map(|b| b.store_code("Store1").inventories(vec![burger()]))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    // The documented success body is a JSON string, not a `{"status": "ok"}` object.
    assert_eq!(
        answer,
        InventoryStatusResponse::Text("status: 'ok'".to_owned())
    );
}

#[tokio::test]
async fn add_or_update_inventory_also_decodes_a_status_object() {
    // Every other endpoint answers `{"status": "ok"}`: the inventory calls accept it too.
    let api = Api::start().await;
    let mock = api.expect(
        "add_or_update_inventory",
        |when| when,
        200,
        &json!({"status": "ok"}),
    );

    let answer = api
        .client
        .add_or_update_inventory()
        .body_map(|b| b.store_code("Store1").inventories(vec![burger()]))
        .send()
        .await
        .expect("the object answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(
        answer,
        InventoryStatusResponse::Object {
            status: Some("ok".to_owned())
        }
    );
}

#[tokio::test]
async fn add_or_update_inventory_leaves_out_the_optional_flags() {
    let api = Api::start().await;
    let mock = api.expect(
        "add_or_update_inventory",
        |when| {
            json_body_by_value(
                when,
                json!({
                    "store_code": "Store1",
                    "inventories": [
                        {"variant_code": "burger-1", "price": 36364},
                        {"variant_code": "fries-1", "price": 15000.5, "out_of_stock": true}
                    ]
                }),
            )
        },
        200,
        &response_example("add_or_update_inventory", "200", "docs"),
    );

    api.client
        .add_or_update_inventory()
        .body_map(|b| {
            b.store_code("Store1").inventories(vec![
                InventoryVariantUpdate {
                    variant_code: "burger-1".to_owned(),
                    price: 36364.0,
                    out_of_stock: None,
                    is_active: None,
                },
                InventoryVariantUpdate {
                    variant_code: "fries-1".to_owned(),
                    price: 15000.5,
                    out_of_stock: Some(true),
                    is_active: None,
                },
            ])
        })
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn update_inventory_out_of_stock_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("update_inventory_out_of_stock");

    let answer = api
        .client
        .update_inventory_out_of_stock()
        .body_map(|b| b.store("Store1").code("burger-1").out_of_stock(true))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(
        answer,
        InventoryStatusResponse::Text("status: 'ok'".to_owned())
    );
}

#[tokio::test]
async fn update_inventory_out_of_stock_leaves_out_the_optional_flag() {
    let api = Api::start().await;
    let mock = api.expect(
        "update_inventory_out_of_stock",
        |when| when.json_body(json!({"store": "Store1", "code": "burger-1"})),
        200,
        &response_example("update_inventory_out_of_stock", "200", "docs"),
    );

    api.client
        .update_inventory_out_of_stock()
        .body_map(|b| b.store("Store1").code("burger-1"))
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("add_or_update_inventory", async |client| {
        client
            .add_or_update_inventory()
            .body_map(|b| b.store_code("Store1").inventories(vec![burger()]))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("update_inventory_out_of_stock", async |client| {
        client
            .update_inventory_out_of_stock()
            .body_map(|b| b.store("Store1").code("burger-1").out_of_stock(true))
            .send()
            .await?;
        Ok(())
    })
    .await;
}
