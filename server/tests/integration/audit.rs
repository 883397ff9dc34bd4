//! The audit chain: append-only, verified by `helios audit verify`.
use crate::common;

use crate::common::{call, spawn_app};
use serde_json::json;
use std::process::Command;

fn verify(database_url: &str) -> (i32, String) {
    let out = Command::new(common::helios_bin())
        .args(["audit", "verify"])
        .env("DATABASE_URL", database_url)
        .output()
        .expect("run helios");
    (
        out.status.code().unwrap_or(-1),
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
    )
}

#[tokio::test]
async fn audit_rows_cannot_be_updated_deleted_or_truncated() {
    let app = spawn_app().await;
    for sql in ["update audit_log set actor_label = 'x'", "delete from audit_log", "truncate audit_log"] {
        let err = sqlx::query(sql).execute(&app.pool).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    app.stop().await;
}

#[tokio::test]
async fn verify_counts_an_intact_chain_and_names_the_first_edited_row() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    for name in ["Alpha", "Beta", "Gamma"] {
        let (status, _) = call(&app, &admin, "teams/create", json!({ "name": name, "description": "" })).await;
        assert_eq!(status, 200);
    }
    let rows: i64 = sqlx::query_scalar("select count(*) from audit_log").fetch_one(&app.pool).await.unwrap();
    let (code, out) = verify(&app.database_url);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("{rows} rows verified")), "{out}");

    let target: i64 =
        sqlx::query_scalar("select id from audit_log where action = 'team.create' order by id limit 1 offset 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let mut tx = app.pool.begin().await.unwrap();
    sqlx::query("alter table audit_log disable trigger audit_log_no_update").execute(&mut *tx).await.unwrap();
    sqlx::query("update audit_log set after = '{\"name\": \"Mallory\"}' where id = $1")
        .bind(target)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("alter table audit_log enable trigger audit_log_no_update").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();

    let (code, out) = verify(&app.database_url);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("BROKEN at row {target}")), "{out}");
    app.stop().await;
}

#[tokio::test]
async fn verify_detects_a_deleted_row() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    for name in ["One", "Two"] {
        call(&app, &admin, "teams/create", json!({ "name": name, "description": "" })).await;
    }
    let ids: Vec<i64> = sqlx::query_scalar("select id from audit_log order by id").fetch_all(&app.pool).await.unwrap();
    let victim = ids[ids.len() - 2];
    let mut tx = app.pool.begin().await.unwrap();
    sqlx::query("alter table audit_log disable trigger audit_log_no_update").execute(&mut *tx).await.unwrap();
    sqlx::query("delete from audit_log where id = $1").bind(victim).execute(&mut *tx).await.unwrap();
    sqlx::query("alter table audit_log enable trigger audit_log_no_update").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let (code, out) = verify(&app.database_url);
    assert_eq!(code, 1);
    assert!(out.contains(&format!("BROKEN at row {}", ids[ids.len() - 1])), "{out}");
    app.stop().await;
}

#[tokio::test]
async fn admin_changes_are_audited_with_before_and_after_and_no_secrets() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    let (status, user) = call(
        &app,
        &admin,
        "users/create",
        json!({ "email": "new.hire@example.com", "display_name": "New Hire", "role": "agent", "password": "s3cret-initial-pass" }),
    )
    .await;
    assert_eq!(status, 200, "{user}");
    let (status, _) = call(
        &app,
        &admin,
        "users/update",
        json!({ "id": user["user"]["id"], "email": "new.hire@example.com", "display_name": "New Hire", "role": "manager" }),
    )
    .await;
    assert_eq!(status, 200);
    let (status, page) = call(&app, &admin, "audit/list", json!({ "filter": { "action": "user.role_change", "entity_type": "", "actor": "admin@", "from": "", "to": "", "before_id": null } })).await;
    assert_eq!(status, 200);
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert!(entries[0]["before"].as_str().unwrap().contains("\"agent\""));
    assert!(entries[0]["after"].as_str().unwrap().contains("\"manager\""));
    let dump: Vec<String> =
        sqlx::query_scalar("select coalesce(before::text, '') || coalesce(after::text, '') from audit_log")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert!(
        dump.iter().all(|row| !row.contains("s3cret-initial-pass") && !row.contains("argon2")),
        "secrets leaked into the audit log"
    );
    app.stop().await;
}
