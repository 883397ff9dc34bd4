//! Page guard: sign-in, permission and module checks for whole pages, with the
//! matching HTTP status during server rendering.
use super::frame::AppFrame;
use super::widgets::{urlencode, Loading};
use crate::auth::model::Permission;
use crate::context::{use_session, use_settings};
use crate::settings::model::Module;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// During server rendering, sets the response status (no-op in the browser).
#[cfg(feature = "ssr")]
pub fn set_status(code: u16) {
    if let (Some(opts), Ok(code)) = (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code)) {
        opts.set_status(code);
    }
}
#[cfg(not(feature = "ssr"))]
pub fn set_status(_code: u16) {}

/// Redirects; a server-rendered response answers 302 with the Location.
#[component]
pub fn GoTo(#[prop(into)] path: String) -> impl IntoView {
    set_status(302);
    view! { <Redirect path=path /> }
}

/// Renders `children` in the app frame when the user is signed in, holds
/// `permission`, and `module` (if any) is enabled.
#[component]
pub fn Guarded(
    permission: Permission,
    #[prop(optional)] module: Option<Module>,
    children: ChildrenFn,
) -> impl IntoView {
    let session = use_session();
    let settings = use_settings();
    let location = use_location();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let user = session.user.await;
                let settings = settings.data.await;
                match (user, settings) {
                    (Ok(None), _) => {
                        let next = location.pathname.get_untracked();
                        view! { <GoTo path=format!("/login?next={}", urlencode(&next)) /> }.into_any()
                    }
                    (Ok(Some(u)), Ok(s)) => {
                        if !u.can(permission) {
                            set_status(403);
                            view! { <AppFrame><Refused /></AppFrame> }.into_any()
                        } else if let Some(m) = module.filter(|m| !s.modules.enabled(*m)) {
                            set_status(404);
                            view! { <AppFrame><ModuleDisabled module=m /></AppFrame> }.into_any()
                        } else {
                            view! { <AppFrame>{children.with_value(|c| c())}</AppFrame> }.into_any()
                        }
                    }
                    (Err(e), _) | (_, Err(e)) => view! {
                        <div class="p-10 text-center text-danger">{e.to_string()}</div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn Refused() -> impl IntoView {
    view! {
        <div class="mx-auto mt-16 max-w-lg text-center" data-testid="refused">
            <p class="text-sm font-semibold text-accent">"403"</p>
            <h1 class="mt-2 text-2xl font-semibold text-fg">"You don't have access to this page"</h1>
            <p class="mt-2 text-sm text-muted">"Your role does not include this area. Ask an administrator if you need access."</p>
            <a href="/" class="mt-6 inline-block text-sm font-medium text-accent hover:underline">"Go to your start page"</a>
        </div>
    }
}

#[component]
pub fn ModuleDisabled(module: Module) -> impl IntoView {
    view! {
        <div class="mx-auto mt-16 max-w-lg text-center" data-testid="module-disabled">
            <p class="text-sm font-semibold text-accent">"Module disabled"</p>
            <h1 class="mt-2 text-2xl font-semibold text-fg">{format!("{} is switched off", module.title())}</h1>
            <p class="mt-2 text-sm text-muted">"An administrator has disabled this module for the workspace. Its pages, actions and background jobs are paused until it is enabled again in Administration → Settings."</p>
            <a href="/" class="mt-6 inline-block text-sm font-medium text-accent hover:underline">"Go to your start page"</a>
        </div>
    }
}
