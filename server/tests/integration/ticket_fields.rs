//! Ticket classification and queue options: custom fields (typed, required),
//! categories, editable statuses and transitions, watchers, clearing fields with
//! `null`, and the queue's extra filters and sortable, keyset-paginated orders.

use crate::common::{call, spawn_app, TestApp};
use serde_json::{json, Value};

async fn ok(app: &TestApp, c: &reqwest::Client, endpoint: &str, args: Value) -> Value {
    let (status, body) = call(app, c, endpoint, args).await;
    assert_eq!(status, 200, "{endpoint}: {body}");
    body
}

async fn create(app: &TestApp, c: &reqwest::Client, title: &str, extras: Value) -> (u16, Value) {
    call(
        app,
        c,
        "tickets/create",
        json!({ "title": title, "description": "", "priority": "p3", "requester": null, "extras": extras }),
    )
    .await
}

async fn ticket(app: &TestApp, c: &reqwest::Client, n: i64) -> Value {
    ok(app, c, "tickets/get", json!({ "number": n })).await
}

async fn update(app: &TestApp, c: &reqwest::Client, n: i64, fields: Value) -> (u16, Value) {
    let v = ticket(app, c, n).await["ticket"]["version"].clone();
    let mut patch = json!({ "version": v });
    for (k, x) in fields.as_object().unwrap() {
        patch[k] = x.clone();
    }
    call(app, c, "tickets/update", json!({ "number": n, "patch": patch })).await
}

async fn count(app: &TestApp, c: &reqwest::Client, filter: Value) -> i64 {
    ok(app, c, "tickets/count", json!({ "filter": filter })).await["count"].as_i64().unwrap()
}

/// Whether the ticket's timeline has the change `field: from → to`.
fn changed(detail: &Value, field: &str, from: &str, to: &str) -> bool {
    detail["timeline"].as_array().unwrap().iter().any(|i| {
        i["what"]["kind"] == "changed"
            && i["what"]["field"] == field
            && i["what"]["from"] == from
            && i["what"]["to"] == to
    })
}

fn field(key: &str, kind: &str, options: &[&str], required: bool) -> Value {
    json!({ "field": { "key": key, "label": key.to_uppercase(), "kind": kind, "options": options,
        "required": required, "position": 0, "active": true } })
}

#[tokio::test]
async fn custom_fields_are_checked_by_type_and_required_ness_and_bad_values_change_nothing() {
    let app = spawn_app().await;
    let manager = app.signed_in("manager").await;
    let agent = app.signed_in("agent").await;
    ok(&app, &manager, "desk_config/save_field", field("site", "select", &["Berlin", "Paris"], true)).await;
    ok(&app, &manager, "desk_config/save_field", field("cost", "number", &[], false)).await;
    // Agents may not define fields.
    let (status, _) = call(&app, &agent, "desk_config/save_field", field("x", "text", &[], false)).await;
    assert_eq!(status, 403);

    // Staff must fill required fields; nothing is created otherwise.
    let before = count(&app, &agent, json!({})).await;
    let (status, body) = create(&app, &agent, "Monitor flickers", json!({ "custom_fields": { "cost": 5 } })).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("SITE is required"), "{body}");
    let (status, body) = create(&app, &agent, "Monitor flickers", json!({ "custom_fields": { "site": "Rome" } })).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("not one of the choices"), "{body}");
    assert_eq!(count(&app, &agent, json!({})).await, before);

    let (status, n) =
        create(&app, &agent, "Monitor flickers", json!({ "custom_fields": { "site": "Paris", "cost": "12.5" } })).await;
    assert_eq!(status, 200, "{n}");
    let n = n.as_i64().unwrap();
    let t = ticket(&app, &agent, n).await;
    assert_eq!(t["ticket"]["custom_fields"], json!({ "site": "Paris", "cost": 12.5 }));

    // A bad number, an unknown field and clearing a required one are refused as a whole.
    for bad in [json!({ "cost": "lots", "site": "Berlin" }), json!({ "nope": 1 }), json!({ "site": null })] {
        let (status, body) = update(&app, &agent, n, json!({ "custom_fields": bad, "title": "Changed" })).await;
        assert_eq!(status, 422, "{body}");
    }
    let t = ticket(&app, &agent, n).await;
    assert_eq!(t["ticket"]["title"], "Monitor flickers");
    assert_eq!(t["ticket"]["custom_fields"]["site"], "Paris");

    // A good change lands, named by its label on the timeline; null clears optional ones.
    let (status, body) = update(&app, &agent, n, json!({ "custom_fields": { "site": "Berlin", "cost": null } })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ticket"]["custom_fields"], json!({ "site": "Berlin" }));
    assert!(changed(&body, "SITE", "Paris", "Berlin"), "{}", body["timeline"]);

    // The CSV export has a column per custom field (in position, then label order).
    let res = agent.get(app.url("/desk/export.csv?filter=%7B%7D")).send().await.unwrap();
    let csv = res.text().await.unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(",created_at,updated_at,COST,SITE"), "{csv}");
    assert!(lines.any(|l| l.contains("Monitor flickers") && l.ends_with(",,Berlin")), "{csv}");

    // A field's kind is fixed once created.
    let (status, body) = call(&app, &manager, "desk_config/save_field", field("cost", "text", &[], false)).await;
    assert_eq!(status, 422, "{body}");
    // Requesters skip the agent-only required fields when they open tickets.
    let requester = app.signed_in("requester").await;
    let (status, body) = create(&app, &requester, "Printer out of toner", json!({})).await;
    assert_eq!(status, 200, "{body}");
    app.stop().await;
}

#[tokio::test]
async fn categories_classify_tickets_and_filter_with_their_subcategories() {
    let app = spawn_app().await;
    let manager = app.signed_in("manager").await;
    let agent = app.signed_in("agent").await;
    let catalog = ok(&app, &agent, "tickets/catalog", json!({})).await;
    let id_of = |catalog: &Value, name: &str| {
        catalog["categories"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap()["id"].clone()
    };
    let hardware = id_of(&catalog, "Hardware");
    let laptop = id_of(&catalog, "Laptop");
    let (_, a) =
        create(&app, &agent, "Laptop hinge broken", json!({ "category": laptop, "urgency": "high", "impact": "low" }))
            .await;
    let (_, b) = create(&app, &agent, "Hardware in general", json!({ "category": hardware })).await;
    let (_, _c) = create(&app, &agent, "No category", json!({})).await;
    let a = a.as_i64().unwrap();
    let t = ticket(&app, &agent, a).await;
    assert_eq!(t["ticket"]["urgency"], "high");
    assert_eq!(t["ticket"]["impact"], "low");

    assert_eq!(count(&app, &agent, json!({ "category": hardware })).await, 2, "a category includes its subcategories");
    assert_eq!(count(&app, &agent, json!({ "category": laptop })).await, 1);

    // Sub-subcategories do not exist; used categories cannot be deleted.
    let (status, body) = call(
        &app,
        &manager,
        "desk_config/save_category",
        json!({ "id": null, "parent": laptop, "name": "Keyboard", "position": 1, "active": true }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = call(&app, &manager, "desk_config/delete_category", json!({ "id": hardware })).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("2 tickets use this category"), "{body}");

    // A deactivated category cannot be chosen any more, but tickets keep it.
    ok(
        &app,
        &manager,
        "desk_config/save_category",
        json!({ "id": laptop, "parent": hardware, "name": "Laptop", "position": 1, "active": false }),
    )
    .await;
    let (status, _) = update(&app, &agent, b.as_i64().unwrap(), json!({ "category": laptop })).await;
    assert_eq!(status, 422);
    assert_eq!(ticket(&app, &agent, a).await["ticket"]["category_id"], laptop);
    // null clears the category, and the timeline says so.
    let (status, body) = update(&app, &agent, a, json!({ "category": null })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ticket"]["category_id"], Value::Null);
    assert!(changed(&body, "category", "Hardware › Laptop", ""), "{}", body["timeline"]);

    // An unused category goes, with its subcategories.
    let network = id_of(&catalog, "Network");
    ok(&app, &manager, "desk_config/delete_category", json!({ "id": network })).await;
    let after = ok(&app, &agent, "tickets/catalog", json!({})).await.to_string();
    assert!(!after.contains("\"VPN\"") && !after.contains("\"Network\""), "{after}");
    app.stop().await;
}

#[tokio::test]
async fn admins_edit_statuses_and_transitions_and_tickets_follow_their_category() {
    let app = spawn_app().await;
    let manager = app.signed_in("manager").await;
    let agent = app.signed_in("agent").await;
    let (_, n) = create(&app, &agent, "Wait for vendor", json!({})).await;
    let n = n.as_i64().unwrap();

    let flow = ok(
        &app,
        &manager,
        "desk_config/save_status",
        json!({ "key": "on_hold", "name": "On hold", "category": "pending", "position": 12 }),
    )
    .await;
    assert!(flow["statuses"].to_string().contains("On hold"));
    // No transition leads there yet.
    let (status, body) = update(&app, &agent, n, json!({ "status": "on_hold" })).await;
    assert_eq!(status, 422, "{body}");
    ok(&app, &manager, "desk_config/set_transitions", json!({ "from": "new", "to": ["on_hold", "resolved", "new"] }))
        .await;
    let (status, body) = update(&app, &agent, n, json!({ "status": "on_hold" })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ticket"]["status_category"], "pending");
    // The old transitions from New were replaced.
    let (status, _) = update(&app, &agent, n, json!({ "status": "in_progress" })).await;
    assert_eq!(status, 422);

    // Moving the status to another category moves its tickets for filters and SLA.
    ok(
        &app,
        &manager,
        "desk_config/save_status",
        json!({ "key": "on_hold", "name": "Parked", "category": "scheduled", "position": 12 }),
    )
    .await;
    assert_eq!(count(&app, &agent, json!({ "categories": ["scheduled"], "statuses": ["on_hold"] })).await, 1);

    // In use, built in, or unknown: refused.
    let (status, body) = call(&app, &manager, "desk_config/delete_status", json!({ "key": "on_hold" })).await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = call(&app, &manager, "desk_config/delete_status", json!({ "key": "closed" })).await;
    assert_eq!(status, 422);
    let (status, _) = call(
        &app,
        &manager,
        "desk_config/save_status",
        json!({ "key": "resolved", "name": "Done", "category": "open", "position": 10 }),
    )
    .await;
    assert_eq!(status, 422, "resolved keeps its category");
    let (status, _) =
        call(&app, &manager, "desk_config/set_transitions", json!({ "from": "new", "to": ["nowhere"] })).await;
    assert_eq!(status, 422);
    let audit = ok(&app, &manager, "audit/list",
        json!({ "filter": { "action": "ticket_status.transitions", "entity_type": "", "actor": "", "from": "", "to": "", "before_id": null } })).await;
    assert!(audit.to_string().contains("ticket_status.transitions"), "{audit}");
    app.stop().await;
}

#[tokio::test]
async fn watchers_are_active_agents_and_null_unassigns() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let requester = app.signed_in("requester").await;
    let (_, n) = create(&app, &requester, "Phone cracked", json!({})).await;
    let n = n.as_i64().unwrap();

    let me = ok(&app, &agent, "tickets/watch", json!({ "number": n, "user": null, "watching": true })).await;
    assert_eq!(me.as_array().unwrap().len(), 1);
    let users = ok(&app, &agent, "users/agents", json!({})).await;
    let lead_id = users.as_array().unwrap().iter().find(|u| u["display_name"] == "Terry Lead").map(|u| u["id"].clone());
    let lead_id = lead_id.unwrap_or_else(|| panic!("no team lead in {users}"));
    let both = ok(&app, &agent, "tickets/watch", json!({ "number": n, "user": lead_id, "watching": true })).await;
    assert_eq!(both.as_array().unwrap().len(), 2);
    // A requester cannot be made a watcher, nor call the endpoint.
    let detail = ticket(&app, &requester, n).await;
    assert_eq!(detail["watchers"], json!([]), "requesters do not see watchers");
    let requester_id = detail["ticket"]["requester_id"].clone();
    let (status, _) =
        call(&app, &agent, "tickets/watch", json!({ "number": n, "user": requester_id, "watching": true })).await;
    assert_eq!(status, 422);
    let (status, _) =
        call(&app, &requester, "tickets/watch", json!({ "number": n, "user": null, "watching": true })).await;
    assert_eq!(status, 403);
    let lead_view = ticket(&app, &lead, n).await;
    assert_eq!(lead_view["watchers"].as_array().unwrap().len(), 2);

    // Assign, then unassign with an explicit null.
    let (status, body) = update(&app, &agent, n, json!({ "assignee": lead_id })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ticket"]["assignee_name"], "Terry Lead");
    let (status, body) = update(&app, &agent, n, json!({ "assignee": null })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ticket"]["assignee_id"], Value::Null);

    // Merging the ticket into another hands its watchers over.
    let (_, target) = create(&app, &agent, "Phone screen broken", json!({})).await;
    let target = target.as_i64().unwrap();
    let version = |d: &Value| d["ticket"]["version"].clone();
    let (a, b) = (ticket(&app, &agent, n).await, ticket(&app, &agent, target).await);
    ok(
        &app,
        &agent,
        "tickets/merge",
        json!({ "number": n, "version": version(&a), "into": target, "into_version": version(&b) }),
    )
    .await;
    let merged = ticket(&app, &agent, target).await;
    let names: Vec<&str> =
        merged["watchers"].as_array().unwrap().iter().map(|w| w["display_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Alex Agent", "Terry Lead"]);
    assert_eq!(ticket(&app, &agent, n).await["watchers"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn queue_orders_page_by_keyset_without_gaps_and_date_ranges_filter() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let mut numbers = Vec::new();
    for i in 0..57 {
        let priority = ["p1", "p2", "p3", "p4"][i % 4];
        let (status, n) = call(
            &app,
            &agent,
            "tickets/create",
            json!({ "title": format!("Ticket {i}"), "description": "", "priority": priority, "requester": null }),
        )
        .await;
        assert_eq!(status, 200);
        numbers.push(n.as_i64().unwrap());
    }
    for (sort, expect) in [("number_asc", numbers.clone()), ("number_desc", numbers.iter().rev().copied().collect())] {
        let mut seen = Vec::new();
        let mut after = Value::Null;
        loop {
            let page = ok(&app, &agent, "tickets/list", json!({ "filter": { "sort": sort, "after": after } })).await;
            seen.extend(page["tickets"].as_array().unwrap().iter().map(|t| t["number"].as_i64().unwrap()));
            after = page["next"].clone();
            if after.is_null() {
                break;
            }
        }
        assert_eq!(seen, expect, "{sort}");
    }
    // P1 first, and within a priority the most recent activity first, across pages.
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page =
            ok(&app, &agent, "tickets/list", json!({ "filter": { "sort": "priority_high", "after": after } })).await;
        seen.extend(
            page["tickets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| (t["priority"].as_str().unwrap().to_string(), t["number"].as_i64().unwrap())),
        );
        after = page["next"].clone();
        if after.is_null() {
            break;
        }
    }
    assert_eq!(seen.len(), 57);
    let priorities: Vec<&str> = seen.iter().map(|(p, _)| p.as_str()).collect();
    let mut sorted = priorities.clone();
    sorted.sort();
    assert_eq!(priorities, sorted);
    let p1: Vec<i64> = seen.iter().filter(|(p, _)| p == "p1").map(|(_, n)| *n).collect();
    assert!(p1.windows(2).all(|w| w[0] > w[1]), "{p1:?}");

    let today = chrono::Utc::now().date_naive();
    let tomorrow = today + chrono::Duration::days(1);
    assert_eq!(count(&app, &agent, json!({ "created_from": today, "created_to": today })).await, 57);
    assert_eq!(count(&app, &agent, json!({ "created_from": tomorrow })).await, 0);
    assert_eq!(count(&app, &agent, json!({ "updated_to": today - chrono::Duration::days(1) })).await, 0);
    let (status, body) =
        call(&app, &agent, "tickets/count", json!({ "filter": { "created_from": tomorrow, "created_to": today } }))
            .await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = call(&app, &agent, "tickets/list", json!({ "filter": { "tag": "no spaces allowed" } })).await;
    assert_eq!(status, 422);
    app.stop().await;
}

#[tokio::test]
async fn bulk_edits_set_a_team_and_null_unassigns() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let teams = ok(&app, &agent, "teams/list", json!({})).await;
    let team = teams[0]["id"].clone();
    let mut numbers = Vec::new();
    for title in ["Badge reader", "Door lock"] {
        let (_, n) = create(&app, &agent, title, json!({})).await;
        let n = n.as_i64().unwrap();
        ok(&app, &agent, "tickets/watch", json!({ "number": n, "user": null, "watching": true })).await;
        let me = ticket(&app, &agent, n).await["watchers"][0]["user_id"].clone();
        let (status, body) = update(&app, &agent, n, json!({ "assignee": me })).await;
        assert_eq!(status, 200, "{body}");
        numbers.push(n);
    }
    let out = ok(
        &app,
        &agent,
        "tickets/bulk_update",
        json!({ "target": { "kind": "tickets", "numbers": numbers }, "changes": { "assignee": null, "team": team } }),
    )
    .await;
    assert_eq!(out["changed"], 2, "{out}");
    for n in numbers {
        let t = ticket(&app, &agent, n).await;
        assert_eq!(t["ticket"]["assignee_id"], Value::Null);
        assert_eq!(t["ticket"]["team_id"], team);
    }
    app.stop().await;
}
