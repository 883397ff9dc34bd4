//! Links between tickets: shown on both sides and both timelines, no self links,
//! duplicates or parent loops, merges that move comments and close the duplicate
//! under optimistic concurrency, and requesters kept to their own tickets.

use crate::common::{call, spawn_app, TestApp};
use serde_json::{json, Value};

async fn create(app: &TestApp, c: &reqwest::Client, title: &str) -> i64 {
    let (s, n) = call(
        app,
        c,
        "tickets/create",
        json!({ "title": title, "description": "", "priority": "p3", "requester": null }),
    )
    .await;
    assert_eq!(s, 200, "{n}");
    n.as_i64().unwrap()
}

async fn get(app: &TestApp, c: &reqwest::Client, n: i64) -> Value {
    let (s, d) = call(app, c, "tickets/get", json!({ "number": n })).await;
    assert_eq!(s, 200, "{d}");
    d
}

async fn links(app: &TestApp, c: &reqwest::Client, n: i64) -> Vec<(String, i64)> {
    let (s, l) = call(app, c, "tickets/links", json!({ "number": n })).await;
    assert_eq!(s, 200, "{l}");
    l.as_array()
        .unwrap()
        .iter()
        .map(|x| (x["relation"].as_str().unwrap().to_string(), x["other"].as_i64().unwrap()))
        .collect()
}

async fn link(app: &TestApp, c: &reqwest::Client, n: i64, relation: &str, other: i64) -> (u16, Value) {
    call(app, c, "tickets/link", json!({ "number": n, "relation": relation, "other": other })).await
}

/// The `linked` entries of a timeline as (relation, other, added).
fn linked(d: &Value) -> Vec<(String, i64, bool)> {
    d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["what"]["kind"] == "linked")
        .map(|i| {
            (
                i["what"]["relation"].as_str().unwrap().to_string(),
                i["what"]["other"].as_i64().unwrap(),
                i["what"]["added"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn comments(d: &Value) -> Vec<(String, String, String, bool)> {
    d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["what"]["kind"] == "comment")
        .map(|i| {
            (
                i["what"]["body"].as_str().unwrap().to_string(),
                i["actor"].as_str().unwrap_or("").to_string(),
                i["at"].as_str().unwrap().to_string(),
                i["what"]["internal"].as_bool().unwrap(),
            )
        })
        .collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

#[tokio::test]
async fn links_show_on_both_tickets_and_both_timelines_and_unlinking_removes_them() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let (a, b, c) = (
        create(&app, &agent, "Outage").await,
        create(&app, &agent, "Parent").await,
        create(&app, &agent, "Other").await,
    );

    let (s, list) = link(&app, &agent, a, "child_of", b).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(links(&app, &agent, a).await, vec![("child_of".to_string(), b)]);
    assert_eq!(links(&app, &agent, b).await, vec![("parent_of".to_string(), a)]);
    let (s, _) = link(&app, &agent, c, "related_to", a).await;
    assert_eq!(s, 200);
    assert!(links(&app, &agent, a).await.contains(&("related_to".to_string(), c)));
    assert_eq!(links(&app, &agent, c).await, vec![("related_to".to_string(), a)]);

    assert_eq!(linked(&get(&app, &agent, a).await), vec![("child_of".into(), b, true), ("related_to".into(), c, true)]);
    assert_eq!(linked(&get(&app, &agent, b).await), vec![("parent_of".into(), a, true)]);

    // No self links, and one link per pair whatever its kind or direction.
    let (s, body) = link(&app, &agent, a, "related_to", a).await;
    assert_eq!(s, 422, "{body}");
    let (s, body) = link(&app, &agent, b, "related_to", a).await;
    assert_eq!(s, 422, "{body}");
    assert!(body.to_string().contains("already linked"), "{body}");
    let (s, _) = link(&app, &agent, a, "related_to", 999_999).await;
    assert_eq!(s, 422);
    assert_eq!(count(&app, "select count(*) from ticket_links").await, 2);
    assert_eq!(count(&app, "select count(*) from audit_log where action = 'ticket.link'").await, 2);

    let (s, left) = call(&app, &agent, "tickets/unlink", json!({ "number": b, "other": a })).await;
    assert_eq!(s, 200, "{left}");
    assert_eq!(left, json!([]));
    assert_eq!(links(&app, &agent, a).await, vec![("related_to".to_string(), c)]);
    assert_eq!(linked(&get(&app, &agent, a).await).last(), Some(&("child_of".to_string(), b, false)));
    assert_eq!(linked(&get(&app, &agent, b).await).last(), Some(&("parent_of".to_string(), a, false)));
    assert_eq!(count(&app, "select count(*) from audit_log where action = 'ticket.unlink'").await, 1);
    let (s, _) = call(&app, &agent, "tickets/unlink", json!({ "number": b, "other": a })).await;
    assert_eq!(s, 404, "nothing left to unlink");
    app.stop().await;
}

#[tokio::test]
async fn parent_child_loops_and_second_parents_are_refused() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let t: Vec<i64> = {
        let mut v = Vec::new();
        for i in 0..4 {
            v.push(create(&app, &agent, &format!("Ticket {i}")).await);
        }
        v
    };
    // t0 under t1 under t2.
    assert_eq!(link(&app, &agent, t[0], "child_of", t[1]).await.0, 200);
    assert_eq!(link(&app, &agent, t[2], "parent_of", t[1]).await.0, 200);
    // t2 under t0 would close the loop t0 → t1 → t2 → t0.
    let (s, body) = link(&app, &agent, t[2], "child_of", t[0]).await;
    assert_eq!(s, 422, "{body}");
    assert!(body.to_string().contains("loop"), "{body}");
    let (s, body) = link(&app, &agent, t[0], "parent_of", t[2]).await;
    assert_eq!(s, 422, "the same loop from the other side: {body}");
    // t0 already has a parent.
    let (s, body) = link(&app, &agent, t[0], "child_of", t[3]).await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(count(&app, "select count(*) from ticket_links").await, 2);
    // A sibling and a related link across the chain are fine.
    assert_eq!(link(&app, &agent, t[3], "child_of", t[1]).await.0, 200);
    assert_eq!(link(&app, &agent, t[2], "related_to", t[0]).await.0, 200);
    app.stop().await;
}

#[tokio::test]
async fn merging_moves_comments_with_their_authors_and_closes_the_duplicate_for_both_live() {
    let app = spawn_app().await;
    let requester = app.signed_in("requester").await;
    let agent = app.signed_in("agent").await;
    let a = create(&app, &requester, "Printer jammed again").await;
    let b = create(&app, &requester, "Printer jammed").await;
    for (who, body, internal) in
        [(&requester, "It is the one on floor 2", false), (&agent, "Check the tray", true), (&agent, "On it", false)]
    {
        let (s, r) =
            call(&app, who, "tickets/comment", json!({ "number": a, "body": body, "internal": internal })).await;
        assert_eq!(s, 200, "{r}");
    }
    let before = comments(&get(&app, &agent, a).await);
    assert_eq!(before.len(), 3);
    let (va, vb) = (
        get(&app, &agent, a).await["ticket"]["version"].clone(),
        get(&app, &agent, b).await["ticket"]["version"].clone(),
    );

    let mut listener = sqlx::postgres::PgListener::connect(&app.database_url).await.unwrap();
    listener.listen(app::live::CHANNEL).await.unwrap();
    let (s, out) =
        call(&app, &agent, "tickets/merge", json!({ "number": a, "version": va, "into": b, "into_version": vb })).await;
    assert_eq!(s, 200, "{out}");
    assert_eq!(out["comments_moved"], 3);

    // Both tickets are announced.
    let mut announced = std::collections::BTreeSet::new();
    while announced.len() < 2 {
        let n = tokio::time::timeout(std::time::Duration::from_secs(10), listener.recv())
            .await
            .expect("live event")
            .unwrap();
        let env: Value = serde_json::from_str(n.payload()).unwrap();
        if env["event"]["type"] == "ticket_changed" {
            announced.insert(env["event"]["number"].as_i64().unwrap());
        }
    }
    assert_eq!(announced, [a, b].into_iter().collect());

    let target = get(&app, &agent, b).await;
    assert_eq!(comments(&target), before, "same bodies, authors, times and visibility");
    let merged: Vec<&Value> =
        target["timeline"].as_array().unwrap().iter().filter(|i| i["what"]["kind"] == "merged").collect();
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0]["what"], json!({ "kind": "merged", "into": false, "other": a, "comments": 3 }));
    // The requester of both still sees the public replies, not the note.
    let seen: Vec<String> = comments(&get(&app, &requester, b).await).into_iter().map(|c| c.0).collect();
    assert_eq!(seen, vec!["It is the one on floor 2", "On it"]);

    let dup = get(&app, &agent, a).await;
    // Closed straight from New: a merge bypasses the transition rules.
    assert_eq!(dup["ticket"]["status"], "closed");
    assert!(comments(&dup).is_empty());
    assert_eq!(links(&app, &agent, a).await, vec![("duplicate_of".to_string(), b)]);
    assert_eq!(links(&app, &agent, b).await, vec![("duplicated_by".to_string(), a)]);
    assert_eq!(
        count(&app, "select count(*) from audit_log where action in ('ticket.merge', 'ticket.merge_into')").await,
        2
    );

    // A later edit of the target sees the moved comments as news.
    let (s, body) = call(&app, &agent, "tickets/update", json!({ "number": b, "patch": { "version": vb, "title": "x", "status": null, "priority": null, "assignee": null, "team": null, "tags": null } })).await;
    assert_eq!(s, 409, "{body}");
    // A duplicate cannot be merged twice, nor can anything be merged into it.
    let c = create(&app, &agent, "Third").await;
    let vc = get(&app, &agent, c).await["ticket"]["version"].clone();
    let va2 = dup["ticket"]["version"].clone();
    let (s, body) =
        call(&app, &agent, "tickets/merge", json!({ "number": c, "version": vc, "into": a, "into_version": va2 }))
            .await;
    assert_eq!(s, 422, "{body}");
    app.stop().await;
}

#[tokio::test]
async fn a_merge_over_a_newer_version_of_either_ticket_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let a = create(&app, &agent, "Dup").await;
    let b = create(&app, &agent, "Original").await;
    call(&app, &agent, "tickets/comment", json!({ "number": a, "body": "details", "internal": false })).await;
    let va = get(&app, &agent, a).await["ticket"]["version"].clone();
    let vb = get(&app, &agent, b).await["ticket"]["version"].clone();
    // Someone replies on the target after the agent looked at it.
    let (s, _) = call(&app, &lead, "tickets/comment", json!({ "number": b, "body": "news", "internal": false })).await;
    assert_eq!(s, 200);
    let (s, body) =
        call(&app, &agent, "tickets/merge", json!({ "number": a, "version": va, "into": b, "into_version": vb })).await;
    assert_eq!(s, 409, "{body}");
    assert!(body.to_string().contains("comment by Terry Lead"), "{body}");
    // And over a stale version of the duplicate.
    let vb = get(&app, &agent, b).await["ticket"]["version"].clone();
    let stale_a = va.as_i64().unwrap() - 1;
    let (s, _) =
        call(&app, &agent, "tickets/merge", json!({ "number": a, "version": stale_a, "into": b, "into_version": vb }))
            .await;
    assert_eq!(s, 409);

    let dup = get(&app, &agent, a).await;
    assert_eq!(dup["ticket"]["status"], "new");
    assert_eq!(dup["ticket"]["version"], va);
    assert_eq!(comments(&dup).len(), 1);
    assert_eq!(count(&app, "select count(*) from ticket_links").await, 0);
    assert_eq!(count(&app, "select count(*) from audit_log where action like 'ticket.merge%'").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn requesters_cannot_link_or_merge_and_never_see_links_to_tickets_not_theirs() {
    let app = spawn_app().await;
    let requester = app.signed_in("requester").await;
    let agent = app.signed_in("agent").await;
    let mine = create(&app, &requester, "My laptop").await;
    let mine_too = create(&app, &requester, "My laptop, again").await;
    let theirs = create(&app, &agent, "Fleet rollout").await;

    assert_eq!(link(&app, &requester, mine, "related_to", mine_too).await.0, 403);
    assert_eq!(link(&app, &requester, mine, "related_to", theirs).await.0, 403);
    let (s, _) = call(&app, &requester, "tickets/unlink", json!({ "number": mine, "other": theirs })).await;
    assert_eq!(s, 403);
    let (s, _) = call(
        &app,
        &requester,
        "tickets/merge",
        json!({ "number": mine, "version": 1, "into": mine_too, "into_version": 1 }),
    )
    .await;
    assert_eq!(s, 403);
    assert_eq!(count(&app, "select count(*) from ticket_links").await, 0);

    assert_eq!(link(&app, &agent, mine, "child_of", theirs).await.0, 200);
    assert_eq!(link(&app, &agent, mine, "related_to", mine_too).await.0, 200);
    // The requester sees the link between their own tickets only.
    assert_eq!(links(&app, &requester, mine).await, vec![("related_to".to_string(), mine_too)]);
    assert_eq!(linked(&get(&app, &requester, mine).await), vec![("related_to".to_string(), mine_too, true)]);
    let (s, _) = call(&app, &requester, "tickets/links", json!({ "number": theirs })).await;
    assert_eq!(s, 404);

    // Merging a requester's ticket into someone else's: their replies become
    // internal notes there, and they never see the other ticket named.
    call(
        &app,
        &requester,
        "tickets/comment",
        json!({ "number": mine_too, "body": "my serial is 123", "internal": false }),
    )
    .await;
    let v1 = get(&app, &agent, mine_too).await["ticket"]["version"].clone();
    let v2 = get(&app, &agent, theirs).await["ticket"]["version"].clone();
    let (s, body) = call(
        &app,
        &agent,
        "tickets/merge",
        json!({ "number": mine_too, "version": v1, "into": theirs, "into_version": v2 }),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let moved = comments(&get(&app, &agent, theirs).await);
    assert_eq!(moved.len(), 1);
    assert!(moved[0].3, "a reply moved to another requester's ticket is internal");
    let dup = get(&app, &requester, mine_too).await;
    assert_eq!(dup["ticket"]["status"], "closed");
    let kinds: Vec<&str> =
        dup["timeline"].as_array().unwrap().iter().map(|i| i["what"]["kind"].as_str().unwrap()).collect();
    assert!(!kinds.contains(&"merged"), "{kinds:?}");
    assert!(!dup.to_string().contains(&format!("\"other\":{theirs}")), "{dup}");
    assert_eq!(links(&app, &requester, mine_too).await, vec![("related_to".to_string(), mine)]);
    app.stop().await;
}

#[tokio::test]
async fn two_concurrent_links_cannot_together_close_a_loop() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    for round in 0..5 {
        let mut t = Vec::new();
        for name in ["A", "B", "C", "D"] {
            t.push(create(&app, &agent, &format!("{name}{round}")).await);
        }
        assert_eq!(link(&app, &agent, t[0], "child_of", t[1]).await.0, 200);
        assert_eq!(link(&app, &agent, t[2], "child_of", t[3]).await.0, 200);
        // Two links on four different tickets (no shared row lock): each alone is
        // fine, both would make A → B → C → D → A.
        let (first, second) =
            tokio::join!(link(&app, &agent, t[1], "child_of", t[2]), link(&app, &lead, t[3], "child_of", t[0]));
        let mut statuses = [first.0, second.0];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 422], "round {round}: {first:?} {second:?}");
    }
    app.stop().await;
}
