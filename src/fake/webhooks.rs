//! The webhooks the fake sends: the KLG page's payload (the spec's `MembershipWebhook`
//! example, with the member's values written over it), signed as Stamps signs it
//! ([`crate::webhook::sign`]) and POSTed to the URL a test sets.

use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

use serde_json::{Value, json};

use super::engine::engine;
use super::overlay::overlay;
use super::state::MemberRecord;
use crate::Secret;
use crate::webhook::{SIGNATURE_HEADER, sign};

/// How long the fake waits for a test's endpoint to answer a webhook.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// One webhook the fake POSTed, and how the endpoint answered: see
/// [`FakeStamps::webhook_deliveries`](super::FakeStamps::webhook_deliveries).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WebhookDelivery {
    /// Where it was POSTed.
    pub url: String,
    /// The JSON body sent.
    pub body: String,
    /// The [`SIGNATURE_HEADER`] sent with it.
    pub signature: String,
    /// The endpoint's answer status; `None` if no answer came (see `error`).
    pub status: Option<u16>,
    /// Why no answer came: the endpoint could not be reached, or timed out.
    pub error: Option<String>,
}

/// A change that makes Stamps send a webhook, waiting for the call that made it to
/// finish (so that the state's lock is not held while sending).
#[derive(Debug)]
pub(super) struct Event {
    pub(super) member: MemberRecord,
    pub(super) from: Option<String>,
    pub(super) to: Option<String>,
}

impl Event {
    /// A change to `member`: `from` and `to` are their email before and after, the
    /// only meaning the docs' example shows for them.
    pub(super) fn changed(member: &MemberRecord, email_before: Option<String>) -> Event {
        Event {
            member: member.clone(),
            from: email_before,
            to: member.email.clone(),
        }
    }

    /// The documented payload, with this member's values.
    fn payload(&self) -> Value {
        let m = &self.member;
        let values = json!({
            "from": self.from,
            "to": self.to,
            "membership": {
                "level": m.level,
                "level_text": m.level_name(),
                "stamps": m.stamps,
                "balance": m.balance,
                "status": "Active",
                "primary_card": {
                    "id": m.id,
                    "number": m.member_ids.first(),
                },
            },
            "user": {
                "id": m.id,
                "name": m.name,
                "gender": m.gender,
                "email": m.email,
                "birthday": m.birthday,
                "phone": m.phone,
                "member_ids": m.member_ids,
            },
        });
        overlay(engine().membership_webhook.clone(), values)
    }
}

/// Where webhooks go, the secret they are signed with, and what was sent.
pub(super) struct Webhooks {
    url: Mutex<Option<String>>,
    secret: Mutex<Secret>,
    deliveries: Mutex<Vec<WebhookDelivery>>,
    http: OnceLock<reqwest::Client>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Webhooks {
    pub(super) fn new(url: Option<String>, secret: Secret) -> Webhooks {
        Webhooks {
            url: Mutex::new(url),
            secret: Mutex::new(secret),
            deliveries: Mutex::new(Vec::new()),
            http: OnceLock::new(),
        }
    }

    pub(super) fn set_url(&self, url: Option<String>) {
        *lock(&self.url) = url;
    }

    pub(super) fn url(&self) -> Option<String> {
        lock(&self.url).clone()
    }

    pub(super) fn set_secret(&self, secret: Secret) {
        *lock(&self.secret) = secret;
    }

    pub(super) fn secret(&self) -> Secret {
        lock(&self.secret).clone()
    }

    pub(super) fn deliveries(&self) -> Vec<WebhookDelivery> {
        lock(&self.deliveries).clone()
    }

    /// Sends the webhook of each event, in order, if a URL is set.
    pub(super) async fn send_events(&self, events: Vec<Event>) {
        let Some(url) = self.url() else {
            return;
        };
        for event in events {
            self.send(&url, event.payload().to_string()).await;
        }
    }

    /// A webhook for `member` now, as if their membership changed.
    pub(super) async fn send_member(&self, url: &str, member: &MemberRecord) -> WebhookDelivery {
        let event = Event::changed(member, member.email.clone());
        self.send(url, event.payload().to_string()).await
    }

    /// Signs `body`, POSTs it to `url`, and records the delivery.
    ///
    /// # Panics
    ///
    /// If `body` is not JSON: Stamps' recipe cannot sign it.
    pub(super) async fn send(&self, url: &str, body: String) -> WebhookDelivery {
        let signature = sign(body.as_bytes(), self.secret().expose())
            .unwrap_or_else(|e| panic!("FakeStamps: cannot sign the webhook body: {e}"));
        let http = self.http.get_or_init(|| {
            reqwest::Client::builder()
                .timeout(DELIVERY_TIMEOUT)
                .build()
                .expect("a plain HTTP client builds")
        });
        let sent = http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, &signature)
            .body(body.clone())
            .send()
            .await;
        let (status, error) = match sent {
            Ok(answer) => (Some(answer.status().as_u16()), None),
            Err(e) => (None, Some(e.without_url().to_string())),
        };
        let delivery = WebhookDelivery {
            url: url.to_owned(),
            body,
            signature,
            status,
            error,
        };
        lock(&self.deliveries).push(delivery.clone());
        delivery
    }
}

impl std::fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhooks")
            .field("url", &self.url())
            .field("secret", &"***")
            .finish_non_exhaustive()
    }
}
