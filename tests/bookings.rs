//! Booking API (docs page booking_api): the documented requests on the wire, the
//! documented answer decoded, the documented errors decoded.

use crate::common;

use common::{Api, request_example, response_example};
use stamps::{Date, StoreId};

/// `date` takes a `Date`, not a string.
fn date(text: &str) -> Date {
    text.parse().expect("a valid date")
}

#[tokio::test]
async fn add_booking_sends_the_documented_body_and_decodes_the_booking() {
    let api = Api::start().await;
    let mock = api.expect_documented("add_booking");

    let added = api
        .client
        .add_booking()
        .body_map(|b| {
            b.user("customer@stamps.co.id")
                .store(StoreId::new(2))
                .date(date("2014-04-22"))
                .time("19:50")
                .phone("+6281123456")
                .number_of_people(8)
                .notes("Prefers non smoking area.".to_owned())
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let booking = added.booking.expect("the created booking");
    assert_eq!(booking.id, Some(11));
    assert_eq!(booking.store, Some(StoreId::new(1)));
    assert_eq!(booking.date.as_deref(), Some("2015-03-02"));
    // The answer's time has seconds; the request sends `HH:MM`.
    assert_eq!(booking.time.as_deref(), Some("15:15:00"));
    assert_eq!(booking.phone.as_deref(), Some("+622134554"));
    assert_eq!(booking.number_of_people, Some(5));
    assert_eq!(booking.status.as_deref(), Some("Requested"));
}

#[tokio::test]
async fn add_booking_sends_the_curl_body_without_notes() {
    // The page's cURL example omits the optional `notes`.
    let api = Api::start().await;
    let mock = api.expect(
        "add_booking",
        |when| when.json_body(request_example("add_booking", "docs_curl")),
        200,
        &response_example("add_booking", "200", "docs"),
    );

    api.client
        .add_booking()
        .body_map(|b| {
            b.user("test@stamps.co.id")
                .store(StoreId::new(1))
                .number_of_people(5)
                .date(date("2015-04-22"))
                .time("18:28")
                .phone("+62123123")
        })
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("add_booking", async |client| {
        client
            .add_booking()
            .body_map(|b| {
                b.user("customer@stamps.co.id")
                    .store(StoreId::new(2))
                    .date(date("2014-04-22"))
                    .time("19:50")
                    .phone("+6281123456")
                    .number_of_people(8)
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
}
