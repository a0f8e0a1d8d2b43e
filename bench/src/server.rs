//! Starting and stopping server processes, and reading what they cost.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::http::Conn;

pub struct ServerProcess {
    child: Child,
    pub addr: SocketAddr,
    /// From spawning the process to its first answered request.
    pub startup: Duration,
}

impl ServerProcess {
    /// Starts `program args…`, which must print its `http://ADDR/` on the first line of
    /// stdout, and waits until `GET probe` answers 200.
    pub async fn start(program: &Path, args: &[String], probe: &str) -> Result<Self, String> {
        let spawned = Instant::now();
        let mut child = Command::new(program)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).map(|_| line)
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("reading the server's banner: {e}"))?;
        let addr: SocketAddr = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("http://"))
            .map(|a| a.trim_end_matches('/'))
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| format!("no address in the server's banner {line:?}"))?;
        loop {
            if let Ok(mut conn) = Conn::connect(addr).await
                && let Ok(reply) = conn.request("GET", probe, "", b"").await
                && reply.status == 200
            {
                break;
            }
            if spawned.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                return Err("the server did not answer within 30 s".into());
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        Ok(ServerProcess {
            startup: spawned.elapsed(),
            child,
            addr,
        })
    }

    /// Peak resident memory of the process so far, in bytes (Linux `VmHWM`).
    pub fn peak_rss(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    }

    /// SIGTERM, then wait: the server finishes its writes before it exits.
    pub fn stop(mut self) -> Result<(), String> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        if !sent.is_ok_and(|s| s.success()) {
            let _ = self.child.kill();
        }
        let status = self.child.wait().map_err(|e| e.to_string())?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("server exited with {status}"))
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
