//! Admin settings: modules, labels, branding — applied at once, audited, validated.

use crate::common::{call, spawn_app};
use serde_json::json;

#[tokio::test]
async fn a_disabled_module_leaves_navigation_and_refuses_its_pages_and_functions() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    let agent = app.signed_in("agent").await;
    let page = agent.get(app.url("/desk")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("data-nav=\"service_desk\""), "enabled module is in the nav");
    assert_eq!(call(&app, &agent, "desk/views", json!({})).await.0, 200);

    let (status, body) =
        call(&app, &admin, "settings/set_module", json!({ "module": "service_desk", "enabled": false })).await;
    assert_eq!(status, 200, "{body}");

    let (status, body) = call(&app, &agent, "desk/views", json!({})).await;
    assert_eq!(status, 403);
    assert!(body.to_string().contains("ServiceDesk") || body.to_string().contains("Service desk"), "{body}");
    let res = agent.get(app.url("/desk")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let page = res.text().await.unwrap();
    assert!(page.contains("Service desk is switched off"));
    assert!(!page.contains("data-nav=\"service_desk\""), "disabled module must leave the nav");

    let n: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'settings.modules.update'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(n, 1);
    app.stop().await;
}

#[tokio::test]
async fn renamed_labels_appear_in_the_interface() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    let (status, body) =
        call(&app, &admin, "settings/update_labels", json!({ "labels": [["ticket", "Request", "Requests"]] })).await;
    assert_eq!(status, 200, "{body}");
    let page = admin.get(app.url("/desk")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(">Requests<"), "nav and title use the new label");
    assert!(!page.contains(">Tickets<"));
    app.stop().await;
}

#[tokio::test]
async fn invalid_settings_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    let (_, before) = call(&app, &admin, "settings/public", json!({})).await;
    let cases = [
        ("settings/update_branding", json!({ "org_name": "Acme", "accent": "red" })),
        ("settings/update_branding", json!({ "org_name": "  ", "accent": "#123456" })),
        ("settings/update_labels", json!({ "labels": [["ticket", "", "Requests"]] })),
        ("settings/update_labels", json!({ "labels": [["ticket", "x".repeat(41), "Requests"]] })),
        ("settings/set_module", json!({ "module": "coffee_machine", "enabled": false })),
    ];
    for (endpoint, args) in cases {
        let (status, body) = call(&app, &admin, endpoint, args.clone()).await;
        assert_eq!(status, 422, "{endpoint} {args} → {body}");
        assert!(body.get("Validation").is_some(), "{body}");
    }
    let (_, after) = call(&app, &admin, "settings/public", json!({})).await;
    assert_eq!(before, after);
    app.stop().await;
}

#[tokio::test]
async fn a_logo_upload_accepts_images_refuses_other_files_and_is_served_safely() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    let png: Vec<u8> = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 64]].concat();
    let form = reqwest::multipart::Form::new()
        .part("logo", reqwest::multipart::Part::bytes(png.clone()).file_name("logo.png"));
    let res = admin.post(app.url("/api/settings/upload_logo")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let res = reqwest::get(app.url("/branding/logo")).await.unwrap();
    assert_eq!(res.headers()["content-type"], "image/png");
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
    assert_eq!(res.bytes().await.unwrap().to_vec(), png);

    let form = reqwest::multipart::Form::new()
        .part("logo", reqwest::multipart::Part::bytes(b"#!/bin/sh\necho hi".to_vec()).file_name("logo.png"));
    let res = admin.post(app.url("/api/settings/upload_logo")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let res = reqwest::get(app.url("/branding/logo")).await.unwrap();
    assert_eq!(res.bytes().await.unwrap().to_vec(), png, "the refused upload changed nothing");
    app.stop().await;
}

#[tokio::test]
async fn the_accent_colour_reaches_pages_through_a_stylesheet() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin").await;
    let (status, _) =
        call(&app, &admin, "settings/update_branding", json!({ "org_name": "Globex", "accent": "#0EA5E9" })).await;
    assert_eq!(status, 200);
    let css = reqwest::get(app.url("/branding/theme.css")).await.unwrap().text().await.unwrap();
    assert!(css.contains("--accent: #0ea5e9"), "{css}");
    let page = app.client().get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Sign in to Globex"));
    assert!(page.contains("/branding/theme.css?a=0ea5e9"));
    app.stop().await;
}
