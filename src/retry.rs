//! When a call is tried again, and how long to wait first.
//!
//! The rule that keeps balances right: a request that may have reached the server is
//! re-sent only if it is safe to repeat (a GET). A POST (credit, debit, register, ...)
//! is re-sent only when the connection failed before any byte of it was written.

use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// How many times and how patiently to retry.
#[derive(Clone, Debug)]
pub(crate) struct RetryPolicy {
    pub(crate) max_retries: u32,
    /// The first backoff; each retry doubles it, up to `max_delay`.
    pub(crate) initial_delay: Duration,
    /// The longest wait between attempts, for backoff and `Retry-After` alike: a
    /// server asking for longer gets its answer returned instead.
    pub(crate) max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
        }
    }
}

/// What a finished attempt means for the next one.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Send again after this long.
    RetryAfter(Duration),
    /// Return this outcome to the caller.
    Done,
}

impl RetryPolicy {
    /// Judges attempt number `attempt` (1-based) of a `method` call.
    pub(crate) fn judge(
        &self,
        method: &Method,
        attempt: u32,
        outcome: Result<(StatusCode, &HeaderMap), &reqwest::Error>,
    ) -> Verdict {
        if attempt > self.max_retries {
            return Verdict::Done;
        }
        let safe = is_safe(method);
        let retry_after = match outcome {
            Ok((status, headers)) if safe && is_retryable_status(status) => retry_after(headers),
            // Nothing was written: connecting (TCP, TLS) failed.
            Err(e) if e.is_connect() => None,
            // The request may have been received; only a GET may go again. A timeout is
            // not retried: it means the call's time is up.
            Err(e)
                if safe && !e.is_timeout() && (e.is_request() || e.is_body() || e.is_decode()) =>
            {
                None
            }
            _ => return Verdict::Done,
        };
        let backoff = self.backoff(attempt);
        match retry_after {
            Some(wait) if wait > self.max_delay => Verdict::Done,
            Some(wait) => Verdict::RetryAfter(wait),
            None => Verdict::RetryAfter(backoff),
        }
    }

    /// Exponential backoff with full jitter: a random wait up to
    /// `initial_delay * 2^(attempt-1)`, capped at `max_delay`.
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .initial_delay
            .saturating_mul(1 << (attempt - 1).min(20))
            .min(self.max_delay);
        let random = RandomState::new().hash_one(attempt);
        ceiling.mul_f64((random % 1_000_001) as f64 / 1_000_000.0)
    }
}

/// Methods whose repetition changes nothing on the server.
pub(crate) fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Statuses that mean "try again later": 429, 502, 503, 504.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 2,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
        }
    }

    fn judge(method: Method, attempt: u32, status: u16, retry_after: Option<&str>) -> Verdict {
        let mut headers = HeaderMap::new();
        if let Some(value) = retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        }
        policy().judge(
            &method,
            attempt,
            Ok((StatusCode::from_u16(status).unwrap(), &headers)),
        )
    }

    #[test]
    fn retries_gets_on_transient_statuses_only() {
        for status in [429, 502, 503, 504] {
            assert!(
                matches!(judge(Method::GET, 1, status, None), Verdict::RetryAfter(d) if d <= Duration::from_millis(100))
            );
        }
        for status in [200, 400, 401, 404, 500] {
            assert_eq!(
                judge(Method::GET, 1, status, None),
                Verdict::Done,
                "{status}"
            );
        }
    }

    #[test]
    fn never_resends_a_post_that_got_an_answer() {
        for status in [429, 502, 503, 504] {
            assert_eq!(judge(Method::POST, 1, status, None), Verdict::Done);
        }
    }

    #[test]
    fn stops_after_max_retries() {
        assert!(matches!(
            judge(Method::GET, 2, 503, None),
            Verdict::RetryAfter(_)
        ));
        assert_eq!(judge(Method::GET, 3, 503, None), Verdict::Done);
    }

    #[test]
    fn honours_retry_after_within_the_cap() {
        assert_eq!(
            judge(Method::GET, 1, 503, Some("2")),
            Verdict::RetryAfter(Duration::from_secs(2))
        );
        assert_eq!(judge(Method::GET, 1, 503, Some("3600")), Verdict::Done);
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3));
        assert!(
            matches!(judge(Method::GET, 1, 429, Some(&soon)), Verdict::RetryAfter(d) if d <= Duration::from_secs(3))
        );
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            max_retries: 30,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        for attempt in 1..30 {
            let ceiling = Duration::from_millis(100 * (1u64 << (attempt - 1).min(20)))
                .min(Duration::from_secs(1));
            assert!(p.backoff(attempt) <= ceiling);
        }
    }
}
