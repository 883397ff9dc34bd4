//! The command line: help, create-admin, and the operations endpoints.
use crate::common;

use std::io::Write;
use std::process::{Command, Stdio};

fn helios(args: &[&str], env: &[(&str, &str)], stdin: &str) -> (i32, String) {
    let mut child = Command::new(common::helios_bin())
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
    )
}

#[test]
fn help_describes_every_command() {
    let (code, out) = helios(&["--help"], &[], "");
    assert_eq!(code, 0);
    for cmd in ["serve", "migrate", "create-admin", "seed-demo", "audit"] {
        assert!(out.contains(cmd), "--help lacks {cmd}:\n{out}");
    }
    let (_, out) = helios(&["audit", "--help"], &[], "");
    assert!(out.contains("verify"));
}

#[tokio::test]
async fn create_admin_reads_the_password_from_stdin_and_the_account_can_sign_in() {
    let db = common::fresh_database().await;
    let (code, out) = helios(
        &["create-admin", "--email", "Boss@Example.com", "--name", "The Boss"],
        &[("DATABASE_URL", &db)],
        "correct horse battery\n",
    );
    assert_eq!(code, 0, "{out}");
    let pool = helios_server::db::connect(&db).await.unwrap();
    let (role, hash): (String, String) =
        sqlx::query_as("select role::text, password_hash from users where email = 'boss@example.com'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(role, "admin");
    assert!(app::auth::password::verify("correct horse battery", Some(&hash)));
}

#[tokio::test]
async fn create_admin_refuses_bad_input_and_changes_nothing() {
    let db = common::fresh_database().await;
    let env = [("DATABASE_URL", db.as_str())];
    let (code, out) = helios(&["create-admin", "--email", "boss@example.com"], &env, "short\n");
    assert_eq!(code, 1);
    assert!(out.contains("at least 10 characters"), "{out}");
    let (code, out) = helios(&["create-admin", "--email", "not an email"], &env, "long enough password\n");
    assert_eq!(code, 1);
    assert!(out.contains("--email"), "{out}");
    let (code, out) = helios(&["serve"], &[("HELIOS_ADDR", "nowhere")], "");
    assert_eq!(code, 1);
    assert!(out.contains("HELIOS_ADDR"), "{out}");
    let pool = helios_server::db::connect(&db).await.unwrap();
    let n: i64 = sqlx::query_scalar("select count(*) from users").fetch_one(&pool).await.unwrap_or(0);
    assert_eq!(n, 0);
}

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = common::spawn_app().await;
    assert_eq!(reqwest::get(app.url("/healthz")).await.unwrap().text().await.unwrap(), "ok");
    assert_eq!(reqwest::get(app.url("/readyz")).await.unwrap().status(), 200);
    let _ = reqwest::get(app.url("/login")).await.unwrap();
    let metrics = reqwest::get(app.url("/metrics")).await.unwrap().text().await.unwrap();
    assert!(metrics.contains("http_request_duration_seconds_bucket"), "{metrics}");
    assert!(metrics.contains("helios_jobs{status=\"dead\"}"), "{metrics}");
    app.stop().await;
}

#[tokio::test]
async fn json_logging_writes_one_json_object_per_line() {
    let db = common::fresh_database().await;
    let node =
        common::process::Helios::serve(&[], &[("DATABASE_URL", db.as_str()), ("HELIOS_LOG_FORMAT", "json")], false);
    let lines: Vec<String> = node.logs.try_iter().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(v.get("level").is_some() && v.get("message").is_some(), "{line}");
    }
    assert!(
        lines.iter().any(|l| l.contains("no administrator exists yet")),
        "production start explains how to create an admin"
    );
}

#[tokio::test]
async fn a_client_that_never_finishes_its_request_does_not_keep_the_server_alive() {
    use tokio::io::AsyncWriteExt;
    let app = common::spawn_app().await;
    // Headers begun but never ended: graceful shutdown alone would wait for it.
    let mut stalled = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    stalled.write_all(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n").await.unwrap();
    let started = std::time::Instant::now();
    app.stop().await;
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "stopped after {:?}", started.elapsed());
    drop(stalled);
}
