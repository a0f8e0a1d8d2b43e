//! Passwords and session tokens, and the caches that spare a database trip or a hash.
//!
//! Passwords are kept only as Argon2id PHC strings. Hashing is deliberately slow (~25 ms of a
//! core), so it runs on `HashPool`: one thread per core, each with its own working area, so a
//! burst of sign-ins queues up instead of stalling the event loop or exhausting memory. A successful
//! check is remembered briefly, keyed by a keyed SHA-256 digest of the credentials, so a client
//! that sends its password with every request (as the original protocol does) pays once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use tokio::sync::oneshot;

use crate::domain::accounts::User;
use crate::domain::api_keys::KeyHolder;

/// How long a verified password is trusted without checking the hash again: as long as a
/// session is, so that a role revoked, or a password changed on another instance, ends
/// within the same 30 seconds on both paths.
const VERIFIED_TTL: Duration = SESSION_CACHE_TTL;
const VERIFIED_CAPACITY: usize = 10_000;

/// How long a looked-up session is trusted before the database is asked again. Logout on
/// this server forgets it at once; the bound matters only for changes made elsewhere.
pub const SESSION_CACHE_TTL: Duration = Duration::from_secs(30);
const SESSION_CACHE_CAPACITY: usize = 50_000;

fn argon2(params: Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// One of OWASP's equivalent minimums for Argon2id: 7 MiB, 5 passes, 1 lane. About the same
/// work as 19 MiB and 2 passes, with under half the memory, so a flood of sign-ups on every
/// core stays small. Hashes stored with other settings still verify with their own.
fn default_params() -> Params {
    Params::new(7 * 1024, 5, 1, Some(32)).unwrap_or_default()
}

enum HashJob {
    Hash {
        password: String,
        salt: [u8; 16],
        reply: oneshot::Sender<Result<String, String>>,
    },
    Verify {
        password: String,
        phc: String,
        reply: oneshot::Sender<bool>,
    },
}

impl HashJob {
    /// Whoever asked has stopped waiting (the client left, or the request timed out).
    fn abandoned(&self) -> bool {
        match self {
            HashJob::Hash { reply, .. } => reply.is_closed(),
            HashJob::Verify { reply, .. } => reply.is_closed(),
        }
    }
}

/// Jobs that may wait per hashing thread: at about 25 ms a hash, the last of them starts
/// within a second. Beyond that a request is refused at once (503, `Retry-After`), not
/// queued to time out after doing nothing.
const WAITING_PER_THREAD: usize = 32;

/// Password hashing is full right now; try again in a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashingBusy;

/// A few threads, one per core, each owning one Argon2 working area. Hashing on them rather
/// than on the general blocking pool bounds both the CPU and the memory passwords can take,
/// and the queue in front of them is bounded too; a job whose request has gone is dropped
/// unrun.
struct HashPool {
    jobs: Mutex<mpsc::Sender<HashJob>>,
    waiting: Arc<AtomicUsize>,
    capacity: usize,
    /// Hashes computed, for tests and the log.
    performed: Arc<AtomicU64>,
}

impl HashPool {
    fn new(threads: usize) -> Result<HashPool, String> {
        let threads = threads.max(1);
        let (tx, rx) = mpsc::channel::<HashJob>();
        let rx = Arc::new(Mutex::new(rx));
        let waiting = Arc::new(AtomicUsize::new(0));
        let performed = Arc::new(AtomicU64::new(0));
        for i in 0..threads {
            let rx = Arc::clone(&rx);
            let waiting = Arc::clone(&waiting);
            let performed = Arc::clone(&performed);
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    // Allocated on first use, so an idle server does not hold 7 MiB a core.
                    let mut memory: Vec<Block> = Vec::new();
                    loop {
                        let job = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        waiting.fetch_sub(1, Ordering::AcqRel);
                        if job.as_ref().is_ok_and(HashJob::abandoned) {
                            continue;
                        }
                        if job.is_ok() {
                            performed.fetch_add(1, Ordering::Relaxed);
                        }
                        match job {
                            Ok(HashJob::Hash {
                                password,
                                salt,
                                reply,
                            }) => {
                                ensure_memory(&mut memory);
                                let _ = reply.send(hash_with(&mut memory, &password, &salt));
                            }
                            Ok(HashJob::Verify {
                                password,
                                phc,
                                reply,
                            }) => {
                                ensure_memory(&mut memory);
                                let _ = reply.send(verify_with(&mut memory, &password, &phc));
                            }
                            Err(_) => return,
                        }
                    }
                })
                .map_err(|e| format!("cannot start password hashing threads: {e}"))?;
        }
        Ok(HashPool {
            jobs: Mutex::new(tx),
            waiting,
            capacity: threads * WAITING_PER_THREAD,
            performed,
        })
    }

    fn has_room(&self) -> bool {
        self.waiting.load(Ordering::Acquire) < self.capacity
    }

    fn submit(&self, job: HashJob) -> Result<(), HashingBusy> {
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.capacity {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(HashingBusy);
        }
        let sent = self.jobs.lock().is_ok_and(|jobs| jobs.send(job).is_ok());
        if !sent {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(HashingBusy);
        }
        Ok(())
    }
}

fn ensure_memory(memory: &mut Vec<Block>) {
    let blocks = default_params().block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
}

fn hash_with(memory: &mut [Block], password: &str, salt: &[u8; 16]) -> Result<String, String> {
    let params = default_params();
    let mut out = [0u8; 32];
    argon2(params.clone())
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, memory)
        .map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(salt).map_err(|e| e.to_string())?;
    let hash = Output::new(&out).map_err(|e| e.to_string())?;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        salt.as_str(),
        hash
    ))
}

/// A hash that matches nothing still costs one Argon2 run, so a wrong password for an
/// account without one (made at the desk) takes as long as for any other account, and
/// timing tells nobody which accounts those are.
fn refuse_with_equal_work(memory: &mut [Block], password: &str) -> bool {
    let _ = hash_with(memory, password, &[0u8; 16]);
    false
}

fn verify_with(memory: &mut [Block], password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return refuse_with_equal_work(memory, password);
    };
    if parsed.algorithm.as_str() != "argon2id" {
        return refuse_with_equal_work(memory, password);
    }
    let (Ok(params), Some(expected), Some(salt)) =
        (Params::try_from(&parsed), parsed.hash, parsed.salt)
    else {
        return refuse_with_equal_work(memory, password);
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::V0x13,
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let blocks = params.block_count();
    let hasher = Argon2::new(Algorithm::Argon2id, version, params);
    let computed = if blocks <= memory.len() {
        hasher.hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut out,
            &mut memory[..blocks],
        )
    } else {
        // Stored with stronger settings than today's default: costlier, still correct.
        hasher.hash_password_into(password.as_bytes(), salt, &mut out)
    };
    // Output's equality is constant-time.
    computed.is_ok() && Output::new(&out).is_ok_and(|o| o == expected)
}

/// Why a new password could not be hashed.
#[derive(Debug)]
pub enum HashFailure {
    Busy,
    Broken(String),
}

pub struct Auth {
    secret: [u8; 32],
    hashing: HashPool,
    verified: Mutex<HashMap<[u8; 32], (User, Instant)>>,
    sessions: Mutex<HashMap<[u8; 32], (User, Timestamp, Instant)>>,
    /// Keys for programs looked up lately, as sessions are: trusted for
    /// `SESSION_CACHE_TTL`, forgotten at once when revoked (on every instance).
    keys: Mutex<HashMap<[u8; 32], (KeyHolder, Instant)>>,
    session_ttl: Duration,
}

impl Auth {
    pub fn new(session_ttl: Duration) -> Result<Auth, String> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Auth {
            secret: random_bytes()?,
            hashing: HashPool::new(cores)?,
            verified: Mutex::new(HashMap::new()),
            sessions: Mutex::new(HashMap::new()),
            keys: Mutex::new(HashMap::new()),
            session_ttl,
        })
    }

    pub fn session_ttl(&self) -> Duration {
        self.session_ttl
    }

    /// A salted Argon2id hash of a new password, as a PHC string.
    pub async fn hash_password(&self, password: &str) -> Result<String, HashFailure> {
        let mut salt = [0u8; 16];
        salt.copy_from_slice(&random_bytes().map_err(HashFailure::Broken)?[..16]);
        let (reply, answer) = oneshot::channel();
        let job = HashJob::Hash {
            password: password.to_string(),
            salt,
            reply,
        };
        self.hashing.submit(job).map_err(|_| HashFailure::Busy)?;
        answer
            .await
            .map_err(|e| HashFailure::Broken(e.to_string()))?
            .map_err(HashFailure::Broken)
    }

    /// Checks a password against a stored PHC string.
    pub async fn verify_password(&self, password: &str, phc: &str) -> Result<bool, HashingBusy> {
        let (reply, answer) = oneshot::channel();
        let job = HashJob::Verify {
            password: password.to_string(),
            phc: phc.to_string(),
            reply,
        };
        self.hashing.submit(job)?;
        Ok(answer.await.unwrap_or(false))
    }

    /// Whether a password check would be queued now rather than refused as busy.
    pub fn hashing_has_room(&self) -> bool {
        self.hashing.has_room()
    }

    /// Password checks and hashes waiting for a hashing thread.
    pub fn hashing_waiting(&self) -> usize {
        self.hashing.waiting.load(Ordering::Acquire)
    }

    /// Password hashes computed so far (jobs dropped unrun are not counted).
    pub fn hashes_performed(&self) -> u64 {
        self.hashing.performed.load(Ordering::Relaxed)
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

    /// The user of a session looked up recently, while it has not expired.
    pub fn cached_session(&self, digest: &[u8; 32]) -> Option<User> {
        let cache = self.sessions.lock().ok()?;
        match cache.get(digest) {
            Some((user, expires, at))
                if at.elapsed() < SESSION_CACHE_TTL && Timestamp::now() < *expires =>
            {
                Some(user.clone())
            }
            _ => None,
        }
    }

    pub fn cache_session(&self, digest: [u8; 32], user: &User, expires: Timestamp) {
        if let Ok(mut cache) = self.sessions.lock() {
            if cache.len() >= SESSION_CACHE_CAPACITY {
                cache.retain(|_, (_, _, at)| at.elapsed() < SESSION_CACHE_TTL);
                if cache.len() >= SESSION_CACHE_CAPACITY {
                    cache.clear();
                }
            }
            cache.insert(digest, (user.clone(), expires, Instant::now()));
        }
    }

    /// Forgets every password verified for the account `user_id`: after a password change
    /// the old one must not pass on the strength of a remembered check.
    pub fn forget_passwords_of(&self, user_id: i64) {
        if let Ok(mut cache) = self.verified.lock() {
            cache.retain(|_, (user, _)| user.id != user_id);
        }
    }

    /// Forgets a session, or a key for programs (revoked keys are told on the channel that
    /// tells of ended sessions).
    pub fn forget_session(&self, digest: &[u8; 32]) {
        if let Ok(mut cache) = self.sessions.lock() {
            cache.remove(digest);
        }
        if let Ok(mut cache) = self.keys.lock() {
            cache.remove(digest);
        }
    }

    /// Forgets every key looked up: after a revocation here, before its notice comes round.
    pub fn forget_keys(&self) {
        if let Ok(mut cache) = self.keys.lock() {
            cache.clear();
        }
    }

    pub fn cached_key(&self, digest: &[u8; 32]) -> Option<KeyHolder> {
        let cache = self.keys.lock().ok()?;
        match cache.get(digest) {
            Some((key, at)) if at.elapsed() < SESSION_CACHE_TTL => Some(key.clone()),
            _ => None,
        }
    }

    pub fn cache_key(&self, digest: [u8; 32], key: &KeyHolder) {
        if let Ok(mut cache) = self.keys.lock() {
            // Only keys that exist are cached, so a flood of made-up keys cannot fill it;
            // the bound is for safety alone.
            if cache.len() >= 1_000 {
                cache.clear();
            }
            cache.insert(digest, (key.clone(), Instant::now()));
        }
    }
}

/// A new session token (256 random bits, hex) and the digest that is stored in its place.
pub fn new_session_token() -> Result<(String, [u8; 32]), String> {
    let token = hex::encode(random_bytes()?);
    let digest = token_digest(&token);
    Ok((token, digest))
}

/// A new key for programs (`hk_` and 256 random bits in hex), the digest kept in its place,
/// and its last four characters to tell it apart in lists.
pub struct NewKey {
    pub secret: String,
    pub digest: [u8; 32],
    pub ends_with: String,
}

pub fn new_api_key() -> Result<NewKey, String> {
    let secret = format!(
        "{}{}",
        crate::domain::api_keys::KEY_PREFIX,
        hex::encode(random_bytes()?)
    );
    let digest = token_digest(&secret);
    let ends_with = secret[secret.len() - 4..].to_string();
    Ok(NewKey {
        secret,
        digest,
        ends_with,
    })
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
        assert!(a.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{a}");
        assert_ne!(a, b, "same password, different salts");
        assert_eq!(auth.verify_password("correct horse", &a).await, Ok(true));
        assert_eq!(auth.verify_password("wrong horse", &a).await, Ok(false));
        assert_eq!(
            auth.verify_password("correct horse", "not a phc string")
                .await,
            Ok(false)
        );
        // The stored form is standard: the argon2 crate's own verifier accepts it.
        use argon2::password_hash::PasswordVerifier;
        let parsed = PasswordHash::new(&a).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            Argon2::default()
                .verify_password(b"correct horse", &parsed)
                .is_ok()
        );
    }

    #[tokio::test]
    async fn hashes_made_elsewhere_verify() {
        use argon2::password_hash::PasswordHasher;
        let auth = Auth::new(Duration::from_secs(60)).unwrap_or_else(|e| panic!("{e}"));
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap_or_else(|e| panic!("{e}"));
        // Other (cheaper) parameters than ours: they are read from the PHC string.
        let params = Params::new(8 * 1024, 1, 1, None).unwrap_or_else(|e| panic!("{e}"));
        let phc = argon2(params)
            .hash_password(b"swordfish!", &salt)
            .unwrap_or_else(|e| panic!("{e}"))
            .to_string();
        assert_eq!(auth.verify_password("swordfish!", &phc).await, Ok(true));
        assert_eq!(auth.verify_password("swordfish?", &phc).await, Ok(false));
        let argon2i = phc.replace("$argon2id$", "$argon2i$");
        assert_eq!(
            auth.verify_password("swordfish!", &argon2i).await,
            Ok(false)
        );
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_abandoned_jobs_never_run() {
        let pool = HashPool::new(1).unwrap_or_else(|e| panic!("{e}"));
        let mut waiting = Vec::new();
        let mut busy = 0;
        for _ in 0..(WAITING_PER_THREAD + 10) {
            let (reply, answer) = oneshot::channel();
            let job = HashJob::Verify {
                password: "guess".into(),
                phc: "not a phc string".into(),
                reply,
            };
            match pool.submit(job) {
                Ok(()) => waiting.push(answer),
                Err(HashingBusy) => busy += 1,
            }
        }
        assert!(busy >= 8, "only {busy} of 42 refused with room for 33");
        // Every asker leaves: what has not started yet must not run at all.
        drop(waiting);
        let deadline = Instant::now() + Duration::from_secs(20);
        while pool.waiting.load(Ordering::Acquire) > 0 {
            assert!(Instant::now() < deadline, "the queue never drained");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let performed = pool.performed.load(Ordering::Relaxed);
        assert!(performed <= 3, "{performed} hashes computed for nobody");
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
    fn tokens_are_random_and_stored_as_digests() {
        let (t1, d1) = new_session_token().unwrap_or_default();
        let (t2, _) = new_session_token().unwrap_or_default();
        assert_eq!(t1.len(), 64);
        assert_ne!(t1, t2);
        assert_eq!(d1, token_digest(&t1));
        assert_ne!(hex::encode(d1), t1);
    }
}
