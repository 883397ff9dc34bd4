//! Outgoing mail against a real SMTP server on loopback: relay settings checked
//! and audited, the password sealed in the vault, a test message to oneself,
//! expiry alerts mailed once as a digest, a refused recipient failing at once and
//! a temporary refusal retried by the job queue.
use crate::common::smtp::SmtpSink;
use crate::common::{call, eventually, spawn_app, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

const ADMIN: &str = "admin@demo.helios.test";

/// Relay settings pointing at `sink` (plain SMTP, no user).
pub(crate) fn relay(sink: &SmtpSink) -> Value {
    json!({ "enabled": true, "host": "127.0.0.1", "port": sink.addr.port(), "security": "none", "username": "",
            "password": { "action": "keep" }, "from_address": "helpdesk@example.test", "from_name": "IT Helpdesk" })
}

async fn save(app: &TestApp, c: &reqwest::Client, input: Value) -> (u16, Value) {
    call(app, c, "mail/save_settings", json!({ "input": input })).await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

async fn outbox(app: &TestApp, c: &reqwest::Client, status: Option<&str>) -> Vec<Value> {
    let (s, page) = call(app, c, "mail/outbox", json!({ "status": status, "after": null })).await;
    assert_eq!(s, 200, "{page}");
    page["items"].as_array().unwrap().clone()
}

fn field(e: &Value) -> String {
    e["Validation"]["fields"].as_object().and_then(|f| f.keys().next().cloned()).unwrap_or_else(|| format!("{e}"))
}

#[tokio::test]
async fn a_relay_is_checked_saved_and_sends_a_test_to_the_admin_only() {
    let app = spawn_app().await;
    let sink = SmtpSink::start(&[], 0).await;
    let admin = app.signed_in("admin").await;
    let agent = app.signed_in("agent").await;
    let (s, settings) = call(&app, &admin, "mail/settings", json!({})).await;
    assert_eq!((s, settings["configured"].clone()), (200, json!(false)), "{settings}");
    let (s, e) = call(&app, &admin, "mail/send_test", json!({})).await;
    assert_eq!(s, 422, "a test without a relay: {e}");

    // Bad input is named and stores nothing; agents may not touch the relay.
    let mut bad = relay(&sink);
    bad["port"] = json!(70000);
    let (s, e) = save(&app, &admin, bad).await;
    assert_eq!((s, field(&e)), (422, "port".into()), "{e}");
    let mut bad = relay(&sink);
    bad["username"] = json!("helios");
    bad["password"] = json!({ "action": "set", "value": "pw" });
    let (s, e) = save(&app, &admin, bad).await;
    assert_eq!((s, field(&e)), (422, "username".into()), "no password over a plain connection: {e}");
    let mut bad = relay(&sink);
    bad["from_address"] = json!("helpdesk");
    assert_eq!(field(&save(&app, &admin, bad).await.1), "from_address");
    let (s, _) = save(&app, &agent, relay(&sink)).await;
    assert_eq!(s, 403);
    assert_eq!(count(&app, "select count(*) from mail_transport").await, 0);

    let (s, saved) = save(&app, &admin, relay(&sink)).await;
    assert_eq!(s, 200, "{saved}");
    assert_eq!((saved["configured"].clone(), saved["port"].clone()), (json!(true), json!(sink.addr.port())));
    let (s, sent) = call(&app, &admin, "mail/send_test", json!({})).await;
    assert_eq!(s, 200, "{sent}");
    assert_eq!((sent["recipient"].as_str(), sent["status"].as_str()), (Some(ADMIN), Some("sent")));
    let got = sink.wait_for(1).await;
    assert_eq!(got[0].to, vec![ADMIN.to_string()]);
    assert_eq!(got[0].from, "helpdesk@example.test");
    assert!(got[0].data.contains("Subject: Helios test message"), "{}", got[0].data);
    assert!(got[0].data.contains("From: \"IT Helpdesk\" <helpdesk@example.test>"), "{}", got[0].data);
    assert!(got[0].data.contains("Auto-Submitted: auto-generated"), "{}", got[0].data);
    assert!(got[0].data.contains("Outgoing mail works."), "{}", got[0].data);
    let listed = outbox(&app, &admin, Some("sent")).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["kind"], "test");
    assert!(outbox(&app, &admin, Some("failed")).await.is_empty());
    let (s, _) = call(&app, &agent, "mail/outbox", json!({ "status": null, "after": null })).await;
    assert_eq!(s, 403);
    assert_eq!(count(&app, "select count(*) from audit_log where action in ('settings.mail', 'mail.test')").await, 2);

    // Switched off: nothing is queued any more, and the test says why.
    let mut off = relay(&sink);
    off["enabled"] = json!(false);
    assert_eq!(save(&app, &admin, off).await.0, 200);
    let (s, e) = call(&app, &admin, "mail/send_test", json!({})).await;
    assert_eq!(s, 422, "{e}");
    let mut tx = app.pool.begin().await.unwrap();
    let n = app::mail::repo::queue(&mut tx, &[ADMIN.into()], "x", "y", "", app::mail::model::OutboundKind::ExpiryAlert)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn the_relay_password_is_sealed_never_shown_and_survives_key_rotation() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    let secret = "Sup3r-s3cret-relay!";
    let input = json!({ "enabled": true, "host": "smtp.example.test", "port": 587, "security": "starttls",
                        "username": "helios", "password": { "action": "set", "value": secret },
                        "from_address": "helpdesk@example.test", "from_name": "" });
    let (s, saved) = save(&app, &admin, input.clone()).await;
    assert_eq!(s, 200, "{saved}");
    assert_eq!(saved["has_password"], true);
    let (_, shown) = call(&app, &admin, "mail/settings", json!({})).await;
    assert!(!shown.to_string().contains(secret), "{shown}");
    let audit: Vec<Value> = sqlx::query_scalar("select after from audit_log where action = 'settings.mail'")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(audit[0]["password"], "changed");
    assert!(!audit[0].to_string().contains(secret));
    let stored: Vec<u8> =
        sqlx::query_scalar("select ciphertext from vault_secrets where mail_transport_id is not null")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(!stored.windows(secret.len()).any(|w| w == secret.as_bytes()), "stored in the clear");

    // The delivery job opens it with the vault key; a rotation re-wraps it too.
    let key_file = app.attachments_dir.parent().unwrap().join("vault.key");
    let ring = app::vault::crypto::load_key_file(&key_file).unwrap();
    let opened = app::mail::deliver::relay(&app.pool, &ring).await.unwrap().unwrap();
    assert_eq!(opened.password.as_deref(), Some(secret));
    let new_key = app::vault::crypto::MasterKey::generate();
    let report = app::vault::rotate::rotate(&app.pool, &ring, &new_key, 10, None).await.unwrap();
    assert!(report.complete && report.rewrapped >= 1, "{report:?}");
    let after =
        app::mail::deliver::relay(&app.pool, &app::vault::crypto::KeyRing::new(new_key)).await.unwrap().unwrap();
    assert_eq!(after.password.as_deref(), Some(secret));

    // Saving without a password keeps it, but only for the same relay and user: a
    // new host would otherwise receive the stored password without a vault reveal.
    let mut keep = input.clone();
    keep["password"] = json!({ "action": "keep" });
    assert_eq!(save(&app, &admin, keep.clone()).await.1["has_password"], true);
    let mut moved = keep.clone();
    moved["host"] = json!("smtp.attacker.test");
    let (s, e) = save(&app, &admin, moved).await;
    assert_eq!((s, field(&e)), (422, "password".into()), "{e}");
    let mut clear = keep.clone();
    clear["password"] = json!({ "action": "clear" });
    let (s, e) = save(&app, &admin, clear.clone()).await;
    assert_eq!((s, field(&e)), (422, "password".into()), "{e}");
    clear["username"] = json!("");
    let (s, cleared) = save(&app, &admin, clear).await;
    assert_eq!((s, cleared["has_password"].clone()), (200, json!(false)), "{cleared}");
    assert_eq!(count(&app, "select count(*) from vault_secrets where mail_transport_id is not null").await, 0);
}

#[tokio::test]
async fn expiry_alerts_are_mailed_once_as_one_message_per_recipient() {
    let app = spawn_app().await;
    let sink = SmtpSink::start(&[], 0).await;
    let admin = app.signed_in("admin").await;
    assert_eq!(save(&app, &admin, relay(&sink)).await.0, 200);
    let today = chrono::Utc::now().date_naive();
    for (name, tag, days) in [("Old printer", "P-1", 20), ("Core switch", "S-1", 10)] {
        let input = json!({ "name": name, "asset_type": "printer", "status": "in_use", "tag": tag, "serial": "",
            "make": "", "model": "", "os": "", "os_version": "", "assigned_to": null, "location_id": null,
            "vendor_id": null, "purchased_on": null, "purchase_cost_cents": null,
            "warranty_expires_on": (today + chrono::Duration::days(days)).to_string(), "notes": "" });
        let (s, a) = call(&app, &admin, "assets/create", json!({ "input": input })).await;
        assert_eq!(s, 200, "{a}");
    }
    let admins: Vec<String> = sqlx::query_scalar("select email::text from users where role = 'admin' and active")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(app::expiring::api::server::send_alerts(&app.pool, today).await.unwrap(), 2);
    let got = sink.wait_for(admins.len()).await;
    let mut to: Vec<String> = got.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, admins, "one message per administrator");
    let m = &got[0].data;
    assert!(m.contains("Subject: 2 items end soon"), "{m}");
    assert!(m.contains("Old printer") && m.contains("Core switch"), "{m}");
    // The next run finds nothing new: nothing more is queued.
    assert_eq!(app::expiring::api::server::send_alerts(&app.pool, today).await.unwrap(), 0);
    assert_eq!(count(&app, "select count(*) from outbound_mail").await, admins.len() as i64);
    let sent = eventually(Duration::from_secs(30), || async {
        let n = count(&app, "select count(*) from outbound_mail where status = 'sent'").await;
        (n == admins.len() as i64).then_some(n)
    })
    .await;
    assert!(sent.is_some(), "the outbox shows them sent");
}

#[tokio::test]
async fn a_refused_recipient_fails_at_once_and_a_temporary_refusal_is_retried() {
    let app = spawn_app().await;
    // 550 for one address; 451 for the first message that reaches DATA.
    let sink = SmtpSink::start(&["gone@example.test"], 1).await;
    let admin = app.signed_in("admin").await;
    assert_eq!(save(&app, &admin, relay(&sink)).await.0, 200);
    let queue = |to: &'static str| {
        let pool = app.pool.clone();
        async move {
            let mut tx = pool.begin().await.unwrap();
            let kind = app::mail::model::OutboundKind::DomainChange;
            app::mail::repo::queue(
                &mut tx,
                &[to.into()],
                "DNS records of example.test changed",
                "+ A x 1",
                "/domains",
                kind,
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
    };
    queue("gone@example.test").await;
    queue("it@example.test").await;
    let got = sink.wait_for(1).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, vec!["it@example.test".to_string()]);
    let rows = eventually(Duration::from_secs(30), || async {
        let rows: Vec<(String, String, i32, Option<String>)> = sqlx::query_as(
            "select recipient::text, status::text, attempts, last_error from outbound_mail order by recipient",
        )
        .fetch_all(&app.pool)
        .await
        .unwrap();
        rows.iter().all(|r| r.1 != "queued").then_some(rows)
    })
    .await
    .expect("both messages settle");
    let (gone, it) = (&rows[0], &rows[1]);
    assert_eq!((gone.1.as_str(), gone.2), ("failed", 1), "a permanent refusal is not retried: {gone:?}");
    assert!(gone.3.as_deref().unwrap_or("").contains("550"), "{gone:?}");
    assert_eq!((it.1.as_str(), it.2, it.3.clone()), ("sent", 2, None), "retried once after the 451: {it:?}");

    // A failed message can be sent again; a sent one cannot.
    let failed = outbox(&app, &admin, Some("failed")).await;
    assert_eq!(failed.len(), 1);
    let (s, again) = call(&app, &admin, "mail/retry", json!({ "id": failed[0]["id"] })).await;
    assert_eq!((s, again["status"].as_str()), (200, Some("queued")), "{again}");
    let sent = outbox(&app, &admin, Some("sent")).await;
    let (s, e) = call(&app, &admin, "mail/retry", json!({ "id": sent[0]["id"] })).await;
    assert_eq!(s, 409, "{e}");
    let (s, _) = call(&app, &admin, "mail/retry", json!({ "id": uuid::Uuid::new_v4() })).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn a_stranded_message_can_be_sent_again_and_a_stale_job_sends_nothing() {
    let app = spawn_app().await;
    let sink = SmtpSink::start(&[], 0).await;
    let admin = app.signed_in("admin").await;
    assert_eq!(save(&app, &admin, relay(&sink)).await.0, 200);
    // Queued with no job (its sender died): "Send again" gives it one, and it goes.
    let id: uuid::Uuid = sqlx::query_scalar(
        "insert into outbound_mail (recipient, subject, body, kind) values ('it@example.test', 'Stranded', 'x', 'test') returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let (s, m) = call(&app, &admin, "mail/retry", json!({ "id": id })).await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(sink.wait_for(1).await[0].to, vec!["it@example.test".to_string()]);
    // A queued message whose current job runs tomorrow; an old job of it, revived
    // by hand, runs now and finds it is not the current one: nothing is sent.
    let later: i64 = sqlx::query_scalar(
        "insert into jobs (kind, payload, run_at, max_attempts) values ('core.mail_send', '{}', now() + interval '1 day', 9) returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let waiting: uuid::Uuid = sqlx::query_scalar(
        "insert into outbound_mail (recipient, subject, body, kind, job_id) values ('it@example.test', 'Later', 'x', 'test', $1) returning id",
    )
    .bind(later)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let stale: i64 = sqlx::query_scalar(
        "insert into jobs (kind, payload, run_at, max_attempts) values ('core.mail_send', $1, now(), 1) returning id",
    )
    .bind(json!({ "id": waiting }))
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query("select pg_notify('helios_jobs', 'core.mail_send')").execute(&app.pool).await.unwrap();
    let done = eventually(Duration::from_secs(30), || async {
        let s: String = sqlx::query_scalar("select status::text from jobs where id = $1")
            .bind(stale)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        (s == "done").then_some(())
    })
    .await;
    assert!(done.is_some(), "the stale job ran");
    assert_eq!(sink.received().len(), 1, "the stale job sent nothing");
    let attempts: i32 = sqlx::query_scalar("select attempts from outbound_mail where id = $1")
        .bind(waiting)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(attempts, 0);
    // A body far over the column limit is cut, so the event that wrote it still commits.
    let mut tx = app.pool.begin().await.unwrap();
    let huge = "+ TXT example.test v=spf1 include:x\n".repeat(10_000);
    let kind = app::mail::model::OutboundKind::DomainChange;
    assert_eq!(app::mail::repo::queue(&mut tx, &["it@example.test".into()], "Huge", &huge, "", kind).await.unwrap(), 1);
    tx.commit().await.unwrap();
    assert!(sink.wait_for(2).await[1].data.contains("Subject: Huge"));
    let stored: String =
        sqlx::query_scalar("select body from outbound_mail where subject = 'Huge'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(stored.chars().count(), app::mail::rules::BODY_MAX);
    assert!(stored.ends_with("[…cut: the full text is in Helios]"));
}
