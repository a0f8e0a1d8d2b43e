//! The saved sign-in of `hotel login`, kept in the user's config directory (mode 0600).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct Saved {
    pub server: String,
    pub username: String,
    pub token: String,
    pub expires_at: String,
}

/// `$HOTEL_CONFIG_DIR`, else `$XDG_CONFIG_HOME/hotel`, else `~/.config/hotel`.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("HOTEL_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CONFIG_HOME") {
        return Some(PathBuf::from(dir).join("hotel"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config").join("hotel"))
}

fn file() -> Option<PathBuf> {
    config_dir().map(|d| d.join("session.json"))
}

/// The saved session for this server, if any.
pub fn load(server: &str) -> Option<Saved> {
    let text = std::fs::read_to_string(file()?).ok()?;
    let saved: Saved = serde_json::from_str(&text).ok()?;
    (saved.server == server).then_some(saved)
}

pub fn save(saved: &Saved) -> Result<PathBuf, String> {
    let path = file().ok_or("no config directory (set HOME or HOTEL_CONFIG_DIR)")?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(saved).map_err(|e| e.to_string())?;
    write_private(&path, text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

pub fn forget() {
    if let Some(path) = file() {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    // Created 0600 from the start, so the token is never readable by others, even briefly.
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}
