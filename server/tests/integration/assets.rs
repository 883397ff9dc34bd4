//! Assets: validation, optimistic saves and history, keyset pages, CSV import
//! (preview, per-row errors, nothing written until valid, commit) and export;
//! typed links shown on both sides, removed with their record and audited; the
//! requester panel listing the requester's records; expiry alerts once per threshold.
use crate::common;

use crate::common::{call, spawn_app, TestApp};
use futures::StreamExt;
use serde_json::{json, Value};

fn input(name: &str, tag: &str) -> Value {
    json!({ "name": name, "asset_type": "laptop", "status": "in_use", "tag": tag, "serial": "", "make": "Lenovo",
            "model": "T14", "os": "", "os_version": "", "assigned_to": null, "location_id": null, "vendor_id": null,
            "purchased_on": null, "purchase_cost_cents": null, "warranty_expires_on": null, "notes": "" })
}

async fn create(app: &TestApp, c: &reqwest::Client, v: Value) -> Value {
    let (s, a) = call(app, c, "assets/create", json!({ "input": v })).await;
    assert_eq!(s, 200, "{a}");
    a
}

async fn user_id(app: &TestApp, email: &str) -> uuid::Uuid {
    sqlx::query_scalar("select id from users where email = $1").bind(email).fetch_one(&app.pool).await.unwrap()
}

async fn audit_count(app: &TestApp, action: &str, entity: &str) -> i64 {
    sqlx::query_scalar("select count(*) from audit_log where action = $1 and entity_id = $2")
        .bind(action)
        .bind(entity)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn assets_are_checked_saved_over_their_version_and_keep_a_history() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    // Every bad field is named, and nothing is created.
    let mut bad = input(" ", "");
    bad["purchased_on"] = json!("2026-05-01");
    bad["warranty_expires_on"] = json!("2026-01-01");
    let (s, e) = call(&app, &agent, "assets/create", json!({ "input": bad })).await;
    assert_eq!(s, 422, "{e}");
    let fields = e["Validation"]["fields"].as_object().unwrap();
    assert!(fields.contains_key("name") && fields.contains_key("warranty_expires_on"), "{e}");
    let n: i64 = sqlx::query_scalar("select count(*) from assets").fetch_one(&app.pool).await.unwrap();
    assert_eq!(n, 0);

    let a = create(&app, &agent, input("ThinkPad of Riley", "LT-001")).await;
    let id = a["id"].as_str().unwrap().to_string();
    // Tags are unique whatever the case.
    let (s, e) = call(&app, &agent, "assets/create", json!({ "input": input("Other", "lt-001") })).await;
    assert_eq!(s, 422, "{e}");
    assert!(e.to_string().contains("tag"), "{e}");

    // Assign to the requester and move it into repair: the history names both changes.
    let riley = user_id(&app, "requester@demo.helios.test").await;
    let mut changed = input("ThinkPad of Riley", "LT-001");
    changed["assigned_to"] = json!(riley);
    changed["status"] = json!("in_repair");
    let (s, saved) =
        call(&app, &agent, "assets/update", json!({ "id": id, "version": 1, "input": changed.clone() })).await;
    assert_eq!(s, 200, "{saved}");
    assert_eq!(saved["version"], 2);
    assert_eq!(saved["assigned_name"], "Riley Requester");
    // A save over the old version is refused and changes nothing.
    let mut stale = changed.clone();
    stale["name"] = json!("Renamed");
    let (s, e) = call(&app, &agent, "assets/update", json!({ "id": id, "version": 1, "input": stale })).await;
    assert_eq!(s, 409, "{e}");
    let (s, d) = call(&app, &agent, "assets/get", json!({ "id": id })).await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["asset"]["name"], "ThinkPad of Riley");
    let history = d["history"].as_array().unwrap();
    assert_eq!(history.len(), 2, "{d}");
    assert_eq!(history[0]["action"], "updated");
    assert_eq!(history[0]["changes"]["status"], json!(["In use", "In repair"]));
    assert_eq!(history[0]["changes"]["assigned_to"], json!(["", "Riley Requester"]));
    assert_eq!(audit_count(&app, "asset.updated", &id).await, 1);

    // Agents may not delete; team leads may, and it is audited.
    let (s, _) = call(&app, &agent, "assets/delete", json!({ "id": id })).await;
    assert_eq!(s, 403);
    let lead = app.signed_in("team_lead").await;
    let (s, e) = call(&app, &lead, "assets/delete", json!({ "id": id })).await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(audit_count(&app, "asset.deleted", &id).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn the_list_filters_searches_and_pages_without_gaps() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    for i in 0..120 {
        let mut v = input(&format!("Device {i:03}"), &format!("TAG-{i:03}"));
        if i % 3 == 0 {
            v["asset_type"] = json!("printer");
        }
        create(&app, &agent, v).await;
    }
    // Walk all pages of printers by name: every printer once, in order.
    let mut seen = Vec::new();
    let mut cursor = Value::Null;
    loop {
        let (s, p) =
            call(&app, &agent, "assets/list", json!({ "filter": { "asset_type": "printer" }, "cursor": cursor })).await;
        assert_eq!(s, 200, "{p}");
        seen.extend(p["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()));
        cursor = p["next"].clone();
        if cursor.is_null() {
            break;
        }
    }
    let expected: Vec<String> = (0..120).filter(|i| i % 3 == 0).map(|i| format!("Device {i:03}")).collect();
    assert_eq!(seen, expected);
    // Search by tag (words) and by a fragment (trigram).
    let (_, p) = call(&app, &agent, "assets/list", json!({ "filter": { "search": "TAG-042" }, "cursor": null })).await;
    let names: Vec<_> = p["rows"].as_array().unwrap().iter().map(|r| r["name"].clone()).collect();
    assert_eq!(names, vec![json!("Device 042")]);
    let (_, p) = call(&app, &agent, "assets/list", json!({ "filter": { "search": "ice 11" }, "cursor": null })).await;
    assert_eq!(p["rows"].as_array().unwrap().len(), 10, "{p}");
    // Requesters see nothing of assets.
    let requester = app.signed_in("requester").await;
    let (s, _) = call(&app, &requester, "assets/list", json!({ "filter": {}, "cursor": null })).await;
    assert_eq!(s, 403);
    app.stop().await;
}

#[tokio::test]
async fn pages_keep_every_asset_once_whatever_the_letters_search_and_order() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let names =
        ["Äpfel", "ábaco", "Zebra", "éclair", "Ωmega", "İris", "ärger", "Bob", "apple", "ÉTUDE", "straße", "Irz"];
    for (i, n) in names.iter().enumerate() {
        create(&app, &agent, input(n, &format!("U-{i}"))).await;
    }
    // One row a page: every cursor is a name or a time; the walk must neither skip
    // nor repeat, with or without a search, in either order.
    use app::assets::model::AssetOrder;
    for (search, order) in
        [("", AssetOrder::Name), ("a", AssetOrder::Name), ("", AssetOrder::Updated), ("a", AssetOrder::Updated)]
    {
        let filter = app::assets::model::AssetFilter { search: search.into(), order, ..Default::default() };
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = app::assets::api::server::page(&app.pool, &filter, cursor.as_ref(), 1).await.unwrap();
            seen.extend(page.rows.iter().map(|r| r.name.clone()));
            cursor = page.next;
            if cursor.is_none() {
                break;
            }
            assert!(seen.len() <= names.len(), "the walk repeats: {seen:?}");
        }
        let all = app::assets::api::server::page(&app.pool, &filter, None, 100).await.unwrap();
        let expected: Vec<String> = all.rows.iter().map(|r| r.name.clone()).collect();
        assert_eq!(seen, expected, "search {search:?}, {order:?}");
        if search.is_empty() {
            assert_eq!(seen.len(), names.len());
        }
        if order == AssetOrder::Updated {
            assert!(all.rows.windows(2).all(|w| w[0].updated_at >= w[1].updated_at), "newest first: {seen:?}");
            assert!(all.rows.len() > 2, "{seen:?}");
        }
    }
    app.stop().await;
}

async fn upload(app: &TestApp, c: &reqwest::Client, csv: String) -> (u16, Value) {
    let res = c
        .post(app.url("/assets/import?name=devices.csv"))
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, serde_json::from_str(&res.text().await.unwrap()).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_csv_import_is_checked_whole_before_anything_is_written() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    create(&app, &agent, input("Existing", "TAKEN-1")).await;
    let bad = "name,type,tag,assigned_to,warranty_expires,location\n\
               Good laptop,laptop,A-1,requester@demo.helios.test,2027-01-31,HQ\n\
               ,toaster,A-2,,,\n\
               Dup one,laptop,A-3,,,\n\
               Dup two,laptop,a-3,,,\n\
               Clash,laptop,taken-1,,,\n\
               Ghost,laptop,A-6,ghost@example.com,31/01/2027,\n";
    let (s, p) = upload(&app, &agent, bad.into()).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!((p["total_rows"].as_i64(), p["error_rows"].as_i64()), (Some(6), Some(5)), "{p}");
    let errors: Vec<(i64, String)> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e[0].as_i64().unwrap(), e[1].as_str().unwrap().to_string()))
        .collect();
    let lines: Vec<i64> = errors.iter().map(|e| e.0).collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 7], "{errors:?}");
    assert!(errors[0].1.contains("toaster") && errors[0].1.contains("name"), "{errors:?}");
    assert!(errors[1].1.contains("line 5") && errors[2].1.contains("line 4"), "{errors:?}");
    assert!(errors[3].1.contains("already used by \"Existing\""), "{errors:?}");
    assert!(errors[4].1.contains("ghost@example.com") && errors[4].1.contains("YYYY-MM-DD"), "{errors:?}");
    // Committing an import with errors is refused; nothing was written.
    let (s, e) = call(&app, &agent, "assets/import_commit", json!({ "import_id": p["import_id"] })).await;
    assert_eq!(s, 409, "{e}");
    let n: i64 = sqlx::query_scalar("select count(*) from assets").fetch_one(&app.pool).await.unwrap();
    assert_eq!(n, 1);
    let l: i64 = sqlx::query_scalar("select count(*) from locations").fetch_one(&app.pool).await.unwrap();
    assert_eq!(l, 0);
    // Unknown columns refuse the file with the column's name.
    let (s, e) = upload(&app, &agent, "name,colour\nX,red\n".into()).await;
    assert_eq!(s, 422, "{e}");
    assert!(e.to_string().contains("colour"), "{e}");

    // A valid file: preview, then another user cannot commit it, the uploader can.
    let good = "name,type,tag,assigned_to,warranty_expires,location,purchase_cost\n\
                Good laptop,Laptop,A-1,requester@demo.helios.test,2027-01-31,HQ,\"1,299.00\"\n\
                Desk printer,printer,A-2,,,hq,\n";
    let (s, p) = upload(&app, &agent, good.into()).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["error_rows"], 0, "{p}");
    assert_eq!(p["sample"].as_array().unwrap().len(), 2);
    let lead = app.signed_in("team_lead").await;
    let (s, _) = call(&app, &lead, "assets/import_commit", json!({ "import_id": p["import_id"] })).await;
    assert_eq!(s, 404);
    let (s, n) = call(&app, &agent, "assets/import_commit", json!({ "import_id": p["import_id"] })).await;
    assert_eq!(s, 200, "{n}");
    assert_eq!(n, 2);
    // One location "HQ" for both rows (names match whatever the case), the person linked.
    let (loc, cost, who): (i64, Option<i64>, Option<String>) = sqlx::query_as(
        "select (select count(*) from locations), a.purchase_cost_cents, u.email::text
         from assets a left join users u on u.id = a.assigned_to where a.tag = 'A-1'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((loc, cost, who.as_deref()), (1, Some(129_900), Some("requester@demo.helios.test")));
    let staged: i64 = sqlx::query_scalar("select count(*) from asset_import_rows").fetch_one(&app.pool).await.unwrap();
    assert_eq!(staged, 0, "a committed import leaves no staged rows");

    // The export reads back with the importer's columns.
    let csv = agent.get(app.url("/assets/export.csv?filter=%7B%7D")).send().await.unwrap().text().await.unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("name,type,status,tag,serial"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(rows.iter().any(|r| r.starts_with("Good laptop,laptop,in_use,A-1,") && r.contains("1299.00")), "{csv}");
    // …and into another workspace, id and updated_at included: every row valid.
    let other = spawn_app().await;
    let (s, p) = upload(&other, &other.signed_in("agent").await, csv.clone()).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!((p["error_rows"].clone(), p["total_rows"].clone()), (json!(0), json!(3)), "{p}");
    other.stop().await;
    app.stop().await;
}

/// Peak resident memory of a process, in bytes.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

/// The real binary in its own process, so its memory is the import's alone. Holding
/// the rows in memory would cost far more than the bound (about 700 bytes a row).
#[tokio::test]
async fn a_fifty_thousand_row_import_stays_within_bounded_memory() {
    const ROWS: usize = 50_000;
    let database_url = common::fresh_database().await;
    let helios = common::process::Helios::serve(&["--demo"], &[("DATABASE_URL", &database_url)], false);
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers([(reqwest::header::ORIGIN, helios.url("").parse().unwrap())].into_iter().collect())
        .build()
        .unwrap();
    let res = c
        .post(helios.url("/api/auth/login"))
        .json(&json!({ "email": "agent@demo.helios.test", "password": common::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let before = peak_rss(helios.child.id());
    // Generated on the fly in chunks of 1,000 rows.
    let header = futures::stream::iter(std::iter::once(Ok::<_, std::io::Error>(
        "name,type,status,tag,serial,make,model,location,notes\n".to_string().into_bytes(),
    )));
    let body = header.chain(futures::stream::iter((0..ROWS / 1000).map(|chunk| {
        let mut s = String::with_capacity(100_000);
        for i in chunk * 1000..(chunk + 1) * 1000 {
            s.push_str(&format!(
                "Device {i},laptop,in_stock,T{i:06},S{i:06},Dell,Latitude 7440,Site {},bought in batch {chunk}\n",
                i % 20
            ));
        }
        Ok(s.into_bytes())
    })));
    let started = std::time::Instant::now();
    let res = c
        .post(helios.url("/assets/import?name=fleet.csv"))
        .header("content-type", "text/csv")
        .body(reqwest::Body::wrap_stream(body))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let p: Value = res.json().await.unwrap();
    let checked = started.elapsed();
    assert_eq!((p["total_rows"].as_i64(), p["error_rows"].as_i64()), (Some(ROWS as i64), Some(0)), "{p}");
    let res = c
        .post(helios.url("/api/assets/import_commit"))
        .json(&json!({ "import_id": p["import_id"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let n: i64 = res.json().await.unwrap();
    assert_eq!(n, ROWS as i64);
    let grown = peak_rss(helios.child.id()).saturating_sub(before);
    eprintln!(
        "checking {ROWS} rows took {:.1} s, checking and writing {:.1} s; the server's peak RSS grew by {:.1} MB",
        checked.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        grown as f64 / 1048576.0
    );
    assert!(grown < 24 * 1024 * 1024, "peak memory grew by {grown} bytes for {ROWS} rows");
    let pool = helios_server::db::connect(&database_url).await.unwrap();
    let (assets, places): (i64, i64) =
        sqlx::query_as("select (select count(*) from assets), (select count(*) from locations)")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((assets, places), (ROWS as i64, 20));
}

async fn link(app: &TestApp, c: &reqwest::Client, from: (&str, &str), to: (&str, &str), t: &str) -> (u16, Value) {
    call(
        app,
        c,
        "links/create",
        json!({ "from": { "kind": from.0, "id": from.1 }, "to": { "kind": to.0, "id": to.1 }, "link_type": t, "note": "" }),
    )
    .await
}

async fn linked(app: &TestApp, c: &reqwest::Client, kind: &str, id: &str) -> Vec<(String, String)> {
    let (s, l) = call(app, c, "links/list", json!({ "record": { "kind": kind, "id": id } })).await;
    assert_eq!(s, 200, "{l}");
    l.as_array()
        .unwrap()
        .iter()
        .map(|x| (x["relation"].as_str().unwrap().to_string(), x["title"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn links_read_both_ways_are_refused_when_wrong_and_go_with_their_record() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let server = create(&app, &agent, input("File server", "SRV-1")).await;
    let laptop = create(&app, &agent, input("Laptop", "LT-9")).await;
    let (s, vendor) = call(
        &app,
        &agent,
        "assets/save_place",
        json!({ "kind": "vendor", "id": null, "input": { "name": "Acme Hardware" } }),
    )
    .await;
    assert_eq!(s, 200, "{vendor}");
    let (srv, lt, ven) =
        (server["id"].as_str().unwrap(), laptop["id"].as_str().unwrap(), vendor["id"].as_str().unwrap());

    let (s, e) = link(&app, &agent, ("asset", lt), ("asset", srv), "depends_on").await;
    assert_eq!(s, 200, "{e}");
    let (s, _) = link(&app, &agent, ("asset", srv), ("vendor", ven), "related").await;
    assert_eq!(s, 200);
    assert_eq!(linked(&app, &agent, "asset", lt).await, vec![("Depends on".into(), "File server (SRV-1)".into())]);
    let mut on_server = linked(&app, &agent, "asset", srv).await;
    on_server.sort();
    assert_eq!(
        on_server,
        vec![("Related to".to_string(), "Acme Hardware".to_string()), ("Required by".into(), "Laptop (LT-9)".into())]
    );
    // The same link again, a self link, and a missing record are refused.
    let (s, _) = link(&app, &agent, ("asset", lt), ("asset", srv), "depends_on").await;
    assert_eq!(s, 409);
    let (s, _) = link(&app, &agent, ("vendor", ven), ("asset", srv), "related").await;
    assert_eq!(s, 409, "related is one link whichever side it is made from");
    let (s, _) = link(&app, &agent, ("asset", lt), ("asset", lt), "related").await;
    assert_eq!(s, 422);
    let (s, _) = link(&app, &agent, ("asset", lt), ("asset", &uuid::Uuid::new_v4().to_string()), "related").await;
    assert_eq!(s, 404);
    // The picker finds records by name across kinds.
    let (_, found) = call(&app, &agent, "links/search", json!({ "query": "acme", "kinds": [] })).await;
    assert_eq!(found[0]["title"], "Acme Hardware", "{found}");

    // Deleting the server removes its links (audited with their count); the laptop
    // no longer lists it.
    let lead = app.signed_in("team_lead").await;
    let (s, _) = call(&app, &lead, "assets/delete", json!({ "id": srv })).await;
    assert_eq!(s, 200);
    assert!(linked(&app, &agent, "asset", lt).await.is_empty());
    let left: i64 = sqlx::query_scalar("select count(*) from record_links").fetch_one(&app.pool).await.unwrap();
    assert_eq!(left, 0);
    let after: Value =
        sqlx::query_scalar("select before from audit_log where action = 'asset.deleted' and entity_id = $1")
            .bind(srv)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(after["links_removed"], 2);
    // Requesters cannot read links.
    let requester = app.signed_in("requester").await;
    let (s, _) = call(&app, &requester, "links/list", json!({ "record": { "kind": "asset", "id": lt } })).await;
    assert_eq!(s, 403);
    app.stop().await;
}

#[tokio::test]
async fn the_requester_panel_lists_their_assets_and_linked_records() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let requester = app.signed_in("requester").await;
    let (s, n) = call(
        &app,
        &requester,
        "tickets/create",
        json!({ "title": "Laptop slow", "description": "", "priority": "p3", "requester": null }),
    )
    .await;
    assert_eq!(s, 200, "{n}");
    let riley = user_id(&app, "requester@demo.helios.test").await;
    let mut mine = input("Riley's laptop", "R-1");
    mine["assigned_to"] = json!(riley);
    create(&app, &agent, mine).await;
    create(&app, &agent, input("Someone else's", "X-1")).await;
    let (s, loc) = call(
        &app,
        &agent,
        "assets/save_place",
        json!({ "kind": "location", "id": null, "input": { "name": "Riley's office" } }),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) =
        link(&app, &agent, ("location", loc["id"].as_str().unwrap()), ("user", &riley.to_string()), "belongs_to").await;
    assert_eq!(s, 200);
    let (s, c) = call(&app, &agent, "requester/context", json!({ "number": n })).await;
    assert_eq!(s, 200, "{c}");
    let records: Vec<(String, String)> = c["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["kind"].as_str().unwrap().to_string(), r["title"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        records,
        vec![("asset".into(), "Riley's laptop (R-1)".into()), ("location".into(), "Riley's office".into())]
    );
    app.stop().await;
}

#[tokio::test]
async fn expiry_alerts_go_out_once_per_item_and_threshold() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let today = chrono::Utc::now().date_naive();
    let mut soon = input("Old printer", "P-1");
    soon["warranty_expires_on"] = json!((today + chrono::Duration::days(20)).to_string());
    let soon = create(&app, &agent, soon).await;
    let mut later = input("New laptop", "L-2");
    later["warranty_expires_on"] = json!((today + chrono::Duration::days(200)).to_string());
    create(&app, &agent, later).await;
    let (s, l) = call(&app, &agent, "expiring/list", json!({ "days": 30 })).await;
    assert_eq!(s, 200, "{l}");
    let titles: Vec<_> = l.as_array().unwrap().iter().map(|i| (i["title"].clone(), i["days_left"].clone())).collect();
    assert_eq!(titles, vec![(json!("Old printer"), json!(20))]);

    let admin_inbox = |c: reqwest::Client| {
        let app = &app;
        async move {
            let (s, i) = call(app, &c, "notifications/list", json!({})).await;
            assert_eq!(s, 200, "{i}");
            i
        }
    };
    let admin = app.signed_in("admin").await;
    // Day 0: 20 days left reaches the 30-day threshold: one alert to the admin.
    assert_eq!(app::expiring::api::server::send_alerts(&app.pool, today).await.unwrap(), 1);
    assert_eq!(app::expiring::api::server::send_alerts(&app.pool, today).await.unwrap(), 0, "sent once");
    let inbox = admin_inbox(admin.clone()).await;
    assert_eq!(inbox["unread"], 1);
    assert!(inbox["items"][0]["title"].as_str().unwrap().contains("Old printer"), "{inbox}");
    assert_eq!(inbox["items"][0]["href"], format!("/assets/{}", soon["id"].as_str().unwrap()));
    // Six days later 14 days are left: the 14-day alert; then a week later the 7-day one.
    assert_eq!(app::expiring::api::server::send_alerts(&app.pool, today + chrono::Duration::days(6)).await.unwrap(), 1);
    assert_eq!(
        app::expiring::api::server::send_alerts(&app.pool, today + chrono::Duration::days(13)).await.unwrap(),
        1
    );
    assert_eq!(
        app::expiring::api::server::send_alerts(&app.pool, today + chrono::Duration::days(14)).await.unwrap(),
        0
    );
    assert_eq!(admin_inbox(admin.clone()).await["unread"], 3);
    // Agents got nothing (recipients default to admins); configured recipients get it.
    let (_, mine) = call(&app, &agent, "notifications/list", json!({})).await;
    assert_eq!(mine["unread"], 0);
    let (s, e) = call(
        &app,
        &admin,
        "expiring/save_settings",
        json!({ "settings": { "thresholds": [3], "recipients": ["nobody@example.com"] } }),
    )
    .await;
    assert_eq!(s, 422, "{e}");
    let (s, e) = call(
        &app,
        &admin,
        "expiring/save_settings",
        json!({ "settings": { "thresholds": [3], "recipients": ["agent@demo.helios.test"] } }),
    )
    .await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(
        app::expiring::api::server::send_alerts(&app.pool, today + chrono::Duration::days(18)).await.unwrap(),
        1
    );
    let (_, mine) = call(&app, &agent, "notifications/list", json!({})).await;
    assert_eq!(mine["unread"], 1);
    let (s, _) = call(&app, &agent, "notifications/mark_read", json!({})).await;
    assert_eq!(s, 200);
    let (_, mine) = call(&app, &agent, "notifications/list", json!({})).await;
    assert_eq!(mine["unread"], 0);
    app.stop().await;
}
