//! Documents: every save is a version, stale saves are refused and change nothing,
//! diffs list exactly the changed lines, restore makes a new version, folders never
//! form a loop, search finds body words and misspelt titles, files go through the
//! attachment store with staff-only access, and deletions are audited.

use crate::common::{call, eventually, spawn_app, TestApp};
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use std::time::Duration;

async fn ok(app: &TestApp, c: &reqwest::Client, endpoint: &str, args: Value) -> Value {
    let (s, v) = call(app, c, endpoint, args).await;
    assert_eq!(s, 200, "{endpoint}: {v}");
    v
}

async fn create_doc(app: &TestApp, c: &reqwest::Client, folder: Option<&str>, title: &str, body: &str) -> Value {
    ok(app, c, "documents/create", json!({ "folder": folder, "title": title, "body": body })).await
}

async fn folder(app: &TestApp, c: &reqwest::Client, parent: Option<&str>, name: &str) -> String {
    let f = ok(app, c, "documents/create_folder", json!({ "parent": parent, "name": name })).await;
    f["id"].as_str().unwrap().to_string()
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

async fn count(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).bind(uuid::Uuid::parse_str(bind).unwrap()).fetch_one(&app.pool).await.unwrap()
}

async fn versions(app: &TestApp, doc: &str) -> i64 {
    count(app, "select count(*) from document_versions where document_id = $1", doc).await
}

async fn audits(app: &TestApp, action: &str, entity: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("select count(*) from audit_log where action = $1 and entity_id = $2")
        .bind(action)
        .bind(entity)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn each_save_is_a_version_and_a_stale_save_is_refused_without_changing_anything() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let d = create_doc(&app, &agent, None, "VPN runbook", "# VPN\n\nStep one.\n").await;
    let doc = id(&d);
    assert_eq!(d["version"], 1);
    assert!(d["html"].as_str().unwrap().contains("<h1>VPN</h1>"), "{d}");
    assert_eq!(versions(&app, &doc).await, 1);
    assert_eq!(audits(&app, "document.create", &doc).await, 1);

    // Two people open version 1; the agent saves first.
    let saved = ok(
        &app,
        &agent,
        "documents/save",
        json!({ "id": doc, "version": 1, "title": "VPN runbook", "body": "# VPN\n\nStep one.\nStep two.\n" }),
    )
    .await;
    assert_eq!(saved["version"], 2);
    assert_eq!(versions(&app, &doc).await, 2);
    let saved = ok(
        &app,
        &agent,
        "documents/save",
        json!({ "id": doc, "version": 2, "title": "VPN runbook (office)", "body": "# VPN\n\nStep one.\nStep two.\n" }),
    )
    .await;
    assert_eq!(saved["version"], 3);
    assert_eq!(versions(&app, &doc).await, 3);
    assert_eq!(audits(&app, "document.update", &doc).await, 2);

    // The team lead still edits version 1: refused, with a message saying why.
    let (s, err) = call(
        &app,
        &lead,
        "documents/save",
        json!({ "id": doc, "version": 1, "title": "Mine", "body": "overwrites everything" }),
    )
    .await;
    assert_eq!(s, 409, "{err}");
    let msg = err.to_string();
    assert!(msg.contains("version 3") && msg.contains("Alex Agent") && msg.contains("Nothing was saved"), "{msg}");
    let now = ok(&app, &agent, "documents/get", json!({ "id": doc })).await;
    assert_eq!(now["version"], 3);
    assert_eq!(now["title"], "VPN runbook (office)");
    assert_eq!(now["body"], "# VPN\n\nStep one.\nStep two.\n");
    assert_eq!(versions(&app, &doc).await, 3);
    assert_eq!(audits(&app, "document.update", &doc).await, 2);

    // Versions keep their authors and texts, newest first.
    let history = ok(&app, &agent, "documents/history", json!({ "id": doc, "before": null })).await;
    let numbers: Vec<i64> = history.as_array().unwrap().iter().map(|v| v["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, vec![3, 2, 1]);
    assert_eq!(history[0]["author_name"], "Alex Agent");
    let v1 = ok(&app, &agent, "documents/version", json!({ "id": doc, "number": 1 })).await;
    assert_eq!(v1["body"], "# VPN\n\nStep one.\n");

    // Bad input: 422 naming the field, nothing written.
    let (s, err) =
        call(&app, &agent, "documents/save", json!({ "id": doc, "version": 3, "title": "  ", "body": "x" })).await;
    assert_eq!(s, 422, "{err}");
    assert!(err["Validation"]["fields"]["title"].is_string(), "{err}");
    assert_eq!(versions(&app, &doc).await, 3);
    app.stop().await;
}

#[tokio::test]
async fn diff_shows_exactly_the_changed_lines_and_restore_makes_a_new_version() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let v1: String = (1..=30).map(|i| format!("line {i}\n")).collect();
    let d = create_doc(&app, &agent, None, "Printers", &v1).await;
    let doc = id(&d);
    let v2 = v1.replace("line 4\n", "line four\n").replace("line 20\n", "").replace("line 30\n", "line 30\nline 31\n");
    ok(&app, &agent, "documents/save", json!({ "id": doc, "version": 1, "title": "Printers", "body": v2 })).await;

    let diff = ok(&app, &agent, "documents/diff", json!({ "id": doc, "from": 1, "to": 2 })).await;
    let changed: Vec<(String, String)> = diff["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "added" || l["kind"] == "removed")
        .map(|l| (l["kind"].as_str().unwrap().to_string(), l["text"].as_str().unwrap().to_string()))
        .collect();
    let expect = |k: &str, t: &str| (k.to_string(), t.to_string());
    assert_eq!(
        changed,
        vec![
            expect("removed", "line 4"),
            expect("added", "line four"),
            expect("removed", "line 20"),
            expect("added", "line 31")
        ]
    );
    assert_eq!((diff["added"].as_i64(), diff["removed"].as_i64()), (Some(2), Some(2)));
    // Unchanged stretches far from a change are summarised, not listed.
    assert!(diff["lines"].as_array().unwrap().iter().all(|l| l["text"] != "line 12"), "{diff}");
    // Either order compares older → newer.
    let reversed = ok(&app, &agent, "documents/diff", json!({ "id": doc, "from": 2, "to": 1 })).await;
    assert_eq!(reversed["lines"], diff["lines"]);
    let (s, _) = call(&app, &agent, "documents/diff", json!({ "id": doc, "from": 1, "to": 9 })).await;
    assert_eq!(s, 404);

    // Restore version 1: a new version 3 equal to it; refused over a stale version.
    let (s, err) = call(&app, &agent, "documents/restore", json!({ "id": doc, "number": 1, "version": 1 })).await;
    assert_eq!(s, 409, "{err}");
    let restored = ok(&app, &agent, "documents/restore", json!({ "id": doc, "number": 1, "version": 2 })).await;
    assert_eq!(restored["version"], 3);
    assert_eq!(restored["body"].as_str().unwrap(), v1);
    assert_eq!(versions(&app, &doc).await, 3);
    let history = ok(&app, &agent, "documents/history", json!({ "id": doc, "before": null })).await;
    assert_eq!(history[0]["restored_from"], 1);
    assert_eq!(audits(&app, "document.restore", &doc).await, 1);
    let same = ok(&app, &agent, "documents/diff", json!({ "id": doc, "from": 1, "to": 3 })).await;
    assert!(same["lines"].as_array().unwrap().is_empty(), "{same}");
    // Restoring what is already current is refused.
    let (s, _) = call(&app, &agent, "documents/restore", json!({ "id": doc, "number": 1, "version": 3 })).await;
    assert_eq!(s, 422);
    app.stop().await;
}

#[tokio::test]
async fn folders_nest_with_unique_sibling_names_never_loop_and_delete_only_when_empty() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let network = folder(&app, &agent, None, "Network").await;
    let vpn = folder(&app, &agent, Some(&network), "VPN").await;
    let office = folder(&app, &agent, Some(&vpn), "Office").await;
    // Same name under another parent is fine; among siblings (any case) it is not.
    folder(&app, &agent, None, "VPN").await;
    let (s, err) = call(&app, &agent, "documents/create_folder", json!({ "parent": network, "name": "vpn" })).await;
    assert_eq!(s, 422, "{err}");
    assert!(err["Validation"]["fields"]["name"].is_string(), "{err}");
    let (s, _) = call(&app, &agent, "documents/rename_folder", json!({ "id": office, "name": "Office 2" })).await;
    assert_eq!(s, 200);

    // Into itself, its child or its grandchild: refused, nothing moves.
    for target in [&network, &vpn, &office] {
        let (s, err) = call(&app, &agent, "documents/move_folder", json!({ "id": network, "parent": target })).await;
        assert_eq!(s, 422, "{err}");
        assert!(err.to_string().contains("itself or one of its subfolders"), "{err}");
    }
    let parent: Option<uuid::Uuid> = sqlx::query_scalar("select parent_id from document_folders where id = $1")
        .bind(uuid::Uuid::parse_str(&network).unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(parent, None);
    // A legal move: Office to the top level.
    let moved = ok(&app, &agent, "documents/move_folder", json!({ "id": office, "parent": null })).await;
    assert_eq!(moved["parent_id"], Value::Null);
    assert_eq!(audits(&app, "document_folder.move", &office).await, 1);

    // Deleting needs RecordsDelete; a folder with content is refused with a reason.
    let doc = create_doc(&app, &agent, Some(&vpn), "Client setup", "").await;
    let (s, _) = call(&app, &agent, "documents/delete_folder", json!({ "id": vpn })).await;
    assert_eq!(s, 403);
    let (s, err) = call(&app, &lead, "documents/delete_folder", json!({ "id": vpn })).await;
    assert_eq!(s, 409, "{err}");
    assert!(err.to_string().contains("1 document"), "{err}");
    let (s, err) = call(&app, &lead, "documents/delete_folder", json!({ "id": network })).await;
    assert_eq!(s, 409, "{err}");
    assert!(err.to_string().contains("1 folder"), "{err}");
    ok(&app, &agent, "documents/move", json!({ "id": id(&doc), "folder": null })).await;
    ok(&app, &lead, "documents/delete_folder", json!({ "id": vpn })).await;
    assert_eq!(audits(&app, "document_folder.delete", &vpn).await, 1);
    let all = ok(&app, &agent, "documents/folders", json!({})).await;
    assert!(all.as_array().unwrap().iter().all(|f| f["id"] != vpn.as_str()), "{all}");
    app.stop().await;
}

#[tokio::test]
async fn search_finds_body_words_and_misspelt_titles_and_the_list_pages_by_keyset() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let net = folder(&app, &agent, None, "Network").await;
    let wifi = create_doc(&app, &agent, Some(&net), "Wireless controller", "Reboot the access points via SNMP.").await;
    let printer = create_doc(&app, &agent, None, "Printer onboarding", "Install the driver.").await;
    create_doc(&app, &agent, None, "Backups", "Nightly jobs run at two.").await;
    let titles = |page: &Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap().to_string()).collect()
    };
    let q = |search: &str| json!({ "query": { "folder": null, "search": search, "after": null } });

    let by_body = ok(&app, &agent, "documents/list", q("snmp")).await;
    assert_eq!(titles(&by_body), vec!["Wireless controller"]);
    let fuzzy = ok(&app, &agent, "documents/list", q("Priner onbording")).await;
    assert_eq!(titles(&fuzzy), vec!["Printer onboarding"]);
    // A title word outranks the same word in a body.
    create_doc(&app, &agent, None, "Driver matrix", "Which model needs which.").await;
    let driver = ok(&app, &agent, "documents/list", q("driver")).await;
    assert_eq!(titles(&driver), vec!["Driver matrix", "Printer onboarding"]);
    let none = ok(&app, &agent, "documents/list", q("kubernetes")).await;
    assert!(titles(&none).is_empty());

    // One folder, and everything.
    let in_net =
        ok(&app, &agent, "documents/list", json!({ "query": { "folder": net, "search": "", "after": null } })).await;
    assert_eq!(titles(&in_net), vec!["Wireless controller"]);
    assert_eq!(in_net["items"][0]["folder_name"], "Network");
    let _ = (&wifi, &printer);

    // Keyset paging: 120 documents → pages of 50, 50, 4 with no repeats, newest first.
    for i in 0..100 {
        create_doc(&app, &agent, None, &format!("Bulk page doc {i:03}"), "").await;
    }
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page =
            ok(&app, &agent, "documents/list", json!({ "query": { "folder": null, "search": "", "after": after } }))
                .await;
        seen.extend(titles(&page));
        after = page["next"].clone();
        if after.is_null() {
            break;
        }
    }
    assert_eq!(seen.len(), 104);
    let unique: std::collections::BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), 104);
    assert_eq!(seen[0], "Bulk page doc 099");
    // Search results page too (best match first, then newest).
    let mut found = 0;
    let mut after = Value::Null;
    loop {
        let page = ok(
            &app,
            &agent,
            "documents/list",
            json!({ "query": { "folder": null, "search": "bulk", "after": after } }),
        )
        .await;
        found += page["items"].as_array().unwrap().len();
        after = page["next"].clone();
        if after.is_null() {
            break;
        }
    }
    assert_eq!(found, 100);
    app.stop().await;
}

async fn upload(app: &TestApp, c: &reqwest::Client, doc: &str, name: &str, bytes: Vec<u8>) -> (u16, Value) {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()));
    let res = c.post(app.url(&format!("/docs/{doc}/files"))).multipart(form).send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn stored(app: &TestApp, file: &str) -> bool {
    app.attachments_dir.join(file).exists()
}

#[tokio::test]
async fn document_files_upload_and_download_for_staff_only_and_delete_is_audited() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let requester = app.signed_in("requester").await;
    let d = create_doc(&app, &agent, None, "Firewall", "Rules live in the attached file.").await;
    let doc = id(&d);
    let bytes = b"allow 443\ndeny all\n".to_vec();
    let (s, f) = upload(&app, &agent, &doc, "../rules.txt", bytes.clone()).await;
    assert_eq!(s, 201, "{f}");
    assert_eq!(f["filename"], "rules.txt");
    let file = id(&f);
    assert!(stored(&app, &file));
    assert_eq!(audits(&app, "document.file.upload", &doc).await, 1);
    let got = ok(&app, &agent, "documents/get", json!({ "id": doc })).await;
    assert_eq!(got["files"][0]["id"], file.as_str());

    let res = agent.get(app.url(&format!("/attachments/{file}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert!(h["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["content-security-policy"], "default-src 'none'; sandbox");
    assert_eq!(res.bytes().await.unwrap().to_vec(), bytes);
    // HTML is never served as HTML.
    let (_, page) = upload(&app, &agent, &doc, "page.html", b"<script>alert(1)</script>".to_vec()).await;
    let res = agent.get(app.url(&format!("/attachments/{}", id(&page)))).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "application/octet-stream");

    // Requesters and anonymous callers get nothing, and cannot upload.
    let res = requester.get(app.url(&format!("/attachments/{file}"))).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let res = app.client().get(app.url(&format!("/attachments/{file}"))).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let (s, _) = upload(&app, &requester, &doc, "x.txt", b"x".to_vec()).await;
    assert_eq!(s, 403);
    let (s, _) = upload(&app, &agent, &uuid::Uuid::new_v4().to_string(), "x.txt", b"x".to_vec()).await;
    assert_eq!(s, 404);
    // Over the attachment size limit: 413, nothing kept.
    ok(&app, &app.signed_in("admin").await, "settings/update_attachments", json!({ "max_size_mb": 1 })).await;
    let (s, _) = upload(&app, &agent, &doc, "big.bin", vec![0u8; 1024 * 1024 + 10]).await;
    assert_eq!(s, 413);
    assert_eq!(count(&app, "select count(*) from document_files where document_id = $1", &doc).await, 2);

    // Removing a file needs RecordsDelete.
    let res = agent.delete(app.url(&format!("/attachments/{}", id(&page)))).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = lead.delete(app.url(&format!("/attachments/{}", id(&page)))).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert!(!stored(&app, &id(&page)));
    assert_eq!(audits(&app, "document.file.remove", &doc).await, 1);

    // Deleting the document: RecordsDelete only, audited, rows gone, bytes purged by a job.
    let (s, _) = call(&app, &agent, "documents/delete", json!({ "id": doc })).await;
    assert_eq!(s, 403);
    ok(&app, &lead, "documents/delete", json!({ "id": doc })).await;
    assert_eq!(audits(&app, "document.delete", &doc).await, 1);
    let before: Value =
        sqlx::query_scalar("select before from audit_log where action = 'document.delete' and entity_id = $1")
            .bind(&doc)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(before["title"], "Firewall");
    assert_eq!(before["files"], 1);
    let (s, _) = call(&app, &agent, "documents/get", json!({ "id": doc })).await;
    assert_eq!(s, 404);
    assert_eq!(versions(&app, &doc).await, 0);
    let res = agent.get(app.url(&format!("/attachments/{file}"))).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let purged = eventually(Duration::from_secs(30), || async { (!stored(&app, &file)).then_some(()) }).await;
    assert!(purged.is_some(), "the deleted document's file bytes are removed");
    app.stop().await;
}

#[tokio::test]
async fn the_module_switch_and_roles_gate_every_documents_call() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    let agent = app.signed_in("agent").await;
    let requester = app.signed_in("requester").await;
    let d = create_doc(&app, &agent, None, "Guest Wi-Fi", "Password rotates monthly.").await;
    let (s, _) = call(&app, &requester, "documents/get", json!({ "id": id(&d) })).await;
    assert_eq!(s, 403);
    ok(&app, &admin, "settings/set_module", json!({ "module": "documents", "enabled": false })).await;
    let (s, _) = call(&app, &agent, "documents/get", json!({ "id": id(&d) })).await;
    assert_eq!(s, 403);
    let (s, _) = upload(&app, &agent, &id(&d), "a.txt", b"a".to_vec()).await;
    assert_eq!(s, 403);
    app.stop().await;
}
