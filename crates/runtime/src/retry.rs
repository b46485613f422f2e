//! The AWS SDKs' standard retry mode: a bounded number of attempts,
//! exponential backoff with full jitter, and a retry quota (token bucket)
//! shared by every call of a client so that a struggling service is not
//! flooded with retries.

use std::sync::Mutex;
use std::time::Duration;

/// Retry settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts per call, the first included (default 3; 1 disables retries).
    pub max_attempts: u32,
    /// The backoff before retry `i` is random in `[0, min(max_backoff, base * 2^i))`.
    pub base_backoff: Duration,
    /// The cap on one backoff (default 20 s).
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryConfig {
    /// The longest wait before retry number `retry` (1 for the first retry).
    pub fn backoff_cap(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.base_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// A random wait before retry number `retry` (full jitter).
    pub fn backoff(&self, retry: u32) -> Duration {
        self.backoff_cap(retry).mul_f64(fastrand::f64())
    }
}

/// Tokens in a new bucket.
pub const INITIAL_TOKENS: u32 = 500;
/// What a retry after an error costs.
pub const RETRY_COST: u32 = 5;
/// What a retry after a timeout costs.
pub const TIMEOUT_RETRY_COST: u32 = 10;
/// What a call that succeeds without retrying gives back.
pub const SUCCESS_REFUND: u32 = 1;

/// The retry quota shared by a client's calls.
#[derive(Debug)]
pub struct TokenBucket {
    tokens: Mutex<u32>,
    capacity: u32,
}

impl Default for TokenBucket {
    fn default() -> Self {
        Self::new(INITIAL_TOKENS)
    }
}

impl TokenBucket {
    /// A full bucket of `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        Self {
            tokens: Mutex::new(capacity),
            capacity,
        }
    }

    /// Takes `cost` tokens for a retry; `false` (and nothing taken) when the
    /// bucket holds fewer.
    pub fn acquire(&self, cost: u32) -> bool {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        if *tokens < cost {
            return false;
        }
        *tokens -= cost;
        true
    }

    /// Returns tokens after a success: the cost of the retries it took, or
    /// [`SUCCESS_REFUND`] when it took none; never past the capacity.
    pub fn refund(&self, amount: u32) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        *tokens = (*tokens + amount).min(self.capacity);
    }

    /// The tokens left.
    pub fn available(&self) -> u32 {
        *self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Why a failed attempt may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryKind {
    /// The service is throttling the caller.
    Throttling,
    /// A transient service error (500, 502, 503, 504, ...).
    Transient,
    /// The connection failed or broke.
    Io,
    /// The attempt timed out.
    Timeout,
    /// The request time was skewed; the clock offset was corrected.
    ClockSkew,
}

impl RetryKind {
    /// The tokens a retry of this kind costs.
    pub fn cost(self) -> u32 {
        match self {
            RetryKind::Timeout => TIMEOUT_RETRY_COST,
            _ => RETRY_COST,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_capped_exponential_with_jitter() {
        let c = RetryConfig::default();
        assert_eq!(c.backoff_cap(1), Duration::from_secs(1));
        assert_eq!(c.backoff_cap(2), Duration::from_secs(2));
        assert_eq!(c.backoff_cap(5), Duration::from_secs(16));
        assert_eq!(c.backoff_cap(6), Duration::from_secs(20));
        assert_eq!(c.backoff_cap(60), Duration::from_secs(20));
        for retry in 1..10 {
            for _ in 0..100 {
                assert!(c.backoff(retry) <= c.backoff_cap(retry));
            }
        }
    }

    #[test]
    fn bucket_costs_and_refunds() {
        let b = TokenBucket::default();
        assert!(b.acquire(RetryKind::Transient.cost()));
        assert!(b.acquire(RetryKind::Timeout.cost()));
        assert_eq!(b.available(), 485);
        b.refund(15);
        b.refund(SUCCESS_REFUND);
        assert_eq!(b.available(), 500, "never past the capacity");
        let small = TokenBucket::new(7);
        assert!(small.acquire(5));
        assert!(!small.acquire(5), "not enough tokens");
        assert_eq!(small.available(), 2);
    }
}
