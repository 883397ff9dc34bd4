//! Sample content for the demo workspace (`helios serve --demo --sample-data`, which
//! `scripts/run.sh` uses): tickets, assets with their places, credentials, software
//! and a license, runbooks, and links between them, so that every page has
//! something to show. Written once, through the same server functions the pages
//! call (validation, audit, history), as the demo accounts.
use anyhow::Context;
use app::assets::model::{AssetInput, AssetStatus, AssetType, PlaceInput, PlaceKind};
use app::auth::model::{CurrentUser, Role, Theme, UserId};
use app::links::model::{LinkType, RecordKind, RecordRef};
use app::tickets::model::{NewTicketExtras, Priority, TicketNumber, TicketPatch};
use app::vault::crypto::KeyRing;
use app::vault::model::SecretChange;
use chrono::{Duration, NaiveDate, Utc};
use sqlx::PgPool;

const MARK: &str = "demo.sample_data";

async fn demo_user(db: &PgPool, role: Role) -> anyhow::Result<CurrentUser> {
    let email = app::auth::demo::accounts()
        .into_iter()
        .find(|a| a.role == role)
        .map(|a| a.email)
        .context("no demo account for a role")?;
    let (id, display_name): (uuid::Uuid, String) =
        sqlx::query_as("select id, display_name from users where email = $1").bind(&email).fetch_one(db).await?;
    Ok(CurrentUser { id: UserId(id), email, display_name, role, theme: Theme::default() })
}

/// The error of a server function as text (its `Display`).
fn ctx<T>(what: &str, r: Result<T, app::error::AppError>) -> anyhow::Result<T> {
    r.map_err(|e| anyhow::anyhow!("{what}: {e}"))
}

async fn ticket_id(db: &PgPool, n: TicketNumber) -> anyhow::Result<uuid::Uuid> {
    Ok(sqlx::query_scalar("select id from tickets where number = $1").bind(n.0).fetch_one(db).await?)
}

fn asset(name: &str, t: AssetType, tag: &str, make: &str, model: &str) -> AssetInput {
    AssetInput {
        name: name.into(),
        asset_type: t,
        status: AssetStatus::InUse,
        tag: tag.into(),
        serial: format!("SN-{}", tag.replace('-', "")),
        make: make.into(),
        model: model.into(),
        os: String::new(),
        os_version: String::new(),
        assigned_to: None,
        location_id: None,
        vendor_id: None,
        purchased_on: None,
        purchase_cost_cents: None,
        warranty_expires_on: None,
        notes: String::new(),
        custom_fields: Default::default(),
    }
}

/// Writes the sample content unless it was written before (or the workspace already
/// has assets of its own). Returns whether anything was written.
pub async fn seed_sample(db: &PgPool, keys: &KeyRing) -> anyhow::Result<bool> {
    let done: bool =
        sqlx::query_scalar("select exists(select 1 from audit_log where action = $1) or exists(select 1 from assets)")
            .bind(MARK)
            .fetch_one(db)
            .await?;
    if done {
        return Ok(false);
    }
    let admin = demo_user(db, Role::Admin).await?;
    let lead = demo_user(db, Role::TeamLead).await?;
    let agent = demo_user(db, Role::Agent).await?;
    let riley = demo_user(db, Role::Requester).await?;
    let today = Utc::now().date_naive();
    let day = |d: i64| today + Duration::days(d);

    // Places.
    use app::assets::api::server as assets;
    let place = |name: &str, kind: PlaceKind, address: &str, website: &str| {
        let input = PlaceInput {
            name: name.into(),
            address: address.into(),
            website: website.into(),
            email: String::new(),
            phone: String::new(),
            notes: String::new(),
        };
        let agent = agent.clone();
        async move { ctx("a place", assets::save_place(db, &agent, kind, None, input).await) }
    };
    let hq = place("Head office", PlaceKind::Location, "1 Market Street, 3rd floor", "").await?;
    let dc = place("Server room", PlaceKind::Location, "1 Market Street, basement", "").await?;
    let lenovo = place("Lenovo", PlaceKind::Vendor, "", "https://www.lenovo.com").await?;
    let ubiquiti = place("Ubiquiti", PlaceKind::Vendor, "", "https://ui.com").await?;

    // Assets: Riley's laptop, a printer whose warranty ends soon, the network.
    let mut laptop = asset("Riley's ThinkPad", AssetType::Laptop, "LT-0042", "Lenovo", "ThinkPad T14 Gen 4");
    laptop.assigned_to = Some(riley.id);
    laptop.location_id = Some(hq.id);
    laptop.vendor_id = Some(lenovo.id);
    laptop.os = "Windows".into();
    laptop.os_version = "11 23H2".into();
    laptop.purchased_on = Some(day(-400));
    laptop.purchase_cost_cents = Some(139_900);
    laptop.warranty_expires_on = Some(day(695));
    let laptop = ctx("an asset", assets::create(db, &agent, laptop).await)?;
    let mut printer = asset("Reception printer", AssetType::Printer, "PR-0007", "Brother", "HL-L8360CDW");
    printer.location_id = Some(hq.id);
    printer.warranty_expires_on = Some(day(12));
    printer.notes = "Toner is in the supply cupboard next to reception.".into();
    let printer = ctx("an asset", assets::create(db, &agent, printer).await)?;
    let mut switch = asset("Core switch", AssetType::NetworkDevice, "NW-0001", "Ubiquiti", "USW-Pro-48-PoE");
    switch.location_id = Some(dc.id);
    switch.vendor_id = Some(ubiquiti.id);
    switch.warranty_expires_on = Some(day(48));
    let switch = ctx("an asset", assets::create(db, &agent, switch).await)?;
    let mut server = asset("File server", AssetType::Server, "SV-0003", "Dell", "PowerEdge T350");
    server.location_id = Some(dc.id);
    server.os = "Debian".into();
    server.os_version = "12".into();
    let server = ctx("an asset", assets::create(db, &agent, server).await)?;
    let mut phone = asset("Alex's Pixel", AssetType::Phone, "PH-0011", "Google", "Pixel 8");
    phone.assigned_to = Some(agent.id);
    ctx("an asset", assets::create(db, &agent, phone).await)?;
    let mut spare = asset("Spare Chromebook", AssetType::Chromebook, "CB-0020", "Acer", "Chromebook Plus 514");
    spare.status = AssetStatus::InStock;
    spare.location_id = Some(hq.id);
    ctx("an asset", assets::create(db, &agent, spare).await)?;

    // Credentials (sealed with the vault key) need team lead rights to store secrets on edit only.
    use app::vault::api::server as vault;
    let credential = |name: &str, username: &str, url: &str, password: &str, expires: Option<NaiveDate>| {
        let input = app::vault::model::CredentialInput {
            id: None,
            name: name.into(),
            username: username.into(),
            url: url.into(),
            notes: String::new(),
            expires_on: expires.map(|d| d.to_string()).unwrap_or_default(),
            password: SecretChange::Set(password.into()),
            totp: SecretChange::Keep,
        };
        let lead = lead.clone();
        async move { ctx("a credential", vault::save(db, keys, &lead, input).await) }
    };
    let switch_admin =
        credential("Core switch admin", "admin", "https://10.0.0.2", "Tr0ub4dor&3-switch", Some(day(20))).await?;
    credential("File server root", "root", "ssh://10.0.0.3", "correct-horse-battery-staple", None).await?;

    // Software and a license with one seat on Riley's laptop.
    use app::licenses::api::server as licenses;
    let office = ctx(
        "software",
        licenses::save_software(
            db,
            &lead,
            app::licenses::model::SoftwareInput {
                id: None,
                name: "Microsoft 365 Business Standard".into(),
                vendor: "Microsoft".into(),
                notes: String::new(),
            },
        )
        .await,
    )?;
    let license = ctx(
        "a license",
        licenses::save_license(
            db,
            keys,
            &lead,
            app::licenses::model::LicenseInput {
                id: None,
                software_id: Some(office.software.id),
                name: "Annual subscription".into(),
                seats: "25".into(),
                expires_on: day(75).to_string(),
                purchased_on: day(-290).to_string(),
                cost: "3,150.00".into(),
                notes: String::new(),
                license_key: SecretChange::Set("XXXXX-DEMO1-DEMO2-DEMO3-XXXXX".into()),
            },
        )
        .await,
    )?;
    ctx(
        "a seat",
        licenses::assign(db, &lead, license.license.id, app::licenses::model::Assignee::Asset(laptop.id)).await,
    )?;

    // Runbooks.
    use app::documents::api::server as documents;
    let runbooks = ctx("a folder", documents::create_folder(db, &lead, None, "Runbooks").await)?;
    let onboarding = ctx(
        "a document",
        documents::create(
            db,
            &lead,
            Some(runbooks.id),
            "New starter checklist",
            "# New starter checklist\n\n1. Create the Google Workspace account and add it to the right groups.\n\
             2. Hand out a laptop from stock and record it as an asset, assigned to them.\n\
             3. Give them a Microsoft 365 seat.\n4. Book a 30-minute welcome call.\n",
        )
        .await,
    )?;
    let network = ctx(
        "a document",
        documents::create(
            db,
            &lead,
            Some(runbooks.id),
            "Core network",
            "# Core network\n\nThe core switch uplinks the server room and every floor. VLAN 10 is staff, \
             VLAN 20 guests, VLAN 30 printers.\n\nThe admin password is in the vault (\"Core switch admin\").\n",
        )
        .await,
    )?;

    // Tickets: Riley's, one assigned to Alex, one about the printer.
    use app::tickets::api::server as tickets;
    let extras = NewTicketExtras::default;
    let fan = ctx(
        "a ticket",
        tickets::create(
            db,
            &riley,
            "My laptop fan is very loud",
            "Since this morning the fan runs at full speed even with nothing open.",
            Priority::P3,
            None,
            extras(),
        )
        .await,
    )?;
    let toner = ctx(
        "a ticket",
        tickets::create(
            db,
            &agent,
            "Reception printer prints faded pages",
            "Reported by the front desk. Probably the toner.",
            Priority::P2,
            Some(riley.id),
            extras(),
        )
        .await,
    )?;
    ctx(
        "a ticket",
        tickets::create(
            db,
            &riley,
            "Access to the finance shared drive",
            "I joined the finance team and need the shared drive.",
            Priority::P4,
            None,
            extras(),
        )
        .await,
    )?;
    let patch = TicketPatch { version: 1, assignee: Some(Some(agent.id)), ..Default::default() };
    ctx("assigning a ticket", tickets::update(db, &admin, fan, patch).await)?;
    ctx(
        "a reply",
        tickets::comment(
            db,
            &agent,
            fan,
            "Thanks Riley, I'll have a look this afternoon. Is it the ThinkPad?",
            false,
            &[],
        )
        .await,
    )?;

    // Links: the ticket and the laptop, the printer ticket and the printer, the
    // switch and its credential and runbook, the onboarding runbook and the license.
    use app::links::api::server as links;
    let r = |kind: RecordKind, id: uuid::Uuid| RecordRef { kind, id };
    for (from, to, t) in [
        (r(RecordKind::Ticket, ticket_id(db, fan).await?), r(RecordKind::Asset, laptop.id), LinkType::Related),
        (r(RecordKind::Ticket, ticket_id(db, toner).await?), r(RecordKind::Asset, printer.id), LinkType::Related),
        (r(RecordKind::Credential, switch_admin.id), r(RecordKind::Asset, switch.id), LinkType::BelongsTo),
        (r(RecordKind::Document, network.id), r(RecordKind::Asset, switch.id), LinkType::Documents),
        (r(RecordKind::Document, network.id), r(RecordKind::Asset, server.id), LinkType::Documents),
        (r(RecordKind::Document, onboarding.id), r(RecordKind::License, license.license.id), LinkType::Documents),
    ] {
        ctx("a link", links::create(db, &lead, from, to, t, "").await)?;
    }

    app::audit::repo::record(db, &app::audit::repo::Actor::system("seed-demo"), MARK, "workspace", "demo", None, None)
        .await?;
    Ok(true)
}
