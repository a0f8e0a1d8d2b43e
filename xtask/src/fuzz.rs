//! `cargo xtask test`'s API fuzzing: schemathesis generates requests from `/openapi.json` and
//! checks every answer against it (`--checks all`), as an anonymous caller, a guest and a
//! member of staff, against the real debug server on a fresh database. The seed is fixed so
//! a run is repeatable; `schemathesis.toml` says which rules the schema cannot express.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::Result;
use crate::tools::{self, workspace_root};

/// Examples per operation and caller: enough to reach every status an operation documents,
/// few enough for CI (about a minute for all three callers).
const EXAMPLES: &str = "25";
const SEED: &str = "1";

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run() -> Result {
    let st = tools::ensure_schemathesis()?;
    let validator = tools::ensure_openapi_spec_validator()?;
    let generator = tools::ensure_openapi_python_client()?;
    let server_bin = tools::target_dir()?.join("debug/hotel-server");
    let work = tools::target_dir()?.join("fuzz");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let database = format!("sqlite://{}", work.join("hotel.db").display());
    let mut child = Command::new(&server_bin)
        .args(["--listen", "127.0.0.1:0", "--log", "error", "--create"])
        // Thousands of generated requests from one address: the rate limits would answer
        // most of them 429 and the fuzzing would reach little else.
        .args(["--signup-rate-limit", "0", "--booking-rate-limit", "0"])
        .args(["--address-share", "0"])
        .arg("--static-dir")
        .arg(&work)
        .env("HOTEL_DATABASE", &database)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", server_bin.display()))?;
    let stdout = child.stdout.take().ok_or("the server has no stdout")?;
    let server = Server(child);
    let mut banner = String::new();
    BufReader::new(stdout)
        .read_line(&mut banner)
        .map_err(|e| format!("reading the server's banner: {e}"))?;
    let address = banner
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .map(|a| a.trim_end_matches('/').to_string())
        .ok_or_else(|| format!("no address in the server's banner {banner:?}"))?;

    let staff_password = "fuzzing staff password";
    let made = Command::new(&server_bin)
        .args(["staff", "create", "fuzz-staff"])
        .env("HOTEL_DATABASE", &database)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .and_then(|mut c| {
            if let Some(mut stdin) = c.stdin.take() {
                writeln!(stdin, "{staff_password}")?;
            }
            c.wait()
        })
        .map_err(|e| format!("cannot create the staff account: {e}"))?;
    if !made.success() {
        return Err("cannot create the staff account".into());
    }
    let guest_password = "fuzzing guest password";
    post(&address, "/register", "fuzz-guest", guest_password)?;
    let guest = token(&post(&address, "/login", "fuzz-guest", guest_password)?)?;
    let staff = token(&post(&address, "/login", "fuzz-staff", staff_password)?)?;

    // The document as a client generator reads it: valid OpenAPI, or nothing is generated.
    let document = work.join("openapi.json");
    std::fs::write(&document, get(&address, "/openapi.json")?)
        .map_err(|e| format!("{}: {e}", document.display()))?;
    println!("xtask: openapi-spec-validator");
    let checked = Command::new(&validator)
        .arg(&document)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", validator.display()))?;
    if !checked.success() {
        return Err("the OpenAPI document is not valid (see above)".into());
    }
    generated_client(&generator, &document, &work, &address)?;

    let schema = format!("http://{address}/openapi.json");
    for (who, bearer) in [
        ("anonymous", None),
        ("guest", Some(guest)),
        ("staff", Some(staff)),
    ] {
        println!("xtask: schemathesis as {who}");
        let mut command = Command::new(&st);
        command
            .args([
                "run",
                &schema,
                "--checks",
                "all",
                "--exclude-path",
                "/logout",
            ])
            .args(["--max-examples", EXAMPLES, "--seed", SEED, "--workers", "1"])
            .current_dir(workspace_root()?);
        if let Some(token) = &bearer {
            command.args(["--header", &format!("Authorization: Bearer {token}")]);
        }
        let status = command
            .status()
            .map_err(|e| format!("cannot run {}: {e}", st.display()))?;
        if !status.success() {
            return Err(format!("schemathesis as {who} found failures (see above)"));
        }
    }
    drop(server);
    Ok(())
}

/// `POST path` with credentials, on a connection of its own; the answer's body.
fn post(address: &str, path: &str, username: &str, password: &str) -> Result<String> {
    let body = format!(r#"{{"username":"{username}","password":"{password}"}}"#);
    let mut stream =
        TcpStream::connect(address).map_err(|e| format!("cannot reach {address}: {e}"))?;
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| format!("{path}: {e}"))?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| format!("{path}: {e}"))?;
    if !(answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.1 201")) {
        return Err(format!("{path} failed: {answer}"));
    }
    Ok(answer)
}

/// `GET path` on a connection of its own; the answer's body.
fn get(address: &str, path: &str) -> Result<String> {
    let mut stream =
        TcpStream::connect(address).map_err(|e| format!("cannot reach {address}: {e}"))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("{path}: {e}"))?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| format!("{path}: {e}"))?;
    match answer.split_once("\r\n\r\n") {
        Some((head, body)) if head.starts_with("HTTP/1.1 200") => Ok(body.to_string()),
        _ => Err(format!("{path} failed: {answer}")),
    }
}

fn token(answer: &str) -> Result<String> {
    let start = answer
        .find(r#""token":""#)
        .ok_or("no token in the answer")?
        + 9;
    let end = start + answer[start..].find('"').ok_or("no token in the answer")?;
    Ok(answer[start..end].to_string())
}

/// Generates a Python client from the document with openapi-python-client, as an integrator
/// would, and books through it against the server (`xtask/scripts/generated_client.py`).
fn generated_client(bin: &Path, document: &Path, work: &Path, address: &str) -> Result {
    println!("xtask: a client generated by openapi-python-client");
    let client = work.join("client");
    let generated = Command::new(bin.join("openapi-python-client"))
        .args(["generate", "--meta", "none", "--overwrite", "--path"])
        .arg(document)
        .arg("--output-path")
        .arg(client.join("hotel_client"))
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run openapi-python-client: {e}"))?;
    if !generated.success() {
        return Err("openapi-python-client generated no client (see above)".into());
    }
    let script = tools::workspace_root()?.join("xtask/scripts/generated_client.py");
    let ran = Command::new(bin.join("python"))
        .arg(&script)
        .arg(document)
        .arg(&client)
        .arg(format!("http://{address}"))
        .status()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    if ran.success() {
        Ok(())
    } else {
        Err("the generated client did not book (see above)".into())
    }
}
