//! Start page routing, not-found, and the landing pages of modules whose
//! features arrive in later releases (they still honour module switches).
use crate::auth::model::Permission;
use crate::context::{use_session, use_settings};
use crate::settings::model::{Entity, Module};
use crate::ui::{guard::GoTo, EmptyState, Guarded, Loading, PageHeader};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/`: sends each user to where they work.
#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    let settings = use_settings();
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let user = session.user.await.ok().flatten();
                let s = settings.data.await.unwrap_or_default();
                let target = match user {
                    None => "/login",
                    Some(u) if u.can(Permission::DeskView) && s.modules.enabled(Module::ServiceDesk) => "/desk",
                    Some(u) if u.can(Permission::DeskView) => Module::ALL
                        .into_iter()
                        .filter(|m| s.modules.enabled(*m))
                        .find_map(|m| m.route())
                        .unwrap_or("/account"),
                    Some(_) if s.modules.enabled(Module::Portal) => "/portal",
                    Some(_) => "/account",
                };
                view! { <GoTo path=target /> }
            })}
        </Suspense>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <div class="flex min-h-screen items-center justify-center px-6">
            <div class="text-center">
                <p class="text-sm font-semibold text-accent">"404"</p>
                <h1 class="mt-2 text-2xl font-semibold text-fg">"Page not found"</h1>
                <p class="mt-2 text-sm text-muted">"The page you asked for does not exist or has moved."</p>
                <a href="/" class="mt-6 inline-block text-sm font-medium text-accent hover:underline">"Go to your start page"</a>
            </div>
        </div>
    }
}

/// A module landing page: title from labels, an honest empty state.
#[component]
fn ModuleLanding(module: Module, permission: Permission, entity: Option<Entity>, body: &'static str) -> impl IntoView {
    let settings = use_settings();
    let title = Signal::derive(move || {
        entity.map(|e| settings.current().labels.plural(e)).unwrap_or_else(|| module.title().to_string())
    });
    view! {
        <Guarded permission module=module>
            <Title text=move || title.get() />
            <PageHeader title=title description=module.description() />
            <EmptyState title=format!("No {} yet", title.get_untracked().to_lowercase()) body=body />
        </Guarded>
    }
}

#[component]
pub fn PortalPage() -> impl IntoView {
    let session = use_session();
    let settings = use_settings();
    let greeting = Signal::derive(move || match session.current() {
        Some(u) => format!("Hello, {}", u.display_name.split_whitespace().next().unwrap_or("there")),
        None => "Hello".into(),
    });
    let tickets = Signal::derive(move || settings.current().labels.plural(Entity::Ticket).to_lowercase());
    view! {
        <Guarded permission=Permission::SignedIn module=Module::Portal>
            <Title text="Portal" />
            <PageHeader title=greeting description="Your IT help in one place." />
            <EmptyState
                title=format!("You have no open {}", tickets.get_untracked())
                body="When you ask IT for help, your requests and their answers appear here."
            />
        </Guarded>
    }
}

#[component]
pub fn KbPage() -> impl IntoView {
    view! { <ModuleLanding module=Module::KnowledgeBase permission=Permission::SignedIn entity=Some(Entity::Article) body="Articles published by the IT team will be listed and searchable here." /> }
}
