//! Calls every server function as anonymous and as each role, and checks the
//! answer against the permission table in docs/api.md. A new server function
//! must be added to both, or this test fails.
use crate::common;

use crate::common::{call, spawn_app};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const ROLES: [&str; 5] = ["requester", "agent", "team_lead", "manager", "admin"];

/// Which roles hold a permission (mirrors docs/api.md; None = public).
fn allowed(permission: &str) -> Option<&'static [&'static str]> {
    match permission {
        "public" => None,
        "SignedIn" => Some(&ROLES),
        "DeskView" | "DirectoryView" => Some(&["agent", "team_lead", "manager", "admin"]),
        "ViewsShare" | "MacrosShare" | "VaultReveal" | "RecordsDelete" => Some(&["team_lead", "manager", "admin"]),
        "AuditView" | "TeamsManage" | "DeskConfigure" => Some(&["manager", "admin"]),
        "UsersManage" | "SettingsManage" | "JobsManage" => Some(&["admin"]),
        other => panic!("unknown permission {other} in docs/api.md"),
    }
}

/// Arguments that an allowed caller may send without harming the shared fixture
/// (unknown ids, invalid values): we only assert on authorisation here.
fn args(endpoint: &str) -> Value {
    let nobody = uuid::Uuid::new_v4();
    match endpoint {
        "auth/login" => json!({ "email": "nobody@example.com", "password": "wrong password" }),
        "auth/change_password" => json!({ "current": "not the password", "new_password": "another long password" }),
        "auth/set_theme" => json!({ "theme": "dark" }),
        "settings/set_module" => json!({ "module": "vault", "enabled": true }),
        "settings/update_labels" => json!({ "labels": [] }),
        "settings/update_branding" => json!({ "org_name": "Acme Corp", "accent": "#6366f1" }),
        "users/list" => {
            json!({ "query": { "search": "", "role": null, "include_inactive": false, "after_email": null } })
        }
        "users/create" => {
            json!({ "email": "not-an-email", "display_name": "X", "role": "agent", "password": "long enough password" })
        }
        "users/update" => json!({ "id": nobody, "email": "x@example.com", "display_name": "X", "role": "agent" }),
        "users/set_active" => json!({ "id": nobody, "active": true }),
        "users/invite" => json!({ "id": nobody }),
        "auth/invitation" => json!({ "token": "no-such-token" }),
        "auth/accept_invite" => json!({ "token": "no-such-token", "password": "long enough password" }),
        "tickets/create" => json!({ "title": "", "description": "", "priority": "p3", "requester": null }),
        "tickets/list" => {
            json!({ "filter": { "categories": [], "assignee": { "kind": "any" }, "team": null, "priority": null, "requester": null, "tag": null, "after": null } })
        }
        "tickets/search" => json!({ "query": "printer" }),
        "tickets/get" => json!({ "number": 999999 }),
        "tickets/update" => {
            json!({ "number": 999999, "patch": { "version": 1, "title": null, "status": null, "priority": null, "tags": null } })
        }
        "tickets/comment" => json!({ "number": 999999, "body": "hello", "internal": false }),
        "tickets/count" => json!({ "filter": {} }),
        "tickets/bulk_update" => {
            json!({ "target": { "kind": "tickets", "numbers": [999999] }, "changes": { "status": "no_such_status" } })
        }
        "tickets/bulk_progress" => json!({ "job": 999999999 }),
        "tickets/watch" => json!({ "number": 999999, "user": null, "watching": true }),
        "desk_config/save_category" => {
            json!({ "id": nobody, "parent": null, "name": "Nothing", "position": 1, "active": true })
        }
        "desk_config/delete_category" => json!({ "id": nobody }),
        "desk_config/save_field" => json!({ "field": { "key": "Bad Key", "label": "", "kind": "text", "options": [],
            "required": false, "position": 0, "active": true } }),
        "desk_config/save_status" => json!({ "key": "Bad Key", "name": "", "category": "open", "position": 1 }),
        "desk_config/delete_status" => json!({ "key": "no_such_status" }),
        "desk_config/set_transitions" => json!({ "from": "no_such_status", "to": [] }),
        "tickets/links" | "tickets/pending_attachments" => json!({ "number": 999999 }),
        "tickets/link" => json!({ "number": 999999, "relation": "related_to", "other": 999998 }),
        "tickets/unlink" => json!({ "number": 999999, "other": 999998 }),
        "tickets/merge" => json!({ "number": 999999, "version": 1, "into": 999998, "into_version": 1 }),
        "settings/update_attachments" => json!({ "max_size_mb": 25 }),
        "links/list" => json!({ "record": { "kind": "asset", "id": nobody } }),
        "links/search" => json!({ "query": "", "kinds": [] }),
        "links/create" => json!({ "from": { "kind": "asset", "id": nobody }, "to": { "kind": "asset", "id": nobody },
                                  "link_type": "related", "note": "" }),
        "links/delete" | "assets/get" | "assets/delete" => json!({ "id": nobody }),
        "assets/list" => json!({ "filter": {}, "cursor": null }),
        "assets/create" => {
            json!({ "input": { "name": "", "asset_type": "laptop", "status": "in_use", "tag": "", "serial": "",
            "make": "", "model": "", "os": "", "os_version": "", "assigned_to": null, "location_id": null, "vendor_id": null,
            "purchased_on": null, "purchase_cost_cents": null, "warranty_expires_on": null, "notes": "" } })
        }
        "assets/update" => {
            json!({ "id": nobody, "version": 1, "input": { "name": "", "asset_type": "laptop", "status": "in_use",
            "tag": "", "serial": "", "make": "", "model": "", "os": "", "os_version": "", "assigned_to": null, "location_id": null,
            "vendor_id": null, "purchased_on": null, "purchase_cost_cents": null, "warranty_expires_on": null, "notes": "" } })
        }
        "assets/import_commit" => json!({ "import_id": nobody }),
        "assets/places" => json!({ "kind": "location", "search": "" }),
        "assets/place" | "assets/delete_place" => json!({ "kind": "vendor", "id": nobody }),
        "assets/save_place" => json!({ "kind": "location", "id": null, "input": { "name": "" } }),
        "expiring/list" => json!({ "days": 30 }),
        "expiring/save_settings" => json!({ "settings": { "thresholds": [], "recipients": [] } }),
        "mail/save_settings" => json!({ "input": { "enabled": false, "host": "", "port": 0, "security": "none",
            "username": "", "password": { "action": "keep" }, "from_address": "", "from_name": "" } }),
        "mail/outbox" => json!({ "status": null, "after": null }),
        "mail/retry" => json!({ "id": nobody }),
        "desk/save_view" => json!({ "id": null, "name": "", "shared": false, "filter": {} }),
        "desk/delete_view" => json!({ "id": nobody }),
        "desk/open_tab" | "desk/close_tab" | "desk/draft" => json!({ "number": 999999 }),
        "desk/move_tab" => json!({ "number": 999999, "position": 0 }),
        "desk/save_draft" => json!({ "number": 999999, "body": "draft", "internal": false }),
        "macros/save" => {
            json!({ "input": { "id": null, "name": "", "body": "", "internal": false, "shared": false, "actions": {} } })
        }
        "macros/delete" => json!({ "id": nobody }),
        "macros/apply" => json!({ "id": nobody, "number": 999999, "version": 1 }),
        "presence/heartbeat" | "presence/leave" | "requester/context" => json!({ "number": 999999 }),
        "users/reset_password" => json!({ "id": nobody, "password": "long enough password" }),
        "teams/create" => json!({ "name": "", "description": "" }),
        "teams/update" => json!({ "id": nobody, "name": "X", "description": "" }),
        "teams/delete" => json!({ "id": nobody }),
        "teams/set_member" => json!({ "team": nobody, "user_id": nobody, "member": true }),
        "audit/list" => {
            json!({ "filter": { "action": "", "entity_type": "", "actor": "", "from": "", "to": "", "before_id": null } })
        }
        "jobs/list" => json!({ "status": null, "before_id": null }),
        "jobs/retry" => json!({ "id": 999999999 }),
        "domains/list" => json!({ "query": { "search": "", "after": null } }),
        "domains/get" | "domains/delete" | "domains/check_now" => json!({ "id": nobody }),
        "domains/save" => json!({ "input": { "id": null, "name": "not a domain" } }),
        "domains/certificates" => json!({ "query": { "search": "", "after": null } }),
        "domains/certificate" | "domains/delete_certificate" | "domains/check_certificate_now" => {
            json!({ "id": nobody })
        }
        "domains/save_certificate" => json!({ "input": { "id": null, "host": "bad host!", "port": 443 } }),
        "domains/save_settings" => {
            json!({ "settings": { "resolver": "not an address", "allow_list": [], "ticket_on_change": false } })
        }
        "documents/create_folder" => json!({ "parent": nobody, "name": "" }),
        "documents/rename_folder" => json!({ "id": nobody, "name": "X" }),
        "documents/move_folder" => json!({ "id": nobody, "parent": null }),
        "documents/delete_folder" | "documents/get" | "documents/delete" => json!({ "id": nobody }),
        "documents/list" => json!({ "query": { "folder": null, "search": "", "after": null } }),
        "documents/create" => json!({ "folder": null, "title": "", "body": "" }),
        "documents/save" => json!({ "id": nobody, "version": 1, "title": "X", "body": "" }),
        "documents/move" => json!({ "id": nobody, "folder": null }),
        "documents/history" => json!({ "id": nobody, "before": null }),
        "documents/version" => json!({ "id": nobody, "number": 1 }),
        "documents/diff" => json!({ "id": nobody, "from": 1, "to": 2 }),
        "documents/restore" => json!({ "id": nobody, "number": 1, "version": 1 }),
        "documents/preview" => json!({ "body": "**bold**" }),
        "vault/list" | "software/list" => json!({ "search": "", "after": null }),
        "vault/get" | "vault/delete" | "software/get" | "software/delete" | "licenses/get" | "licenses/delete" => {
            json!({ "id": nobody })
        }
        "vault/save" => json!({ "input": { "id": null, "name": "" } }),
        "vault/reveal" | "licenses/reveal_key" => json!({ "id": nobody, "reason": "", "purpose": "reveal" }),
        "vault/totp" => json!({ "id": nobody, "reason": "" }),
        "vault/generate_password" => json!({ "options": { "length": 4, "lower": true, "upper": true, "digits": true,
            "symbols": true, "avoid_ambiguous": true } }),
        "software/save" => json!({ "input": { "id": null, "name": "" } }),
        "licenses/save" => json!({ "input": { "id": null, "software_id": nobody, "seats": "0" } }),
        "licenses/assign" => json!({ "license": nobody, "to": { "kind": "asset", "id": nobody } }),
        "licenses/unassign" => json!({ "assignment": nobody }),
        _ => json!({}),
    }
}

fn documented() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/api.md")).expect("docs/api.md");
    doc.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| {
            let (endpoint, rest) = l.split_once('`')?;
            let permission = rest.trim_start_matches(" |").split('|').next()?.trim().to_string();
            Some((endpoint.to_string(), permission))
        })
        .collect()
}

#[tokio::test]
async fn every_server_function_is_documented_and_registered() {
    let registered: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.trim_start_matches("/api/").to_string()).collect();
    let documented: BTreeSet<String> = documented().into_iter().map(|(e, _)| e).collect();
    assert!(!registered.is_empty());
    assert_eq!(registered, documented, "docs/api.md and the registered server functions differ");
}

async fn send(app: &common::TestApp, client: &reqwest::Client, endpoint: &str) -> (u16, Value) {
    if endpoint == "settings/upload_logo" || endpoint == "vault/totp_qr" {
        let form = reqwest::multipart::Form::new().text("other", "x");
        let res = client.post(app.url(&format!("/api/{endpoint}"))).multipart(form).send().await.unwrap();
        let status = res.status().as_u16();
        return (status, serde_json::from_str(&res.text().await.unwrap_or_default()).unwrap_or(Value::Null));
    }
    call(app, client, endpoint, args(endpoint)).await
}

#[tokio::test]
async fn each_role_is_allowed_or_refused_exactly_as_documented() {
    let app = spawn_app().await;
    let table = documented();
    // Logout ends the session, so it runs last for every caller.
    let mut ordered: Vec<_> = table.iter().filter(|(e, _)| e != "auth/logout").cloned().collect();
    ordered.extend(table.iter().filter(|(e, _)| e == "auth/logout").cloned());

    let mut failures = Vec::new();
    let anonymous = app.client();
    for (endpoint, permission) in &ordered {
        let (status, body) = send(&app, &anonymous, endpoint).await;
        match allowed(permission) {
            None if status == 401 || status == 403 => {
                failures.push(format!("anonymous refused {endpoint}: {status} {body}"))
            }
            Some(_) if status != 401 => failures.push(format!("anonymous got {status} from {endpoint}, expected 401")),
            _ => {}
        }
    }
    for role in ROLES {
        let client = app.signed_in(role).await;
        for (endpoint, permission) in &ordered {
            let (status, body) = send(&app, &client, endpoint).await;
            let may = allowed(permission).is_none_or(|roles| roles.contains(&role));
            if may && (status == 401 || status == 403) {
                failures.push(format!("{role} refused {endpoint}: {status} {body}"));
            }
            if !may && status != 403 {
                failures.push(format!("{role} got {status} from {endpoint}, expected 403"));
            }
            if status >= 500 {
                failures.push(format!("{role} caused a server error in {endpoint}: {body}"));
            }
        }
    }
    assert!(failures.is_empty(), "role matrix mismatches:\n{}", failures.join("\n"));
    app.stop().await;
}
