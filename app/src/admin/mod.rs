//! Administration: the landing redirect and the tab bar shared by admin pages.
use crate::auth::model::Permission;
use crate::context::use_session;
use crate::ui::{guard::GoTo, Guarded, Loading};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

const TABS: [(&str, &str, Permission); 7] = [
    ("/admin/settings", "Settings", Permission::SettingsManage),
    ("/admin/mail", "Email", Permission::SettingsManage),
    ("/admin/desk", "Service desk", Permission::DeskConfigure),
    ("/admin/users", "Users", Permission::UsersManage),
    ("/admin/teams", "Teams", Permission::TeamsManage),
    ("/admin/audit", "Audit log", Permission::AuditView),
    ("/admin/jobs", "Jobs", Permission::JobsManage),
];

/// `/admin`: the first admin page this user may open (or a refusal).
#[component]
pub fn AdminHome() -> impl IntoView {
    let session = use_session();
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let user = session.user.await.ok().flatten();
                match user.and_then(|u| TABS.iter().find(|t| u.can(t.2))) {
                    Some((href, _, _)) => view! { <GoTo path=*href /> }.into_any(),
                    // Signed out → the guard redirects to sign-in; others are refused.
                    None => view! { <Guarded permission=Permission::SettingsManage><span /></Guarded> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The tab bar under the admin page headers.
#[component]
pub fn AdminTabs() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let tabs = move || {
        let user = session.current();
        TABS.iter()
            .filter(|t| user.as_ref().is_some_and(|u| u.can(t.2)))
            .map(|(href, label, _)| {
                let active = location.pathname.get() == *href;
                view! {
                    <a href=*href aria-current=active.then_some("page")
                        class=if active {
                            "border-b-2 border-accent px-1 pb-3 text-sm font-medium text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
                        } else {
                            "border-b-2 border-transparent px-1 pb-3 text-sm font-medium text-muted hover:border-line hover:text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
                        }>
                        {*label}
                    </a>
                }
            })
            .collect_view()
    };
    view! { <nav class="mb-8 flex gap-6 border-b border-line" aria-label="Administration">{tabs}</nav> }
}
