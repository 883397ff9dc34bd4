//! The sign-in page. In demo mode it lists the demo accounts with one-click fill.
use crate::auth::api::{demo_accounts, Login};
use crate::context::use_settings;
use crate::settings::model::Branding;
use crate::ui::{ErrorNotice, BTN_PRIMARY, INPUT, LABEL};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Only same-site paths are accepted as a post-login destination.
fn safe_next(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\')).unwrap_or_else(|| "/".into())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let settings = use_settings();
    // Wait for branding so the server-rendered page already shows the right name.
    view! {
        <Suspense fallback=crate::ui::Loading>
            {move || Suspend::new(async move {
                let branding = settings.data.await.unwrap_or_default().branding;
                view! { <LoginForm branding /> }
            })}
        </Suspense>
    }
}

#[component]
fn LoginForm(branding: Branding) -> impl IntoView {
    let query = use_query_map();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login = ServerAction::<Login>::new();
    let demo = Resource::new(|| (), |_| demo_accounts());
    let error = Signal::derive(move || login.value().get().and_then(|r| r.err()));

    Effect::new(move |_| {
        if login.value().get().is_some_and(|r| r.is_ok()) {
            let next = safe_next(query.get_untracked().get("next"));
            // A full load so every resource starts from the new session.
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href(&next);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = next;
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        login.dispatch(Login { email: email.get_untracked(), password: password.get_untracked() });
    };
    let org_name = branding.org_name.clone();
    let org_name = StoredValue::new(org_name);
    let org = move || org_name.get_value();
    let logo = move || branding.logo_version;

    view! {
        <Title text="Sign in" />
        <div class="flex min-h-screen items-center justify-center bg-bg px-4 py-12">
            <div class="w-full max-w-sm">
                <div class="mb-8 flex flex-col items-center text-center">
                    {move || match logo() {
                        Some(v) => view! { <img src=format!("/branding/logo?v={v}") alt="" class="mb-4 h-12 w-12 rounded-lg object-contain" /> }.into_any(),
                        None => view! { <div class="mb-4 flex h-12 w-12 items-center justify-center rounded-lg bg-accent text-lg font-bold text-white">{move || org().chars().next().unwrap_or('H').to_string()}</div> }.into_any(),
                    }}
                    <h1 class="text-2xl font-semibold tracking-tight text-fg">{move || format!("Sign in to {}", org())}</h1>
                    <p class="mt-1 text-sm text-muted">"IT service management for your workspace"</p>
                </div>
                <div class="rounded-xl border border-line bg-surface p-6 shadow-lg">
                    <ErrorNotice error=error />
                    <form on:submit=submit class="space-y-4" novalidate>
                        <div>
                            <label for="email" class=LABEL>"Email"</label>
                            <input id="email" name="email" type="email" autocomplete="username" required class=INPUT bind:value=email autofocus />
                        </div>
                        <div>
                            <label for="password" class=LABEL>"Password"</label>
                            <input id="password" name="password" type="password" autocomplete="current-password" required class=INPUT bind:value=password />
                        </div>
                        <button type="submit" class=format!("{BTN_PRIMARY} w-full") disabled=move || login.pending().get()>
                            {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                        </button>
                    </form>
                </div>
                <Suspense>
                    {move || Suspend::new(async move {
                        let accounts = demo.await.unwrap_or_default();
                        (!accounts.is_empty()).then(|| view! {
                            <div class="mt-6 rounded-xl border border-dashed border-line p-4" data-testid="demo-accounts">
                                <p class="mb-3 text-xs font-semibold uppercase tracking-wide text-faint">"Demo workspace — pick an account"</p>
                                <div class="grid grid-cols-1 gap-1.5">
                                    {accounts.into_iter().map(|a| {
                                        let (e, p) = (a.email.clone(), a.password.clone());
                                        view! {
                                            <button type="button" data-role=a.role.as_str()
                                                class="flex items-center justify-between rounded-md px-3 py-2 text-left text-sm hover:bg-raised focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
                                                on:click=move |_| { email.set(e.clone()); password.set(p.clone()); }>
                                                <span class="text-fg">{a.email.clone()}</span>
                                                <span class="text-xs text-muted">{a.role.label()}</span>
                                            </button>
                                        }
                                    }).collect_view()}
                                </div>
                            </div>
                        })
                    })}
                </Suspense>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/admin".into())), "/admin");
        assert_eq!(safe_next(Some("//evil.example".into())), "/");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/");
        assert_eq!(safe_next(Some("/\\evil".into())), "/");
        assert_eq!(safe_next(None), "/");
    }
}
