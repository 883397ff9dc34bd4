//! Several `helios` processes on one database: live events cross processes,
//! schedules fire once per tick, a killed worker's job is retried elsewhere.
use crate::common;

use crate::common::process::Helios;
use crate::common::{eventually, fresh_database};
use futures::StreamExt;
use serde_json::json;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

async fn admin_cookie(node: &Helios) -> (reqwest::Client, String) {
    let client = node.client();
    let res = client
        .post(node.url("/api/auth/login"))
        .json(&json!({ "email": "admin@demo.helios.test", "password": common::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    (client, cookie)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_committed_through_one_process_reaches_a_websocket_on_the_other_within_a_second() {
    let db = fresh_database().await;
    let a = Helios::serve(&["--demo"], &[("DATABASE_URL", &db)], false);
    let b = Helios::serve(&[], &[("DATABASE_URL", &db)], false);
    let (client_a, cookie) = admin_cookie(&a).await;

    let mut req = format!("ws://{}/ws", b.addr).into_client_request().unwrap();
    req.headers_mut().insert("cookie", cookie.parse().unwrap());
    req.headers_mut().insert("origin", format!("http://{}", b.addr).parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.expect("websocket to B");
    let hello = ws.next().await.unwrap().unwrap();
    assert!(hello.to_text().unwrap().contains("\"hello\""), "{hello:?}");

    let started = Instant::now();
    let res = client_a
        .post(a.url("/api/settings/set_module"))
        .json(&json!({ "module": "vault", "enabled": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let msg =
        tokio::time::timeout(Duration::from_secs(1), ws.next()).await.expect("event within 1 s").unwrap().unwrap();
    assert_eq!(msg, Message::Text(r#"{"type":"settings_changed"}"#.into()));
    eprintln!("cross-process event latency: {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_websocket_without_a_session_is_refused() {
    let db = fresh_database().await;
    let a = Helios::serve(&[], &[("DATABASE_URL", &db)], false);
    let err = tokio_tungstenite::connect_async(format!("ws://{}/ws", a.addr)).await.expect_err("must be refused");
    assert!(err.to_string().contains("401"), "{err}");
    let mut req = format!("ws://{}/ws", a.addr).into_client_request().unwrap();
    req.headers_mut().insert("origin", "http://evil.example".parse().unwrap());
    let err = tokio_tungstenite::connect_async(req).await.expect_err("cross-site upgrade refused");
    assert!(err.to_string().contains("403"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_run_a_scheduled_job_exactly_once_per_tick() {
    let db = fresh_database().await;
    let env = [("DATABASE_URL", db.as_str()), ("HELIOS_TEST_JOBS", "1")];
    let _a = Helios::serve(&[], &env, false);
    let _b = Helios::serve(&[], &env, false);
    let pool = helios_server::db::connect(&db).await.unwrap();
    let ticks = eventually(Duration::from_secs(30), || {
        let pool = pool.clone();
        async move {
            let n: i64 =
                sqlx::query_scalar("select count(distinct entity_id) from audit_log where action = 'test.tick'")
                    .fetch_one(&pool)
                    .await
                    .ok()?;
            (n >= 6).then_some(n)
        }
    })
    .await
    .expect("six ticks within 30 s");
    let dupes: Vec<(String, i64)> = sqlx::query_as(
        "select entity_id, count(*) from audit_log where action = 'test.tick' group by 1 having count(*) > 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(dupes.is_empty(), "ticks ran more than once: {dupes:?}");
    let nodes: i64 = sqlx::query_scalar("select count(distinct actor_label) from audit_log where action = 'test.tick'")
        .fetch_one(&pool)
        .await
        .unwrap();
    eprintln!("{ticks} ticks, executed by {nodes} process(es)");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_whose_process_is_killed_mid_run_is_retried_by_another() {
    let db = fresh_database().await;
    let env = [("DATABASE_URL", db.as_str()), ("HELIOS_TEST_JOBS", "1")];
    let mut a = Helios::serve(&[], &env, false);
    let pool = helios_server::db::connect(&db).await.unwrap();
    let id = app::jobs::repo::enqueue(&pool, "test.sleep", &json!({ "seconds": 3 }), chrono::Utc::now(), 5, None)
        .await
        .unwrap()
        .unwrap();
    eventually(Duration::from_secs(20), || {
        let pool = pool.clone();
        async move {
            let s: String = sqlx::query_scalar("select status::text from jobs where id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .ok()?;
            (s == "running").then_some(())
        }
    })
    .await
    .expect("job starts on A");
    a.kill9();
    let _b = Helios::serve(&[], &env, false);
    let attempts = eventually(Duration::from_secs(30), || {
        let pool = pool.clone();
        async move {
            let (s, n): (String, i32) = sqlx::query_as("select status::text, attempts from jobs where id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .ok()?;
            (s == "done").then_some(n)
        }
    })
    .await
    .expect("job completes on B");
    assert_eq!(attempts, 2);
    let done: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'test.sleep.done'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(done, 1, "the killed run never finished, the retry did once");
}
