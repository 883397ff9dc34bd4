//! The console's server side: tabs and drafts per agent, saved views, bulk edits.
use crate::common;

use crate::common::{call, spawn_app};
use serde_json::{json, Value};

async fn create(app: &common::TestApp, c: &reqwest::Client, title: &str) -> i64 {
    let (status, n) = call(
        app,
        c,
        "tickets/create",
        json!({ "title": title, "description": "", "priority": "p3", "requester": null }),
    )
    .await;
    assert_eq!(status, 200, "{n}");
    n.as_i64().unwrap()
}

fn numbers(tabs: &Value) -> Vec<i64> {
    tabs.as_array().unwrap().iter().map(|t| t["number"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn tabs_and_drafts_belong_to_their_agent_and_survive_until_the_reply_is_sent() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let (a, b, c) =
        (create(&app, &agent, "One").await, create(&app, &agent, "Two").await, create(&app, &agent, "Three").await);
    for n in [a, b, c, a] {
        let (s, tabs) = call(&app, &agent, "desk/open_tab", json!({ "number": n })).await;
        assert_eq!(s, 200, "{tabs}");
    }
    let (_, tabs) = call(&app, &agent, "desk/tabs", json!({})).await;
    assert_eq!(numbers(&tabs), vec![a, b, c], "opening an open tab keeps one tab in place");
    let (_, tabs) = call(&app, &agent, "desk/move_tab", json!({ "number": c, "position": 0 })).await;
    assert_eq!(numbers(&tabs), vec![c, a, b]);
    // Another agent has tabs of their own.
    let (_, theirs) = call(&app, &lead, "desk/tabs", json!({})).await;
    assert_eq!(numbers(&theirs), Vec::<i64>::new());

    let (s, _) =
        call(&app, &agent, "desk/save_draft", json!({ "number": b, "body": "Half a reply", "internal": true })).await;
    assert_eq!(s, 200);
    let (_, draft) = call(&app, &agent, "desk/draft", json!({ "number": b })).await;
    assert_eq!((draft["body"].as_str(), draft["internal"].as_bool()), (Some("Half a reply"), Some(true)));
    let (_, tabs) = call(&app, &agent, "desk/tabs", json!({})).await;
    assert_eq!(tabs[2]["has_draft"], true);
    assert_eq!(tabs[1]["has_draft"], false);
    let (_, none) = call(&app, &lead, "desk/draft", json!({ "number": b })).await;
    assert_eq!(none, Value::Null, "drafts are private");

    // Sending the reply clears the draft.
    let (s, _) =
        call(&app, &agent, "tickets/comment", json!({ "number": b, "body": "Whole reply", "internal": false })).await;
    assert_eq!(s, 200);
    let (_, gone) = call(&app, &agent, "desk/draft", json!({ "number": b })).await;
    assert_eq!(gone, Value::Null);

    // Closing a tab discards its draft.
    call(&app, &agent, "desk/save_draft", json!({ "number": a, "body": "Never sent", "internal": false })).await;
    let (_, tabs) = call(&app, &agent, "desk/close_tab", json!({ "number": a })).await;
    assert_eq!(numbers(&tabs), vec![c, b]);
    let (_, gone) = call(&app, &agent, "desk/draft", json!({ "number": a })).await;
    assert_eq!(gone, Value::Null);

    // Bad input changes nothing.
    let (s, _) = call(&app, &agent, "desk/open_tab", json!({ "number": 999999 })).await;
    assert_eq!(s, 404);
    let huge = "x".repeat(100_001);
    let (s, _) = call(&app, &agent, "desk/save_draft", json!({ "number": c, "body": huge, "internal": false })).await;
    assert_eq!(s, 422);
    app.stop().await;
}

#[tokio::test]
async fn opening_more_than_twenty_tabs_closes_the_oldest_without_a_draft() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let mut opened = Vec::new();
    for i in 0..21 {
        let n = create(&app, &agent, &format!("Ticket {i}")).await;
        if i < 2 {
            call(&app, &agent, "desk/save_draft", json!({ "number": n, "body": "keep me", "internal": false })).await;
        }
        let (s, tabs) = call(&app, &agent, "desk/open_tab", json!({ "number": n })).await;
        assert_eq!(s, 200, "{tabs}");
        opened.push(n);
    }
    let (_, tabs) = call(&app, &agent, "desk/tabs", json!({})).await;
    let now = numbers(&tabs);
    assert_eq!(now.len(), 20);
    assert!(now.contains(&opened[0]) && now.contains(&opened[1]), "tabs with drafts stay");
    assert!(!now.contains(&opened[2]), "the oldest tab without a draft closed");
    assert_eq!(now.last(), Some(&opened[20]));
    app.stop().await;
}

#[tokio::test]
async fn saved_views_are_personal_or_shared_by_leads_and_others_cannot_touch_them() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let filter = json!({ "categories": ["new"], "priority": "p1", "assignee": { "kind": "unassigned" } });
    let (s, mine) = call(
        &app,
        &agent,
        "desk/save_view",
        json!({ "id": null, "name": " Urgent new ", "shared": false, "filter": filter }),
    )
    .await;
    assert_eq!(s, 200, "{mine}");
    assert_eq!(mine["name"], "Urgent new");
    assert_eq!(mine["filter"]["priority"], "p1");
    let id = mine["id"].clone();
    let (s, _) =
        call(&app, &agent, "desk/save_view", json!({ "id": null, "name": "Team", "shared": true, "filter": {} })).await;
    assert_eq!(s, 403, "agents cannot share views");
    let (s, _) =
        call(&app, &agent, "desk/save_view", json!({ "id": null, "name": "", "shared": false, "filter": {} })).await;
    assert_eq!(s, 422);
    // The lead neither sees nor deletes the agent's view.
    let (_, views) = call(&app, &lead, "desk/views", json!({})).await;
    assert!(!views.as_array().unwrap().iter().any(|v| v["id"] == id));
    let (s, _) = call(&app, &lead, "desk/delete_view", json!({ "id": id })).await;
    assert_eq!(s, 404);
    let (s, shared) = call(
        &app,
        &lead,
        "desk/save_view",
        json!({ "id": null, "name": "P1 everywhere", "shared": true, "filter": { "priority": "p1" } }),
    )
    .await;
    assert_eq!(s, 200);
    let (_, views) = call(&app, &agent, "desk/views", json!({})).await;
    let seen = views.as_array().unwrap().iter().find(|v| v["id"] == shared["id"]).expect("shared view visible");
    assert_eq!(seen["editable"], false);
    let (s, _) = call(&app, &agent, "desk/delete_view", json!({ "id": shared["id"] })).await;
    assert_eq!(s, 403);
    let (s, _) = call(&app, &agent, "desk/delete_view", json!({ "id": id })).await;
    assert_eq!(s, 200);
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action in ('view.save', 'view.delete')")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(audited, 3);
    app.stop().await;
}

#[tokio::test]
async fn bulk_edits_change_each_ticket_once_with_an_audit_entry_and_report_refusals() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let mut picked = Vec::new();
    for i in 0..12 {
        picked.push(create(&app, &agent, &format!("Laptop {i}")).await);
    }
    let me: String = sqlx::query_scalar("select id::text from users where email = 'agent@demo.helios.test'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let requester: String = sqlx::query_scalar("select id::text from users where email = 'requester@demo.helios.test'")
        .fetch_one(&app.pool)
        .await
        .unwrap();

    // Refused as a whole: nothing changes.
    for changes in [
        json!({}),
        json!({ "status": "no_such" }),
        json!({ "assignee": requester }),
        json!({ "add_tags": ["bad tag!"] }),
    ] {
        let (s, body) = call(
            &app,
            &agent,
            "tickets/bulk_update",
            json!({ "target": { "kind": "tickets", "numbers": picked }, "changes": changes }),
        )
        .await;
        assert_eq!(s, 422, "{changes} → {body}");
    }
    let events: i64 = sqlx::query_scalar("select count(*) from ticket_events where kind = 'changed'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(events, 0);

    // Resolve two first, so "assigned" is an illegal move for them.
    let (s, out) = call(
        &app,
        &agent,
        "tickets/bulk_update",
        json!({ "target": { "kind": "tickets", "numbers": &picked[..2] }, "changes": { "status": "resolved" } }),
    )
    .await;
    assert_eq!((s, out["changed"].as_u64()), (200, Some(2)), "{out}");
    let (s, out) = call(
        &app,
        &agent,
        "tickets/bulk_update",
        json!({ "target": { "kind": "tickets", "numbers": picked }, "changes": { "status": "assigned", "assignee": me, "add_tags": ["hardware"] } }),
    )
    .await;
    assert_eq!(s, 200, "{out}");
    assert_eq!(out["matched"], 12);
    assert_eq!(out["changed"], 10);
    let refused = out["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 2);
    assert!(refused[0]["reason"].as_str().unwrap().contains("Resolved"), "{refused:?}");
    assert!(out["fields"].as_array().unwrap().contains(&json!(["assignee", 10])), "{out}");
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'ticket.bulk_update'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 12, "one entry per changed ticket (2 resolved + 10 assigned)");

    // Same change again: nothing to do.
    let (_, again) = call(
        &app,
        &agent,
        "tickets/bulk_update",
        json!({ "target": { "kind": "tickets", "numbers": &picked[2..] }, "changes": { "assignee": me } }),
    )
    .await;
    assert_eq!((again["changed"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(10)));

    // Every ticket matching a view.
    let filter = json!({ "tag": "hardware", "assignee": { "kind": "me" } });
    let (_, count) = call(&app, &agent, "tickets/count", json!({ "filter": filter })).await;
    assert_eq!(count, json!({ "count": 10, "more": false }));
    let (s, out) = call(&app, &agent, "tickets/bulk_update", json!({ "target": { "kind": "matching", "filter": filter }, "changes": { "priority": "p1", "remove_tags": ["hardware"] } })).await;
    assert_eq!((s, out["changed"].as_u64()), (200, Some(10)), "{out}");
    let (_, count) = call(&app, &agent, "tickets/count", json!({ "filter": filter })).await;
    assert_eq!(count["count"], 0);
    app.stop().await;
}

#[tokio::test]
async fn a_bulk_edit_over_ten_thousand_tickets_runs_as_a_job_with_progress() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    sqlx::query(
        "insert into tickets (title, requester_id, status, status_category, tags)
         select 'Imported ' || g, (select id from users where email = 'requester@demo.helios.test'), 'new', 'new', '{import}'
         from generate_series(1, 10001) g",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let filter = json!({ "tag": "import" });
    let (s, out) = call(
        &app,
        &agent,
        "tickets/bulk_update",
        json!({ "target": { "kind": "matching", "filter": filter }, "changes": { "priority": "p2" } }),
    )
    .await;
    assert_eq!(s, 200, "{out}");
    let job = out["job"].as_i64().expect("runs as a job");
    assert_eq!(out["finished"], false);
    // Someone else cannot watch it.
    let lead = app.signed_in("team_lead").await;
    let (s, _) = call(&app, &lead, "tickets/bulk_progress", json!({ "job": job })).await;
    assert_eq!(s, 404);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    let done = loop {
        let (s, p) = call(&app, &agent, "tickets/bulk_progress", json!({ "job": job })).await;
        assert_eq!(s, 200, "{p}");
        if p["finished"] == true {
            break p;
        }
        assert!(std::time::Instant::now() < deadline, "job still running: {p}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!((done["matched"].as_u64(), done["changed"].as_u64()), (Some(10001), Some(10001)));
    let p2: i64 =
        sqlx::query_scalar("select count(*) from tickets where priority = 'p2'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(p2, 10001);
    app.stop().await;
}

#[tokio::test]
async fn csv_export_streams_the_view_for_staff_only_defuses_formulas_and_is_audited() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    create(&app, &agent, "=HYPERLINK(\"http://evil\")").await;
    create(&app, &agent, "Printer, floor \"2\"").await;
    let filter = urlencode(r#"{"categories":["new"]}"#);
    let res = agent.get(app.url(&format!("/desk/export.csv?filter={filter}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = res.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines[0],
        "number,title,status,priority,requester,requester_email,assignee,team,tags,category,urgency,impact,due_at,created_at,updated_at"
    );
    assert_eq!(lines.len(), 3, "{body}");
    assert!(lines[1].contains(r#""Printer, floor ""2""""#), "{body}");
    assert!(lines[2].contains(r#"'=HYPERLINK"#), "formulas are defused: {body}");

    let requester = app.signed_in("requester").await;
    let res = requester.get(app.url("/desk/export.csv")).send().await.unwrap();
    assert_eq!(res.status(), 403);
    res.text().await.unwrap();
    let res = app.client().get(app.url("/desk/export.csv")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    res.text().await.unwrap();
    let res = agent.get(app.url("/desk/export.csv?filter=%7Bnot%20json")).send().await.unwrap();
    assert_eq!(res.status(), 400);
    res.text().await.unwrap();
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'ticket.export'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 1);
    app.stop().await;
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}
