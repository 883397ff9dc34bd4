//! Software and licenses: seat usage in lists, over-assignment flagged but allowed,
//! license keys encrypted and revealed only with VaultReveal and a reason (audited
//! without the key), deletes behind RecordsDelete.

use crate::common::{call, spawn_app, TestApp};
use serde_json::{json, Value};

async fn user_id(app: &TestApp, role: &str) -> uuid::Uuid {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(format!("{}@demo.helios.test", role.replace('_', ".")))
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn ok(app: &TestApp, c: &reqwest::Client, endpoint: &str, args: Value) -> Value {
    let (status, body) = call(app, c, endpoint, args).await;
    assert_eq!(status, 200, "{endpoint}: {body}");
    body
}

#[tokio::test]
async fn over_assigned_seats_are_flagged_not_refused() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let sw =
        ok(&app, &agent, "software/save", json!({ "input": { "name": "Office Suite", "vendor": "Contoso" } })).await;
    let sw_id = sw["software"]["id"].clone();
    let lic = ok(
        &app,
        &agent,
        "licenses/save",
        json!({ "input": { "software_id": sw_id, "name": "2026 volume", "seats": "2", "expires_on": "2027-01-31",
            "purchased_on": "2026-01-15", "cost": "1,250.00" } }),
    )
    .await;
    let lic_id = lic["license"]["id"].clone();
    assert_eq!(lic["license"]["cost_cents"], 125000);
    assert_eq!(lic["over_assigned"], false);
    // An asset that does not exist is refused; a real one takes a seat.
    let (status, body) = call(
        &app,
        &agent,
        "licenses/assign",
        json!({ "license": lic_id, "to": { "kind": "asset", "id": uuid::Uuid::new_v4() } }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let created = ok(
        &app,
        &agent,
        "assets/create",
        json!({ "input": { "name": "Design workstation", "asset_type": "computer", "status": "in_use", "tag": "",
            "serial": "", "make": "", "model": "", "os": "", "os_version": "", "assigned_to": null, "location_id": null,
            "vendor_id": null, "purchased_on": null, "purchase_cost_cents": null, "warranty_expires_on": null, "notes": "" } }),
    )
    .await;
    let asset = created["id"].as_str().unwrap().to_string();
    let mut last = Value::Null;
    for to in
        [json!({ "kind": "user", "id": user_id(&app, "requester").await }), json!({ "kind": "asset", "id": asset })]
    {
        last = ok(&app, &agent, "licenses/assign", json!({ "license": lic_id, "to": to })).await;
    }
    assert_eq!((last["assignments"].as_array().unwrap().len(), &last["over_assigned"]), (2, &json!(false)));
    // The same seat twice is refused; a third holder goes over and is flagged.
    let (status, body) =
        call(&app, &agent, "licenses/assign", json!({ "license": lic_id, "to": { "kind": "asset", "id": asset } }))
            .await;
    assert_eq!(status, 422, "{body}");
    let over = ok(
        &app,
        &agent,
        "licenses/assign",
        json!({ "license": lic_id, "to": { "kind": "user", "id": user_id(&app, "manager").await } }),
    )
    .await;
    assert_eq!((over["assignments"].as_array().unwrap().len(), &over["over_assigned"]), (3, &json!(true)));
    let list = ok(&app, &agent, "software/list", json!({ "search": "office", "after": null })).await;
    let row = &list["items"][0];
    assert_eq!(
        (&row["licenses"], &row["seats"], &row["assigned"], &row["over_assigned"]),
        (&json!(1), &json!(2), &json!(3), &json!(true))
    );
    let detail = ok(&app, &agent, "software/get", json!({ "id": sw_id })).await;
    assert_eq!(
        (&detail["licenses"][0]["assigned"], &detail["licenses"][0]["over_assigned"]),
        (&json!(3), &json!(true))
    );
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'license.assign'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 3);
    // Removing one brings it back within seats.
    let first = over["assignments"][0]["id"].clone();
    let back = ok(&app, &agent, "licenses/unassign", json!({ "assignment": first })).await;
    assert_eq!(back["over_assigned"], false);
    // Bad input names the field and changes nothing.
    for (input, field) in [
        (json!({ "software_id": sw_id, "seats": "0" }), "seats"),
        (json!({ "software_id": sw_id, "seats": "2", "cost": "12.345" }), "cost"),
        (json!({ "software_id": sw_id, "seats": "2", "expires_on": "31/01/2027" }), "expires_on"),
        (json!({ "software_id": uuid::Uuid::new_v4(), "seats": "2" }), "software_id"),
    ] {
        let (status, body) = call(&app, &agent, "licenses/save", json!({ "input": input })).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["Validation"]["fields"][field].is_string(), "{field}: {body}");
    }
    let licenses: i64 = sqlx::query_scalar("select count(*) from licenses").fetch_one(&app.pool).await.unwrap();
    assert_eq!(licenses, 1);
    // Deleting: agents may not; a title with licenses must be emptied first.
    let (status, _) = call(&app, &agent, "licenses/delete", json!({ "id": lic_id })).await;
    assert_eq!(status, 403);
    let lead = app.signed_in("team_lead").await;
    let (status, _) = call(&app, &lead, "software/delete", json!({ "id": sw_id })).await;
    assert_eq!(status, 409);
    ok(&app, &lead, "licenses/delete", json!({ "id": lic_id })).await;
    ok(&app, &lead, "software/delete", json!({ "id": sw_id })).await;
    let left: i64 = sqlx::query_scalar("select count(*) from license_assignments").fetch_one(&app.pool).await.unwrap();
    assert_eq!(left, 0);
    app.stop().await;
}

#[tokio::test]
async fn license_keys_are_revealed_only_with_vault_reveal_and_a_reason() {
    let app = spawn_app().await;
    let agent = app.signed_in("agent").await;
    let lead = app.signed_in("team_lead").await;
    let sw = ok(&app, &agent, "software/save", json!({ "input": { "name": "CAD Pro" } })).await;
    let key = "CADPRO-7F3K-99QZ-LM2P";
    let lic = ok(
        &app,
        &agent,
        "licenses/save",
        json!({ "input": { "software_id": sw["software"]["id"], "seats": "5", "license_key": { "op": "set", "value": key } } }),
    )
    .await;
    assert_eq!(lic["license"]["has_key"], true);
    assert!(!lic.to_string().contains(key));
    let id = lic["license"]["id"].clone();
    let stored: Vec<u8> = sqlx::query_scalar("select ciphertext from vault_secrets where license_id = $1")
        .bind(uuid::Uuid::parse_str(id.as_str().unwrap()).unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(!stored.windows(key.len()).any(|w| w == key.as_bytes()));
    let args = |reason: &str| json!({ "id": id, "reason": reason, "purpose": "copy" });
    let (status, _) = call(&app, &agent, "licenses/reveal_key", args("installing on a new laptop")).await;
    assert_eq!(status, 403);
    let (status, _) = call(&app, &lead, "licenses/reveal_key", args("")).await;
    assert_eq!(status, 422);
    let body = ok(&app, &lead, "licenses/reveal_key", args("installing on a new laptop")).await;
    assert_eq!(body["secret"], key);
    let (reason, entity): (String, String) = sqlx::query_as(
        "select after->>'reason', entity_id from audit_log where action = 'license.copy' order by id desc limit 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((reason.as_str(), entity.as_str()), ("installing on a new laptop", id.as_str().unwrap()));
    let texts: Vec<String> =
        sqlx::query_scalar("select coalesce(before::text, '') || coalesce(after::text, '') from audit_log")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert!(texts.iter().all(|t| !t.contains(key)));
    // Changing the key of an existing license needs VaultReveal.
    let change =
        json!({ "input": { "id": id, "seats": "5", "license_key": { "op": "set", "value": "NEW-KEY-1234" } } });
    let (status, _) = call(&app, &agent, "licenses/save", change.clone()).await;
    assert_eq!(status, 403);
    ok(&app, &lead, "licenses/save", change).await;
    let body = ok(&app, &lead, "licenses/reveal_key", args("verifying the new key")).await;
    assert_eq!(body["secret"], "NEW-KEY-1234");
    app.stop().await;
}
