//! Presence on tickets: agents see each other viewing and replying, a silent viewer
//! expires, leaving is announced, requesters are refused.
use crate::common;

use crate::common::{call, spawn_app};
use serde_json::{json, Value};

async fn create_ticket(app: &common::TestApp, c: &reqwest::Client, title: &str) -> i64 {
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

/// (name, replying) of everyone else on the ticket, per a heartbeat of `c`.
async fn beat(app: &common::TestApp, c: &reqwest::Client, n: i64) -> Vec<(String, bool)> {
    let (s, list) = call(app, c, "presence/heartbeat", json!({ "number": n })).await;
    assert_eq!(s, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_string(), p["replying"].as_bool().unwrap()))
        .collect()
}

async fn next_event(l: &mut sqlx::postgres::PgListener) -> Value {
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), l.recv()).await.expect("an event").unwrap();
    serde_json::from_str::<Value>(n.payload()).unwrap()
}

fn who(name: &str, replying: bool) -> Vec<(String, bool)> {
    vec![(name.to_string(), replying)]
}

#[tokio::test]
async fn two_agents_see_each_other_viewing_and_replying_until_they_leave() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let n = create_ticket(&app, &agent, "Shared drive is read-only").await;
    let other = create_ticket(&app, &agent, "Another ticket").await;

    assert_eq!(beat(&app, &agent, n).await, vec![], "alone at first; nobody lists themselves");
    assert_eq!(beat(&app, &lead, n).await, who("Alex Agent", false));
    assert_eq!(beat(&app, &agent, n).await, who("Terry Lead", false));
    assert_eq!(beat(&app, &agent, other).await, vec![], "presence is per ticket");

    // The draft autosave marks the agent as replying; emptying the draft ends it.
    let (s, _) =
        call(&app, &agent, "desk/save_draft", json!({ "number": n, "body": "Hi, I", "internal": false })).await;
    assert_eq!(s, 200);
    assert_eq!(beat(&app, &lead, n).await, who("Alex Agent", true));
    let (s, _) = call(&app, &agent, "desk/save_draft", json!({ "number": n, "body": "", "internal": false })).await;
    assert_eq!(s, 200);
    assert_eq!(beat(&app, &lead, n).await, who("Alex Agent", false));

    // Sending the reply ends it at once.
    call(&app, &agent, "desk/save_draft", json!({ "number": n, "body": "Done, see", "internal": false })).await;
    assert_eq!(beat(&app, &lead, n).await, who("Alex Agent", true));
    let (s, _) =
        call(&app, &agent, "tickets/comment", json!({ "number": n, "body": "Done, see above", "internal": false }))
            .await;
    assert_eq!(s, 200);
    assert_eq!(beat(&app, &lead, n).await, who("Alex Agent", false));

    // Typing stops counting as replying after a pause.
    call(&app, &agent, "desk/save_draft", json!({ "number": n, "body": "Hi again", "internal": false })).await;
    sqlx::query("update ticket_presence set typing_at = now() - interval '11 seconds'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(beat(&app, &lead, n).await, who("Alex Agent", false));

    // Leaving removes the agent at once.
    let (s, _) = call(&app, &agent, "presence/leave", json!({ "number": n })).await;
    assert_eq!(s, 200);
    assert_eq!(beat(&app, &lead, n).await, vec![]);
    // A draft saved on the way out does not bring them back.
    call(&app, &agent, "desk/save_draft", json!({ "number": n, "body": "Flushed late", "internal": false })).await;
    assert_eq!(beat(&app, &lead, n).await, vec![]);
    app.stop().await;
}

#[tokio::test]
async fn a_viewer_who_stops_sending_heartbeats_expires() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let n = create_ticket(&app, &agent, "Email bounces").await;
    beat(&app, &agent, n).await;
    assert_eq!(beat(&app, &lead, n).await, who("Alex Agent", false));

    // 29 s of silence: still there. 31 s (the agent closed the laptop): gone.
    let agent_id: uuid::Uuid = sqlx::query_scalar("select id from users where email = 'agent@demo.helios.test'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let age = |secs: i32| {
        sqlx::query("update ticket_presence set seen_at = now() - make_interval(secs => $1) where user_id = $2")
            .bind(secs as f64)
            .bind(agent_id)
            .execute(&app.pool)
    };
    age(29).await.unwrap();
    assert_eq!(beat(&app, &lead, n).await, who("Alex Agent", false));
    age(31).await.unwrap();
    assert_eq!(beat(&app, &lead, n).await, vec![]);
    // A typing mark from before the expiry does not survive the return.
    sqlx::query("update ticket_presence set typing_at = now() where user_id = $1")
        .bind(agent_id)
        .execute(&app.pool)
        .await
        .unwrap();
    age(31).await.unwrap();
    beat(&app, &agent, n).await;
    assert_eq!(beat(&app, &lead, n).await, who("Alex Agent", false), "back, viewing, not replying");
    app.stop().await;
}

#[tokio::test]
async fn requesters_are_refused_and_never_listed() {
    let app = spawn_app().await;
    let requester = app.signed_in("requester").await;
    let agent = app.signed_in("agent").await;
    let n = create_ticket(&app, &requester, "My own ticket").await;
    for endpoint in ["presence/heartbeat", "presence/leave"] {
        let (s, _) = call(&app, &requester, endpoint, json!({ "number": n })).await;
        assert_eq!(s, 403, "{endpoint}");
    }
    let (s, _) = call(&app, &app.client(), "presence/heartbeat", json!({ "number": n })).await;
    assert_eq!(s, 401);
    assert_eq!(beat(&app, &agent, n).await, vec![], "the requester's tab never appears");
    let (s, _) = call(&app, &agent, "presence/heartbeat", json!({ "number": 999999 })).await;
    assert_eq!(s, 404);
    app.stop().await;
}

#[tokio::test]
async fn presence_changes_are_announced_to_staff_only() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let n = create_ticket(&app, &agent, "Wifi in room 4").await;
    // Listen on the live channel the way the server does, and collect what goes out.
    let mut listener = sqlx::postgres::PgListener::connect_with(&app.pool).await.unwrap();
    listener.listen(app::live::CHANNEL).await.unwrap();
    let sentinel = create_ticket(&app, &agent, "Sentinel").await;
    let mut listener_events = Vec::new();
    beat(&app, &agent, n).await; // arrives: news
    beat(&app, &agent, n).await; // still there: not news
    beat(&app, &lead, n).await; // arrives: news
    call(&app, &lead, "presence/leave", json!({ "number": n })).await; // leaves: news
    beat(&app, &lead, sentinel).await; // marks the end
    loop {
        let ev = next_event(&mut listener).await;
        if ev["event"]["type"] != "presence_changed" {
            continue;
        }
        assert_eq!(ev["audience"], json!({ "kind": "with_permission", "permission": "DeskView" }));
        let number = ev["event"]["number"].as_i64().unwrap();
        listener_events.push(number);
        if number == sentinel {
            break;
        }
    }
    assert_eq!(listener_events, vec![n, n, n, sentinel]);
    app.stop().await;
}
