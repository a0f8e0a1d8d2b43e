//! Keys for programs (channel managers, accounting, door locks): made and revoked by staff,
//! used as `Authorization: Bearer hk_…`, each with the scopes it may use.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// What a key may do. `read`: every staff read and `GET /events`; `bookings`: make, change,
/// cancel, check in and out bookings and write their guests; `rates`: the rates calendar,
/// rate plans and out-of-service ranges.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Read,
    Bookings,
    Rates,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Read, Scope::Bookings, Scope::Rates];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Bookings => "bookings",
            Scope::Rates => "rates",
        }
    }

    pub fn parse(word: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// `POST /staff/api-keys`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiKeyInput {
    /// What the key is for, as the audit log names it: lower-case letters, digits, `.`, `_`
    /// and `-` (`channel-manager`).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 40,
            pattern = "^[a-z0-9][a-z0-9._-]{0,39}$"
        )
    )]
    pub name: String,
    /// One or more of `read`, `bookings`, `rates` (a scope named twice counts once).
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub scopes: Vec<Scope>,
}

/// A key as listed: never its secret, which only the answer that made it holds.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// The key's last four characters, to tell keys apart.
    pub ends_with: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    /// Who made it: a member of staff, or `hotel-server` on the command line.
    pub created_by: String,
    /// When it was last used, to the minute (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub last_used_at: Option<String>,
    /// When it was revoked (RFC 3339); a revoked key opens nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub revoked_at: Option<String>,
}

/// The answer that makes a key: the only time its secret is shown.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewApiKey {
    #[serde(flatten)]
    pub key: ApiKey,
    /// Send as `Authorization: Bearer …`. Kept only as a digest: lost, it cannot be shown
    /// again; make a new key and revoke this one.
    #[cfg_attr(feature = "openapi", schema(pattern = "^hk_[0-9a-f]{64}$"))]
    pub secret: String,
}

/// `GET /staff/api-keys[?limit=N&cursor=…]`: every key, revoked ones too, by id.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiKeyList {
    pub keys: Vec<ApiKey>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
