//! `cargo xtask <command>`: the project's own automation, in Rust so it needs nothing else.
//!
//! - `run [-- ARGS]`: build everything and start the server (extra ARGS go to `hotel-server`).
//! - `test`: formatting, lints and every test, as CI runs them.
//! - `dist`: the one-file hotel, a release `hotel-server` with the web app inside.

mod fuzz;
mod logs;
mod tools;

use std::process::ExitCode;

use tools::{cargo, workspace_root};

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest.to_vec()),
        None => ("help", Vec::new()),
    };
    let outcome = match command {
        "run" => run(&rest),
        "test" => test(),
        "bench" => bench(&rest),
        "setup" => setup(),
        "web" => build_web_app(),
        "dist" => dist().map(|_| ()),
        "fuzz" => cargo(&["build", "--workspace", "--all-targets"]).and_then(|()| fuzz::run()),
        "help" | "--help" | "-h" => {
            println!("{}", usage());
            Ok(())
        }
        other => Err(format!("unknown command {other:?}\n\n{}", usage())),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> &'static str {
    "usage: cargo xtask <command>\n\
     \n\
     commands:\n\
     \x20 run [-- ARGS]   build the server and start it (ARGS go to hotel-server, e.g. -- --rooms 20)\n\
     \x20 setup           install the build and test tools now (run and test do it when needed)\n\
     \x20 test            cargo fmt --check, clippy -D warnings, and every test\n\
     \x20 web             build the web app (guest portal and front desk) into frontend/dist\n\
     \x20 dist            build the one-file hotel: target/dist/hotel-server, web app inside\n\
     \x20 bench [-- ARGS] build release binaries and run the load benchmark (ARGS go to\n\
     \x20                 hotel-bench run, e.g. -- --duration 10 --scenarios rooms,book)"
}

/// Installs every tool the build and the tests need (each only when missing).
fn setup() -> Result {
    tools::ensure_rust_components()?;
    tools::ensure_web_toolchain()?;
    tools::ensure_chromium()?;
    tools::ensure_nginx()?;
    tools::ensure_pdftotext()?;
    tools::ensure_axe()?;
    tools::ensure_schemathesis()?;
    tools::ensure_openapi_spec_validator()?;
    tools::ensure_openapi_python_client()?;
    tools::ensure_smtp_sink()?;
    println!("xtask: tools ready");
    Ok(())
}

fn trunk_build(args: &[&str]) -> Result {
    let status = std::process::Command::new("trunk")
        .arg("build")
        .args(args)
        // `--offline` takes an optional value, so it comes after the target.
        .args(["--release", "--offline"])
        .env("PATH", tools::tool_path())
        .current_dir(workspace_root()?)
        .status()
        .map_err(|e| format!("cannot run trunk: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("trunk build failed: {status}"))
    }
}

/// Builds the web app into frontend/dist with trunk (offline: tools come from PATH) and
/// prints its download sizes: the guest portal, then the front desk into frontend/dist/desk
/// (in that order: each trunk build replaces its whole output directory).
fn build_web_app() -> Result {
    tools::ensure_web_toolchain()?;
    println!("xtask: building the web app (trunk build --release): guest portal");
    trunk_build(&[])?;
    println!("xtask: building the web app (trunk build --release): front desk");
    trunk_build(&[
        "frontend/desk.html",
        "--dist",
        "frontend/dist/desk",
        "--public-url",
        "/desk/",
    ])?;
    let dist = workspace_root()?.join("frontend/dist");
    let guest = tools::gzipped_size(&dist, &["wasm", "js"])?;
    let desk = tools::gzipped_size(&dist.join("desk"), &["wasm", "js"])?;
    println!(
        "xtask: web app built in {}: wasm + js = {:.1} KB gzip ({guest} bytes) for the guest portal, {:.1} KB more for the front desk (staff only)",
        dist.display(),
        guest as f64 / 1024.0,
        desk as f64 / 1024.0
    );
    Ok(())
}

fn run(args: &[String]) -> Result {
    let root = workspace_root()?;
    build_web_app()?;
    let mut server_args: Vec<String> = args.iter().filter(|a| *a != "--").cloned().collect();
    if !server_args.iter().any(|a| a.starts_with("--static-dir")) {
        server_args.push("--static-dir".into());
        server_args.push(root.join("frontend/dist").display().to_string());
    }
    let mut command = vec![
        "run",
        "--release",
        "--package",
        "hotel-backend",
        "--bin",
        "hotel-server",
        "--",
    ];
    command.extend(server_args.iter().map(String::as_str));
    cargo(&command)
}

fn test() -> Result {
    tools::ensure_rust_components()?;
    tools::ensure_chromium()?;
    tools::ensure_nginx()?;
    tools::ensure_pdftotext()?;
    let axe = tools::ensure_axe()?;
    let smtp_python = tools::ensure_smtp_sink()?;
    let smtp_python = smtp_python.display().to_string();
    step("formatting", || cargo(&["fmt", "--all", "--check"]))?;
    step("lints", || {
        cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])
    })?;
    let one_file = step("web app and the one-file server", dist)?;
    let log_dir = logs::fresh_dir()?;
    let log_dir_text = log_dir.display().to_string();
    // The browser tests skip themselves when run bare without a built app, a browser or the
    // one-file server; here all are present, and their absence would be a failure.
    step("tests", || {
        let axe = axe.display().to_string();
        let one_file = one_file.display().to_string();
        tools::cargo_with_env(
            &["test", "--workspace"],
            &[
                ("HOTEL_E2E_REQUIRED", "1"),
                ("HOTEL_NGINX_REQUIRED", "1"),
                ("HOTEL_SMTP_PYTHON", smtp_python.as_str()),
                ("HOTEL_AXE_JS", axe.as_str()),
                ("HOTEL_ONE_FILE_SERVER", one_file.as_str()),
                ("HOTEL_TEST_LOG_DIR", log_dir_text.as_str()),
            ],
        )
    })?;
    step("API tests on PostgreSQL", || {
        postgres_tests(&log_dir_text, &smtp_python)
    })?;
    step("no credential in any log line of the tests", || {
        logs::check(&log_dir)
    })?;
    step("API fuzzing against the OpenAPI document", fuzz::run)?;
    step("load generator (one-second smoke run)", bench_smoke)?;
    println!("xtask: all checks passed");
    Ok(())
}

/// Builds the one-file hotel: the web app, then a release `hotel-server` with it built in,
/// copied to target/dist/. Returns the binary's path.
fn dist() -> Result<std::path::PathBuf> {
    build_web_app()?;
    println!("xtask: building hotel-server (release) with the web app inside");
    cargo(&[
        "build",
        "--release",
        "--package",
        "hotel-backend",
        "--bin",
        "hotel-server",
    ])?;
    let target = tools::target_dir()?;
    let out = target.join("dist");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let binary = out.join("hotel-server");
    std::fs::copy(target.join("release/hotel-server"), &binary)
        .map_err(|e| format!("cannot copy hotel-server to {}: {e}", binary.display()))?;
    let size = std::fs::metadata(&binary).map(|m| m.len()).unwrap_or(0);
    println!(
        "xtask: the whole hotel in one file: {} ({:.1} MB); copy it anywhere and run it",
        binary.display(),
        size as f64 / 1_000_000.0
    );
    Ok(binary)
}

fn step<T>(name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("xtask: == {name} ==");
    f().map_err(|e| format!("{name} failed: {e}"))
}

/// The whole API suite once more, each test on a fresh PostgreSQL database of the server
/// named by `HOTEL_TEST_POSTGRES_URL` (CI always sets it).
///
/// The suite's binary is the one `cargo test --workspace` just built, run directly: asking
/// cargo for `-p hotel-backend --test api` instead would resolve the dependencies' features
/// for that selection alone and compile a hundred crates a second time.
/// The API test that restarts PostgreSQL, run alone.
const RESTART_TEST: &str =
    "instances::a_database_restart_during_load_loses_no_acknowledged_booking";

fn postgres_tests(log_dir: &str, smtp_python: &str) -> Result {
    match std::env::var("HOTEL_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => {
            let suite = tools::test_executable("api")?;
            // With a password in it, which no log line may then show.
            let url = logs::with_password(&url);
            let env = [
                ("HOTEL_TEST_ENGINE", "postgres"),
                ("HOTEL_TEST_POSTGRES_URL", url.as_str()),
                ("HOTEL_TEST_LOG_DIR", log_dir),
                ("HOTEL_SMTP_PYTHON", smtp_python),
            ];
            let backend = workspace_root()?.join("backend");
            // With the tests only PostgreSQL can show (marked ignored for SQLite), but not the
            // one that restarts the database server under every other test.
            tools::run_with_env(
                &suite,
                &["--include-ignored", "--skip", RESTART_TEST],
                &backend,
                &env,
            )?;
            if std::env::var_os("HOTEL_TEST_POSTGRES_RESTART").is_some() {
                tools::run_with_env(
                    &suite,
                    &["--ignored", "--exact", RESTART_TEST],
                    &backend,
                    &env,
                )?;
            } else {
                println!(
                    "xtask: NOTICE: database-restart test skipped: set HOTEL_TEST_POSTGRES_RESTART \
                     to the command that restarts PostgreSQL"
                );
            }
            Ok(())
        }
        _ => {
            println!(
                "xtask: NOTICE: PostgreSQL run skipped: set HOTEL_TEST_POSTGRES_URL \
                 (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run the API tests on it too"
            );
            Ok(())
        }
    }
}

fn bench(args: &[String]) -> Result {
    let root = workspace_root()?;
    build_web_app()?;
    cargo(&[
        "build",
        "--release",
        "--package",
        "hotel-backend",
        "--package",
        "hotel-bench",
    ])?;
    let target = tools::target_dir()?;
    let mut bench_args: Vec<String> = vec![
        "run".into(),
        "--server-bin".into(),
        target.join("release/hotel-server").display().to_string(),
        "--out".into(),
        target.join("bench/results.json").display().to_string(),
        "--work-dir".into(),
        target.join("bench/work").display().to_string(),
    ];
    let dist = root.join("frontend/dist");
    if dist.is_dir() {
        bench_args.extend(["--dist".into(), dist.display().to_string()]);
    }
    bench_args.extend(args.iter().filter(|a| *a != "--").cloned());
    let bench_bin = target.join("release/hotel-bench").display().to_string();
    let refs: Vec<&str> = bench_args.iter().map(String::as_str).collect();
    tools::run_in_root(&bench_bin, &refs)
}

/// Benchmarks are not tests and nothing here is timed; this only keeps the load generator,
/// its ceilings and its invariant checks working, against a debug build of the server.
fn bench_smoke() -> Result {
    // The same selection as the tests' build, so nothing is compiled again.
    cargo(&["build", "--workspace", "--all-targets"])?;
    let target = tools::target_dir()?;
    let server = target.join("debug/hotel-server").display().to_string();
    let out = target.join("bench/smoke.json").display().to_string();
    let work = target.join("bench/smoke-work").display().to_string();
    let bench_bin = target.join("debug/hotel-bench").display().to_string();
    tools::run_in_root(
        &bench_bin,
        &[
            "run",
            "--server-bin",
            &server,
            "--out",
            &out,
            "--work-dir",
            &work,
            "--duration",
            "1",
            "--half-duration",
            "0.5",
            "--concurrency",
            "8",
            "--smoke",
        ],
    )
}
