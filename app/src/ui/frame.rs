//! The frame around every signed-in page: sidebar navigation and content area.
use crate::auth::model::Permission;
use crate::context::{use_session, use_settings};
use crate::settings::model::{Entity, Module};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

struct NavItem {
    module: Module,
    href: &'static str,
    label: Box<dyn Fn(&crate::settings::model::PublicSettings) -> String + Send + Sync>,
    icon: &'static str,
    permission: Permission,
}

fn nav_items() -> Vec<NavItem> {
    let fixed = |s: &'static str| -> Box<dyn Fn(&crate::settings::model::PublicSettings) -> String + Send + Sync> {
        Box::new(move |_| s.to_string())
    };
    let label = |e: Entity| -> Box<dyn Fn(&crate::settings::model::PublicSettings) -> String + Send + Sync> {
        Box::new(move |s| s.labels.plural(e))
    };
    vec![
        NavItem {
            module: Module::ServiceDesk,
            href: "/desk",
            label: label(Entity::Ticket),
            icon: ICON_INBOX,
            permission: Permission::DeskView,
        },
        NavItem {
            module: Module::Portal,
            href: "/portal",
            label: fixed("Portal"),
            icon: ICON_HOME,
            permission: Permission::SignedIn,
        },
        NavItem {
            module: Module::KnowledgeBase,
            href: "/kb",
            label: fixed("Knowledge base"),
            icon: ICON_BOOK,
            permission: Permission::SignedIn,
        },
        NavItem {
            module: Module::Assets,
            href: "/assets",
            label: label(Entity::Asset),
            icon: ICON_CHIP,
            permission: Permission::DeskView,
        },
        NavItem {
            module: Module::Vault,
            href: "/vault",
            label: fixed("Vault"),
            icon: ICON_LOCK,
            permission: Permission::DeskView,
        },
        NavItem {
            module: Module::Domains,
            href: "/domains",
            label: label(Entity::Domain),
            icon: ICON_GLOBE,
            permission: Permission::DeskView,
        },
        NavItem {
            module: Module::Documents,
            href: "/docs",
            label: label(Entity::Document),
            icon: ICON_DOC,
            permission: Permission::DeskView,
        },
    ]
}

const ICON_INBOX: &str = "M2.25 13.5h3.86a2.25 2.25 0 0 1 2.012 1.244l.256.512a2.25 2.25 0 0 0 2.013 1.244h3.218a2.25 2.25 0 0 0 2.013-1.244l.256-.512a2.25 2.25 0 0 1 2.013-1.244h3.859M2.25 13.5V18a2.25 2.25 0 0 0 2.25 2.25h15A2.25 2.25 0 0 0 21.75 18v-4.5M2.25 13.5l2.41-7.23A2.25 2.25 0 0 1 6.795 4.5h10.41a2.25 2.25 0 0 1 2.135 1.77l2.41 7.23";
const ICON_HOME: &str = "m2.25 12 8.954-8.955a1.126 1.126 0 0 1 1.591 0L21.75 12M4.5 9.75v10.125c0 .621.504 1.125 1.125 1.125H9.75v-4.875c0-.621.504-1.125 1.125-1.125h2.25c.621 0 1.125.504 1.125 1.125V21h4.125c.621 0 1.125-.504 1.125-1.125V9.75";
const ICON_BOOK: &str = "M12 6.042A8.967 8.967 0 0 0 6 3.75c-1.052 0-2.062.18-3 .512v14.25A8.987 8.987 0 0 1 6 18c2.305 0 4.408.867 6 2.292m0-14.25a8.966 8.966 0 0 1 6-2.292c1.052 0 2.062.18 3 .512v14.25A8.987 8.987 0 0 0 18 18a8.967 8.967 0 0 0-6 2.292m0-14.25v14.25";
const ICON_CHIP: &str = "M9 17.25v1.007a3 3 0 0 1-.879 2.122L7.5 21h9l-.621-.621A3 3 0 0 1 15 18.257V17.25m6-12V15a2.25 2.25 0 0 1-2.25 2.25H5.25A2.25 2.25 0 0 1 3 15V5.25m18 0A2.25 2.25 0 0 0 18.75 3H5.25A2.25 2.25 0 0 0 3 5.25m18 0V12a2.25 2.25 0 0 1-2.25 2.25H5.25A2.25 2.25 0 0 1 3 12V5.25";
const ICON_LOCK: &str = "M16.5 10.5V6.75a4.5 4.5 0 1 0-9 0v3.75m-.75 11.25h10.5a2.25 2.25 0 0 0 2.25-2.25v-6.75a2.25 2.25 0 0 0-2.25-2.25H6.75a2.25 2.25 0 0 0-2.25 2.25v6.75a2.25 2.25 0 0 0 2.25 2.25Z";
const ICON_GLOBE: &str = "M12 21a9.004 9.004 0 0 0 8.716-6.747M12 21a9.004 9.004 0 0 1-8.716-6.747M12 21c2.485 0 4.5-4.03 4.5-9S14.485 3 12 3m0 18c-2.485 0-4.5-4.03-4.5-9S9.515 3 12 3m0 0a8.997 8.997 0 0 1 7.843 4.582M12 3a8.997 8.997 0 0 0-7.843 4.582m15.686 0A11.953 11.953 0 0 1 12 10.5c-2.998 0-5.74-1.1-7.843-2.918m15.686 0A8.959 8.959 0 0 1 21 12c0 .778-.099 1.533-.284 2.253m0 0A17.919 17.919 0 0 1 12 16.5c-3.162 0-6.133-.815-8.716-2.247m0 0A9.015 9.015 0 0 1 3 12c0-1.605.42-3.113 1.157-4.418";
const ICON_DOC: &str = "M19.5 14.25v-2.625a3.375 3.375 0 0 0-3.375-3.375h-1.5A1.125 1.125 0 0 1 13.5 7.125v-1.5a3.375 3.375 0 0 0-3.375-3.375H8.25m2.25 0H5.625c-.621 0-1.125.504-1.125 1.125v17.25c0 .621.504 1.125 1.125 1.125h12.75c.621 0 1.125-.504 1.125-1.125V11.25a9 9 0 0 0-9-9Z";
const ICON_COG: &str = "M10.343 3.94c.09-.542.56-.94 1.11-.94h1.093c.55 0 1.02.398 1.11.94l.149.894c.07.424.384.764.78.93.398.164.855.142 1.205-.108l.737-.527a1.125 1.125 0 0 1 1.45.12l.773.774c.39.389.44 1.002.12 1.45l-.527.737c-.25.35-.272.806-.107 1.204.165.397.505.71.93.78l.893.15c.543.09.94.559.94 1.109v1.094c0 .55-.397 1.02-.94 1.11l-.894.149c-.424.07-.764.383-.929.78-.165.398-.143.854.107 1.204l.527.738c.32.447.269 1.06-.12 1.45l-.774.773a1.125 1.125 0 0 1-1.449.12l-.738-.527c-.35-.25-.806-.272-1.203-.107-.398.165-.71.505-.781.929l-.149.894c-.09.542-.56.94-1.11.94h-1.094c-.55 0-1.019-.398-1.11-.94l-.148-.894c-.071-.424-.384-.764-.781-.93-.398-.164-.854-.142-1.204.108l-.738.527c-.447.32-1.06.269-1.45-.12l-.773-.774a1.125 1.125 0 0 1-.12-1.45l.527-.737c.25-.35.272-.806.108-1.204-.165-.397-.506-.71-.93-.78l-.894-.15c-.542-.09-.94-.56-.94-1.109v-1.094c0-.55.398-1.02.94-1.11l.894-.149c.424-.07.765-.383.93-.78.165-.398.143-.854-.108-1.204l-.526-.738a1.125 1.125 0 0 1 .12-1.45l.773-.773a1.125 1.125 0 0 1 1.45-.12l.737.527c.35.25.807.272 1.204.107.397-.165.71-.505.78-.929l.15-.894Z M15 12a3 3 0 1 1-6 0 3 3 0 0 1 6 0Z";
const ICON_CLOCK: &str = "M12 6v6h4.5m4.5 0a9 9 0 1 1-18 0 9 9 0 0 1 18 0Z";
const ICON_BELL: &str = "M14.857 17.082a23.848 23.848 0 0 0 5.454-1.31A8.967 8.967 0 0 1 18 9.75V9A6 6 0 0 0 6 9v.75a8.967 8.967 0 0 1-2.312 6.022c1.733.64 3.56 1.085 5.455 1.31m5.714 0a24.255 24.255 0 0 1-5.714 0m5.714 0a3 3 0 1 1-5.714 0";
const ICON_USER: &str = "M17.982 18.725A7.488 7.488 0 0 0 12 15.75a7.488 7.488 0 0 0-5.982 2.975m11.963 0a9 9 0 1 0-11.963 0m11.963 0A8.966 8.966 0 0 1 12 21a8.966 8.966 0 0 1-5.982-2.275M15 9.75a3 3 0 1 1-6 0 3 3 0 0 1 6 0Z";

#[component]
pub fn Icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="h-5 w-5 shrink-0" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.6" aria-hidden="true">
            <path stroke-linecap="round" stroke-linejoin="round" d=path />
        </svg>
    }
}

fn link_class(active: bool) -> &'static str {
    if active {
        "group flex items-center gap-3 rounded-md bg-accent/15 px-3 py-2 text-sm font-medium text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
    } else {
        "group flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-muted hover:bg-raised hover:text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
    }
}

/// Sidebar + main content. Navigation shows only enabled modules the user may use.
#[component]
pub fn AppFrame(children: Children) -> impl IntoView {
    let session = use_session();
    let settings = use_settings();
    let location = use_location();
    let path = move || location.pathname.get();
    let is_active = move |href: &str| {
        let p = path();
        p == href || p.starts_with(&format!("{href}/"))
    };
    let nav = move || {
        let s = settings.current();
        let user = session.current();
        nav_items()
            .into_iter()
            .filter(|i| s.modules.enabled(i.module) && user.as_ref().is_some_and(|u| u.can(i.permission)))
            .map(|i| {
                let label = (i.label)(&s);
                let href = i.href;
                view! {
                    <a href=href class=move || link_class(is_active(href)) data-nav=i.module.key()>
                        <Icon path=i.icon />
                        <span>{label}</span>
                    </a>
                }
            })
            .collect_view()
    };
    let admin_link = move || {
        session.current().filter(|u| u.can(Permission::AuditView) || u.can(Permission::TeamsManage)).map(|_| {
            view! {
                <a href="/admin" class=move || link_class(is_active("/admin")) data-nav="admin">
                    <Icon path=ICON_COG />
                    <span>"Administration"</span>
                </a>
            }
        })
    };
    let org = move || settings.current().branding.org_name;
    let logo = move || {
        settings.current().branding.logo_version.map(
            |v| view! { <img src=format!("/branding/logo?v={v}") alt="" class="h-8 w-8 rounded object-contain" /> },
        )
    };
    let user_name = move || session.current().map(|u| u.display_name).unwrap_or_default();
    let user_role = move || session.current().map(|u| u.role.label()).unwrap_or_default();
    view! {
        <div class="flex min-h-screen">
            <aside class="fixed inset-y-0 left-0 flex w-60 flex-col border-r border-line bg-surface">
                <div class="flex h-16 items-center gap-3 border-b border-line px-4">
                    {move || logo().map(|l| l.into_any()).unwrap_or_else(|| view! {
                        <div class="flex h-8 w-8 items-center justify-center rounded bg-accent text-sm font-bold text-white">{move || org().chars().next().unwrap_or('H').to_string()}</div>
                    }.into_any())}
                    <span class="truncate text-sm font-semibold text-fg" data-testid="org-name">{org}</span>
                </div>
                <nav class="flex-1 space-y-1 overflow-y-auto px-3 py-4" aria-label="Main">{nav}</nav>
                <div class="space-y-1 border-t border-line px-3 py-3">
                    {move || session.current().filter(|u| u.can(Permission::DeskView)).map(|_| view! {
                        <a href="/expiring" class=move || link_class(is_active("/expiring")) data-nav="expiring">
                            <Icon path=ICON_CLOCK />
                            <span>"Expiring"</span>
                        </a>
                    })}
                    <a href="/notifications" class=move || link_class(is_active("/notifications")) data-nav="notifications">
                        <Icon path=ICON_BELL />
                        <span>"Notifications"</span>
                        <crate::notifications::pages::UnreadBadge />
                    </a>
                    {admin_link}
                    <a href="/account" class=move || link_class(is_active("/account"))>
                        <Icon path=ICON_USER />
                        <span class="flex min-w-0 flex-col">
                            <span class="truncate text-fg">{user_name}</span>
                            <span class="truncate text-xs text-faint">{user_role}</span>
                        </span>
                    </a>
                    <SignOut />
                </div>
            </aside>
            <super::palette::CommandPalette />
            <main class="ml-60 min-w-0 flex-1 px-8 py-8">
                <div class="mx-auto max-w-6xl">{children()}</div>
            </main>
        </div>
    }
}

#[component]
fn SignOut() -> impl IntoView {
    let action = ServerAction::<crate::auth::api::Logout>::new();
    Effect::new(move |_| {
        if action.value().get().is_some_and(|r| r.is_ok()) {
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href("/login");
            }
        }
    });
    view! {
        <button type="button" class="w-full text-left text-xs text-faint hover:text-fg px-3 py-1.5 rounded-md focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent" on:click=move |_| { action.dispatch(crate::auth::api::Logout {}); } data-testid="sign-out">
            "Sign out"
        </button>
    }
}
