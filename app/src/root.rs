//! The HTML shell, the root component and the route table.
use crate::context::{Session, Settings};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The document around the app (server only renders this).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::security::apply_csp();
    view! {
        <!DOCTYPE html>
        <html lang="en" class="dark">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="dark light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="bg-bg text-fg antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let session = Session::provide();
    let settings = Settings::provide();
    crate::desk::tabs::DeskTabs::provide();
    crate::macros::bridge::MacroBridge::provide();
    live_updates(session, settings);
    theme_follows_user(session);

    let org = move || settings.current().branding.org_name;
    view! {
        <Stylesheet id="leptos" href="/pkg/helios.css" />
        <Suspense>
            {move || Suspend::new(async move {
                let accent = settings.data.await.unwrap_or_default().branding.accent;
                view! { <Link rel="stylesheet" href=format!("/branding/theme.css?a={}", accent.trim_start_matches('#')) /> }
            })}
        </Suspense>
        <Title formatter=move |t: String| if t.is_empty() { org() } else { format!("{t} · {}", org()) } />
        <Router>
            <Routes fallback=crate::modules::NotFound>
                <Route path=path!("/") view=crate::modules::Home ssr=SsrMode::Async />
                <Route path=path!("/login") view=crate::auth::pages::LoginPage ssr=SsrMode::Async />
                <Route path=path!("/invite/:token") view=crate::auth::pages::InvitePage ssr=SsrMode::Async />
                <Route path=path!("/account") view=crate::auth::pages::AccountPage ssr=SsrMode::Async />
                <Route path=path!("/desk") view=crate::desk::DeskPage ssr=SsrMode::Async />
                <Route path=path!("/desk/macros") view=crate::macros::MacrosPage ssr=SsrMode::Async />
                <Route path=path!("/desk/tickets/:number") view=crate::tickets::pages::TicketView ssr=SsrMode::Async />
                <Route path=path!("/portal") view=crate::modules::PortalPage ssr=SsrMode::Async />
                <Route path=path!("/kb") view=crate::modules::KbPage ssr=SsrMode::Async />
                <Route path=path!("/assets") view=crate::assets::pages::AssetsPage ssr=SsrMode::Async />
                <Route path=path!("/assets/new") view=crate::assets::pages::NewAssetPage ssr=SsrMode::Async />
                <Route path=path!("/assets/software") view=crate::licenses::SoftwarePage ssr=SsrMode::Async />
                <Route path=path!("/assets/software/:id") view=crate::licenses::SoftwareView ssr=SsrMode::Async />
                <Route path=path!("/assets/licenses/:id") view=crate::licenses::LicenseView ssr=SsrMode::Async />
                <Route path=path!("/assets/locations") view=crate::assets::pages::LocationsPage ssr=SsrMode::Async />
                <Route path=path!("/assets/locations/:id") view=crate::assets::pages::LocationPage ssr=SsrMode::Async />
                <Route path=path!("/assets/vendors") view=crate::assets::pages::VendorsPage ssr=SsrMode::Async />
                <Route path=path!("/assets/vendors/:id") view=crate::assets::pages::VendorPage ssr=SsrMode::Async />
                <Route path=path!("/assets/:id") view=crate::assets::pages::AssetDetailPage ssr=SsrMode::Async />
                <Route path=path!("/vault") view=crate::vault::VaultPage ssr=SsrMode::Async />
                <Route path=path!("/vault/:id") view=crate::vault::CredentialView ssr=SsrMode::Async />
                <Route path=path!("/domains") view=crate::domains::DomainsPage ssr=SsrMode::Async />
                <Route path=path!("/domains/certificates/:id") view=crate::domains::CertificatePage ssr=SsrMode::Async />
                <Route path=path!("/domains/:id") view=crate::domains::DomainPage ssr=SsrMode::Async />
                <Route path=path!("/docs") view=crate::documents::DocumentsPage ssr=SsrMode::Async />
                <Route path=path!("/docs/:id") view=crate::documents::DocumentPage ssr=SsrMode::Async />
                <Route path=path!("/expiring") view=crate::expiring::pages::ExpiringPage ssr=SsrMode::Async />
                <Route path=path!("/notifications") view=crate::notifications::pages::NotificationsPage ssr=SsrMode::Async />
                <Route path=path!("/admin") view=crate::admin::AdminHome ssr=SsrMode::Async />
                <Route path=path!("/admin/settings") view=crate::settings::pages::SettingsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/users") view=crate::users::pages::UsersPage ssr=SsrMode::Async />
                <Route path=path!("/admin/teams") view=crate::teams::pages::TeamsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/desk") view=crate::tickets::fields::pages::DeskConfigPage ssr=SsrMode::Async />
                <Route path=path!("/admin/audit") view=crate::audit::pages::AuditPage ssr=SsrMode::Async />
                <Route path=path!("/admin/mail") view=crate::mail::pages::MailPage ssr=SsrMode::Async />
                <Route path=path!("/admin/jobs") view=crate::jobs::pages::JobsPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}

/// Opens the live channel (browser only) and refreshes context on events.
fn live_updates(session: Session, settings: Settings) {
    #[cfg(feature = "hydrate")]
    {
        use crate::live::LiveEvent;
        let channel = crate::live::client::LiveChannel::new();
        provide_context(channel);
        // Connect once a user is signed in (the socket requires a session).
        let started = StoredValue::new(false);
        Effect::new(move |_| {
            if session.current().is_some() && !started.get_value() {
                started.set_value(true);
                channel.connect();
            }
        });
        // After a reconnect, events may have been missed while offline: resync.
        let seen_hello = StoredValue::new(false);
        Effect::new(move |_| match channel.last.get() {
            Some(LiveEvent::Hello { .. }) => {
                if seen_hello.get_value() {
                    settings.data.refetch();
                    session.user.refetch();
                }
                seen_hello.set_value(true);
            }
            Some(LiveEvent::SettingsChanged) => settings.data.refetch(),
            Some(LiveEvent::SessionsRevoked { .. }) => session.user.refetch(),
            _ => {}
        });
        // Mark hydration done: browser tests wait for this before interacting.
        Effect::new(move |_| {
            if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
                let _ = el.set_attribute("data-hydrated", "true");
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (session, settings);
}

/// Applies the user's theme (dark by default) to the document element.
fn theme_follows_user(session: Session) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let light = session.current().is_some_and(|u| u.theme == crate::auth::model::Theme::Light);
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = el.set_attribute("class", if light { "light" } else { "dark" });
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = session;
}
