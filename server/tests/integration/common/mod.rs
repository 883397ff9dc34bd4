//! Test harness: a fresh database per test on the private test cluster
//! (DATABASE_URL, started by scripts/test.sh), the app on 127.0.0.1:0, and
//! HTTP clients that behave like a browser (cookies, Origin).
#![allow(dead_code)]

pub mod process;
pub mod smtp;

use helios_server::config::{Config, LogFormat};
use helios_server::startup::{Application, ServeOptions};
use reqwest::header::{HeaderMap, HeaderValue, ORIGIN};
use serde_json::Value;
use sqlx::{Connection, PgPool};
use std::net::SocketAddr;
use std::path::PathBuf;

pub const DEMO_PASSWORD: &str = app::auth::demo::DEMO_PASSWORD;

fn admin_url() -> String {
    std::env::var("DATABASE_URL").expect("DATABASE_URL must point at the test cluster (run scripts/test.sh)")
}

/// Creates an empty database and returns its URL.
pub async fn fresh_database() -> String {
    let base = admin_url();
    let name = format!("helios_t_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&base).await.expect("connect to the test cluster");
    sqlx::query(&format!("create database {name}")).execute(&mut conn).await.expect("create test database");
    // Same server and socket, new database name.
    let (head, query) =
        base.split_once('?').map(|(h, q)| (h.to_string(), Some(q.to_string()))).unwrap_or((base.clone(), None));
    let head = match head.rsplit_once('/') {
        Some((prefix, _)) => format!("{prefix}/{name}"),
        None => head,
    };
    match query {
        Some(q) => format!("{head}?{q}"),
        None => head,
    }
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("helios-{tag}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub pool: PgPool,
    pub database_url: String,
    /// Where this app stores attachment files.
    pub attachments_dir: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A cookie-keeping client that sends this app's Origin like a browser does.
    pub fn client(&self) -> reqwest::Client {
        let mut headers = HeaderMap::new();
        headers.insert(ORIGIN, HeaderValue::from_str(&format!("http://{}", self.addr)).unwrap());
        reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .unwrap()
    }

    /// A client signed in as the demo account of `role` ("admin", "agent", …).
    pub async fn signed_in(&self, role: &str) -> reqwest::Client {
        let c = self.client();
        let email = format!("{}@demo.helios.test", role.replace('_', "."));
        let (status, body) =
            call(self, &c, "auth/login", serde_json::json!({ "email": email, "password": DEMO_PASSWORD })).await;
        assert_eq!(status, 200, "login as {role} failed: {body}");
        c
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            // The server bounds its own draining; this only turns a hang into a failure.
            tokio::time::timeout(std::time::Duration::from_secs(60), h)
                .await
                .expect("app stops within 60 s")
                .expect("app task")
                .expect("app stopped cleanly");
        }
    }
}

/// Starts Helios (demo workspace) on a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(ServeOptions { demo: true, sample_data: false, test_jobs: false }).await
}

pub async fn spawn_app_with(opts: ServeOptions) -> TestApp {
    let database_url = fresh_database().await;
    let data_dir = temp_dir("data");
    let config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        attachments_dir: data_dir.join("attachments"),
        vault_key_file: data_dir.join("vault.key"),
        data_dir: data_dir.clone(),
        database_url: Some(database_url.clone()),
        log_format: LogFormat::Pretty,
        public_url: None,
        site_root: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site"),
        metrics_token: None,
    };
    let app = Application::build(config, opts).await.expect("app builds");
    let addr = app.addr();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(app.run_until_stopped(async move {
        let _ = rx.await;
    }));
    let pool = helios_server::db::connect(&database_url).await.expect("test pool");
    TestApp {
        addr,
        pool,
        database_url,
        attachments_dir: data_dir.join("attachments"),
        stop: Some(tx),
        handle: Some(handle),
    }
}

/// Calls a server function with JSON arguments; returns status and JSON body.
pub async fn call(app: &TestApp, client: &reqwest::Client, endpoint: &str, args: Value) -> (u16, Value) {
    let res = client.post(app.url(&format!("/api/{endpoint}"))).json(&args).send().await.expect("request");
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// Polls `f` until it returns Some or the deadline passes.
pub async fn eventually<T, F, Fut>(timeout: std::time::Duration, mut f: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(v) = f().await {
            return Some(v);
        }
        if tokio::time::Instant::now() > deadline {
            return None;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The `helios` binary built for these tests.
pub fn helios_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_helios"))
}
