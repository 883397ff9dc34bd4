//! Entity labels ("Ticket/Tickets" → "Request/Requests").
use crate::context::use_settings;
use crate::settings::api::UpdateLabels;
use crate::settings::model::{Entity, Labels};
use crate::ui::{ErrorNotice, Section, SuccessNotice, BTN_PRIMARY, INPUT};
use leptos::prelude::*;

#[component]
pub fn LabelsSection(initial: Labels) -> impl IntoView {
    let settings = use_settings();
    let rows: Vec<(Entity, RwSignal<String>, RwSignal<String>)> = Entity::ALL
        .into_iter()
        .map(|e| {
            let l = initial.get(e);
            (e, RwSignal::new(l.singular), RwSignal::new(l.plural))
        })
        .collect();
    let action = ServerAction::<UpdateLabels>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let saved = Signal::derive(move || action.value().get().and_then(|r| r.ok()).map(|_| "Labels saved.".to_string()));
    Effect::new(move |_| {
        if action.value().get().is_some_and(|r| r.is_ok()) {
            settings.data.refetch();
        }
    });
    let rows_for_submit = rows.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let labels = rows_for_submit.iter().map(|(e, s, p)| (*e, s.get_untracked(), p.get_untracked())).collect();
        action.dispatch(UpdateLabels { labels });
    };
    view! {
        <Section title="Labels" description="Rename what things are called everywhere in Helios, for example Tickets → Requests.">
            <ErrorNotice error=error />
            <SuccessNotice message=saved />
            <form on:submit=submit>
                <div class="grid grid-cols-[8rem_1fr_1fr] items-center gap-x-4 gap-y-2">
                    <span class="text-xs font-semibold uppercase tracking-wide text-faint">"Entity"</span>
                    <span class="text-xs font-semibold uppercase tracking-wide text-faint">"Singular"</span>
                    <span class="text-xs font-semibold uppercase tracking-wide text-faint">"Plural"</span>
                    {rows.into_iter().map(|(e, s, p)| view! {
                        <span class="text-sm text-muted">{e.default_label().singular}</span>
                        <input class=INPUT name=format!("{}_singular", e.key()) aria-label=format!("{} singular", e.key()) bind:value=s />
                        <input class=INPUT name=format!("{}_plural", e.key()) aria-label=format!("{} plural", e.key()) bind:value=p />
                    }).collect_view()}
                </div>
                <div class="mt-5"><button type="submit" class=BTN_PRIMARY data-testid="save-labels" disabled=move || action.pending().get()>"Save labels"</button></div>
            </form>
        </Section>
    }
}
