//! Domains against real peers on 127.0.0.1: an in-process authoritative DNS
//! server (hickory-server) whose zone the test changes, TLS servers presenting
//! rcgen certificates the test swaps, and servers that accept and never answer
//! or trickle bytes. Checks the outbound guard refuses private addresses.

use crate::common::{call, eventually, spawn_app, TestApp};
use helios_server::domains::{self, Limits};
use hickory_server::authority::{Catalog, ZoneType};
use hickory_server::proto::rr::rdata::{A, MX, NS, SOA, TXT};
use hickory_server::proto::rr::{LowerName, Name, RData, Record};
use hickory_server::store::in_memory::InMemoryAuthority;
use hickory_server::ServerFuture;
use serde_json::{json, Value};
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio_rustls::rustls::{self, pki_types::PrivateKeyDer, pki_types::PrivatePkcs8KeyDer, ServerConfig};

// ---------- a DNS server we control ----------

const ZONE: &str = "example.test.";

fn name(s: &str) -> Name {
    Name::from_ascii(s).unwrap()
}

/// The zone: SOA, NS, MX, SPF, DMARC and a DKIM selector, plus `a` and `txt`.
fn zone(a: Ipv4Addr, extra_txt: Option<&str>) -> Vec<Record> {
    let apex = name(ZONE);
    let mut r = vec![
        Record::from_rdata(
            apex.clone(),
            300,
            RData::SOA(SOA::new(name("ns1.example.test."), name("hostmaster.example.test."), 7, 3600, 600, 86400, 300)),
        ),
        Record::from_rdata(apex.clone(), 300, RData::NS(NS(name("ns1.example.test.")))),
        Record::from_rdata(apex.clone(), 300, RData::MX(MX::new(10, name("mail.example.test.")))),
        Record::from_rdata(apex.clone(), 300, RData::TXT(TXT::new(vec!["v=spf1 mx -all".into()]))),
        Record::from_rdata(apex.clone(), 300, RData::A(A(a))),
        Record::from_rdata(name("_dmarc.example.test."), 300, RData::TXT(TXT::new(vec!["v=DMARC1; p=reject".into()]))),
        Record::from_rdata(
            name("sel1._domainkey.example.test."),
            300,
            RData::TXT(TXT::new(vec!["v=DKIM1; k=rsa; p=MIGf".into(), "MA0GCSqG".into()])),
        ),
    ];
    if let Some(t) = extra_txt {
        r.push(Record::from_rdata(apex, 300, RData::TXT(TXT::new(vec![t.into()]))));
    }
    r
}

async fn set_zone(auth: &InMemoryAuthority, records: Vec<Record>) {
    auth.records_mut().await.clear();
    for r in records {
        assert!(auth.upsert(r, 7).await);
    }
}

/// Serves `example.test.` on UDP and TCP 127.0.0.1:<port>.
async fn dns_server(records: Vec<Record>) -> (Arc<InMemoryAuthority>, u16) {
    let auth = Arc::new(InMemoryAuthority::empty(name(ZONE), ZoneType::Primary, false));
    set_zone(&auth, records).await;
    let mut catalog = Catalog::new();
    catalog.upsert(LowerName::new(&name(ZONE)), Box::new(auth.clone()));
    let mut server = ServerFuture::new(catalog);
    let udp = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let port = udp.local_addr().unwrap().port();
    server.register_socket(udp);
    if let Ok(tcp) = tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        server.register_listener(tcp, Duration::from_secs(5));
    }
    tokio::spawn(async move {
        let _ = server.block_until_done().await;
    });
    (auth, port)
}

fn rec(t: &str, n: &str, v: &str) -> Value {
    json!({ "type": t, "name": n, "value": v })
}

async fn save_settings(
    app: &TestApp,
    admin: &reqwest::Client,
    resolver: Option<String>,
    allow: &[&str],
) -> (u16, Value) {
    call(
        app,
        admin,
        "domains/save_settings",
        json!({ "settings": { "resolver": resolver, "allow_list": allow, "ticket_on_change": false } }),
    )
    .await
}

async fn audit_count(app: &TestApp, action: &str, entity: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("select count(*) from audit_log where action = $1 and entity_id = $2")
        .bind(action)
        .bind(entity)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

fn uuid_of(v: &Value) -> uuid::Uuid {
    uuid::Uuid::parse_str(v["id"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn dns_changes_are_stored_as_exactly_the_added_and_removed_records() {
    let (auth, port) = dns_server(zone(Ipv4Addr::new(192, 0, 2, 1), None)).await;
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    let agent = app.signed_in("agent").await;
    let sink = crate::common::smtp::SmtpSink::start(&[], 0).await;
    let (s, body) = call(&app, &admin, "mail/save_settings", json!({ "input": crate::mail::relay(&sink) })).await;
    assert_eq!(s, 200, "{body}");

    // The resolver on loopback is refused until the allow-list covers it.
    let (s, body) = save_settings(&app, &admin, Some(format!("127.0.0.1:{port}")), &[]).await;
    assert_eq!(s, 422, "{body}");
    assert!(body.to_string().contains("resolver"), "{body}");
    let (s, body) = save_settings(&app, &admin, Some(format!("127.0.0.1:{port}")), &["10.0.0.0/33"]).await;
    assert_eq!(s, 422, "a bad CIDR is refused: {body}");
    let (s, body) = save_settings(&app, &admin, Some(format!("127.0.0.1:{port}")), &["127.0.0.1/32"]).await;
    assert_eq!(s, 200, "{body}");
    let (s, body) = save_settings(&app, &agent, None, &[]).await;
    assert_eq!(s, 403, "{body}");

    // Names are validated and lower-cased; duplicates refused.
    let (s, body) = call(&app, &agent, "domains/save", json!({ "input": { "name": "not a domain" } })).await;
    assert_eq!(s, 422, "{body}");
    let input = json!({ "input": { "name": "Example.TEST.", "registrar": "Gandi", "expires_on": "2030-01-31",
                                   "dkim_selectors": ["sel1"], "ticket_on_change": true } });
    let (s, d) = call(&app, &agent, "domains/save", input.clone()).await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["name"], "example.test");
    let id = uuid_of(&d);
    assert_eq!(audit_count(&app, "domain.create", &id.to_string()).await, 1);
    let (s, body) = call(&app, &agent, "domains/save", input).await;
    assert_eq!(s, 422, "{body}");

    // "Check now" queues a job the worker runs: the first run stores the set.
    let (s, body) = call(&app, &agent, "domains/check_now", json!({ "id": id })).await;
    assert_eq!(s, 200, "{body}");
    let detail = eventually(Duration::from_secs(20), || async {
        let (_, d) = call(&app, &agent, "domains/get", json!({ "id": id })).await;
        (!d["domain"]["last_check_status"].is_null()).then_some(d)
    })
    .await
    .expect("the queued check ran");
    assert_eq!(detail["domain"]["last_check_status"], "ok", "{detail}");
    let records = detail["records"].as_array().unwrap();
    for expected in [
        rec("A", "example.test", "192.0.2.1"),
        rec("MX", "example.test", "10 mail.example.test."),
        rec("NS", "example.test", "ns1.example.test."),
        rec("TXT", "example.test", "v=spf1 mx -all"),
        rec("TXT", "_dmarc.example.test", "v=DMARC1; p=reject"),
        rec("TXT", "sel1._domainkey.example.test", "v=DKIM1; k=rsa; p=MIGfMA0GCSqG"),
    ] {
        assert!(records.contains(&expected), "{expected} missing from {records:?}");
    }
    assert!(records.iter().any(|r| r["type"] == "SOA"), "{records:?}");
    assert!(detail["history"].as_array().unwrap().is_empty(), "the first check is no change");

    // Swap the A record and add a TXT record: exactly those are reported.
    set_zone(&auth, zone(Ipv4Addr::new(192, 0, 2, 2), Some("google-site-verification=abc"))).await;
    let out = domains::check_domain(&app.pool, id, &Limits::default()).await.expect("second check");
    let added: Vec<Value> = out.added.iter().map(|r| serde_json::to_value(r).unwrap()).collect();
    let removed: Vec<Value> = out.removed.iter().map(|r| serde_json::to_value(r).unwrap()).collect();
    assert_eq!(
        added,
        vec![rec("A", "example.test", "192.0.2.2"), rec("TXT", "example.test", "google-site-verification=abc")]
    );
    assert_eq!(removed, vec![rec("A", "example.test", "192.0.2.1")]);
    let (_, detail) = call(&app, &agent, "domains/get", json!({ "id": id })).await;
    let history = detail["history"].as_array().unwrap();
    assert_eq!(history.len(), 1, "{detail}");
    assert_eq!(history[0]["added"], json!(added));
    assert_eq!(history[0]["removed"], json!(removed));
    assert_eq!(detail["domain"]["last_check_status"], "changed");
    // Admins are told (audit event and an in-app notification naming the change),
    // and the domain asked for a ticket: opened by the normal create path, so it is
    // audited like any other.
    assert_eq!(audit_count(&app, "domains.dns_changed", &id.to_string()).await, 1);
    let (s, inbox) = call(&app, &admin, "notifications/list", json!({})).await;
    assert_eq!(s, 200, "{inbox}");
    assert_eq!(inbox["unread"], 1, "{inbox}");
    assert_eq!(inbox["items"][0]["title"], "DNS records of example.test changed");
    assert_eq!(inbox["items"][0]["href"], format!("/domains/{id}"));
    // …and mailed, every record named.
    let mail = &sink.wait_for(1).await[0].data;
    assert!(mail.contains("Subject: DNS records of example.test changed"), "{mail}");
    for line in
        ["+ A example.test 192.0.2.2", "+ TXT example.test google-site-verification=abc", "- A example.test 192.0.2.1"]
    {
        assert!(mail.contains(line), "{line} missing from {mail}");
    }
    let number = out.ticket.expect("a ticket about the change");
    assert_eq!(audit_count(&app, "ticket.create", &number.to_string()).await, 1);
    let (s, t) = call(&app, &admin, "tickets/get", json!({ "number": number.0 })).await;
    assert_eq!(s, 200, "{t}");
    assert!(t["ticket"]["description"].as_str().unwrap().contains("+ example.test A 192.0.2.2"), "{t}");

    // Same zone again: no new history, status back to ok.
    let out = domains::check_domain(&app.pool, id, &Limits::default()).await.expect("third check");
    assert!(out.added.is_empty() && out.removed.is_empty());
    let (_, detail) = call(&app, &agent, "domains/get", json!({ "id": id })).await;
    assert_eq!(detail["history"].as_array().unwrap().len(), 1);
    assert_eq!(detail["domain"]["last_check_status"], "ok");

    // Search and delete (RecordsDelete).
    let (_, page) = call(&app, &agent, "domains/list", json!({ "query": { "search": "ample.te" } })).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
    let (_, page) = call(&app, &agent, "domains/list", json!({ "query": { "search": "nomatch" } })).await;
    assert!(page["items"].as_array().unwrap().is_empty());
    let (s, _) = call(&app, &agent, "domains/delete", json!({ "id": id })).await;
    assert_eq!(s, 403);
    let lead = app.signed_in("team_lead").await;
    let (s, body) = call(&app, &lead, "domains/delete", json!({ "id": id })).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(audit_count(&app, "domain.delete", &id.to_string()).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn a_nameserver_that_never_answers_fails_the_check_within_its_timeout() {
    // Bound but silent: queries are read by nobody.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    let (s, body) = save_settings(&app, &admin, Some(format!("127.0.0.1:{port}")), &["127.0.0.1"]).await;
    assert_eq!(s, 200, "{body}");
    let (_, d) = call(&app, &admin, "domains/save", json!({ "input": { "name": "silent.test" } })).await;
    let id = uuid_of(&d);
    let limits = Limits { dns_query: Duration::from_secs(1), ..Limits::default() };
    let started = Instant::now();
    let err = domains::check_domain(&app.pool, id, &limits).await.expect_err("no answer is a failure");
    assert!(started.elapsed() < Duration::from_secs(6), "took {:?}", started.elapsed());
    let (_, detail) = call(&app, &admin, "domains/get", json!({ "id": id })).await;
    assert_eq!(detail["domain"]["last_check_status"], "failed", "{err}");
    assert!(detail["records"].as_array().unwrap().is_empty(), "a failed run stores no records");
    drop(silent);
    app.stop().await;
}

// ---------- TLS servers we control ----------

struct TestCert {
    config: Arc<ServerConfig>,
    der: Vec<u8>,
}

fn cert(names: &[&str], not_after: (i32, u8, u8)) -> TestCert {
    let mut params = rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    params.not_before = rcgen::date_time_ymd(2025, 1, 1);
    params.not_after = rcgen::date_time_ymd(not_after.0, not_after.1, not_after.2);
    params.distinguished_name.push(rcgen::DnType::CommonName, names[0]);
    let key = rcgen::KeyPair::generate().unwrap();
    let c = params.self_signed(&key).unwrap();
    let der = c.der().to_vec();
    let config = ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![c.der().clone()], PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())))
        .unwrap();
    TestCert { config: Arc::new(config), der }
}

/// A TLS server on 127.0.0.1 presenting whatever certificate `current` holds.
async fn tls_server(current: Arc<Mutex<Arc<ServerConfig>>>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let config = current.lock().unwrap().clone();
            tokio::spawn(async move {
                if let Ok(mut tls) = tokio_rustls::TlsAcceptor::from(config).accept(tcp).await {
                    let _ = tls.shutdown().await;
                }
            });
        }
    });
    port
}

fn sha256_colons(der: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

#[tokio::test]
async fn certificates_are_parsed_and_a_swap_or_a_name_mismatch_is_detected() {
    let first = cert(&["127.0.0.1", "localhost"], (2031, 5, 17));
    let current = Arc::new(Mutex::new(first.config.clone()));
    let port = tls_server(current.clone()).await;
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    let agent = app.signed_in("agent").await;
    let (_, d) = call(&app, &agent, "domains/save", json!({ "input": { "name": "certs.test" } })).await;
    let domain = uuid_of(&d);

    let (s, body) =
        call(&app, &agent, "domains/save_certificate", json!({ "input": { "host": "127.0.0.1", "port": 0 } })).await;
    assert_eq!(s, 422, "{body}");
    let (s, c) = call(
        &app,
        &agent,
        "domains/save_certificate",
        json!({ "input": { "host": "127.0.0.1", "port": port, "domain_id": domain } }),
    )
    .await;
    assert_eq!(s, 200, "{c}");
    let id = uuid_of(&c);
    assert_eq!(audit_count(&app, "certificate.create", &id.to_string()).await, 1);

    // Without the allow-list, loopback is refused before any connection.
    let err = domains::check_certificate(&app.pool, id, &Limits::default()).await.expect_err("loopback refused");
    assert!(err.to_string().contains("loopback"), "{err}");
    let (s, body) = save_settings(&app, &admin, None, &["127.0.0.1/32"]).await;
    assert_eq!(s, 200, "{body}");

    let out = domains::check_certificate(&app.pool, id, &Limits::default()).await.expect("first read");
    assert_eq!(out.changed_from, None);
    let (s, detail) = call(&app, &agent, "domains/certificate", json!({ "id": id })).await;
    assert_eq!(s, 200, "{detail}");
    let c = &detail["certificate"];
    assert_eq!(c["not_after"], "2031-05-17T00:00:00Z", "{c}");
    assert_eq!(c["fingerprint"], sha256_colons(&first.der));
    assert_eq!(c["sans"], json!(["127.0.0.1", "localhost"]));
    assert_eq!(c["host_matches"], true);
    assert_eq!(c["key_type"], "EC");
    assert_eq!(c["key_bits"], 256);
    assert!(c["subject"].as_str().unwrap().contains("127.0.0.1"), "{c}");
    assert!(c["trust_error"].is_string(), "a self-signed chain is read but recorded as untrusted: {c}");
    assert_eq!(c["last_check_status"], "ok");
    // Listed on its domain's page.
    let (_, d) = call(&app, &agent, "domains/get", json!({ "id": domain })).await;
    assert_eq!(d["certificates"][0]["id"], id.to_string());

    // Same certificate: no change.
    let out = domains::check_certificate(&app.pool, id, &Limits::default()).await.expect("second read");
    assert_eq!(out.changed_from, None);

    // A new certificate, for another name: change recorded, mismatch flagged.
    let second = cert(&["other.example"], (2027, 2, 3));
    *current.lock().unwrap() = second.config.clone();
    let out = domains::check_certificate(&app.pool, id, &Limits::default()).await.expect("third read");
    assert_eq!(out.changed_from.as_deref(), Some(sha256_colons(&first.der).as_str()));
    let (_, detail) = call(&app, &agent, "domains/certificate", json!({ "id": id })).await;
    let c = &detail["certificate"];
    assert_eq!(c["fingerprint"], sha256_colons(&second.der));
    assert_eq!(c["not_after"], "2027-02-03T00:00:00Z");
    assert_eq!(c["host_matches"], false, "{c}");
    assert_eq!(c["last_check_status"], "changed");
    let history = detail["history"].as_array().unwrap();
    assert_eq!(history.len(), 1, "{detail}");
    assert_eq!(history[0]["old_fingerprint"], sha256_colons(&first.der));
    assert_eq!(history[0]["new_fingerprint"], sha256_colons(&second.der));
    assert_eq!(audit_count(&app, "domains.certificate_changed", &id.to_string()).await, 1);

    let (s, _) = call(&app, &agent, "domains/delete_certificate", json!({ "id": id })).await;
    assert_eq!(s, 403);
    let (s, body) = call(&app, &admin, "domains/delete_certificate", json!({ "id": id })).await;
    assert_eq!(s, 200, "{body}");
    app.stop().await;
}

#[tokio::test]
async fn private_link_local_and_loopback_targets_are_refused_without_the_allow_list() {
    let limits = Limits::default();
    for (host, why) in [("10.0.0.1", "private"), ("169.254.169.254", "link-local"), ("::1", "loopback")] {
        let err = domains::tls::read_certificate(host, 443, &[], &limits).await.expect_err(host);
        assert!(err.contains(why), "{host}: {err}");
    }
    // Refused before connecting: a listener on loopback sees no connection.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let err = domains::tls::read_certificate("127.0.0.1", port, &[], &limits).await.expect_err("loopback");
    assert!(err.contains("loopback"), "{err}");
    assert!(tokio::time::timeout(Duration::from_millis(1), listener.accept()).await.is_err(), "no connection was made");
    // A name resolving to loopback is refused too.
    let err = domains::tls::read_certificate("localhost", port, &[], &limits).await.expect_err("localhost");
    assert!(err.contains("loopback"), "{err}");

    // Through the job: the refusal is stored on the certificate.
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let (_, c) =
        call(&app, &agent, "domains/save_certificate", json!({ "input": { "host": "169.254.169.254", "port": 80 } }))
            .await;
    let id = uuid_of(&c);
    domains::check_certificate(&app.pool, id, &limits).await.expect_err("refused");
    let (_, detail) = call(&app, &agent, "domains/certificate", json!({ "id": id })).await;
    assert_eq!(detail["certificate"]["last_check_status"], "failed");
    assert!(detail["certificate"]["last_check_error"].as_str().unwrap().contains("link-local"), "{detail}");
    app.stop().await;
}

#[tokio::test]
async fn a_server_that_accepts_and_never_answers_or_trickles_fails_within_the_timeout() {
    // Silent: accepts and holds the connection.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = silent.accept().await {
            held.push(s);
        }
    });
    // Trickling: a TLS record header announcing 16 KB, then one byte every 200 ms.
    let trickle = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let trickle_port = trickle.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = trickle.accept().await {
            tokio::spawn(async move {
                if s.write_all(&[0x16, 0x03, 0x03, 0x40, 0x00]).await.is_err() {
                    return;
                }
                let mut tick = tokio::time::interval(Duration::from_millis(200));
                loop {
                    tick.tick().await;
                    if s.write_all(&[0x02]).await.is_err() {
                        return;
                    }
                }
            });
        }
    });

    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    let (s, body) = save_settings(&app, &admin, None, &["127.0.0.1/32"]).await;
    assert_eq!(s, 200, "{body}");

    // The silent one through "Check now" and the worker, with the default limits.
    let (_, c) = call(
        &app,
        &admin,
        "domains/save_certificate",
        json!({ "input": { "host": "127.0.0.1", "port": silent_port } }),
    )
    .await;
    let id = uuid_of(&c);
    let started = Instant::now();
    let (s, body) = call(&app, &admin, "domains/check_certificate_now", json!({ "id": id })).await;
    assert_eq!(s, 200, "{body}");
    let detail = eventually(Duration::from_secs(20), || async {
        let (_, d) = call(&app, &admin, "domains/certificate", json!({ "id": id })).await;
        (d["certificate"]["last_check_status"] == "failed").then_some(d)
    })
    .await
    .expect("the silent server's check failed");
    let limit = Limits::default().handshake;
    assert!(started.elapsed() >= limit, "failed before the handshake limit: {:?}", started.elapsed());
    assert!(started.elapsed() < limit + Duration::from_secs(8), "took {:?}", started.elapsed());
    assert!(detail["certificate"]["last_check_error"].as_str().unwrap().contains("did not finish"), "{detail}");

    // The trickling one, directly with a short handshake limit.
    let (_, c) = call(
        &app,
        &admin,
        "domains/save_certificate",
        json!({ "input": { "host": "127.0.0.1", "port": trickle_port } }),
    )
    .await;
    let id = uuid_of(&c);
    let limits = Limits { handshake: Duration::from_secs(2), ..Limits::default() };
    let started = Instant::now();
    let err = domains::check_certificate(&app.pool, id, &limits).await.expect_err("trickle cut off");
    let took = started.elapsed();
    assert!(took >= Duration::from_secs(2) && took < Duration::from_secs(5), "took {took:?}: {err}");
    assert!(err.to_string().contains("did not finish"), "{err}");
    app.stop().await;
}
