//! The demo workspace's sample data: written through the real server functions,
//! linked together, visible on the pages' endpoints, and written only once.
use crate::common::{call, spawn_app_with};
use helios_server::startup::ServeOptions;
use serde_json::json;

#[tokio::test]
async fn sample_data_fills_every_module_once_and_links_it() {
    let app = spawn_app_with(ServeOptions { demo: true, sample_data: true, test_jobs: false }).await;
    let agent = app.signed_in("agent").await;
    let (s, assets) = call(&app, &agent, "assets/list", json!({ "filter": {}, "cursor": null })).await;
    assert_eq!(s, 200, "{assets}");
    assert_eq!(assets["rows"].as_array().unwrap().len(), 6, "{assets}");
    let (_, expiring) = call(&app, &agent, "expiring/list", json!({ "days": 90 })).await;
    let ending: Vec<&str> = expiring.as_array().unwrap().iter().filter_map(|i| i["title"].as_str()).collect();
    for title in ["Reception printer", "Core switch", "Core switch admin", "Annual subscription"] {
        assert!(ending.iter().any(|t| t.contains(title)), "{title} not expiring: {ending:?}");
    }
    // Riley's ticket is assigned, answered and linked to the laptop, which the
    // requester panel lists too.
    let (s, tickets) = call(&app, &agent, "tickets/list", json!({ "filter": {} })).await;
    assert_eq!(s, 200, "{tickets}");
    let fan = tickets["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "My laptop fan is very loud")
        .expect("the sample ticket")
        .clone();
    let (_, t) = call(&app, &agent, "tickets/get", json!({ "number": fan["number"] })).await;
    assert_eq!(t["ticket"]["assignee_name"], "Alex Agent", "{t}");
    let (_, links) =
        call(&app, &agent, "links/list", json!({ "record": { "kind": "ticket", "id": t["ticket"]["id"] } })).await;
    assert!(links.to_string().contains("Riley's ThinkPad"), "{links}");
    let pool = app.pool.clone();
    let n = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
    };
    assert_eq!(n("select count(*) from record_links").await, 6);
    assert_eq!(n("select count(*) from vault_secrets").await, 3, "two passwords and a license key, sealed");
    assert_eq!(n("select count(*) from documents").await, 2);

    // Started again on the same database: nothing more is written.
    let ring = app::vault::crypto::load_key_file(&app.attachments_dir.parent().unwrap().join("vault.key")).unwrap();
    assert!(!helios_server::sample::seed_sample(&app.pool, &ring).await.unwrap());
    assert_eq!(n("select count(*) from assets").await, 6);
    app.stop().await;
}
