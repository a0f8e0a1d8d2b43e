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

/// Like [`cargo`], with extra environment variables for that run.
pub fn cargo_with_env(args: &[&str], env: &[(&str, &str)]) -> Result {
    let status = Command::new(cargo_bin())
        .args(args)
        .envs(env.iter().copied())
        .current_dir(workspace_root()?)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` exited with {status}", args.join(" ")))
    }
}

/// Runs `program` in `dir` with extra environment variables, failing on a non-zero exit.
pub fn run_with_env(
    program: &std::path::Path,
    args: &[&str],
    dir: &std::path::Path,
    env: &[(&str, &str)],
) -> Result {
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{} {}` exited with {status}",
            program.display(),
            args.join(" ")
        ))
    }
}

/// The path of the integration test binary `name` as `cargo test --workspace` builds it
/// (built now if it is not yet, which after `cargo test --workspace` it always is).
pub fn test_executable(name: &str) -> Result<PathBuf> {
    let output = Command::new(cargo_bin())
        .args(["test", "--workspace", "--no-run", "--message-format=json"])
        .current_dir(workspace_root()?)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err("building the tests failed".into());
    }
    let wanted = format!("\"kind\":[\"test\"],\"crate_types\":[\"bin\"],\"name\":\"{name}\"");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| line.contains(&wanted))
        .find_map(|line| {
            let start = line.find("\"executable\":\"")? + "\"executable\":\"".len();
            let end = start + line[start..].find('"')?;
            Some(PathBuf::from(&line[start..end]))
        })
        .ok_or_else(|| format!("cargo built no test named {name}"))
}

/// Bytes of the files in `dir` with these extensions after gzip, as a browser downloads them.
pub fn gzipped_size(dir: &std::path::Path, extensions: &[&str]) -> Result<u64> {
    use std::io::Write;
    let mut total = 0u64;
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if extensions.contains(&ext) {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gz.write_all(&bytes).map_err(|e| e.to_string())?;
            total += gz.finish().map_err(|e| e.to_string())?.len() as u64;
        }
    }
    Ok(total)
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

/// schemathesis from PyPI, in a virtual environment of its own.
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// The `st` command of schemathesis, installed (once) into the tools directory.
pub fn ensure_schemathesis() -> Result<PathBuf> {
    let venv = python_packages(
        &format!("schemathesis-{SCHEMATHESIS_VERSION}"),
        &[format!("schemathesis=={SCHEMATHESIS_VERSION}")],
    )?;
    Ok(venv.join("bin/st"))
}

/// The OpenAPI document is checked with openapi-spec-validator, as client generators read it.
pub const OPENAPI_SPEC_VALIDATOR_VERSION: &str = "0.9.0";

pub fn ensure_openapi_spec_validator() -> Result<PathBuf> {
    let venv = python_packages(
        &format!("openapi-spec-validator-{OPENAPI_SPEC_VALIDATOR_VERSION}"),
        &[format!(
            "openapi-spec-validator=={OPENAPI_SPEC_VALIDATOR_VERSION}"
        )],
    )?;
    Ok(venv.join("bin/openapi-spec-validator"))
}

/// A client generated from the OpenAPI document must cover every operation and book.
pub const OPENAPI_PYTHON_CLIENT_VERSION: &str = "0.29.1";

/// The `openapi-python-client` command; its environment also runs the generated client (it
/// brings httpx and attrs).
pub fn ensure_openapi_python_client() -> Result<PathBuf> {
    let venv = python_packages(
        &format!("openapi-python-client-{OPENAPI_PYTHON_CLIENT_VERSION}"),
        &[format!(
            "openapi-python-client=={OPENAPI_PYTHON_CLIENT_VERSION}"
        )],
    )?;
    Ok(venv.join("bin"))
}

/// The mail server the tests send to: aiosmtpd, with icalendar to read the calendar entries
/// back, from PyPI in a virtual environment of their own.
pub const AIOSMTPD_VERSION: &str = "1.4.6";
pub const ICALENDAR_VERSION: &str = "7.3.2";

/// The Python that runs the tests' mail server (`backend/tests/api/helpers/smtp_sink.py`),
/// installed (once) into the tools directory.
pub fn ensure_smtp_sink() -> Result<PathBuf> {
    let venv = python_packages(
        &format!("smtp-sink-{AIOSMTPD_VERSION}-{ICALENDAR_VERSION}"),
        &[
            format!("aiosmtpd=={AIOSMTPD_VERSION}"),
            format!("icalendar=={ICALENDAR_VERSION}"),
        ],
    )?;
    Ok(venv.join("bin/python"))
}

/// A virtual environment `name` in the tools directory with `packages` from PyPI, made once.
/// A marker written after pip succeeds tells a whole install from one cut off half-way.
fn python_packages(name: &str, packages: &[String]) -> Result<PathBuf> {
    let venv = tools_dir().join(name);
    let done = venv.join("installed");
    if done.is_file() {
        return Ok(venv);
    }
    println!("xtask: installing {} (PyPI)", packages.join(", "));
    let venv_text = venv.display().to_string();
    run_in_root("python3", &["-m", "venv", &venv_text])?;
    let pip = venv.join("bin/pip").display().to_string();
    let mut args = vec!["install", "--quiet"];
    args.extend(packages.iter().map(String::as_str));
    run_in_root(&pip, &args)?;
    std::fs::write(&done, packages.join("\n")).map_err(|e| format!("{}: {e}", done.display()))?;
    Ok(venv)
}

/// trunk 0.22 needs a newer rustc than 1.95; 0.21 is the newest that builds here.
pub const TRUNK_VERSION: &str = "0.21.14";
/// wasm-opt from npm's `binaryen`; Debian's older binaryen emits wasm Chromium rejects.
pub const BINARYEN_VERSION: &str = "132.0.0";

fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from)
}

fn cargo_home_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map_or_else(|| home().join(".cargo"), PathBuf::from)
        .join("bin")
}

/// Tools installed outside cargo live here, per version, so they survive `cargo clean`.
fn tools_dir() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map_or_else(|| home().join(".cache"), PathBuf::from)
        .join("hotel-tools")
}

fn binaryen_bin() -> PathBuf {
    tools_dir()
        .join(format!("binaryen-{BINARYEN_VERSION}"))
        .join("node_modules/.bin")
}

/// PATH with the project's tools first, for trunk (which must find them there when offline).
pub fn tool_path() -> std::ffi::OsString {
    let mut paths = vec![binaryen_bin(), cargo_home_bin()];
    if let Some(existing) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&existing));
    }
    std::env::join_paths(paths).unwrap_or_default()
}

fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .env("PATH", tool_path())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The exact `wasm-bindgen` version in Cargo.lock: the CLI must match it to the letter.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(workspace_root()?.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            return Ok(version.trim_matches('"').to_string());
        }
    }
    Err("Cargo.lock has no wasm-bindgen".into())
}

/// Everything the web app build needs: the wasm target, trunk, wasm-bindgen-cli, wasm-opt.
/// Each is installed only when missing or at another version.
pub fn ensure_web_toolchain() -> Result {
    let targets = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        println!("xtask: adding the wasm32-unknown-unknown target");
        run_in_root("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    let trunk = output_of("trunk", &["--version"]).unwrap_or_default();
    if !trunk.contains(TRUNK_VERSION) {
        println!("xtask: installing trunk {TRUNK_VERSION} (once; about 10 minutes on 2 cores)");
        cargo(&["install", "trunk", "--version", TRUNK_VERSION, "--locked"])?;
    }
    let bindgen_version = locked_wasm_bindgen_version()?;
    let bindgen = output_of("wasm-bindgen", &["--version"]).unwrap_or_default();
    if bindgen.split_whitespace().nth(1) != Some(bindgen_version.as_str()) {
        println!("xtask: installing wasm-bindgen-cli {bindgen_version}");
        // Not --locked: the CLI's own lock file names a crate version the registry lacks.
        cargo(&["install", "wasm-bindgen-cli", "--version", &bindgen_version])?;
    }
    let wasm_opt = binaryen_bin().join("wasm-opt");
    let have = output_of(&wasm_opt.display().to_string(), &["--version"]).unwrap_or_default();
    let major = BINARYEN_VERSION.split('.').next().unwrap_or_default();
    if !have.contains(&format!("version {major}")) {
        println!("xtask: installing wasm-opt (npm binaryen@{BINARYEN_VERSION})");
        let dir = tools_dir().join(format!("binaryen-{BINARYEN_VERSION}"));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let dir_text = dir.display().to_string();
        run_in_root(
            "npm",
            &[
                "install",
                "--prefix",
                &dir_text,
                "--no-audit",
                "--no-fund",
                &format!("binaryen@{BINARYEN_VERSION}"),
            ],
        )?;
    }
    Ok(())
}

/// axe-core, the accessibility checker the browser tests inject into every page.
pub const AXE_VERSION: &str = "4.14.1";

/// axe-core from npm, installed once; the path of its script.
pub fn ensure_axe() -> Result<PathBuf> {
    let dir = tools_dir().join(format!("axe-core-{AXE_VERSION}"));
    let script = dir.join("node_modules/axe-core/axe.min.js");
    if script.is_file() {
        return Ok(script);
    }
    println!("xtask: installing axe-core {AXE_VERSION} (npm)");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let dir_text = dir.display().to_string();
    run_in_root(
        "npm",
        &[
            "install",
            "--prefix",
            &dir_text,
            "--no-audit",
            "--no-fund",
            &format!("axe-core@{AXE_VERSION}"),
        ],
    )?;
    if script.is_file() {
        Ok(script)
    } else {
        Err(format!("npm installed no {}", script.display()))
    }
}

/// Debian's Chromium and its WebDriver, for the browser tests.
pub fn ensure_chromium() -> Result {
    if PathBuf::from("/usr/bin/chromium").exists()
        && PathBuf::from("/usr/bin/chromedriver").exists()
    {
        return Ok(());
    }
    println!("xtask: installing Chromium and ChromeDriver (Debian packages)");
    apt_install(&["chromium", "chromium-driver"])
}

/// Debian's nginx, for the test of the hotel behind `deploy/nginx.conf`. The test runs its own
/// nginx on ports of its own; the package's service is not started (`RUNLEVEL=1`), and one
/// already running is left alone.
pub fn ensure_nginx() -> Result {
    if PathBuf::from("/usr/sbin/nginx").exists() {
        return Ok(());
    }
    println!("xtask: installing nginx (Debian package)");
    apt_install(&["nginx"])
}

/// Debian's poppler-utils: the tests read the invoice PDFs back with its `pdftotext`.
pub fn ensure_pdftotext() -> Result {
    if PathBuf::from("/usr/bin/pdftotext").exists() {
        return Ok(());
    }
    println!("xtask: installing pdftotext (Debian package poppler-utils)");
    apt_install(&["poppler-utils"])
}

/// Installs Debian packages, with sudo unless root.
fn apt_install(packages: &[&str]) -> Result {
    let as_root = output_of("id", &["-u"]).is_some_and(|u| u.trim() == "0");
    // RUNLEVEL=1: a package's service is installed, not started.
    let (program, prefix): (&str, Vec<&str>) = if as_root {
        ("env", vec!["RUNLEVEL=1", "apt-get"])
    } else {
        ("sudo", vec!["RUNLEVEL=1", "apt-get"])
    };
    let with = |args: &[&str]| -> Vec<String> {
        prefix.iter().chain(args).map(|s| s.to_string()).collect()
    };
    let update = with(&["update", "-q"]);
    run_in_root(
        program,
        &update.iter().map(String::as_str).collect::<Vec<_>>(),
    )?;
    let mut install = with(&["install", "-y", "-q", "--no-install-recommends"]);
    install.extend(packages.iter().map(|p| p.to_string()));
    run_in_root(
        program,
        &install.iter().map(String::as_str).collect::<Vec<_>>(),
    )
}
