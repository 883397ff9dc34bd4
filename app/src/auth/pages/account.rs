//! The signed-in user's own settings: theme and password.
use crate::auth::api::{ChangePassword, SetTheme};
use crate::auth::model::{Permission, Theme};
use crate::context::use_session;
use crate::ui::{ErrorNotice, Guarded, PageHeader, Section, SuccessNotice, BTN_PRIMARY, BTN_SECONDARY, INPUT, LABEL};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let session = use_session();
    let set_theme = ServerAction::<SetTheme>::new();
    Effect::new(move |_| {
        if set_theme.value().get().is_some_and(|r| r.is_ok()) {
            session.user.refetch();
        }
    });
    let theme = move || session.current().map(|u| u.theme).unwrap_or_default();
    let theme_button = move |t: Theme, label: &'static str| {
        view! {
            <button type="button"
                class=move || if theme() == t { format!("{BTN_PRIMARY} min-w-24") } else { format!("{BTN_SECONDARY} min-w-24") }
                aria-pressed=move || (theme() == t).to_string()
                on:click=move |_| { set_theme.dispatch(SetTheme { theme: t }); }>
                {label}
            </button>
        }
    };

    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let change = ServerAction::<ChangePassword>::new();
    let change_error = Signal::derive(move || change.value().get().and_then(|r| r.err()));
    let change_ok = Signal::derive(move || {
        change
            .value()
            .get()
            .and_then(|r| r.ok())
            .map(|_| "Password changed. Your other sessions were signed out.".to_string())
    });
    Effect::new(move |_| {
        if change.value().get().is_some_and(|r| r.is_ok()) {
            current.set(String::new());
            new_password.set(String::new());
        }
    });

    view! {
        <Guarded permission=Permission::SignedIn>
            <Title text="Your account" />
            <PageHeader title="Your account" description="Appearance and sign-in." />
            <Section title="Appearance" description="Dark is the default; your choice follows you to every device.">
                <div class="flex gap-2">{theme_button(Theme::Dark, "Dark")}{theme_button(Theme::Light, "Light")}</div>
            </Section>
            <Section title="Password" description="At least 10 characters. Changing it signs out your other sessions.">
                <ErrorNotice error=change_error />
                <SuccessNotice message=change_ok />
                <form class="grid max-w-md gap-4" on:submit=move |ev| {
                    ev.prevent_default();
                    change.dispatch(ChangePassword { current: current.get_untracked(), new_password: new_password.get_untracked() });
                }>
                    <div>
                        <label for="current" class=LABEL>"Current password"</label>
                        <input id="current" type="password" autocomplete="current-password" class=INPUT bind:value=current />
                    </div>
                    <div>
                        <label for="new_password" class=LABEL>"New password"</label>
                        <input id="new_password" type="password" autocomplete="new-password" class=INPUT bind:value=new_password />
                    </div>
                    <div><button type="submit" class=BTN_PRIMARY disabled=move || change.pending().get()>"Change password"</button></div>
                </form>
            </Section>
        </Guarded>
    }
}
