//! The requester panel: profile, teams, counts and the other tickets of the
//! ticket's requester, staff only.

use crate::common::{call, spawn_app};
use serde_json::json;

#[tokio::test]
async fn the_panel_shows_the_requester_with_teams_counts_and_other_tickets_to_staff_only() {
    let app = spawn_app().await;
    let requester = app.signed_in("requester").await;
    let agent = app.signed_in("agent").await;
    let mut numbers = Vec::new();
    for title in ["Old laptop", "Printer jam", "VPN", "Monitor", "Keyboard", "Mouse", "Headset", "Dock"] {
        let (s, n) = call(
            &app,
            &requester,
            "tickets/create",
            json!({ "title": title, "description": "", "priority": "p3", "requester": null }),
        )
        .await;
        assert_eq!(s, 200);
        numbers.push(n.as_i64().unwrap());
    }
    // The first one is done.
    let (_, t) = call(&app, &agent, "tickets/get", json!({ "number": numbers[0] })).await;
    let v = t["ticket"]["version"].as_i64().unwrap();
    let (s, e) = call(
        &app,
        &agent,
        "tickets/update",
        json!({ "number": numbers[0], "patch": { "version": v, "status": "resolved" } }),
    )
    .await;
    assert_eq!(s, 200, "{e}");
    // A ticket of someone else never shows up.
    call(
        &app,
        &agent,
        "tickets/create",
        json!({ "title": "Agent's own", "description": "", "priority": "p3", "requester": null }),
    )
    .await;

    let this = numbers[7];
    let (s, c) = call(&app, &agent, "requester/context", json!({ "number": this })).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["name"], "Riley Requester");
    assert_eq!(c["email"], "requester@demo.helios.test");
    assert_eq!(c["role"], "requester");
    assert_eq!(c["teams"], json!([]));
    assert_eq!((c["total"].as_i64(), c["open"].as_i64()), (Some(8), Some(7)));
    let listed =
        |key: &str| -> Vec<i64> { c[key].as_array().unwrap().iter().map(|t| t["number"].as_i64().unwrap()).collect() };
    // Latest activity first, this ticket left out, five at most; the resolved one is
    // not "open" but is among the recent ones once it is recent enough.
    assert_eq!(listed("open_tickets"), vec![numbers[6], numbers[5], numbers[4], numbers[3], numbers[2]]);
    assert_eq!(listed("recent"), vec![numbers[0], numbers[6], numbers[5], numbers[4], numbers[3]]);
    assert_eq!(c["recent"][0]["status_name"], "Resolved");

    // An agent's context lists their teams.
    let (_, mine) = call(&app, &agent, "tickets/list", json!({ "filter": {} })).await;
    let own =
        mine["tickets"].as_array().unwrap().iter().find(|t| t["title"] == "Agent's own").unwrap()["number"].clone();
    let (_, c) = call(&app, &agent, "requester/context", json!({ "number": own })).await;
    assert_eq!(c["teams"], json!(["Service Desk"]));
    assert_eq!(c["open_tickets"], json!([]));

    let (s, _) = call(&app, &requester, "requester/context", json!({ "number": this })).await;
    assert_eq!(s, 403, "requesters do not see the panel, not even about themselves");
    let (s, _) = call(&app, &agent, "requester/context", json!({ "number": 999999 })).await;
    assert_eq!(s, 404);
    app.stop().await;
}
