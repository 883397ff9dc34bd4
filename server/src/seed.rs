//! The demo workspace: one account per role, a few teams, a demo organisation name.
use app::audit::repo::{record, Actor};
use app::auth::demo;
use app::auth::model::Role;
use sqlx::PgPool;

pub async fn seed_demo(pool: &PgPool) -> anyhow::Result<()> {
    let hash = app::auth::password::hash_async(demo::DEMO_PASSWORD.to_string()).await?;
    let mut tx = pool.begin().await?;
    let mut ids = Vec::new();
    for a in demo::accounts() {
        let name = match a.role {
            Role::Admin => "Ada Admin",
            Role::Manager => "Morgan Manager",
            Role::TeamLead => "Terry Lead",
            Role::Agent => "Alex Agent",
            Role::Requester => "Riley Requester",
        };
        let id = app::users::repo::upsert_with_password(&mut *tx, &a.email, name, a.role, &hash).await?;
        ids.push((a.role, id));
    }
    let desk = app::teams::repo::ensure(&mut *tx, "Service Desk", "First line: triage and everyday requests").await?;
    let infra = app::teams::repo::ensure(&mut *tx, "Infrastructure", "Networks, servers and cloud").await?;
    app::teams::repo::ensure(&mut *tx, "Security", "Access reviews, vault and incident response").await?;
    for (role, id) in &ids {
        match role {
            Role::Agent | Role::TeamLead => {
                app::teams::repo::add_member(&mut *tx, desk, *id).await?;
            }
            Role::Manager => {
                app::teams::repo::add_member(&mut *tx, infra, *id).await?;
            }
            _ => {}
        }
    }
    if app::settings::repo::find_raw(&mut *tx, app::settings::repo::BRANDING).await?.is_none() {
        let branding = app::settings::model::Branding { org_name: "Acme Corp".into(), ..Default::default() };
        app::settings::repo::upsert(&mut *tx, app::settings::repo::BRANDING, &serde_json::to_value(&branding)?, None)
            .await?;
    }
    record(&mut *tx, &Actor::system("seed-demo"), "demo.seed", "workspace", "demo", None, None).await?;
    tx.commit().await?;
    Ok(())
}
