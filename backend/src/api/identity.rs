//! Turning a request into a signed-in user, and the extractors that do it for a handler.

use axum::extract::FromRequestParts;
use axum::http::HeaderValue;
use axum::http::request::Parts;
use hotel_shared::{ErrorBody, ErrorCode, SESSION_COOKIE};
use serde_json::{Map, Value};

use std::net::IpAddr;

use crate::auth::{HashFailure, token_digest};
use crate::domain::accounts::{
    NO_PASSWORD, PasswordRefusal, Role, User, check_new_password, check_username,
    normalize_username, sign_in_wait,
};
use crate::domain::api_keys::{KEY_PREFIX, KeyHolder, Need, USE_NOTED_EVERY, actor_name, need};
use crate::domain::limits::{RateLimit, client_subject};
use crate::error::{AppError, AppResult, Unauthorized};
use crate::extract::{Caller, text};
use crate::state::AppState;
use crate::store::ops::Actor;
use crate::store::ops::accounts::{
    ClearSignInFailures, CountAddressFailure, CreateAccount, FindAccount, ReserveSignIn,
    SessionUser, SignInFailures,
};
use crate::store::ops::api_keys::{KeyByDigest, TouchKey};
use crate::store::ops::limits::CountRequest;
use utoipa::IntoResponses;

/// How a request says who it is.
pub enum Identity {
    /// `username` and `password` in the body, as the original protocol sends them.
    Password { username: String, password: String },
    /// A session token from `Authorization: Bearer` or the session cookie.
    Session(String),
}

impl Identity {
    /// Body credentials win when both are present (an old client ignores cookies); otherwise
    /// the session. `None` when the request carries neither.
    ///
    /// A body that names credentials at all must name both: `{"username": ""}` beside a
    /// token is a mistake to point out, not a reason to fall back to the token.
    pub fn of(body: &Map<String, Value>, caller: &Caller) -> Option<Identity> {
        match (text(body, "username"), text(body, "password")) {
            (Some(username), Some(password)) => Some(Identity::Password {
                username: normalize_username(&username),
                password,
            }),
            _ if names_credentials(body) => None,
            _ => caller.token.clone().map(Identity::Session),
        }
    }
}

fn names_credentials(body: &Map<String, Value>) -> bool {
    body.contains_key("username") || body.contains_key("password")
}

/// What to do when the username is unknown.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// 404 "User not found.", as the original protocol says it to its own clients.
    Refuse,
    /// The same answer as a wrong password: nobody learns which names have accounts.
    RefuseAsWrongPassword,
    /// The original server registered guests on their first booking.
    Register,
}

pub async fn authenticate(
    state: &AppState,
    identity: Identity,
    caller: &Caller,
    unknown: Unknown,
) -> AppResult<User> {
    match identity {
        Identity::Session(token) if token.starts_with(KEY_PREFIX) => Err(AppError::Refused {
            status: axum::http::StatusCode::FORBIDDEN,
            code: ErrorCode::ScopeMissing,
            message: "API keys open the staff endpoints (/staff/…) and /events only.".into(),
        }),
        Identity::Session(token) => {
            let digest = token_digest(&token);
            if let Some(user) = state.auth.cached_session(&digest) {
                return Ok(user);
            }
            let (user, expires) = state
                .store
                .run(SessionUser {
                    token_digest: digest,
                })
                .await?
                .ok_or(AppError::Unauthorized(Unauthorized::SessionExpired))?;
            state.auth.cache_session(digest, &user, expires);
            Ok(user)
        }
        Identity::Password { username, password } => {
            let attempt = Attempt {
                username,
                ip: caller.ip,
                now: jiff::Timestamp::now().as_second(),
            };
            // The throttle decides first, whatever the password: a locked-out address hears
            // the same 429 for a right password as for a wrong one, even one verified a
            // moment ago and remembered.
            let (for_name, for_address) = state
                .store
                .run(SignInFailures {
                    username: attempt.username.clone(),
                    ip: client_subject(attempt.ip),
                })
                .await?;
            if let Some(wait) = sign_in_wait(for_name, for_address, attempt.now) {
                return Err(AppError::SignInThrottled(wait));
            }
            if let Some(user) = state.auth.recently_verified(&attempt.username, &password) {
                return Ok(user);
            }
            let Some(account) = find_account(state, &attempt.username).await? else {
                return match unknown {
                    Unknown::Register => register_on_first_use(state, &attempt, &password).await,
                    Unknown::Refuse | Unknown::RefuseAsWrongPassword => {
                        refuse_unknown(state, &attempt, &password, unknown).await
                    }
                };
            };
            check_password(state, &attempt, &password, account).await
        }
    }
}

/// A sign-in with a password: who, from where, when (Unix seconds).
struct Attempt {
    username: String,
    ip: IpAddr,
    now: i64,
}

/// An unknown name costs what a wrong password costs: an attempt counted against the address
/// and one Argon2 run, so neither the count nor the time tells that the name is unknown.
async fn refuse_unknown(
    state: &AppState,
    attempt: &Attempt,
    password: &str,
    unknown: Unknown,
) -> AppResult<User> {
    reserve_attempt(state, attempt).await?;
    state
        .auth
        .verify_password(password, NO_PASSWORD)
        .await
        .map_err(|_| AppError::Busy)?;
    count_address_failure(state, attempt).await?;
    Err(match unknown {
        Unknown::RefuseAsWrongPassword => AppError::Unauthorized(Unauthorized::WrongPassword),
        _ => AppError::NotFound("User not found.".into()),
    })
}

/// Counts a password check against the address and the name before it runs, or says how
/// long to wait. A check that could not run (hashing is full) must not count against the
/// account's owner, so room is looked for first.
async fn reserve_attempt(state: &AppState, attempt: &Attempt) -> AppResult<()> {
    if !state.auth.hashing_has_room() {
        return Err(AppError::Busy);
    }
    let refused = state
        .store
        .run(ReserveSignIn {
            username: attempt.username.clone(),
            ip: client_subject(attempt.ip),
            now: attempt.now,
        })
        .await?;
    match refused {
        Some(wait) => Err(AppError::SignInThrottled(wait)),
        None => Ok(()),
    }
}

async fn count_address_failure(state: &AppState, attempt: &Attempt) -> AppResult<()> {
    state
        .store
        .run(CountAddressFailure {
            ip: client_subject(attempt.ip),
            now: attempt.now,
        })
        .await?;
    Ok(())
}

/// Reserves an attempt, checks the password, and settles: a right password clears the
/// address's failures, a wrong one leaves the reserved attempt counted.
async fn check_password(
    state: &AppState,
    attempt: &Attempt,
    password: &str,
    account: crate::domain::accounts::Account,
) -> AppResult<User> {
    reserve_attempt(state, attempt).await?;
    let verified = state
        .auth
        .verify_password(password, &account.password_hash)
        .await
        .map_err(|_| AppError::Busy)?;
    if !verified {
        count_address_failure(state, attempt).await?;
        return Err(AppError::Unauthorized(Unauthorized::WrongPassword));
    }
    state
        .store
        .run(ClearSignInFailures {
            username: attempt.username.clone(),
            ip: client_subject(attempt.ip),
        })
        .await?;
    state
        .auth
        .remember_verified(&attempt.username, password, &account.user);
    Ok(account.user)
}
/// The user of the request's session (bearer token or cookie): 401 without a live one.
/// For endpoints that take sessions only, never passwords in the body.
pub struct SignedIn(pub User);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let token = caller
            .token
            .clone()
            .ok_or(AppError::Unauthorized(Unauthorized::NotSignedIn))?;
        authenticate(state, Identity::Session(token), &caller, Unknown::Refuse)
            .await
            .map(SignedIn)
    }
}

/// The signed-in member of staff, or a program with an API key whose scopes cover the
/// request: 401 without a live session or key, 403 for a guest or a key without the scope.
pub struct StaffMember(Actor);

impl StaffMember {
    /// How the audit log names this member of staff (or key).
    pub fn actor(&self) -> Actor {
        self.0.clone()
    }
}

impl FromRequestParts<AppState> for StaffMember {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if let Some(token) = caller.token.as_deref()
            && token.starts_with(KEY_PREFIX)
        {
            let key = key_holder(state, token).await?;
            return match need(parts.method.as_str(), parts.uri.path()) {
                Need::Scope(scope) if key.scopes.contains(&scope) => {
                    Ok(StaffMember(Actor(actor_name(&key.name))))
                }
                Need::Scope(scope) => Err(AppError::Refused {
                    status: axum::http::StatusCode::FORBIDDEN,
                    code: ErrorCode::ScopeMissing,
                    message: format!(
                        "This API key lacks the {} scope this request needs.",
                        scope.as_str()
                    ),
                }),
                Need::Person => Err(AppError::Refused {
                    status: axum::http::StatusCode::FORBIDDEN,
                    code: ErrorCode::ScopeMissing,
                    message: "No API key may do this: a member of staff signs in for it.".into(),
                }),
            };
        }
        let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
        if user.role == Role::Staff {
            Ok(StaffMember(Actor(user.username)))
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The live key a request carries, noting its use at most once a minute.
async fn key_holder(state: &AppState, token: &str) -> AppResult<KeyHolder> {
    let digest = token_digest(token);
    if let Some(key) = state.auth.cached_key(&digest) {
        return Ok(key);
    }
    let key = state
        .store
        .run(KeyByDigest { digest })
        .await?
        .ok_or(AppError::Unauthorized(Unauthorized::KeyInvalid))?;
    let now = jiff::Timestamp::now().as_second();
    if key
        .last_used_at
        .is_none_or(|at| now - at >= USE_NOTED_EVERY)
    {
        state.store.run(TouchKey { id: key.id }).await?;
    }
    state.auth.cache_key(digest, &key);
    Ok(key)
}

/// Someone who looks after the rooms: a housekeeper or a member of staff. 401 without a live
/// session, 403 for a guest.
pub struct RoomsCrew(pub User);

impl RoomsCrew {
    pub fn actor(&self) -> Actor {
        Actor(self.0.username.clone())
    }
}

impl FromRequestParts<AppState> for RoomsCrew {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
        match user.role {
            Role::Staff | Role::Housekeeper => Ok(RoomsCrew(user)),
            Role::Guest | Role::Unknown => Err(AppError::Forbidden),
        }
    }
}

/// Counts one request against rate limits of the hotel (those turned on), in one write;
/// 429 when any is used up.
pub async fn count_request(
    state: &AppState,
    counts: &[(RateLimit, String)],
    refusal: (ErrorCode, &'static str),
) -> AppResult<()> {
    let counts: Vec<(RateLimit, String)> = counts
        .iter()
        .filter(|(limit, _)| limit.is_on())
        .cloned()
        .collect();
    if counts.is_empty() {
        return Ok(());
    }
    let full = state
        .store
        .run(CountRequest {
            counts,
            now: jiff::Timestamp::now().as_second(),
        })
        .await?;
    match full {
        Some(wait) => Err(AppError::RateLimited {
            code: refusal.0,
            message: refusal.1,
            wait,
        }),
        None => Ok(()),
    }
}

/// Creates a guest account for a client at `ip` after checking the rules for new ones; 409
/// when the name is taken, 429 when the address has made its hour's accounts.
/// A new guest's name and e-mail address, checked; both optional (the original protocol's
/// first booking registers with neither).
#[derive(Debug, Default)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub language: hotel_shared::Language,
}

pub async fn register(
    state: &AppState,
    ip: IpAddr,
    username: &str,
    password: &str,
    contact: Contact,
) -> AppResult<User> {
    check_username(username).map_err(AppError::BadRequest)?;
    check_new_password(username, password).map_err(password_refusal)?;
    count_request(
        state,
        &[(
            RateLimit::signups_per_hour(state.signups_per_hour),
            client_subject(ip),
        )],
        (
            ErrorCode::TooManySignups,
            "Too many new accounts from your network.",
        ),
    )
    .await?;
    let hash = state
        .auth
        .hash_password(password)
        .await
        .map_err(|e| match e {
            HashFailure::Busy => AppError::Busy,
            HashFailure::Broken(detail) => AppError::Internal(detail),
        })?;
    // Whoever signs up with an address is mailed a link to confirm it is theirs.
    let verification = match &contact.email {
        Some(_) => {
            let (token, digest) = crate::auth::new_session_token().map_err(AppError::Internal)?;
            Some(crate::store::ops::verification::NewLink { token, digest })
        }
        None => None,
    };
    let user = state
        .store
        .run(CreateAccount {
            actor: None,
            username: username.to_string(),
            password_hash: hash,
            role: Role::Guest,
            name: contact.name,
            email: contact.email,
            language: contact.language,
            verification,
        })
        .await?;
    state.auth.remember_verified(username, password, &user);
    Ok(user)
}

/// First use of an unknown name registers it. When two first requests of one new guest race,
/// the loser finds the account made and signs in against it like anyone else.
async fn register_on_first_use(
    state: &AppState,
    attempt: &Attempt,
    password: &str,
) -> AppResult<User> {
    match register(
        state,
        attempt.ip,
        &attempt.username,
        password,
        Contact::default(),
    )
    .await
    {
        Err(AppError::Domain(crate::domain::DomainError::UsernameTaken)) => {
            let account = find_account(state, &attempt.username)
                .await?
                .ok_or_else(|| {
                    AppError::Internal("account missing right after a name clash".into())
                })?;
            check_password(state, attempt, password, account).await
        }
        other => other,
    }
}

pub async fn find_account(
    state: &AppState,
    username: &str,
) -> AppResult<Option<crate::domain::accounts::Account>> {
    Ok(state
        .store
        .run(FindAccount {
            username: username.to_string(),
        })
        .await?)
}

/// A refused new password as the client hears it.
pub fn password_refusal(refusal: PasswordRefusal) -> AppError {
    AppError::Refused {
        status: axum::http::StatusCode::BAD_REQUEST,
        code: refusal.code(),
        message: refusal.message(),
    }
}

/// `Set-Cookie` for a new session.
pub fn session_cookie(token: &str, max_age_secs: u64, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_secs}{secure}"
    ))
    .ok()
}

/// `Set-Cookie` that removes the session cookie.
pub fn cleared_cookie() -> HeaderValue {
    HeaderValue::from_static("hotel_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
}

/// How every staff endpoint refuses a caller who is not signed in as staff (nor carries an
/// API key with the scope the request needs).
#[derive(IntoResponses)]
// Only described, never built: the refusals themselves are `AppError`s from `StaffMember`.
#[allow(dead_code)]
pub(crate) enum StaffOnly {
    /// Not signed in, the session ended, or the API key is unknown or revoked.
    #[response(status = 401)]
    NotSignedIn(ErrorBody),
    /// Signed in, but not as staff; or an API key without the scope (`scope_missing`).
    #[response(status = 403)]
    NotStaff(ErrorBody),
}
