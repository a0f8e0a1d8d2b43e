//! Running commands and installing the tools the project needs, only when they are missing.

use std::path::PathBuf;
use std::process::Command;

use crate::Result;

pub fn workspace_root() -> Result<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(PathBuf::from)
        .ok_or_else(|| "cannot find the workspace root".into())
}

fn cargo_bin() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Runs cargo in the workspace root, failing on a non-zero exit.
pub fn cargo(args: &[&str]) -> Result {
    run_in_root(&cargo_bin(), args)
}

pub fn run_in_root(program: &str, args: &[&str]) -> Result {
    let root = workspace_root()?;
    let status = Command::new(program)
        .args(args)
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{program} {}` exited with {status}",
            args.join(" ")
        ))
    }
}

fn succeeds(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// rustfmt and clippy come with most toolchains; add them where they do not.
pub fn ensure_rust_components() -> Result {
    for (component, probe) in [("rustfmt", "fmt"), ("clippy", "clippy")] {
        if !succeeds(&cargo_bin(), &[probe, "--version"]) {
            println!("xtask: installing the {component} component");
            run_in_root("rustup", &["component", "add", component])?;
        }
    }
    Ok(())
}

/// Where cargo puts build output (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> Result<PathBuf> {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            Ok(if dir.is_absolute() {
                dir
            } else {
                workspace_root()?.join(dir)
            })
        }
        None => Ok(workspace_root()?.join("target")),
    }
}
