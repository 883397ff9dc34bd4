//! `/invite/:token`: a new user sets their own password and is signed in.
use crate::auth::api::{invitation, AcceptInvite};
use crate::ui::{ErrorNotice, Loading, BTN_PRIMARY, INPUT, LABEL};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, invitation);
    view! {
        <Title text="Set your password" />
        <div class="flex min-h-screen items-center justify-center bg-bg px-4 py-12">
            <div class="w-full max-w-sm">
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        match info.await {
                            Ok(Some(i)) => view! { <SetPassword token=token() name=i.display_name email=i.email /> }.into_any(),
                            _ => {
                                crate::ui::guard::set_status(404);
                                view! {
                                    <div class="rounded-xl border border-line bg-surface p-6 text-center" data-testid="invite-invalid">
                                        <h1 class="text-lg font-semibold text-fg">"This invitation link cannot be used"</h1>
                                        <p class="mt-2 text-sm text-muted">"It is invalid, was already used, or has expired after 7 days. Ask an administrator for a new link."</p>
                                        <a href="/login" class="mt-4 inline-block text-sm font-medium text-accent hover:underline">"Go to sign-in"</a>
                                    </div>
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </div>
        </div>
    }
}

#[component]
fn SetPassword(token: String, name: String, email: String) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let mismatch = RwSignal::new(false);
    let accept = ServerAction::<AcceptInvite>::new();
    let error = Signal::derive(move || accept.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if accept.value().get().is_some_and(|r| r.is_ok()) {
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href("/");
            }
        }
    });
    let token = StoredValue::new(token);
    view! {
        <div class="mb-6 text-center">
            <h1 class="text-2xl font-semibold tracking-tight text-fg">{format!("Welcome, {name}")}</h1>
            <p class="mt-1 text-sm text-muted">{format!("Choose a password for {email}.")}</p>
        </div>
        <div class="rounded-xl border border-line bg-surface p-6 shadow-lg">
            <ErrorNotice error=error />
            {move || mismatch.get().then(|| view! { <p role="alert" class="mb-4 text-sm text-danger">"The two passwords differ."</p> })}
            <form class="space-y-4" on:submit=move |ev| {
                ev.prevent_default();
                if password.get_untracked() != confirm.get_untracked() {
                    mismatch.set(true);
                    return;
                }
                mismatch.set(false);
                accept.dispatch(AcceptInvite { token: token.get_value(), password: password.get_untracked() });
            }>
                <div>
                    <label for="new_password" class=LABEL>"Password"</label>
                    <input id="new_password" type="password" autocomplete="new-password" class=INPUT bind:value=password />
                    <p class="mt-1 text-xs text-faint">"At least 10 characters."</p>
                </div>
                <div>
                    <label for="confirm_password" class=LABEL>"Repeat password"</label>
                    <input id="confirm_password" type="password" autocomplete="new-password" class=INPUT bind:value=confirm />
                </div>
                <button type="submit" class=format!("{BTN_PRIMARY} w-full") disabled=move || accept.pending().get()>"Set password and sign in"</button>
            </form>
        </div>
    }
}
