//! `helios serve` without DATABASE_URL supervises its own PostgreSQL cluster and
//! recovers by itself after being killed.
use crate::common;

use crate::common::process::Helios;
use std::time::Duration;

async fn ready(node: &Helios) -> bool {
    common::eventually(Duration::from_secs(30), || async {
        let r = reqwest::get(node.url("/readyz")).await.ok()?;
        (r.status() == 200).then_some(())
    })
    .await
    .is_some()
}

fn postmaster_pid(data: &std::path::Path) -> Option<i32> {
    std::fs::read_to_string(data.join("pg/data/postmaster.pid")).ok()?.lines().next()?.trim().parse().ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_embedded_cluster_starts_survives_kill_9_and_stops_with_the_server() {
    let data = common::temp_dir("embedded");
    std::fs::set_permissions(&data, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let env = [("HELIOS_DATA_DIR", data.to_str().unwrap())];
    let mut first = Helios::serve(&["--demo"], &env, true);
    assert!(ready(&first).await, "embedded database ready");
    assert!(data.join("pg/data/PG_VERSION").exists());
    let orphan = postmaster_pid(&data).expect("postgres running");

    first.kill9();
    // postgres outlives a kill -9 of its supervisor; the next start must cope.
    let mut second = Helios::serve(&[], &env, true);
    assert!(ready(&second).await, "restart after kill -9 recovers without manual steps");
    let res = second
        .client()
        .post(second.url("/api/auth/login"))
        .json(&serde_json::json!({ "email": "admin@demo.helios.test", "password": common::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "data survived the crash");
    let current = postmaster_pid(&data).expect("postgres running");

    let status = second.terminate().expect("stops on SIGTERM");
    assert!(status.success(), "{status:?}");
    for pid in [orphan, current] {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists()
                || std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.contains(") Z ")),
            "postgres {pid} still running"
        );
    }
    assert!(!data.join("helios.pid").exists());
    std::fs::remove_dir_all(&data).ok();
}
