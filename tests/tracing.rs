//! Every call leaves a `tracing` span with what an operator needs, and nothing a
//! log must not hold: no token, no query, no body.

use crate::common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{TOKEN, builder};
use httpmock::MockServer;
use tracing_subscriber::fmt::format::FmtSpan;

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

#[tokio::test]
async fn each_call_records_operation_method_path_status_attempts_and_latency_but_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/api/v2/memberships/full-profile");
        then.status(200).body(r#"{"user": {"name": "Customer 1"}}"#);
    });
    server.mock(|when, then| {
        when.path("/api/v2/memberships/register");
        then.status(400)
            .body(r#"{"detail": "email: taken", "error_code": "email_already_used"}"#);
    });
    let client = builder(&server).token(TOKEN).build().unwrap();
    client
        .get_full_profile()
        .user("alice@example.com")
        .send()
        .await
        .unwrap();
    let _ = client
        .register_member()
        .body_map(|b| {
            b.merchant(stamps::MerchantId::new(14))
                .name("Customer")
                .email("alice@example.com")
                .mobile_number("+6281314822365")
                .birthday(stamps::Date::from_ymd(1991, 10, 19).unwrap())
                .gender(stamps::types::Gender::Female)
                .store(stamps::StoreId::new(412))
                .password(stamps::Secret::try_from("hunter2-password").unwrap())
        })
        .send()
        .await;

    let log = captured.text();
    for expected in [
        "stamps.call",
        "operation=\"get_full_profile\"",
        "method=GET",
        "path=\"/api/v2/memberships/full-profile\"",
        "status=200",
        "attempts=1",
        "latency_ms=",
        "operation=\"register_member\"",
        "method=POST",
        "status=400",
    ] {
        assert!(log.contains(expected), "missing {expected:?} in:\n{log}");
    }
    for secret in [
        TOKEN,
        "alice@example.com",
        "hunter2-password",
        "+6281314822365",
        "Customer 1",
    ] {
        assert!(!log.contains(secret), "{secret:?} leaked into:\n{log}");
    }
}
