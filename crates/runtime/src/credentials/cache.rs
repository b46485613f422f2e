//! Caching credentials and refreshing them before they expire.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::{Credentials, ProvideCredentials, ProvideFuture};

/// The time source of a [`CachingProvider`] (tests replace it).
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Caches the credentials of another provider.
///
/// Credentials with an expiry are refreshed [`refresh_early`] before it
/// (5 minutes by default; half the remaining lifetime when that is shorter);
/// credentials without one are looked up again after [`default_ttl`]
/// (15 minutes), so a changed environment or profile is picked up. Only one
/// refresh runs at a time: concurrent callers wait for it and share its
/// result. When a refresh fails while the cached credentials have not yet
/// expired, those are returned.
///
/// [`refresh_early`]: CachingProvider::refresh_early
/// [`default_ttl`]: CachingProvider::default_ttl
pub struct CachingProvider {
    inner: Arc<dyn ProvideCredentials>,
    cached: Mutex<Option<Cached>>,
    refresh: tokio::sync::Mutex<()>,
    clock: Clock,
    refresh_early: Duration,
    default_ttl: Duration,
}

#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    refresh_at: SystemTime,
}

impl CachingProvider {
    /// Caches `inner`.
    pub fn new(inner: impl ProvideCredentials + 'static) -> Self {
        Self {
            inner: Arc::new(inner),
            cached: Mutex::new(None),
            refresh: tokio::sync::Mutex::new(()),
            clock: Arc::new(SystemTime::now),
            refresh_early: Duration::from_secs(5 * 60),
            default_ttl: Duration::from_secs(15 * 60),
        }
    }

    /// How long before their expiry credentials are refreshed (default 5
    /// minutes).
    pub fn refresh_early(mut self, early: Duration) -> Self {
        self.refresh_early = early;
        self
    }

    /// How long credentials without an expiry are kept (default 15 minutes).
    pub fn default_ttl(mut self, ttl: Duration) -> Self {
        self.default_ttl = ttl;
        self
    }

    /// The time source (default [`SystemTime::now`]).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Forgets the cached credentials (after the service said they expired
    /// or were revoked); the next call refreshes.
    pub fn invalidate(&self) {
        *self.cached.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn cached(&self) -> Option<Cached> {
        self.cached
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn fresh(&self, now: SystemTime) -> Option<Credentials> {
        self.cached()
            .filter(|c| now < c.refresh_at)
            .map(|c| c.credentials)
    }

    fn refresh_at(&self, credentials: &Credentials, now: SystemTime) -> SystemTime {
        match credentials.expiry() {
            None => now + self.default_ttl,
            Some(expiry) => match expiry.duration_since(now) {
                Err(_) => now, // already expired: do not keep
                Ok(left) => expiry - self.refresh_early.min(left / 2),
            },
        }
    }
}

impl ProvideCredentials for CachingProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            if let Some(credentials) = self.fresh((self.clock)()) {
                return Ok(credentials);
            }
            let _refreshing = self.refresh.lock().await;
            let now = (self.clock)();
            // Another caller may have refreshed while this one waited.
            if let Some(credentials) = self.fresh(now) {
                return Ok(credentials);
            }
            match self.inner.provide_credentials().await {
                Ok(credentials) => {
                    let refresh_at = self.refresh_at(&credentials, (self.clock)());
                    *self.cached.lock().unwrap_or_else(|e| e.into_inner()) = Some(Cached {
                        credentials: credentials.clone(),
                        refresh_at,
                    });
                    Ok(credentials)
                }
                Err(error) => match self.cached() {
                    Some(old) if old.credentials.expiry().is_none_or(|e| now < e) => {
                        Ok(old.credentials)
                    }
                    _ => Err(error),
                },
            }
        })
    }
}

impl fmt::Debug for CachingProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachingProvider")
            .field("inner", &self.inner)
            .field("refresh_early", &self.refresh_early)
            .field("default_ttl", &self.default_ttl)
            .finish_non_exhaustive()
    }
}
