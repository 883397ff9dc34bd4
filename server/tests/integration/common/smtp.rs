//! An SMTP sink on 127.0.0.1 speaking the RFC 5321 subset a client uses (EHLO/HELO,
//! MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT). It keeps every message
//! it accepts, refuses chosen recipients with 550 and can answer the first few
//! messages with a temporary 451. Written here rather than taken from
//! mailin-embedded, whose TLS half would add a second rustls crypto provider
//! (aws-lc, a C build) to the test build.
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body as sent (CRLF line ends, dots unstuffed).
    pub data: String,
}

struct Shared {
    refuse: Vec<String>,
    temp_failures: Mutex<usize>,
    inbox: Mutex<Vec<Received>>,
    count: watch::Sender<usize>,
}

pub struct SmtpSink {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
}

/// The address inside `MAIL FROM:<…>` / `RCPT TO:<…>`.
fn path_of(arg: &str) -> String {
    let a = arg.split_once(':').map(|(_, r)| r).unwrap_or("").trim();
    let a = a.split_whitespace().next().unwrap_or("");
    a.trim_start_matches('<').trim_end_matches('>').to_string()
}

async fn session(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::<String>::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end();
        let verb = cmd.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" | "NOOP" => b"250 OK\r\n",
            "RSET" => {
                (from, to) = (String::new(), Vec::new());
                b"250 OK\r\n"
            }
            "MAIL" => {
                from = path_of(cmd);
                to.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                let r = path_of(cmd);
                if shared.refuse.iter().any(|x| x.eq_ignore_ascii_case(&r)) {
                    b"550 5.1.1 Mailbox unavailable\r\n"
                } else {
                    to.push(r);
                    b"250 OK\r\n"
                }
            }
            "DATA" if to.is_empty() => b"554 No valid recipients\r\n",
            "DATA" => {
                write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                let fail = {
                    let mut n = shared.temp_failures.lock().unwrap();
                    let fail = *n > 0;
                    *n = n.saturating_sub(1);
                    fail
                };
                if fail {
                    b"451 4.3.0 Try again later\r\n"
                } else {
                    let m = Received { from: from.clone(), to: std::mem::take(&mut to), data };
                    shared.inbox.lock().unwrap().push(m);
                    shared.count.send_modify(|n| *n += 1);
                    b"250 OK queued\r\n"
                }
            }
            "QUIT" => {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 Command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}

impl SmtpSink {
    /// Starts a sink refusing `refuse` and failing the first `temp_failures` messages.
    pub async fn start(refuse: &[&str], temp_failures: usize) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the SMTP sink");
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            refuse: refuse.iter().map(|s| s.to_string()).collect(),
            temp_failures: Mutex::new(temp_failures),
            inbox: Mutex::new(Vec::new()),
            count: watch::channel(0usize).0,
        });
        let s = shared.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, s.clone()));
            }
        });
        SmtpSink { addr, shared }
    }

    /// Waits (at most 30 s) until `n` messages have arrived; returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        let mut rx = self.shared.count.subscribe();
        let arrived = tokio::time::timeout(Duration::from_secs(30), rx.wait_for(|c| *c >= n)).await;
        assert!(arrived.is_ok(), "{n} messages did not arrive; got {:?}", self.received());
        self.received()
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.inbox.lock().unwrap().clone()
    }
}
