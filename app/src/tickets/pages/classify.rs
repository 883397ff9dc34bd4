//! The ticket's classification in the side panel: category, urgency, impact, due
//! date, custom fields, and who watches the ticket. Each control saves through the
//! same versioned patch as the other fields, so edits never overwrite newer ones.
use crate::auth::model::UserId;
use crate::context::use_session;
use crate::tickets::api::watch_ticket;
use crate::tickets::fields::inputs::{CategorySelect, CustomFieldInputs, LevelSelect};
use crate::tickets::fields::{api::get_catalog, display_value, TicketCatalog};
use crate::tickets::model::{Ticket, TicketPatch, Watcher};
use crate::ui::*;
use leptos::prelude::*;

#[component]
pub fn Classification(
    current: RwSignal<Option<Ticket>>,
    watchers: RwSignal<Vec<Watcher>>,
    patch: impl Fn(TicketPatch) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let catalog = RwSignal::new(TicketCatalog::default());
    let teams = RwSignal::new(Vec::<crate::teams::model::Team>::new());
    leptos::task::spawn_local(async move {
        if let Ok(c) = get_catalog().await {
            catalog.set(c);
        }
        if let Ok(t) = crate::teams::api::list_teams().await {
            teams.set(t);
        }
    });
    let team = move || current.with(|t| t.as_ref().and_then(|t| t.team_id));
    let tags = move || current.with(|t| t.as_ref().map(|t| t.tags.join(" ")).unwrap_or_default());
    let category = Signal::derive(move || current.with(|t| t.as_ref().and_then(|t| t.category_id)));
    let urgency = Signal::derive(move || current.with(|t| t.as_ref().map(|t| t.urgency).unwrap_or_default()));
    let impact = Signal::derive(move || current.with(|t| t.as_ref().map(|t| t.impact).unwrap_or_default()));
    let due =
        move || current.with(|t| t.as_ref().and_then(|t| t.due_at).map(|d| d.format("%Y-%m-%dT%H:%M").to_string()));
    view! {
        <section class=format!("{CARD} space-y-3 p-5") data-testid="classification">
            <div>
                <label class=LABEL for="f_team">"Team"</label>
                <select id="f_team" class=INPUT on:change=move |ev| {
                    let id = event_target_value(&ev).parse::<uuid::Uuid>().ok().map(crate::teams::model::TeamId);
                    patch(TicketPatch { team: Some(id), ..Default::default() });
                }>
                    <option value="" prop:selected=move || team().is_none()>"No team"</option>
                    {move || teams.get().into_iter().map(|t| {
                        let id = t.id;
                        view! { <option value=t.id.0.to_string() prop:selected=move || team() == Some(id)>{t.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label class=LABEL for="f_tags">"Tags"</label>
                <input id="f_tags" class=INPUT placeholder="vpn laptop" title="Separate tags with spaces or commas"
                    prop:value=tags
                    on:change=move |ev| {
                        let list: Vec<String> = event_target_value(&ev)
                            .split(|c: char| c == ',' || c.is_whitespace())
                            .filter(|t| !t.is_empty())
                            .map(str::to_string)
                            .collect();
                        patch(TicketPatch { tags: Some(list), ..Default::default() });
                    } />
            </div>
            <div>
                <label class=LABEL for="f_category">"Category"</label>
                <CategorySelect id="f_category" catalog=catalog.into() value=category
                    on_pick=Callback::new(move |c| patch(TicketPatch { category: Some(c), ..Default::default() })) />
            </div>
            <div class="grid grid-cols-2 gap-3">
                <div>
                    <label class=LABEL for="f_urgency">"Urgency"</label>
                    <LevelSelect id="f_urgency" value=urgency on_pick=Callback::new(move |l| patch(TicketPatch { urgency: Some(l), ..Default::default() })) />
                </div>
                <div>
                    <label class=LABEL for="f_impact">"Impact"</label>
                    <LevelSelect id="f_impact" value=impact on_pick=Callback::new(move |l| patch(TicketPatch { impact: Some(l), ..Default::default() })) />
                </div>
            </div>
            <div>
                <label class=LABEL for="f_due">"Due (UTC)"</label>
                <input id="f_due" type="datetime-local" class=INPUT prop:value=move || due().unwrap_or_default()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let at = chrono::NaiveDateTime::parse_from_str(&v, "%Y-%m-%dT%H:%M").ok().map(|d| d.and_utc());
                        patch(TicketPatch { due_at: Some(at), ..Default::default() });
                    } />
            </div>
            {move || {
                let fields: Vec<_> = catalog.with(|c| c.active_fields().cloned().collect());
                (!fields.is_empty()).then(|| view! { <CustomFields current fields patch /> })
            }}
            <WatchList current watchers />
        </section>
    }
}

/// Custom fields edit as a small form: values change locally and are saved
/// together, so a half-typed number is never sent.
#[component]
fn CustomFields(
    current: RwSignal<Option<Ticket>>,
    fields: Vec<crate::tickets::fields::CustomField>,
    patch: impl Fn(TicketPatch) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let saved =
        move || current.with(|t| t.as_ref().and_then(|t| t.custom_fields.as_object().cloned()).unwrap_or_default());
    let values = RwSignal::new(saved());
    // A reload of the ticket (a save, or someone else's change) resets the form.
    Effect::new(move |_| values.set(saved()));
    let dirty = move || values.get() != saved();
    let summary: Vec<(String, String)> = fields.iter().map(|f| (f.key.clone(), f.label.clone())).collect();
    let editing = RwSignal::new(false);
    view! {
        <div class="border-t border-line pt-3" data-testid="custom-fields">
            <div class="mb-2 flex items-center justify-between">
                <p class="text-xs font-semibold uppercase tracking-wide text-faint">"Details"</p>
                <button type="button" class=BTN_GHOST on:click=move |_| editing.update(|e| *e = !*e)>
                    {move || if editing.get() { "Close" } else { "Edit" }}
                </button>
            </div>
            {move || if editing.get() {
                view! {
                    <form class="space-y-3" on:submit=move |ev| {
                        ev.prevent_default();
                        // Send only what changed; a cleared value goes as null.
                        let before = saved();
                        let mut changes = serde_json::Map::new();
                        for (k, v) in values.get_untracked() {
                            if before.get(&k) != Some(&v) { changes.insert(k, v); }
                        }
                        patch(TicketPatch { custom_fields: Some(changes), ..Default::default() });
                        editing.set(false);
                    }>
                        <CustomFieldInputs fields=fields.clone() values />
                        <button type="submit" class=BTN_PRIMARY disabled=move || !dirty()>"Save details"</button>
                    </form>
                }.into_any()
            } else {
                let summary = summary.clone();
                view! {
                    <dl class="space-y-1 text-sm">
                        {summary.into_iter().map(|(key, label)| {
                            let value = move || saved().get(&key).map(display_value).filter(|v| !v.is_empty()).unwrap_or_else(|| "—".into());
                            view! { <div class="flex justify-between gap-2"><dt class="text-muted">{label}</dt><dd class="text-right text-fg">{value}</dd></div> }
                        }).collect_view()}
                    </dl>
                }.into_any()
            }}
        </div>
    }
}

#[component]
fn WatchList(current: RwSignal<Option<Ticket>>, watchers: RwSignal<Vec<Watcher>>) -> impl IntoView {
    let session = use_session();
    let me = move || session.current().map(|u| u.id);
    let watching = move || me().is_some_and(|m| watchers.with(|w| w.iter().any(|x| x.user_id == m)));
    let error = RwSignal::new(None);
    let set = move |user: Option<UserId>, on: bool| {
        let Some(number) = current.get_untracked().map(|t| t.number) else { return };
        leptos::task::spawn_local(async move {
            match watch_ticket(number, user, on).await {
                Ok(list) => {
                    error.set(None);
                    watchers.set(list);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="border-t border-line pt-3" data-testid="watchers">
            <div class="mb-1 flex items-center justify-between">
                <p class="text-xs font-semibold uppercase tracking-wide text-faint">"Watchers"</p>
                <button type="button" class=BTN_GHOST data-key="w" on:click=move |_| set(None, !watching())>
                    {move || if watching() { "Stop watching" } else { "Watch" }}<Kbd k="w" />
                </button>
            </div>
            <ul class="space-y-1 text-sm">
                {move || watchers.get().into_iter().map(|w| {
                    let id = w.user_id;
                    view! {
                        <li class="flex items-center justify-between">
                            <span class="text-fg">{w.display_name}</span>
                            <button type="button" class="text-xs text-muted hover:text-danger" aria-label="Remove watcher"
                                on:click=move |_| set(Some(id), false)>"×"</button>
                        </li>
                    }
                }).collect_view()}
                {move || watchers.with(Vec::is_empty).then(|| view! { <li class="text-faint">"Nobody yet"</li> })}
            </ul>
            <ErrorNotice error=error />
        </div>
    }
}
