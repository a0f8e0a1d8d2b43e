//! `hotel-server staff …`: what only someone with the server's database may do. No API
//! endpoint raises a role, so nobody can make themselves staff over the network.

use std::io::{BufRead, IsTerminal};

use crate::auth::Auth;
use crate::config::{Config, KeyAction, Setting, StaffAction};
use crate::domain::accounts::{Role, check_new_password, check_username, normalize_username};
use crate::domain::api_keys::{check_name, parse_scopes};
use crate::store::StoreError;
use crate::store::ops::Actor;
use crate::store::ops::accounts::{CreateAccount, SetRole};
use crate::store::ops::api_keys::{CreateKey, KeyRef, ListKeys, RevokeKey};
use crate::store::ops::hotel::SetTimezone;
use crate::store::ops::passwords::SetPassword;

fn describe(e: StoreError) -> String {
    match e {
        StoreError::Domain(d) => d.message(),
        StoreError::Database(detail) => format!("database error: {detail}"),
        StoreError::Unavailable | StoreError::Collision => "the database is busy; try again".into(),
        StoreError::Lost => "the database file was deleted or replaced while in use".into(),
        StoreError::Unconfirmed => "the database did not confirm the change; check it".into(),
        StoreError::KeyTaken => "another request made this change first".into(),
    }
}

/// Reads the new password: twice without echo on a terminal, else one line of stdin (for
/// scripts and set-up tools).
fn read_password(prompt: &str) -> Result<String, String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(prompt)
            .map_err(|e| format!("cannot read the password: {e}"))?;
        let again = rpassword::prompt_password("Same password again: ")
            .map_err(|e| format!("cannot read the password: {e}"))?;
        if first != again {
            return Err("the two passwords differ; nothing was changed".into());
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password: {e}"))?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

/// Changes one setting the hotel keeps with its data, and says what it did.
pub async fn settings(config: &Config, setting: &Setting) -> Result<String, String> {
    match setting {
        Setting::Timezone { zone } => {
            // Checked before the store opens, and opened without --timezone: this is the way
            // to change the zone the hotel keeps.
            let zone = crate::domain::clock::HotelClock::new(Some(zone))?
                .name()
                .to_string();
            let store = Config {
                timezone: None,
                ..config.clone()
            }
            .open_store()
            .await?;
            let outcome = store
                .run(SetTimezone {
                    actor: Actor::command_line(),
                    zone: zone.clone(),
                })
                .await;
            store.close().await;
            let before = outcome.map_err(describe)?;
            Ok(format!(
                "The hotel's time zone is now {zone} (it was {before}). A running server takes \
                 it at its next start."
            ))
        }
    }
}

/// Runs one `api-key` action and says what it did.
pub async fn api_key(config: &Config, action: &KeyAction) -> Result<String, String> {
    let store = config.open_store().await?;
    let outcome = api_key_on(&store, action).await;
    store.close().await;
    outcome
}

async fn api_key_on(store: &crate::store::Store, action: &KeyAction) -> Result<String, String> {
    let actor = Actor::command_line();
    match action {
        KeyAction::Create { name, scopes } => {
            check_name(name)?;
            let scopes = parse_scopes(scopes)?;
            let new = crate::auth::new_api_key()?;
            let key = store
                .run(CreateKey {
                    actor,
                    name: name.clone(),
                    scopes,
                    digest: new.digest,
                    ends_with: new.ends_with,
                })
                .await
                .map_err(describe)?;
            Ok(format!(
                "{}\nThat is API key {} ({}); it is shown this once. Programs send it in \
                 the Authorization header.",
                new.secret,
                key.name,
                scope_words(&key.scopes)
            ))
        }
        KeyAction::List => {
            let mut lines = Vec::new();
            let mut after = 0;
            loop {
                let page = store
                    .run(ListKeys { after, limit: 500 })
                    .await
                    .map_err(describe)?;
                let Some(last) = page.last() else { break };
                after = last.id;
                for key in &page {
                    let state = match (&key.revoked_at, &key.last_used_at) {
                        (Some(at), _) => format!("revoked {at}"),
                        (None, Some(at)) => format!("last used {at}"),
                        (None, None) => "never used".into(),
                    };
                    lines.push(format!(
                        "{}  …{}  {}  {state}",
                        key.name,
                        key.ends_with,
                        scope_words(&key.scopes)
                    ));
                }
            }
            if lines.is_empty() {
                Ok("No API keys.".into())
            } else {
                Ok(lines.join("\n"))
            }
        }
        KeyAction::Revoke { name } => store
            .run(RevokeKey {
                actor,
                key: KeyRef::Name(name.clone()),
            })
            .await
            .map_err(describe)
            .map(|key| {
                format!(
                    "API key {} is revoked (a running server may let it in for up to {} \
                     more seconds).",
                    key.name,
                    crate::auth::SESSION_CACHE_TTL.as_secs()
                )
            }),
    }
}

fn scope_words(scopes: &[hotel_shared::keys::Scope]) -> String {
    let words: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    words.join(", ")
}

/// Runs one `staff` action and says what it did.
pub async fn staff(config: &Config, action: &StaffAction) -> Result<String, String> {
    let store = config.open_store().await?;
    let actor = Actor::command_line();
    let outcome = match action {
        StaffAction::Create { username } => {
            let username = normalize_username(username);
            check_username(&username)?;
            let password = read_password("Password for the new staff account: ")?;
            check_new_password(&username, &password).map_err(|e| e.message())?;
            let auth = Auth::new(config.session_ttl())?;
            let password_hash = auth
                .hash_password(&password)
                .await
                .map_err(|e| format!("cannot hash the password: {e:?}"))?;
            store
                .run(CreateAccount {
                    actor: Some(actor),
                    username: username.clone(),
                    password_hash,
                    role: Role::Staff,
                    name: None,
                    email: None,
                    language: hotel_shared::Language::default(),
                    verification: None,
                })
                .await
                .map(|_| format!("Created staff account {username}."))
        }
        StaffAction::Password { username } => {
            let username = normalize_username(username);
            let password = read_password(&format!("New password for {username}: "))?;
            check_new_password(&username, &password).map_err(|e| e.message())?;
            let auth = Auth::new(config.session_ttl())?;
            let password_hash = auth
                .hash_password(&password)
                .await
                .map_err(|e| format!("cannot hash the password: {e:?}"))?;
            store
                .run(SetPassword {
                    actor,
                    username: username.clone(),
                    password_hash,
                })
                .await
                .map(|ended| {
                    format!(
                        "{username} has a new password; {} session{} ended (a running server \
                         may still honour one, or the old password, for up to {} seconds).",
                        ended.len(),
                        if ended.len() == 1 { "" } else { "s" },
                        crate::auth::SESSION_CACHE_TTL.as_secs()
                    )
                })
        }
        StaffAction::Grant { username } => store
            .run(SetRole {
                actor,
                username: normalize_username(username),
                role: Role::Staff,
            })
            .await
            .map(|u| format!("{} is now staff.", u.username)),
        StaffAction::Housekeeper { username } => store
            .run(SetRole {
                actor,
                username: normalize_username(username),
                role: Role::Housekeeper,
            })
            .await
            .map(|u| format!("{} is now a housekeeper.", u.username)),
        StaffAction::Revoke { username } => store
            .run(SetRole {
                actor,
                username: normalize_username(username),
                role: Role::Guest,
            })
            .await
            .map(|u| {
                format!(
                    "{} is a guest again (sessions already open keep staff rights for up to {} seconds).",
                    u.username,
                    crate::auth::SESSION_CACHE_TTL.as_secs()
                )
            }),
    };
    store.close().await;
    outcome.map_err(describe)
}
