//! Credential vault: envelope encryption, permissions and reasons for reveals,
//! audit rows without secrets, TOTP against an independent RFC 6238 computation,
//! otpauth and QR import, master key rotation with an interrupted run, and a
//! pg_dump of the database that must not contain any stored secret.
use crate::common;

use crate::common::{call, spawn_app, TestApp};
use app::vault::crypto::{KeyRing, MasterKey};
use app::vault::model::SecretField;
use app::vault::repo::SecretOwner;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use std::path::PathBuf;

// ---------- an independent RFC 4648 / RFC 6238 implementation ----------

fn base32(bytes: &[u8]) -> String {
    const A: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(A[((buf >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(A[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn rfc6238(secret: &[u8], unix: u64, period: u64, digits: u32, algorithm: &str) -> String {
    let counter = (unix / period).to_be_bytes();
    let mac: Vec<u8> = match algorithm {
        "SHA1" => {
            let mut m = Hmac::<sha1::Sha1>::new_from_slice(secret).unwrap();
            m.update(&counter);
            m.finalize().into_bytes().to_vec()
        }
        "SHA256" => {
            let mut m = Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
            m.update(&counter);
            m.finalize().into_bytes().to_vec()
        }
        _ => {
            let mut m = Hmac::<sha2::Sha512>::new_from_slice(secret).unwrap();
            m.update(&counter);
            m.finalize().into_bytes().to_vec()
        }
    };
    let off = (mac[mac.len() - 1] & 0x0f) as usize;
    let bin = (u32::from(mac[off]) & 0x7f) << 24
        | u32::from(mac[off + 1]) << 16
        | u32::from(mac[off + 2]) << 8
        | u32::from(mac[off + 3]);
    format!("{:0width$}", bin % 10u32.pow(digits), width = digits as usize)
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

fn random_bytes(n: usize) -> Vec<u8> {
    (0..n).map(|_| rand::random::<u8>()).collect()
}

// ---------- helpers ----------

fn key_file(app: &TestApp) -> PathBuf {
    app.attachments_dir.parent().unwrap().join("vault.key")
}

async fn create(app: &TestApp, c: &reqwest::Client, name: &str, password: Option<&str>, totp: Option<&str>) -> String {
    let secret = |v: Option<&str>| match v {
        Some(v) => json!({ "op": "set", "value": v }),
        None => json!({ "op": "keep" }),
    };
    let (status, body) = call(
        app,
        c,
        "vault/save",
        json!({ "input": { "id": null, "name": name, "username": "admin", "url": "https://router.example.com",
            "notes": "", "expires_on": "", "password": secret(password), "totp": secret(totp) } }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_str().unwrap().to_string()
}

async fn audit_texts(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar::<_, String>(
        "select action || ' ' || coalesce(before::text, '') || ' ' || coalesce(after::text, '') from audit_log",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

fn uuid(s: &str) -> uuid::Uuid {
    s.parse().unwrap()
}

// ---------- tests ----------

#[tokio::test]
async fn secrets_round_trip_and_tampering_with_record_or_field_is_detected() {
    let app = spawn_app().await;
    let lead = app.signed_in("team_lead").await;
    let a = create(&app, &lead, "Router A", Some("pw-router-a-7731"), None).await;
    let b = create(&app, &lead, "Router B", Some("pw-router-b-9124"), None).await;
    let reveal = |id: String| {
        let (app, lead) = (&app, &lead);
        async move {
            call(app, lead, "vault/reveal", json!({ "id": id, "reason": "router maintenance", "purpose": "reveal" }))
                .await
        }
    };
    let (status, body) = reveal(a.clone()).await;
    assert_eq!((status, body["secret"].as_str()), (200, Some("pw-router-a-7731")), "{body}");

    // The ring the server uses opens what is stored, with the record id as AAD.
    let ring = KeyRing::new(MasterKey::load(&key_file(&app)).unwrap());
    let sealed = app::vault::repo::get_secret(&app.pool, SecretOwner::Credential(uuid(&a)), SecretField::Password)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sealed.key_id, ring.active_id());
    assert_eq!(ring.open(uuid(&a), "password", &sealed).unwrap(), b"pw-router-a-7731");
    assert!(ring.open(uuid(&b), "password", &sealed).is_err(), "another record id must not open it");
    assert!(ring.open(uuid(&a), "totp_seed", &sealed).is_err(), "another field must not open it");

    // Moving A's ciphertext onto B in the database: B's reveal fails, nothing leaks.
    sqlx::query("delete from vault_secrets where credential_id = $1").bind(uuid(&b)).execute(&app.pool).await.unwrap();
    sqlx::query("update vault_secrets set credential_id = $2 where credential_id = $1")
        .bind(uuid(&a))
        .bind(uuid(&b))
        .execute(&app.pool)
        .await
        .unwrap();
    let (status, body) = reveal(b.clone()).await;
    assert_eq!(status, 500, "{body}");
    assert!(!body.to_string().contains("pw-router"), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn reveal_needs_vault_reveal_and_a_reason_and_is_audited_without_the_secret() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let password = "Tr0ub4dor&3-unique-4411";
    // Agents store a secret on a new credential but never read it back.
    let id = create(&app, &agent, "Core switch", Some(password), None).await;
    for (endpoint, args) in
        [("vault/list", json!({ "search": "core", "after": null })), ("vault/get", json!({ "id": id }))]
    {
        let (status, body) = call(&app, &agent, endpoint, args).await;
        assert_eq!(status, 200, "{body}");
        assert!(!body.to_string().contains(password), "{endpoint} leaked the secret");
        assert!(body.to_string().contains("\"has_password\":true"), "{body}");
    }
    let args = |reason: &str, purpose: &str| json!({ "id": id, "reason": reason, "purpose": purpose });
    let (status, _) = call(&app, &agent, "vault/reveal", args("switch firmware upgrade", "reveal")).await;
    assert_eq!(status, 403);
    // Agents cannot change an existing secret either.
    let (status, _) = call(
        &app,
        &agent,
        "vault/save",
        json!({ "input": { "id": id, "name": "Core switch", "password": { "op": "set", "value": "other" } } }),
    )
    .await;
    assert_eq!(status, 403);
    for reason in ["", "   ", "short"] {
        let (status, body) = call(&app, &lead, "vault/reveal", args(reason, "reveal")).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("reason"), "{body}");
    }
    let before = audit_texts(&app).await.len();
    let (status, body) = call(&app, &lead, "vault/reveal", args("switch firmware upgrade", "reveal")).await;
    assert_eq!((status, body["secret"].as_str()), (200, Some(password)), "{body}");
    assert!(body["visible_seconds"].as_u64().unwrap() > 0);
    let (status, _) = call(&app, &lead, "vault/reveal", args("paste into the console", "copy")).await;
    assert_eq!(status, 200);
    let rows: Vec<(String, String, Value)> = sqlx::query_as(
        "select action, entity_id, after from audit_log where action in ('credential.reveal', 'credential.copy') order by id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].0.as_str(), rows[0].1.as_str()), ("credential.reveal", id.as_str()));
    assert_eq!(rows[0].2["reason"], "switch firmware upgrade");
    assert_eq!(rows[1].0, "credential.copy");
    let texts = audit_texts(&app).await;
    assert_eq!(texts.len(), before + 2);
    assert!(texts.iter().all(|t| !t.contains(password)), "a secret reached the audit log");
    // Team leads change it; the audit row says it changed, not to what.
    let (status, body) = call(
        &app,
        &lead,
        "vault/save",
        json!({ "input": { "id": id, "name": "Core switch", "password": { "op": "set", "value": "N3w-secret-value-0042" } } }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(audit_texts(&app).await.iter().all(|t| !t.contains("N3w-secret-value-0042")));
    let (status, _) = call(&app, &agent, "vault/delete", json!({ "id": id })).await;
    assert_eq!(status, 403);
    let (status, _) = call(&app, &lead, "vault/delete", json!({ "id": id })).await;
    assert_eq!(status, 200);
    let left: i64 = sqlx::query_scalar("select count(*) from vault_secrets").fetch_one(&app.pool).await.unwrap();
    assert_eq!(left, 0, "deleting a credential deletes its secrets");
    app.stop().await;
}

#[tokio::test]
async fn totp_codes_match_an_independent_rfc6238_computation() {
    // The shared code path at fixed times, for each algorithm and digit count.
    let secret = random_bytes(20);
    for (alg, digits, period) in [("SHA1", 6u32, 30u64), ("SHA256", 8, 60), ("SHA512", 7, 30)] {
        let uri = format!(
            "otpauth://totp/Acme:ops@example.com?secret={}&issuer=Acme&algorithm={alg}&digits={digits}&period={period}",
            base32(&secret)
        );
        let seed = app::vault::totp::parse_otpauth(&uri).unwrap();
        for t in [59u64, 1_111_111_109, 1_234_567_890, 2_000_000_000] {
            let got = app::vault::totp::code_at(&seed, t).unwrap();
            assert_eq!(got.code, rfc6238(&secret, t, period, digits, alg), "{alg} at {t}");
            assert_eq!(u64::from(got.seconds_remaining), period - t % period);
        }
    }

    // Through the server, on a URI pasted into the form.
    let app = spawn_app().await;
    let lead = app.signed_in("team_lead").await;
    let secret = random_bytes(20);
    let uri = format!("otpauth://totp/Acme:ops?secret={}&algorithm=SHA256&digits=8&period=30", base32(&secret));
    let id = create(&app, &lead, "Cloud console", None, Some(&uri)).await;
    let (_, got) = call(&app, &lead, "vault/get", json!({ "id": id })).await;
    assert_eq!((got["has_totp"].as_bool(), got["totp_digits"].as_i64()), (Some(true), Some(8)));
    assert!(!got.to_string().contains(&base32(&secret)));
    let t0 = now();
    let (status, body) = call(&app, &lead, "vault/totp", json!({ "id": id, "reason": "sign in to the console" })).await;
    let t1 = now();
    assert_eq!(status, 200, "{body}");
    let code = body["code"].as_str().unwrap();
    let expected: Vec<String> = (t0..=t1).map(|t| rfc6238(&secret, t, 30, 8, "SHA256")).collect();
    assert!(expected.iter().any(|e| e == code), "{code} not in {expected:?}");
    let remaining = body["seconds_remaining"].as_u64().unwrap();
    assert!((1..=30).contains(&remaining));
    assert!(!body.to_string().contains(&base32(&secret)));
    let (status, _) = call(&app, &lead, "vault/totp", json!({ "id": id, "reason": "" })).await;
    assert_eq!(status, 422);
    let agent = app.signed_in("agent").await;
    let (status, _) = call(&app, &agent, "vault/totp", json!({ "id": id, "reason": "sign in to the console" })).await;
    assert_eq!(status, 403);
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'credential.totp'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 1);

    // Bad URIs are refused, naming the field, and change nothing.
    for bad in
        ["https://example.com", "otpauth://totp/x?secret=AB", "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZD&digits=12"]
    {
        let (status, body) = call(
            &app,
            &lead,
            "vault/save",
            json!({ "input": { "id": id, "name": "Cloud console", "totp": { "op": "set", "value": bad } } }),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("totp"), "{body}");
    }
    app.stop().await;
}

fn qr_png(text: &str) -> Vec<u8> {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let img = code.render::<image::Luma<u8>>().quiet_zone(true).module_dimensions(4, 4).build();
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageLuma8(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn upload_qr(app: &TestApp, c: &reqwest::Client, id: &str, bytes: Vec<u8>, name: &str) -> (u16, Value) {
    let form = reqwest::multipart::Form::new()
        .text("id", id.to_string())
        .part("image", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
    let res = c.post(app.url("/api/vault/totp_qr")).multipart(form).send().await.unwrap();
    let status = res.status().as_u16();
    (status, serde_json::from_str(&res.text().await.unwrap()).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_qr_image_sets_the_totp_seed() {
    let app = spawn_app().await;
    let lead = app.signed_in("team_lead").await;
    let id = create(&app, &lead, "VPN", Some("vpn-password-5521"), None).await;
    let secret = random_bytes(20);
    let uri = format!("otpauth://totp/VPN:ops?secret={}&issuer=VPN", base32(&secret));
    let (status, body) = upload_qr(&app, &lead, &id, qr_png(&uri), "qr.png").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["has_totp"], true);
    assert!(!body.to_string().contains(&base32(&secret)));
    let t0 = now();
    let (status, body) = call(&app, &lead, "vault/totp", json!({ "id": id, "reason": "connect to the VPN" })).await;
    let t1 = now();
    assert_eq!(status, 200, "{body}");
    let expected: Vec<String> = (t0..=t1).map(|t| rfc6238(&secret, t, 30, 6, "SHA1")).collect();
    assert!(expected.iter().any(|e| e == body["code"].as_str().unwrap()), "{body} vs {expected:?}");

    // Not an image, not a QR code, not an otpauth QR code, too large: 422 on image.
    let (status, body) = upload_qr(&app, &lead, &id, b"GIF89a not really".to_vec(), "x.gif").await;
    assert_eq!(status, 422, "{body}");
    let blank = {
        let img = image::GrayImage::from_pixel(64, 64, image::Luma([255u8]));
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageLuma8(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let (status, _) = upload_qr(&app, &lead, &id, blank, "blank.png").await;
    assert_eq!(status, 422);
    let (status, body) = upload_qr(&app, &lead, &id, qr_png("https://example.com/not-otp"), "url.png").await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("otpauth"), "{body}");
    let (status, _) = upload_qr(&app, &lead, &id, vec![0u8; 3 * 1024 * 1024], "big.png").await;
    assert_eq!(status, 422);
    // Agents cannot set a seed.
    let agent = app.signed_in("agent").await;
    let (status, _) = upload_qr(&app, &agent, &id, qr_png(&uri), "qr.png").await;
    assert_eq!(status, 403);
    app.stop().await;
}

#[tokio::test]
async fn rotate_key_rewraps_in_batches_and_an_interrupted_run_resumes() {
    let app = spawn_app().await;
    let lead = app.signed_in("team_lead").await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(create(&app, &lead, &format!("Host {i}"), Some(&format!("host-{i}-password-x81")), None).await);
    }
    let key_file = key_file(&app);
    let old = MasterKey::load(&key_file).unwrap();
    let new_file = key_file.with_file_name("next.key");
    let count_under = |id: String| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("select count(*) from vault_secrets where key_id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };

    // Interrupted after one batch of two: the active key file is unchanged.
    let first = helios_server::vault::rotate_key(&app.pool, &key_file, &new_file, 2, Some(1)).await.unwrap();
    assert_eq!((first.report.rewrapped, first.report.complete), (2, false));
    assert!(first.retired.is_none());
    assert_eq!(MasterKey::load(&key_file).unwrap().id(), old.id());
    let new = MasterKey::load(&new_file).unwrap();
    assert_eq!(count_under(new.id().to_string()).await, 2);
    assert_eq!(count_under(old.id().to_string()).await, 3);
    // Mid-rotation the server still reveals secrets under the old key.
    let untouched: uuid::Uuid =
        sqlx::query_scalar("select credential_id from vault_secrets where key_id = $1 order by credential_id limit 1")
            .bind(old.id())
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let (status, _) = call(
        &app,
        &lead,
        "vault/reveal",
        json!({ "id": untouched, "reason": "check mid rotation", "purpose": "reveal" }),
    )
    .await;
    assert_eq!(status, 200);

    // Resumed: only the remaining three are re-wrapped, then the new key is installed.
    let second = helios_server::vault::rotate_key(&app.pool, &key_file, &new_file, 2, None).await.unwrap();
    assert_eq!((second.report.rewrapped, second.report.complete), (3, true));
    assert_eq!(count_under(new.id().to_string()).await, 5);
    assert_eq!(MasterKey::load(&key_file).unwrap().id(), new.id());
    let retired = second.retired.unwrap();
    assert_eq!(MasterKey::load(&retired).unwrap().id(), old.id());
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Every secret opens with the new key alone, and not with the old one.
    let ring = KeyRing::new(MasterKey::load(&key_file).unwrap());
    let old_ring = KeyRing::new(old.clone());
    for (i, id) in ids.iter().enumerate() {
        let sealed = app::vault::repo::get_secret(&app.pool, SecretOwner::Credential(uuid(id)), SecretField::Password)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ring.open(uuid(id), "password", &sealed).unwrap(), format!("host-{i}-password-x81").as_bytes());
        assert!(old_ring.open(uuid(id), "password", &sealed).is_err());
    }
    // A third run finds nothing to do.
    let third = helios_server::vault::rotate_key(&app.pool, &key_file, &new_file, 2, None).await.unwrap();
    assert_eq!((third.report.rewrapped, third.report.complete), (0, true));
    app.stop().await;
}

/// The bindir scripts/test-pg.sh uses.
fn pg_bindir() -> PathBuf {
    if let Ok(out) = std::process::Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("initdb").exists() {
            return dir;
        }
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("pg_dump").exists())
        .collect();
    dirs.sort_by_key(|p| {
        p.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok())
    });
    dirs.pop().expect("PostgreSQL binaries")
}

#[tokio::test]
async fn a_database_dump_contains_no_stored_secret() {
    let app = spawn_app().await;
    let lead = app.signed_in("team_lead").await;
    let password = format!("dump-password-{}", uuid::Uuid::new_v4().simple());
    let seed = random_bytes(20);
    let seed_b32 = base32(&seed);
    let uri = format!("otpauth://totp/Dump:ops?secret={seed_b32}");
    create(&app, &lead, "Dump check credential", Some(&password), Some(&uri)).await;
    let (status, sw) = call(&app, &lead, "software/save", json!({ "input": { "name": "Dump check software" } })).await;
    assert_eq!(status, 200, "{sw}");
    let license_key = format!("LK-{}", uuid::Uuid::new_v4().simple());
    let (status, body) = call(
        &app,
        &lead,
        "licenses/save",
        json!({ "input": { "software_id": sw["software"]["id"], "seats": "3", "license_key": { "op": "set", "value": license_key } } }),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let out = std::process::Command::new(pg_bindir().join("pg_dump"))
        .arg("--no-owner")
        .arg(&app.database_url)
        .output()
        .expect("pg_dump runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let dump = String::from_utf8_lossy(&out.stdout);
    assert!(dump.contains("Dump check credential") && dump.contains("Dump check software"), "the dump holds the data");
    for (what, secret) in
        [("password", password.as_str()), ("TOTP seed", seed_b32.as_str()), ("license key", license_key.as_str())]
    {
        assert!(!dump.contains(secret), "the {what} is in the dump");
    }
    let hex_seed = hex::encode(&seed);
    assert!(!dump.contains(&hex_seed), "the raw seed is in the dump");
    app.stop().await;
}

fn helios(args: &[&str], database_url: &str, key_file: &std::path::Path) -> (i32, String) {
    let out = std::process::Command::new(common::helios_bin())
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("HELIOS_VAULT_KEY_FILE", key_file)
        .env("HELIOS_LOG_FORMAT", "json")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
    )
}

#[tokio::test]
async fn the_rotate_key_command_stops_resumes_and_installs_the_new_key() {
    let app = spawn_app().await;
    let lead = app.signed_in("team_lead").await;
    for i in 0..3 {
        create(&app, &lead, &format!("Printer {i}"), Some(&format!("printer-{i}-secret-y7")), None).await;
    }
    let key_file = key_file(&app);
    let old = MasterKey::load(&key_file).unwrap();
    let new_file = common::temp_dir("newkey").join("vault.key.next");
    let new_arg = new_file.to_str().unwrap();
    let (code, out) = helios(
        &["vault", "rotate-key", "--new-key-file", new_arg, "--batch-size", "1", "--max-batches", "2"],
        &app.database_url,
        &key_file,
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("re-wrapped 2 secrets") && out.contains("run the same command again"), "{out}");
    assert_eq!(MasterKey::load(&key_file).unwrap().id(), old.id());
    let (code, out) = helios(&["vault", "rotate-key", "--new-key-file", new_arg], &app.database_url, &key_file);
    assert_eq!(code, 0, "{out}");
    let new = MasterKey::load(&new_file).unwrap();
    assert!(out.contains("re-wrapped 1 secrets") && out.contains("Restart every Helios server"), "{out}");
    assert_eq!(MasterKey::load(&key_file).unwrap().id(), new.id());
    let under_new: i64 = sqlx::query_scalar("select count(*) from vault_secrets where key_id = $1")
        .bind(new.id())
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(under_new, 3);
    app.stop().await;
}
