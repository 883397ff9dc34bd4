//! Runs the real `helios` binary as a child process, for multi-process tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct Helios {
    pub child: Child,
    pub addr: String,
    /// Every log line the process printed so far is forwarded here.
    pub logs: mpsc::Receiver<String>,
}

impl Helios {
    /// Starts `helios serve` with the given environment and waits until it listens.
    pub fn serve(args: &[&str], env: &[(&str, &str)], remove_database_url: bool) -> Helios {
        let mut cmd = Command::new(super::helios_bin());
        cmd.arg("serve").args(args).env("HELIOS_ADDR", "127.0.0.1:0").env("RUST_LOG", "info");
        if remove_database_url {
            cmd.env_remove("DATABASE_URL");
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("start helios");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        let (addr_tx, addr_rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let addr: String =
                        rest.chars().take_while(|c| c.is_ascii_alphanumeric() || ".:[]".contains(*c)).collect();
                    let _ = addr_tx.send(addr);
                }
                if tx.send(line).is_err() {
                    // Keep draining so the child never blocks on a full pipe.
                }
            }
        });
        let addr = match addr_rx.recv_timeout(Duration::from_secs(90)) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                let logs: Vec<String> = rx.try_iter().collect();
                panic!("helios did not start listening:\n{}", logs.join("\n"));
            }
        };
        Helios { child, addr, logs: rx }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn kill9(&mut self) {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.child.id() as i32),
            nix::sys::signal::Signal::SIGKILL,
        );
        let _ = self.child.wait();
    }

    /// SIGTERM, then the exit status (waits up to 60 s).
    pub fn terminate(&mut self) -> Option<std::process::ExitStatus> {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.child.id() as i32),
            nix::sys::signal::Signal::SIGTERM,
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    pub fn client(&self) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::ORIGIN,
            reqwest::header::HeaderValue::from_str(&format!("http://{}", self.addr)).unwrap(),
        );
        reqwest::Client::builder().cookie_store(true).default_headers(headers).build().unwrap()
    }
}

impl Drop for Helios {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
