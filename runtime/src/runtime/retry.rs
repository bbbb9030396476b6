// The retry policy: which failures are retried, after how long, and when a write may be
// repeated.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::error::Error;

/// A `Retry-After` longer than this ends the retries by default: the error,
/// which carries the delay ([`ApiError::retry_after`]), is returned for the
/// caller to decide, rather than waited out or ignored.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

impl Error {
    /// Whether retrying the same request may succeed: connection failures, timeouts and
    /// HTTP 408, 409, 429 and 5xx. The client retries reads and idempotent writes on these,
    /// but a `POST` or `PATCH` only when the server cannot have acted on it (no connection,
    /// 408, 429, 503), and never after a `Retry-After` of more than a minute.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => matches!(api.status, 408 | 409 | 429 | 500..=599),
            Error::Transport(e) => e.is_connect() || (e.is_request() && e.status().is_none()),
            Error::Timeout => true,
            Error::Decode { .. } | Error::InvalidRequest(_) | Error::Middleware(_) => false,
        }
    }
}

/// Whether a failed attempt may be sent again. The server decides when it
/// says so (`x-should-retry: true` or `false`). Otherwise a `repeatable`
/// request (a read, an idempotent write, a write with an idempotency key or
/// with [`ClientBuilder::retry_writes`]) on any retryable error; a `POST` or
/// `PATCH` only when the server cannot have acted on it: the connection was
/// never made, or the answer was 408, 429 or 503 (a timeout, a 500 or a 502
/// may come after the write was done, and repeating it could do it twice).
pub(crate) fn may_retry(repeatable: bool, error: &Error) -> bool {
    if let Some(should) = error.api().and_then(|api| api.header("x-should-retry")) {
        return should.trim().eq_ignore_ascii_case("true");
    }
    match error {
        _ if !error.is_retryable() => false,
        _ if repeatable => true,
        Error::Api(api) => matches!(api.status, 408 | 429 | 503),
        Error::Transport(e) => e.is_connect(),
        _ => false,
    }
}

/// Exponential backoff with jitter: `initial * 2^retry` capped at `max`, times 0.75..1.0.
pub(crate) fn backoff(retry: u32, initial: Duration, max: Duration) -> Duration {
    let delay = initial.saturating_mul(2u32.saturating_pow(retry));
    let random = (RandomState::new().build_hasher().finish() >> 11) as f64 / (1u64 << 53) as f64;
    delay.min(max).mul_f64(0.75 + 0.25 * random)
}

/// A key no other request of this process, or likely of any other, carries:
/// the time, the process and a counter, mixed.
pub(crate) fn idempotency_key() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let mix = |x: u64| {
        // splitmix64: spreads nearby inputs over the whole range.
        let x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    };
    format!("sdkgen-{:016x}{:016x}", mix(nanos ^ u64::from(std::process::id()) << 32), mix(nanos.wrapping_add(n)))
}
