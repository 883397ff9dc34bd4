//! Macros: placeholders rendered for a ticket, unknown ones refused, personal
//! macros private, shared ones behind MacrosShare, field changes applied through the
//! ticket update path (version checked, timeline and audit written).
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

fn input(name: &str, body: &str, shared: bool, actions: Value) -> Value {
    json!({ "input": { "id": null, "name": name, "body": body, "internal": false, "shared": shared, "actions": actions } })
}

async fn save(app: &common::TestApp, c: &reqwest::Client, args: Value) -> (u16, Value) {
    call(app, c, "macros/save", args).await
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect()
}

async fn audit_count(app: &common::TestApp, action: &str, entity: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("select count(*) from audit_log where action = $1 and entity_id = $2")
        .bind(action)
        .bind(entity)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn placeholders_render_for_the_ticket_and_unknown_ones_are_refused_by_name() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let requester = app.signed_in("requester").await;
    let n = create_ticket(&app, &requester, "VPN drops every hour").await;

    // Unknown placeholders: refused, named in the message, nothing saved.
    let (s, err) =
        save(&app, &agent, input("Bad", "Hi {{requester.phone}} and {{ ticket.sla }}", false, json!({}))).await;
    assert_eq!(s, 422, "{err}");
    let msg = err.to_string();
    assert!(msg.contains("{{requester.phone}}") && msg.contains("{{ ticket.sla }}"), "{msg}");
    let (_, list) = call(&app, &agent, "macros/list", json!({})).await;
    assert!(names(&list).is_empty(), "a refused macro is not saved: {list}");

    // A macro that neither says nor changes anything is refused too.
    let (s, _) = save(&app, &agent, input("Empty", "  ", false, json!({}))).await;
    assert_eq!(s, 422);

    let body = "Hi {{requester.first_name}} ({{requester.name}}, {{requester.email}}),\n\
                {{ticket.number}} \"{{ticket.title}}\" is {{ticket.status}} at {{ticket.priority}}.\n\
                {{agent.first_name}} / {{ agent.name }} · {{org.name}}";
    let (s, m) = save(&app, &agent, input("Full text", body, false, json!({}))).await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(m["shared"], false);
    let id = m["id"].as_str().unwrap().to_string();
    assert_eq!(audit_count(&app, "macro.create", &id).await, 1);

    let (_, t) = call(&app, &agent, "tickets/get", json!({ "number": n })).await;
    let version = t["ticket"]["version"].as_i64().unwrap();
    let (s, applied) = call(&app, &agent, "macros/apply", json!({ "id": id, "number": n, "version": version })).await;
    assert_eq!(s, 200, "{applied}");
    assert_eq!(
        applied["text"].as_str().unwrap(),
        format!(
            "Hi Riley (Riley Requester, requester@demo.helios.test),\nTKT-{n} \"VPN drops every hour\" is New at \
             P3 · Normal.\nAlex / Alex Agent · Acme Corp"
        )
    );
    assert_eq!(applied["changed"], json!([]));
    assert_eq!(applied["version"].as_i64(), Some(version), "a text-only macro changes nothing");
    app.stop().await;
}

#[tokio::test]
async fn personal_macros_are_private_and_shared_ones_need_macros_share() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let n = create_ticket(&app, &agent, "Printer jam").await;

    let (s, mine) = save(&app, &agent, input("My greeting", "Hello {{requester.first_name}}", false, json!({}))).await;
    assert_eq!(s, 200, "{mine}");
    let mine = mine["id"].as_str().unwrap().to_string();

    // Another agent neither lists, applies, changes nor deletes it: it does not exist for them.
    let (_, theirs) = call(&app, &lead, "macros/list", json!({})).await;
    assert!(!names(&theirs).contains(&"My greeting"), "{theirs}");
    let (s, _) = call(&app, &lead, "macros/apply", json!({ "id": mine, "number": n, "version": 1 })).await;
    assert_eq!(s, 404);
    let mut edit = input("Hijacked", "x", false, json!({}));
    edit["input"]["id"] = json!(mine);
    let (s, _) = save(&app, &lead, edit.clone()).await;
    assert_eq!(s, 404);
    let (s, _) = call(&app, &lead, "macros/delete", json!({ "id": mine })).await;
    assert_eq!(s, 404);

    // Sharing needs MacrosShare: an agent is refused, a team lead may.
    let (s, _) = save(&app, &agent, input("Shared by agent", "Hi", true, json!({}))).await;
    assert_eq!(s, 403);
    let (s, shared) = save(&app, &lead, input("Team greeting", "Hi {{requester.name}}", true, json!({}))).await;
    assert_eq!(s, 200, "{shared}");
    let shared_id = shared["id"].as_str().unwrap().to_string();

    // Every agent sees and applies the shared macro, but may not change or delete it.
    let (_, list) = call(&app, &agent, "macros/list", json!({})).await;
    let team = list.as_array().unwrap().iter().find(|m| m["name"] == "Team greeting").expect("shared macro listed");
    assert_eq!((team["shared"].as_bool(), team["editable"].as_bool()), (Some(true), Some(false)));
    let (s, _) = call(&app, &agent, "macros/apply", json!({ "id": shared_id, "number": n, "version": 1 })).await;
    assert_eq!(s, 200);
    let mut edit = input("Renamed", "Hi", true, json!({}));
    edit["input"]["id"] = json!(shared_id);
    let (s, _) = save(&app, &agent, edit.clone()).await;
    assert_eq!(s, 403);
    // Nor turn it into their own by dropping the shared flag.
    edit["input"]["shared"] = json!(false);
    let (s, _) = save(&app, &agent, edit).await;
    assert_eq!(s, 403);
    let (s, _) = call(&app, &agent, "macros/delete", json!({ "id": shared_id })).await;
    assert_eq!(s, 403);

    // Names are unique within their scope.
    let (s, dup) = save(&app, &lead, input("team GREETING", "Hi", true, json!({}))).await;
    assert_eq!(s, 422, "{dup}");
    assert!(dup.to_string().contains("already exists"), "{dup}");

    // Update and delete are audited with before and after.
    let mut edit = input("Team greeting", "Hello {{requester.name}}", true, json!({}));
    edit["input"]["id"] = json!(shared_id);
    let (s, _) = save(&app, &lead, edit).await;
    assert_eq!(s, 200);
    let (s, _) = call(&app, &lead, "macros/delete", json!({ "id": shared_id })).await;
    assert_eq!(s, 200);
    for action in ["macro.create", "macro.update", "macro.delete"] {
        assert_eq!(audit_count(&app, action, &shared_id).await, 1, "{action}");
    }
    let before: Value =
        sqlx::query_scalar("select before from audit_log where action = 'macro.delete' and entity_id = $1")
            .bind(&shared_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(before["body"], "Hello {{requester.name}}");

    // Requesters have no macros at all.
    let requester = app.signed_in("requester").await;
    let (s, _) = call(&app, &requester, "macros/list", json!({})).await;
    assert_eq!(s, 403);
    app.stop().await;
}

#[tokio::test]
async fn applying_changes_fields_through_the_update_path_with_version_check_and_audit() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let n = create_ticket(&app, &agent, "Laptop will not boot").await;
    let actions = json!({ "status": "in_progress", "priority": "p2", "assignee": { "kind": "me" }, "add_tags": ["Hardware", "follow-up"] });
    let (s, m) =
        save(&app, &agent, input("Take it", "Now {{ticket.status}}, {{ticket.priority}}.", false, actions)).await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(m["actions"]["add_tags"], json!(["follow-up", "hardware"]), "tags are normalised when saved");
    let id = m["id"].as_str().unwrap().to_string();

    // Bad field changes are refused when saving.
    let (s, e) = save(&app, &agent, input("Bad status", "x", false, json!({ "status": "nope" }))).await;
    assert_eq!(s, 422, "{e}");
    let nobody = uuid::Uuid::new_v4();
    let (s, _) =
        save(&app, &agent, input("Bad assignee", "x", false, json!({ "assignee": { "kind": "user", "id": nobody } })))
            .await;
    assert_eq!(s, 422);
    let (s, _) = save(&app, &agent, input("Bad tag", "x", false, json!({ "add_tags": ["no spaces"] }))).await;
    assert_eq!(s, 422);

    // Someone else changes the ticket first: applying with the old version is refused
    // and changes nothing.
    let (_, t) = call(&app, &agent, "tickets/get", json!({ "number": n })).await;
    let seen = t["ticket"]["version"].as_i64().unwrap();
    let (s, _) = call(
        &app,
        &lead,
        "tickets/update",
        json!({ "number": n, "patch": { "version": seen, "title": "Laptop will not boot (Dell)" } }),
    )
    .await;
    assert_eq!(s, 200);
    let (s, conflict) = call(&app, &agent, "macros/apply", json!({ "id": id, "number": n, "version": seen })).await;
    assert_eq!(s, 409, "{conflict}");
    let (_, t) = call(&app, &agent, "tickets/get", json!({ "number": n })).await;
    assert_eq!(t["ticket"]["status"], "new");

    // With the current version: fields change, text is rendered after the change.
    let version = t["ticket"]["version"].as_i64().unwrap();
    let (s, applied) = call(&app, &agent, "macros/apply", json!({ "id": id, "number": n, "version": version })).await;
    assert_eq!(s, 200, "{applied}");
    assert_eq!(applied["text"], "Now In Progress, P2 · High.");
    let mut changed: Vec<&str> = applied["changed"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    changed.sort();
    assert_eq!(changed, vec!["assignee", "priority", "status", "tags"]);
    let (_, t) = call(&app, &agent, "tickets/get", json!({ "number": n })).await;
    let ticket = &t["ticket"];
    assert_eq!((ticket["status"].as_str(), ticket["priority"].as_str()), (Some("in_progress"), Some("p2")));
    assert_eq!(ticket["assignee_name"], "Alex Agent");
    assert_eq!(ticket["tags"], json!(["follow-up", "hardware"]));
    assert_eq!(applied["version"], ticket["version"]);
    let timeline = t["timeline"].as_array().unwrap();
    assert!(timeline.iter().any(|i| i["what"]["kind"] == "changed" && i["what"]["field"] == "status"), "{t}");
    assert_eq!(audit_count(&app, "ticket.macro", &format!("TKT-{n}")).await, 1);

    // Applying again changes nothing more (and still renders the text).
    let v2 = ticket["version"].as_i64().unwrap();
    let (s, again) = call(&app, &agent, "macros/apply", json!({ "id": id, "number": n, "version": v2 })).await;
    assert_eq!(s, 200);
    assert_eq!(again["changed"], json!([]));
    assert_eq!(audit_count(&app, "ticket.macro", &format!("TKT-{n}")).await, 1);

    // A change the workflow forbids refuses the whole macro.
    let (s, close) = save(&app, &agent, input("Close", "Closing.", false, json!({ "status": "closed" }))).await;
    assert_eq!(s, 200);
    let (s, e) = call(&app, &agent, "macros/apply", json!({ "id": close["id"], "number": n, "version": v2 })).await;
    assert_eq!(s, 422, "{e}");
    assert!(e.to_string().contains("cannot move"), "{e}");
    app.stop().await;
}
