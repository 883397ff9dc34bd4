//! Module switches.
use crate::context::use_settings;
use crate::settings::api::SetModule;
use crate::settings::model::Module;
use crate::ui::{ErrorNotice, Section};
use leptos::prelude::*;

#[component]
pub fn ModulesSection() -> impl IntoView {
    let settings = use_settings();
    let action = ServerAction::<SetModule>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if action.value().get().is_some_and(|r| r.is_ok()) {
            settings.data.refetch();
        }
    });
    view! {
        <Section title="Modules" description="A disabled module disappears from navigation for everyone; its pages, actions and jobs stop.">
            <ErrorNotice error=error />
            <ul class="divide-y divide-line">
                {Module::ALL.into_iter().map(|m| {
                    let on = move || settings.current().modules.enabled(m);
                    view! {
                        <li class="flex items-center justify-between gap-6 py-3.5">
                            <div>
                                <p class="text-sm font-medium text-fg">{m.title()}</p>
                                <p class="text-sm text-muted">{m.description()}</p>
                            </div>
                            <button type="button" role="switch" data-module=m.key()
                                aria-checked=move || on().to_string()
                                aria-label=format!("{} module", m.title())
                                disabled=move || action.pending().get()
                                class=move || format!(
                                    "relative inline-flex h-6 w-11 shrink-0 cursor-pointer rounded-full border-2 border-transparent transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent focus-visible:ring-offset-2 focus-visible:ring-offset-surface {}",
                                    if on() { "bg-accent" } else { "bg-line" })
                                on:click=move |_| { action.dispatch(SetModule { module: m, enabled: !on() }); }>
                                <span class=move || format!(
                                    "pointer-events-none inline-block h-5 w-5 transform rounded-full bg-white shadow transition {}",
                                    if on() { "translate-x-5" } else { "translate-x-0" })></span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Section>
    }
}
