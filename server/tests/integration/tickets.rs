//! Tickets: creation, queues, transitions as data, optimistic concurrency,
//! requester isolation and internal notes.
use crate::common;

use crate::common::{call, spawn_app};
use serde_json::{json, Value};

async fn create(app: &common::TestApp, c: &reqwest::Client, title: &str) -> i64 {
    let (status, n) = call(
        app,
        c,
        "tickets/create",
        json!({ "title": title, "description": "It broke.", "priority": "p2", "requester": null }),
    )
    .await;
    assert_eq!(status, 200, "{n}");
    n.as_i64().unwrap()
}

async fn get(app: &common::TestApp, c: &reqwest::Client, n: i64) -> (u16, Value) {
    call(app, c, "tickets/get", json!({ "number": n })).await
}

fn patch(version: i64, fields: Value) -> Value {
    // Only the given fields: for assignee, team, category and due date `null` means "clear".
    let mut p = json!({ "version": version });
    for (k, v) in fields.as_object().unwrap() {
        p[k] = v.clone();
    }
    p
}

#[tokio::test]
async fn a_requester_opens_a_ticket_that_agents_see_in_the_queue_and_others_cannot_read() {
    let app = spawn_app().await;
    let requester = app.signed_in("requester").await;
    let agent = app.signed_in("agent").await;
    let n = create(&app, &requester, "VPN drops every hour").await;

    let filter = json!({ "filter": { "categories": ["new", "open", "pending", "scheduled"], "assignee": { "kind": "unassigned" }, "team": null, "priority": null, "requester": null, "tag": null, "after": null } });
    let (status, page) = call(&app, &agent, "tickets/list", filter).await;
    assert_eq!(status, 200, "{page}");
    let rows = page["tickets"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["title"], "VPN drops every hour");
    assert_eq!(rows[0]["requester_name"], "Riley Requester");

    let (_, detail) = get(&app, &requester, n).await;
    assert_eq!(detail["ticket"]["source"], "portal");
    // Another requester gets NotFound, not Forbidden: numbers reveal nothing.
    let admin = app.signed_in("admin").await;
    let (s, _) = call(&app, &admin, "users/create", json!({ "email": "other@example.com", "display_name": "Other", "role": "requester", "password": "other requester pw" })).await;
    assert_eq!(s, 200);
    let other = app.client();
    call(&app, &other, "auth/login", json!({ "email": "other@example.com", "password": "other requester pw" })).await;
    let (status, _) = get(&app, &other, n).await;
    assert_eq!(status, 404);
    let (status, _) =
        call(&app, &other, "tickets/comment", json!({ "number": n, "body": "me too", "internal": false })).await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test]
async fn status_changes_follow_the_configured_transitions_and_are_on_the_timeline() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let n = create(&app, &agent, "Laptop will not boot").await;
    let (_, d) = get(&app, &agent, n).await;
    let v = d["ticket"]["version"].as_i64().unwrap();

    // New → Closed is not an allowed transition by default.
    let (status, body) =
        call(&app, &agent, "tickets/update", json!({ "number": n, "patch": patch(v, json!({ "status": "closed" })) }))
            .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("cannot move from New to Closed"), "{body}");

    let (status, d) = call(
        &app,
        &agent,
        "tickets/update",
        json!({ "number": n, "patch": patch(v, json!({ "status": "in_progress", "priority": "p1" })) }),
    )
    .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["ticket"]["status"], "in_progress");
    assert_eq!(d["ticket"]["status_category"], "open");
    let changes: Vec<String> = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["what"]["kind"] == "changed")
        .map(|i| {
            format!(
                "{}:{}→{}",
                i["what"]["field"].as_str().unwrap(),
                i["what"]["from"].as_str().unwrap(),
                i["what"]["to"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(changes, vec!["status:New→In Progress", "priority:P2→P1"]);
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'ticket.update'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 1);
    app.stop().await;
}

#[tokio::test]
async fn saving_over_a_newer_version_is_refused_and_says_what_changed() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let n = create(&app, &agent, "Printer offline").await;
    let (_, d) = get(&app, &agent, n).await;
    let seen = d["ticket"]["version"].as_i64().unwrap();
    let (status, _) =
        call(&app, &lead, "tickets/update", json!({ "number": n, "patch": patch(seen, json!({ "priority": "p1" })) }))
            .await;
    assert_eq!(status, 200);
    let (status, body) = call(
        &app,
        &agent,
        "tickets/update",
        json!({ "number": n, "patch": patch(seen, json!({ "title": "Printer on floor 2 offline" })) }),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("priority by Terry Lead"), "{body}");
    let (_, after) = get(&app, &agent, n).await;
    assert_eq!(after["ticket"]["title"], "Printer offline", "nothing was overwritten");
    app.stop().await;
}

#[tokio::test]
async fn internal_notes_are_hidden_from_the_requester_and_requesters_cannot_write_them() {
    let app = spawn_app().await;
    let requester = app.signed_in("requester").await;
    let agent = app.signed_in("agent").await;
    let n = create(&app, &requester, "Need a new mouse").await;
    let (s, _) =
        call(&app, &agent, "tickets/comment", json!({ "number": n, "body": "Check stock first", "internal": true }))
            .await;
    assert_eq!(s, 200);
    let (s, _) =
        call(&app, &agent, "tickets/comment", json!({ "number": n, "body": "On its way!", "internal": false })).await;
    assert_eq!(s, 200);
    let (s, _) =
        call(&app, &requester, "tickets/comment", json!({ "number": n, "body": "sneaky", "internal": true })).await;
    assert_eq!(s, 403);
    let (s, _) =
        call(&app, &requester, "tickets/comment", json!({ "number": n, "body": "   ", "internal": false })).await;
    assert_eq!(s, 422);

    let bodies = |d: &Value| -> Vec<String> {
        d["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["what"]["kind"] == "comment")
            .map(|i| i["what"]["body"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, seen_by_requester) = get(&app, &requester, n).await;
    assert_eq!(bodies(&seen_by_requester), vec!["On its way!"]);
    let (_, seen_by_agent) = get(&app, &agent, n).await;
    assert_eq!(bodies(&seen_by_agent), vec!["Check stock first", "On its way!"]);
    app.stop().await;
}

#[tokio::test]
async fn queues_page_by_keyset_without_gaps_or_repeats() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    for i in 0..(app::tickets::model::TICKET_PAGE_SIZE + 7) {
        create(&app, &agent, &format!("Ticket {i}")).await;
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut after = Value::Null;
    let mut pages = 0;
    loop {
        let (s, page) = call(&app, &agent, "tickets/list", json!({ "filter": { "categories": [], "assignee": { "kind": "any" }, "team": null, "priority": null, "requester": null, "tag": null, "after": after } })).await;
        assert_eq!(s, 200, "{page}");
        for t in page["tickets"].as_array().unwrap() {
            assert!(seen.insert(t["number"].as_i64().unwrap()), "repeated row");
        }
        pages += 1;
        if page["next"].is_null() {
            break;
        }
        after = page["next"].clone();
    }
    assert_eq!(pages, 2);
    assert_eq!(seen.len() as i64, app::tickets::model::TICKET_PAGE_SIZE + 7);
    app.stop().await;
}

#[tokio::test]
async fn ticket_functions_refuse_when_the_service_desk_is_disabled() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    call(&app, &admin, "settings/set_module", json!({ "module": "service_desk", "enabled": false })).await;
    let (status, body) = call(
        &app,
        &admin,
        "tickets/create",
        json!({ "title": "x", "description": "", "priority": "p3", "requester": null }),
    )
    .await;
    assert_eq!(status, 403);
    assert!(body.get("ModuleDisabled").is_some(), "{body}");
    let n: i64 = sqlx::query_scalar("select count(*) from tickets").fetch_one(&app.pool).await.unwrap();
    assert_eq!(n, 0);
    app.stop().await;
}

#[tokio::test]
async fn search_finds_tickets_by_number_by_a_word_from_a_comment_and_by_a_misspelt_title() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let printer = create(&app, &agent, "Printer on the second floor jams").await;
    let vpn = create(&app, &agent, "VPN disconnects").await;
    call(
        &app,
        &agent,
        "tickets/comment",
        json!({ "number": vpn, "body": "Happens with the Fortinet client only", "internal": false }),
    )
    .await;

    let numbers =
        |hits: &Value| -> Vec<i64> { hits.as_array().unwrap().iter().map(|h| h["number"].as_i64().unwrap()).collect() };
    let (s, hits) = call(&app, &agent, "tickets/search", json!({ "query": "fortinet" })).await;
    assert_eq!(s, 200, "{hits}");
    assert_eq!(numbers(&hits), vec![vpn]);
    assert!(hits[0]["snippet"].as_str().unwrap().contains("\u{2}Fortinet\u{3}"), "{hits}");

    let (_, hits) = call(&app, &agent, "tickets/search", json!({ "query": format!("TKT-{printer}") })).await;
    assert_eq!(numbers(&hits)[0], printer);
    let (_, hits) = call(&app, &agent, "tickets/search", json!({ "query": "priner" })).await;
    assert!(numbers(&hits).contains(&printer), "trigram match on a typo: {hits}");
    let (_, hits) = call(&app, &agent, "tickets/search", json!({ "query": "nothing-like-this" })).await;
    assert!(hits.as_array().unwrap().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn descriptions_and_comments_render_as_sanitised_markdown() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let (status, n) = call(
        &app,
        &agent,
        "tickets/create",
        json!({ "title": "Markdown", "description": "**Bold** <script>alert(1)</script> [x](javascript:alert(1))", "priority": "p3", "requester": null }),
    )
    .await;
    assert_eq!(status, 200, "{n}");
    let n = n.as_i64().unwrap();
    let body = "- item\n\n<img src=x onerror=alert(1)>";
    let (status, _) =
        call(&app, &agent, "tickets/comment", json!({ "number": n, "body": body, "internal": false })).await;
    assert_eq!(status, 200);
    let (_, d) = get(&app, &agent, n).await;
    let html = d["description_html"].as_str().unwrap();
    assert!(html.contains("<strong>Bold</strong>"), "{html}");
    assert!(!html.contains("<script") && !html.contains("javascript:"), "{html}");
    let comment = d["timeline"].as_array().unwrap().iter().find(|i| i["what"]["kind"] == "comment").unwrap();
    let html = comment["what"]["html"].as_str().unwrap();
    assert!(html.contains("<li>item</li>") && !html.contains("onerror"), "{html}");
    // The source text is kept as typed, for editing and search.
    assert_eq!(comment["what"]["body"], body);
    app.stop().await;
}

#[tokio::test]
async fn search_ranks_the_most_recent_matches_and_widens_only_when_they_are_too_few() {
    use app::tickets::repo::search_from;
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    // Three recently updated tickets, three last updated 300 days ago.
    let crash = create(&app, &agent, "Outlook crashes on start").await;
    let slow = create(&app, &agent, "Outlook slow").await;
    create(&app, &agent, "Printer jams").await;
    let old_outlook = create(&app, &agent, "Outlook Outlook outlook calendar broken").await;
    let kerberos = create(&app, &agent, "Kerberos ticket expired").await;
    let vpn = create(&app, &agent, "VPN disconnects").await;
    let (s, _) = call(
        &app,
        &agent,
        "tickets/comment",
        json!({ "number": vpn, "body": "Fortinet client is the culprit", "internal": true }),
    )
    .await;
    assert_eq!(s, 200);
    // Back-date them (past the trigger that stamps every update with now()).
    let old = [old_outlook, kerberos, vpn];
    let mut tx = app.pool.begin().await.unwrap();
    for sql in [
        "alter table tickets disable trigger tickets_updated_at",
        "update tickets set updated_at = now() - interval '300 days' where number = any($1)",
        "update ticket_comments set created_at = now() - interval '300 days'
         where ticket_id in (select id from tickets where number = any($1))",
        "alter table tickets enable trigger tickets_updated_at",
    ] {
        let q = sqlx::query(sql);
        let q = if sql.contains("$1") { q.bind(old.as_slice()) } else { q };
        q.execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();

    let numbers = |hits: Vec<app::tickets::model::SearchHit>| -> Vec<i64> {
        let mut n: Vec<i64> = hits.into_iter().map(|h| h.number.0).collect();
        n.sort_unstable();
        n
    };
    // Searches for a page of two, starting with the `window` most recently updated tickets.
    let search = |q: &'static str, internal: bool, window: i64| {
        let pool = app.pool.clone();
        async move { numbers(search_from(&pool, q, internal, 2, window).await.unwrap()) }
    };
    // With a window larger than the data every match is ranked: the old ticket says
    // "outlook" three times.
    let all = search_from(&app.pool, "outlook", true, 2, 1000).await.unwrap();
    assert_eq!(all[0].number.0, old_outlook);
    // The three most recent tickets hold two matches, enough for a page of two.
    assert_eq!(search("outlook", true, 3).await, vec![crash, slow]);
    // A word only an old ticket has: the search widens to every ticket.
    assert_eq!(search("kerberos", true, 3).await, vec![kerberos]);
    // Words of internal notes, old or recent, only when internal notes may be seen.
    assert_eq!(search("fortinet", true, 3).await, vec![vpn]);
    assert_eq!(search("fortinet", false, 3).await, Vec::<i64>::new());
    // Typos: fuzzy title matches come from recent tickets only (20 times the span of
    // the first window).
    assert_eq!(search("outlok", true, 3).await, vec![crash, slow]);
    assert_eq!(search("kerbros", true, 3).await, Vec::<i64>::new());
    assert_eq!(search("kerbros", true, 1000).await, vec![kerberos]);
    app.stop().await;
}
