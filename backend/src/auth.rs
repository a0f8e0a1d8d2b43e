//! Passwords, sessions and sign-in throttling.
//!
//! Passwords are kept only as Argon2id PHC strings. Hashing is deliberately slow (~25 ms of a
//! core), so it runs on the blocking pool behind a semaphore sized to the cores: a burst of
//! sign-ins queues up instead of stalling the event loop or exhausting memory. A successful
//! check is remembered briefly, keyed by a keyed SHA-256 digest of the credentials, so a client
//! that sends its password with every request (as the original protocol does) pays once.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::domain::accounts::User;

/// How long a verified password is trusted without checking the hash again.
const VERIFIED_TTL: Duration = Duration::from_secs(300);
const VERIFIED_CAPACITY: usize = 10_000;

/// Failed sign-ins allowed per username and client address within the window.
const MAX_FAILURES: u32 = 5;
const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
const FAILURE_CAPACITY: usize = 10_000;

fn argon2() -> Argon2<'static> {
    // OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub struct Auth {
    secret: [u8; 32],
    hashing: Semaphore,
    verified: Mutex<HashMap<[u8; 32], (User, Instant)>>,
    failures: Mutex<HashMap<(String, IpAddr), (u32, Instant)>>,
    session_ttl: Duration,
}

/// Why a sign-in was throttled: wait this long.
#[derive(Debug, Clone, Copy)]
pub struct Throttled(pub Duration);

impl Auth {
    pub fn new(session_ttl: Duration) -> Result<Auth, String> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Auth {
            secret: random_bytes()?,
            hashing: Semaphore::new(cores),
            verified: Mutex::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
            session_ttl,
        })
    }

    pub fn session_ttl(&self) -> Duration {
        self.session_ttl
    }

    /// A salted Argon2id hash of a new password, as a PHC string.
    pub async fn hash_password(&self, password: &str) -> Result<String, String> {
        let password = password.to_string();
        let salt_bytes: [u8; 16] = random_bytes()?[..16].try_into().map_err(|_| "salt")?;
        let _permit = self.hashing.acquire().await.map_err(|e| e.to_string())?;
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
            argon2()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())?
    }

    /// Checks a password against a stored PHC string.
    pub async fn verify_password(&self, password: &str, phc: &str) -> bool {
        let password = password.to_string();
        let phc = phc.to_string();
        let Ok(_permit) = self.hashing.acquire().await else {
            return false;
        };
        tokio::task::spawn_blocking(move || {
            PasswordHash::new(&phc)
                .map(|parsed| {
                    argon2()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
        .unwrap_or(false)
    }

    fn credentials_key(&self, username: &str, password: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.secret);
        h.update((username.len() as u64).to_le_bytes());
        h.update(username.as_bytes());
        h.update(password.as_bytes());
        h.finalize().into()
    }

    /// The account these exact credentials were recently verified for.
    pub fn recently_verified(&self, username: &str, password: &str) -> Option<User> {
        let key = self.credentials_key(username, password);
        let cache = self.verified.lock().ok()?;
        match cache.get(&key) {
            Some((user, at)) if at.elapsed() < VERIFIED_TTL => Some(user.clone()),
            _ => None,
        }
    }

    pub fn remember_verified(&self, username: &str, password: &str, user: &User) {
        let key = self.credentials_key(username, password);
        if let Ok(mut cache) = self.verified.lock() {
            if cache.len() >= VERIFIED_CAPACITY {
                cache.retain(|_, (_, at)| at.elapsed() < VERIFIED_TTL);
                if cache.len() >= VERIFIED_CAPACITY {
                    cache.clear();
                }
            }
            cache.insert(key, (user.clone(), Instant::now()));
        }
    }

    /// Refuses a sign-in attempt when this address has failed too often for this username.
    /// Keying by both means an attacker elsewhere cannot lock the real guest out.
    pub fn check_throttle(&self, username: &str, ip: IpAddr) -> Result<(), Throttled> {
        let Ok(failures) = self.failures.lock() else {
            return Ok(());
        };
        match failures.get(&(username.to_string(), ip)) {
            Some((count, since)) if *count >= MAX_FAILURES && since.elapsed() < FAILURE_WINDOW => {
                Err(Throttled(FAILURE_WINDOW.saturating_sub(since.elapsed())))
            }
            _ => Ok(()),
        }
    }

    pub fn record_failure(&self, username: &str, ip: IpAddr) {
        if let Ok(mut failures) = self.failures.lock() {
            if failures.len() >= FAILURE_CAPACITY {
                failures.retain(|_, (_, since)| since.elapsed() < FAILURE_WINDOW);
            }
            let entry = failures
                .entry((username.to_string(), ip))
                .or_insert((0, Instant::now()));
            if entry.1.elapsed() >= FAILURE_WINDOW {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
    }

    pub fn clear_failures(&self, username: &str, ip: IpAddr) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&(username.to_string(), ip));
        }
    }
}

/// A new session token (256 random bits, hex) and the digest that is stored in its place.
pub fn new_session_token() -> Result<(String, [u8; 32]), String> {
    let token = hex::encode(random_bytes()?);
    let digest = token_digest(&token);
    Ok((token, digest))
}

pub fn token_digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn random_bytes() -> Result<[u8; 32], String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no secure randomness: {e}"))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::Role;

    #[tokio::test]
    async fn hashes_are_salted_argon2id_and_verify() {
        let auth = Auth::new(Duration::from_secs(60)).unwrap_or_else(|e| panic!("{e}"));
        let a = auth
            .hash_password("correct horse")
            .await
            .unwrap_or_default();
        let b = auth
            .hash_password("correct horse")
            .await
            .unwrap_or_default();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "same password, different salts");
        assert!(auth.verify_password("correct horse", &a).await);
        assert!(!auth.verify_password("wrong horse", &a).await);
        assert!(
            !auth
                .verify_password("correct horse", "not a phc string")
                .await
        );
    }

    #[test]
    fn verified_cache_is_keyed_by_exact_credentials() {
        let auth = Auth::new(Duration::from_secs(60)).unwrap_or_else(|e| panic!("{e}"));
        let user = User {
            id: 1,
            username: "ann".into(),
            role: Role::Guest,
        };
        auth.remember_verified("ann", "password1", &user);
        assert_eq!(auth.recently_verified("ann", "password1"), Some(user));
        assert_eq!(auth.recently_verified("ann", "password2"), None);
        // The length prefix keeps ("annp", "assword1") apart from ("ann", "password1").
        assert_eq!(auth.recently_verified("annp", "assword1"), None);
    }

    #[test]
    fn throttle_is_per_username_and_address() {
        let auth = Auth::new(Duration::from_secs(60)).unwrap_or_else(|e| panic!("{e}"));
        let attacker: IpAddr = [10, 0, 0, 1].into();
        let guest: IpAddr = [10, 0, 0, 2].into();
        for _ in 0..MAX_FAILURES {
            assert!(auth.check_throttle("ann", attacker).is_ok());
            auth.record_failure("ann", attacker);
        }
        assert!(auth.check_throttle("ann", attacker).is_err());
        assert!(auth.check_throttle("ann", guest).is_ok());
        auth.clear_failures("ann", attacker);
        assert!(auth.check_throttle("ann", attacker).is_ok());
    }

    #[test]
    fn tokens_are_random_and_stored_as_digests() {
        let (t1, d1) = new_session_token().unwrap_or_default();
        let (t2, _) = new_session_token().unwrap_or_default();
        assert_eq!(t1.len(), 64);
        assert_ne!(t1, t2);
        assert_eq!(d1, token_digest(&t1));
        assert_ne!(hex::encode(d1), t1);
    }
}
