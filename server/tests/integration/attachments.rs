//! Attachments: streamed uploads within the size limit, downloads that can never
//! run in the browser, and who may fetch which file.
use crate::common;

use crate::common::{call, spawn_app, TestApp};
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

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

async fn upload_to(
    app: &TestApp,
    c: &reqwest::Client,
    n: i64,
    query: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, Value) {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()));
    let res = c.post(app.url(&format!("/desk/tickets/{n}/attachments{query}"))).multipart(form).send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn upload(app: &TestApp, c: &reqwest::Client, n: i64, name: &str, bytes: Vec<u8>) -> (u16, Value) {
    upload_to(app, c, n, "", name, bytes).await
}

async fn reply(app: &TestApp, c: &reqwest::Client, n: i64, internal: bool, files: &[&Value]) -> (u16, Value) {
    let ids: Vec<&Value> = files.iter().map(|f| &f["id"]).collect();
    call(
        app,
        c,
        "tickets/comment",
        json!({ "number": n, "body": "See attached", "internal": internal, "attachments": ids }),
    )
    .await
}

async fn download(app: &TestApp, c: &reqwest::Client, id: &Value) -> reqwest::Response {
    c.get(app.url(&format!("/attachments/{}", id.as_str().unwrap()))).send().await.unwrap()
}

/// Every file under the store directory.
fn stored_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&app.attachments_dir, &mut out);
    out
}

async fn rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from ticket_attachments").fetch_one(&app.pool).await.unwrap()
}

#[tokio::test]
async fn a_reply_file_uploads_attaches_to_the_reply_and_downloads_as_an_inert_attachment() {
    let app = spawn_app().await;
    let requester = app.signed_in("requester").await;
    let agent = app.signed_in("agent").await;
    let n = create(&app, &requester, "Scanner output garbled").await;
    let pdf: Vec<u8> = b"%PDF-1.7\n".iter().copied().chain((0..200_000u32).map(|i| (i % 251) as u8)).collect();

    let (s, file) = upload(&app, &agent, n, "scan.pdf", pdf.clone()).await;
    assert_eq!(s, 201, "{file}");
    assert_eq!(file["filename"], "scan.pdf");
    assert_eq!(file["size_bytes"], pdf.len() as i64);
    assert_eq!(file["draft"], true);
    let sha: String = sqlx::query_scalar("select sha256 from ticket_attachments").fetch_one(&app.pool).await.unwrap();
    assert_eq!(sha, hex::encode(Sha256::digest(&pdf)));
    // Not sent yet: only the uploader has it, and it is on their pending list.
    assert_eq!(download(&app, &requester, &file["id"]).await.status(), 404);
    let (_, pending) = call(&app, &agent, "tickets/pending_attachments", json!({ "number": n })).await;
    assert_eq!(pending.as_array().unwrap().len(), 1);

    let (s, d) = reply(&app, &agent, n, false, &[&file]).await;
    assert_eq!(s, 200, "{d}");
    let item = d["timeline"].as_array().unwrap().iter().find(|i| i["what"]["kind"] == "comment").unwrap().clone();
    assert_eq!(item["attachments"][0]["id"], file["id"]);
    assert_eq!(item["attachments"][0]["draft"], false);
    let (_, pending) = call(&app, &agent, "tickets/pending_attachments", json!({ "number": n })).await;
    assert_eq!(pending, json!([]));

    // The requester downloads the reply's file: exact bytes, never rendered inline.
    let res = download(&app, &requester, &file["id"]).await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert!(h["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"scan.pdf\""));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["content-security-policy"].to_str().unwrap().contains("sandbox"));
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);

    // Active content is served as bytes.
    let (s, html) = upload(&app, &agent, n, "invoice.html", b"<script>alert(1)</script>".to_vec()).await;
    assert_eq!(s, 201);
    let res = download(&app, &agent, &html["id"]).await;
    assert_eq!(res.headers()["content-type"], "application/octet-stream");
    // An unsent file can be removed by its uploader, bytes and all; a sent one cannot.
    let before = stored_files(&app).len();
    let res = agent.delete(app.url(&format!("/attachments/{}", html["id"].as_str().unwrap()))).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(stored_files(&app).len(), before - 1);
    let res = agent.delete(app.url(&format!("/attachments/{}", file["id"].as_str().unwrap()))).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action like 'ticket.attachment.%'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 3);
    app.stop().await;
}

#[tokio::test]
async fn a_file_over_the_size_limit_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    let agent = app.signed_in("agent").await;
    let n = create(&app, &agent, "Big file").await;
    // Within the default 25 MB, and over axum's default body limit (2 MB).
    let (s, body) = upload(&app, &agent, n, "photo.jpg", vec![1u8; 3 * 1024 * 1024]).await;
    assert_eq!(s, 201, "{body}");
    sqlx::query("delete from ticket_attachments").execute(&app.pool).await.unwrap();
    for f in stored_files(&app) {
        std::fs::remove_file(f).unwrap();
    }

    let (s, _) = call(&app, &agent, "settings/update_attachments", json!({ "max_size_mb": 1 })).await;
    assert_eq!(s, 403);
    let (s, _) = call(&app, &admin, "settings/update_attachments", json!({ "max_size_mb": 0 })).await;
    assert_eq!(s, 422);
    let (s, set) = call(&app, &admin, "settings/update_attachments", json!({ "max_size_mb": 1 })).await;
    assert_eq!(s, 200, "{set}");
    let (_, got) = call(&app, &admin, "settings/attachments", json!({})).await;
    assert_eq!(got["max_size_mb"], 1);

    // Just over the limit: refused while streaming.
    let (s, body) = upload(&app, &agent, n, "big.bin", vec![7u8; 1024 * 1024 + 1]).await;
    assert_eq!(s, 413, "{body}");
    assert!(body.to_string().contains("at most 1 MB"), "{body}");
    // Far over: refused from the declared length.
    let (s, _) = upload(&app, &agent, n, "huge.bin", vec![7u8; 3 * 1024 * 1024]).await;
    assert_eq!(s, 413);
    assert_eq!(rows(&app).await, 0);
    assert!(stored_files(&app).is_empty(), "{:?}", stored_files(&app));

    let (s, _) = upload(&app, &agent, n, "fits.bin", vec![7u8; 1024 * 1024]).await;
    assert_eq!(s, 201);
    assert_eq!(rows(&app).await, 1);
    assert_eq!(stored_files(&app).len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn requesters_get_neither_internal_note_files_nor_other_peoples_files() {
    let app = spawn_app().await;
    let requester = app.signed_in("requester").await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let theirs = create(&app, &requester, "Mine").await;
    let others = create(&app, &agent, "Not the requester's").await;

    let (_, note_file) = upload(&app, &agent, theirs, "notes.txt", b"internal".to_vec()).await;
    assert_eq!(reply(&app, &agent, theirs, true, &[&note_file]).await.0, 200);
    let (_, other_file) = upload(&app, &agent, others, "plan.txt", b"plan".to_vec()).await;
    assert_eq!(reply(&app, &agent, others, false, &[&other_file]).await.0, 200);

    assert_eq!(download(&app, &requester, &note_file["id"]).await.status(), 404);
    assert_eq!(download(&app, &agent, &note_file["id"]).await.status(), 200);
    assert_eq!(download(&app, &requester, &other_file["id"]).await.status(), 404);
    let (_, seen) = call(&app, &requester, "tickets/get", json!({ "number": theirs })).await;
    assert!(!seen.to_string().contains("notes.txt"), "{seen}");

    // Requesters cannot upload to tickets that are not theirs, nor send someone
    // else's unsent file with their reply.
    let (s, _) = upload(&app, &requester, others, "x.txt", b"x".to_vec()).await;
    assert_eq!(s, 404);
    let (_, draft) = upload(&app, &agent, theirs, "draft.txt", b"draft".to_vec()).await;
    let (s, body) = reply(&app, &requester, theirs, false, &[&draft]).await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(download(&app, &lead, &draft["id"]).await.status(), 404, "unsent files are the uploader's alone");
    // The refused reply left nothing behind.
    let (_, seen) = call(&app, &requester, "tickets/get", json!({ "number": theirs })).await;
    assert_eq!(seen["timeline"].as_array().unwrap().iter().filter(|i| i["what"]["kind"] == "comment").count(), 0);
    app.stop().await;
}

#[tokio::test]
async fn unauthenticated_and_cross_site_requests_are_refused() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let n = create(&app, &agent, "Locked").await;
    let (_, file) = upload(&app, &agent, n, "a.txt", b"a".to_vec()).await;
    let anonymous = app.client();
    let (s, _) = upload(&app, &anonymous, n, "b.txt", b"b".to_vec()).await;
    assert_eq!(s, 401);
    assert_eq!(download(&app, &anonymous, &file["id"]).await.status(), 401);
    // A signed-in browser tricked by another site: the Origin check refuses it.
    let form = Form::new().part("file", Part::bytes(b"c".to_vec()).file_name("c.txt"));
    let res = agent
        .post(app.url(&format!("/desk/tickets/{n}/attachments")))
        .header("origin", "https://evil.example")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(rows(&app).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn file_names_with_paths_are_reduced_to_a_safe_name_and_stored_by_id() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let n = create(&app, &agent, "Traversal").await;
    let (s, file) = upload_to(&app, &agent, n, "?to=description", "../../etc/passwd", b"root:x:0:0".to_vec()).await;
    assert_eq!(s, 201, "{file}");
    assert_eq!(file["filename"], "passwd");
    assert_eq!(file["draft"], false, "description files are attached at once");
    let stored = stored_files(&app);
    assert_eq!(stored.len(), 1);
    assert!(stored[0].starts_with(&app.attachments_dir));
    assert_eq!(stored[0].file_name().unwrap().to_str().unwrap(), file["id"].as_str().unwrap());
    let res = download(&app, &agent, &file["id"]).await;
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"passwd\""));
    // Description files show on the "opened" entry of the timeline.
    let (_, d) = call(&app, &agent, "tickets/get", json!({ "number": n })).await;
    let created = d["timeline"].as_array().unwrap().iter().find(|i| i["what"]["kind"] == "created").unwrap().clone();
    assert_eq!(created["attachments"][0]["filename"], "passwd");
    app.stop().await;
}

/// Peak resident memory of a process, in bytes.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

/// The real binary in its own process, so its memory is the upload's alone.
#[tokio::test]
async fn a_large_upload_is_streamed_to_the_store_in_bounded_memory() {
    const SIZE: u64 = 96 * 1024 * 1024;
    const CHUNK: u64 = 64 * 1024;
    let files = common::temp_dir("files");
    let database_url = common::fresh_database().await;
    let mut helios = common::process::Helios::serve(
        &["--demo"],
        &[("DATABASE_URL", &database_url), ("HELIOS_ATTACHMENTS_DIR", files.to_str().unwrap())],
        false,
    );
    let client = |role: &str| {
        let origin = helios.url("");
        let role = role.to_string();
        let login = helios.url("/api/auth/login");
        async move {
            let c = reqwest::Client::builder()
                .cookie_store(true)
                .default_headers([(reqwest::header::ORIGIN, origin.parse().unwrap())].into_iter().collect())
                .build()
                .unwrap();
            let email = format!("{role}@demo.helios.test");
            let res = c.post(login).json(&json!({ "email": email, "password": common::DEMO_PASSWORD })).send().await;
            assert_eq!(res.unwrap().status(), 200);
            c
        }
    };
    let (admin, agent) = (client("admin").await, client("agent").await);
    let res = admin
        .post(helios.url("/api/settings/update_attachments"))
        .json(&json!({ "max_size_mb": 200 }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = agent
        .post(helios.url("/api/tickets/create"))
        .json(&json!({ "title": "Disk image", "description": "", "priority": "p3", "requester": null }))
        .send()
        .await
        .unwrap();
    let n: i64 = res.json().await.unwrap();

    let before = peak_rss(helios.child.id());
    // Generated on the fly: the client never holds the whole file either.
    let chunks =
        futures::stream::iter((0..SIZE / CHUNK).map(|i| Ok::<_, std::io::Error>(vec![i as u8; CHUNK as usize])));
    let part = Part::stream_with_length(reqwest::Body::wrap_stream(chunks), SIZE).file_name("disk.img");
    let started = std::time::Instant::now();
    let res = agent
        .post(helios.url(&format!("/desk/tickets/{n}/attachments")))
        .multipart(Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let took = started.elapsed();
    let file: Value = res.json().await.unwrap();
    assert_eq!(file["size_bytes"], SIZE);
    let grown = peak_rss(helios.child.id()).saturating_sub(before);
    eprintln!(
        "uploading {} MB took {:.1} s and raised the server's peak RSS by {:.1} MB",
        SIZE >> 20,
        took.as_secs_f64(),
        grown as f64 / 1048576.0
    );
    assert!(grown < 40 * 1024 * 1024, "peak memory grew by {grown} bytes for a {SIZE}-byte file");
    let stored = std::fs::metadata(files.join(file["id"].as_str().unwrap())).unwrap();
    assert_eq!(stored.len(), SIZE);
    assert!(helios.terminate().is_some_and(|s| s.success()));
}
