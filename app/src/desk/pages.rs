//! The console page: tabs, saved views on the left, the filter bar, the live queue
//! with its count, and the bulk bar for picked tickets.
use super::api::{delete_view, list_views, save_view};
use super::tabs::TabStrip;
use crate::auth::model::{Permission, UserId};
use crate::context::{plural, singular, use_session};
use crate::settings::model::{Entity, Module};
use crate::tickets::api::{bulk_progress, bulk_update, CreateTicket};
use crate::tickets::fields::inputs::{CategorySelect, CustomFieldInputs, LevelSelect};
use crate::tickets::fields::{api::get_catalog, suggested_priority, CategoryId, Level, TicketCatalog};
use crate::tickets::model::{
    AssigneeFilter, BulkChanges, BulkOutcome, BulkTarget, NewTicketExtras, Priority, StatusCategory, TicketFilter,
};
use crate::tickets::pages::{Queue, QueueTable, Selection};
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DeskPage() -> impl IntoView {
    let tickets = plural(Entity::Ticket);
    let views_changed = RwSignal::new(0u64);
    let views = Resource::new(move || views_changed.get(), |_| list_views());
    let (current, set_current) = signal(0usize);
    let refresh = live_ticket_changes();
    let queue = Queue::new(views, current, refresh);
    let selection = Selection::new();
    let creating = RwSignal::new(false);
    let more = RwSignal::new(false);
    Effect::new(move |_| {
        current.track();
        queue.changed.track();
        selection.clear();
    });
    view! {
        <Guarded permission=Permission::DeskView module=Module::ServiceDesk>
            <Title text=move || tickets.get() />
            <TabStrip />
            <PageHeader title=tickets description="Your queues update live as tickets change.">
                <a href="/desk/macros" class=BTN_SECONDARY>"Macros"</a>
                <button type="button" class=BTN_PRIMARY data-testid="new-ticket" data-key="n" on:click=move |_| creating.set(true)>
                    {move || format!("New {}", singular(Entity::Ticket).get().to_lowercase())}
                </button>
            </PageHeader>
            {move || creating.get().then(|| view! { <NewTicketForm on_close=move || creating.set(false) /> })}
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let list = views.await.unwrap_or_default();
                    let empty = Signal::derive(move || format!("No {} in this view", tickets.get().to_lowercase()));
                    view! {
                        <div class="grid grid-cols-[9rem_1fr] gap-5">
                            <nav aria-label="Views" class="space-y-1" data-testid="views">
                                <p class="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-faint">"Views"</p>
                                {list.into_iter().enumerate().map(|(i, v)| view! {
                                    <button type="button"
                                        class=move || if current.get() == i {
                                            "flex w-full items-center gap-2 rounded-md bg-accent/15 px-3 py-2 text-left text-sm font-medium text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
                                        } else {
                                            "flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm text-muted hover:bg-raised hover:text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
                                        }
                                        on:click=move |_| { queue.changed.set(None); set_current.set(i) }>
                                        <span class="truncate">{v.name.clone()}</span>
                                        {(!v.shared).then(|| view! { <span class="ml-auto text-[10px] uppercase tracking-wide text-faint" title="Only you see this view">"mine"</span> })}
                                    </button>
                                }).collect_view()}
                            </nav>
                            <div class="min-w-0 space-y-3">
                                <FilterBar queue views_changed set_current more />
                                <Show when=move || more.get() || super::more_filters::has_extras(queue)>
                                    <super::more_filters::MoreFilters queue />
                                </Show>
                                <BulkBar queue selection />
                                <QueueTable queue selection empty_label=empty />
                            </div>
                        </div>
                    }
                })}
            </Suspense>
        </Guarded>
    }
}

/// Counts ticket events on the live channel, so queues reload when anything changes.
fn live_ticket_changes() -> Signal<u64> {
    #[cfg(feature = "hydrate")]
    {
        use crate::live::{client::LiveChannel, LiveEvent};
        let count = RwSignal::new(0u64);
        if let Some(ch) = use_context::<LiveChannel>() {
            Effect::new(move |_| {
                if let Some(LiveEvent::TicketChanged { .. }) = ch.last.get() {
                    count.update(|c| *c += 1);
                }
            });
        }
        count.into()
    }
    #[cfg(not(feature = "hydrate"))]
    Signal::derive(|| 0)
}

pub(super) const SELECT: &str = "rounded-md border border-line bg-bg px-2.5 py-1.5 text-sm text-fg focus:border-accent focus:outline-none focus:ring-2 focus:ring-accent/40";

/// Status-category choices of the filter bar: (value, label, categories).
fn category_choices() -> Vec<(&'static str, &'static str, Vec<StatusCategory>)> {
    use StatusCategory::*;
    vec![
        ("", "Any status", vec![]),
        ("active", "Not resolved", StatusCategory::ACTIVE.to_vec()),
        ("new", "New", vec![New]),
        ("open", "Open", vec![Open]),
        ("pending", "Pending", vec![Pending]),
        ("scheduled", "Scheduled", vec![Scheduled]),
        ("resolved", "Resolved", vec![Resolved]),
        ("closed", "Closed", vec![Closed]),
    ]
}

#[component]
fn FilterBar(
    queue: Queue,
    views_changed: RwSignal<u64>,
    set_current: WriteSignal<usize>,
    more: RwSignal<bool>,
) -> impl IntoView {
    let session = use_session();
    let may_share = move || session.current().is_some_and(|u| u.can(Permission::ViewsShare));
    // The filter on screen: the saved view's, or as changed here.
    let shown = Memo::new(move |_| {
        queue.changed.get().unwrap_or_else(|| {
            let i = queue.view.get();
            queue.views.get().and_then(|r| r.ok()).and_then(|v| v.get(i).map(|v| v.filter.clone())).unwrap_or_default()
        })
    });
    let change = move |f: &dyn Fn(&mut TicketFilter)| {
        let mut next = shown.get_untracked();
        f(&mut next);
        next.after = None;
        queue.changed.set(Some(next));
    };
    let saving = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let shared = RwSignal::new(false);
    let error = RwSignal::new(None);
    let save = move || {
        let (n, s, f) = (name.get_untracked(), shared.get_untracked(), shown.get_untracked());
        leptos::task::spawn_local(async move {
            match save_view(None, n, s, f).await {
                Ok(saved) => {
                    error.set(None);
                    saving.set(false);
                    name.set(String::new());
                    // Shared views come first, then personal ones, each by position.
                    let list = list_views().await.unwrap_or_default();
                    let at = list.iter().position(|v| v.id == saved.id).unwrap_or(0);
                    views_changed.update(|v| *v += 1);
                    queue.changed.set(None);
                    set_current.set(at);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let current_view = move || queue.views.get().and_then(|r| r.ok()).and_then(|v| v.get(queue.view.get()).cloned());
    let remove = move || {
        let Some(v) = current_view() else { return };
        if !confirm(&format!("Delete the view \"{}\"?", v.name)) {
            return;
        }
        leptos::task::spawn_local(async move {
            match delete_view(v.id).await {
                Ok(()) => {
                    set_current.set(0);
                    views_changed.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let category_value = move || {
        let cats = shown.get().categories;
        category_choices().into_iter().find(|(_, _, c)| *c == cats).map(|(v, _, _)| v).unwrap_or("")
    };
    view! {
        <div class="flex flex-wrap items-center gap-2" data-testid="filters">
            <select class=SELECT aria-label="Status" on:change=move |ev| {
                let v = event_target_value(&ev);
                let cats = category_choices().into_iter().find(|(k, _, _)| *k == v).map(|(_, _, c)| c).unwrap_or_default();
                change(&|f| f.categories = cats.clone());
            }>
                {category_choices().into_iter().map(|(v, label, _)| view! { <option value=v prop:selected=move || category_value() == v>{label}</option> }).collect_view()}
            </select>
            <select class=SELECT aria-label="Priority" on:change=move |ev| {
                let v = event_target_value(&ev);
                let p = Priority::ALL.into_iter().find(|p| p.short() == v);
                change(&|f| f.priority = p);
            }>
                <option value="" prop:selected=move || shown.get().priority.is_none()>"Any priority"</option>
                {Priority::ALL.into_iter().map(|p| view! { <option value=p.short() prop:selected=move || shown.get().priority == Some(p)>{p.label()}</option> }).collect_view()}
            </select>
            <select class=SELECT aria-label="Assignee" on:change=move |ev| {
                let a = match event_target_value(&ev).as_str() { "me" => AssigneeFilter::Me, "unassigned" => AssigneeFilter::Unassigned, _ => AssigneeFilter::Any };
                change(&|f| f.assignee = a);
            }>
                <option value="any" prop:selected=move || matches!(shown.get().assignee, AssigneeFilter::Any | AssigneeFilter::User(_))>"Anyone"</option>
                <option value="me" prop:selected=move || shown.get().assignee == AssigneeFilter::Me>"Assigned to me"</option>
                <option value="unassigned" prop:selected=move || shown.get().assignee == AssigneeFilter::Unassigned>"Unassigned"</option>
            </select>
            <input type="search" class=format!("{SELECT} w-36") placeholder="Tag" aria-label="Tag"
                prop:value=move || shown.get().tag.unwrap_or_default()
                on:change=move |ev| { let t = event_target_value(&ev); change(&|f| f.tag = Some(t.trim().to_string()).filter(|t| !t.is_empty())); } />
            <button type="button" class=BTN_GHOST data-testid="more-filters-toggle" aria-expanded=move || more.get().to_string()
                on:click=move |_| more.update(|m| *m = !*m)>
                "More filters"
            </button>
            <span class="ml-1 text-sm text-muted tabular-nums" data-testid="count">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        queue.count.await.ok().map(|c| format!("{}{} tickets", fmt_count(c.count), if c.more { "+" } else { "" }))
                    })}
                </Transition>
            </span>
            <div class="ml-auto flex items-center gap-2">
                {move || queue.changed.get().is_some().then(|| view! {
                    <button type="button" class=BTN_GHOST on:click=move |_| queue.changed.set(None)>"Reset"</button>
                })}
                <button type="button" class=BTN_GHOST on:click=move |_| saving.update(|s| *s = !*s)>"Save as view…"</button>
                {move || current_view().filter(|v| v.editable && queue.changed.get().is_none()).map(|_| view! {
                    <button type="button" class=BTN_GHOST on:click=move |_| remove()>"Delete view"</button>
                })}
                <a class=BTN_GHOST download="tickets.csv" data-testid="export"
                    href=move || format!("/desk/export.csv?filter={}", urlencode(&serde_json::to_string(&shown.get()).unwrap_or_default()))>
                    "Export CSV"
                </a>
            </div>
        </div>
        <ErrorNotice error=error />
        {move || saving.get().then(|| view! {
            <form class=format!("{CARD} flex flex-wrap items-center gap-3 p-3") on:submit=move |ev| { ev.prevent_default(); save(); }>
                <label class="sr-only" for="view_name">"View name"</label>
                <input id="view_name" class=format!("{SELECT} w-56") placeholder="Name of the view" autofocus
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                {move || may_share().then(|| view! {
                    <label class="flex items-center gap-2 text-sm text-muted">
                        <input type="checkbox" class="h-4 w-4" prop:checked=move || shared.get() on:change=move |ev| shared.set(event_target_checked(&ev)) />
                        "Share with every agent"
                    </label>
                })}
                <button type="submit" class=BTN_PRIMARY>"Save view"</button>
                <button type="button" class=BTN_GHOST on:click=move |_| saving.set(false)>"Cancel"</button>
            </form>
        })}
    }
}

fn fmt_count(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Appears when tickets are picked: change status, priority, assignee or tags of
/// all of them at once, then shows what changed and what was refused.
#[component]
fn BulkBar(queue: Queue, selection: Selection) -> impl IntoView {
    let agents = RwSignal::new(Vec::<crate::users::model::AgentName>::new());
    let workflow = RwSignal::new(crate::tickets::model::Workflow::default());
    let teams = RwSignal::new(Vec::<crate::teams::model::Team>::new());
    let loaded = StoredValue::new(false);
    Effect::new(move |_| {
        if selection.any() && !loaded.get_value() {
            loaded.set_value(true);
            leptos::task::spawn_local(async move {
                agents.set(crate::users::api::list_agents().await.unwrap_or_default());
                workflow.set(crate::tickets::api::get_workflow().await.unwrap_or_default());
                teams.set(crate::teams::api::list_teams().await.unwrap_or_default());
            });
        }
    });
    let status = RwSignal::new(String::new());
    let priority = RwSignal::new(String::new());
    let assignee = RwSignal::new(String::new());
    let team = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<BulkOutcome>);
    let error = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let picked_count = move || selection.picked.with(|p| p.len());
    let apply = move || {
        let changes = BulkChanges {
            status: Some(status.get_untracked()).filter(|s| !s.is_empty()),
            priority: Priority::ALL.into_iter().find(|p| p.short() == priority.get_untracked()),
            assignee: match assignee.get_untracked().as_str() {
                "" => None,
                "none" => Some(None),
                id => uuid::Uuid::parse_str(id).ok().map(|u| Some(UserId(u))),
            },
            team: match team.get_untracked().as_str() {
                "" => None,
                "none" => Some(None),
                id => uuid::Uuid::parse_str(id).ok().map(|u| Some(crate::teams::model::TeamId(u))),
            },
            add_tags: Some(tag.get_untracked().trim().to_lowercase()).filter(|t| !t.is_empty()).into_iter().collect(),
            remove_tags: vec![],
        };
        let target = if selection.all_matching.get_untracked() {
            BulkTarget::Matching { filter: queue.filter() }
        } else {
            BulkTarget::Tickets { numbers: selection.picked.get_untracked().into_iter().collect() }
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match bulk_update(target, changes).await {
                Ok(o) => {
                    error.set(None);
                    selection.clear();
                    for x in [status, priority, assignee, tag] {
                        x.set(String::new());
                    }
                    let job = o.job;
                    outcome.set(Some(o));
                    if let Some(job) = job {
                        follow_job(job, outcome);
                    }
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <ErrorNotice error=error />
        {move || outcome.get().map(|o| view! { <BulkSummary outcome=o on_close=move || outcome.set(None) /> })}
        <Show when=move || selection.any()>
            <div class="flex flex-wrap items-center gap-2 rounded-lg border border-accent/40 bg-accent/10 px-3 py-2" data-testid="bulk-bar">
                <span class="text-sm font-medium text-fg" data-testid="picked">
                    {move || if selection.all_matching.get() {
                        queue.count.get().and_then(|r| r.ok()).map(|c| format!("All {}{} matching", fmt_count(c.count), if c.more { "+" } else { "" })).unwrap_or_else(|| "All matching".into())
                    } else {
                        format!("{} selected", picked_count())
                    }}
                </span>
                {move || {
                    let total = queue.count.get().and_then(|r| r.ok());
                    let more = total.is_some_and(|c| c.more || c.count as usize > selection.shown.with(Vec::len));
                    (!selection.all_matching.get() && more && picked_count() >= selection.shown.with(Vec::len)).then(|| view! {
                        <button type="button" class=BTN_GHOST on:click=move |_| selection.all_matching.set(true)>
                            {format!("Select all {} matching", total.map(|c| fmt_count(c.count)).unwrap_or_default())}
                        </button>
                    })
                }}
                <select class=SELECT aria-label="Set status" on:change=move |ev| status.set(event_target_value(&ev)) prop:value=move || status.get()>
                    <option value="">"Status…"</option>
                    {move || workflow.get().statuses.into_iter().map(|s| view! { <option value=s.key.clone()>{s.name.clone()}</option> }).collect_view()}
                </select>
                <select class=SELECT aria-label="Set priority" on:change=move |ev| priority.set(event_target_value(&ev)) prop:value=move || priority.get()>
                    <option value="">"Priority…"</option>
                    {Priority::ALL.into_iter().map(|p| view! { <option value=p.short()>{p.label()}</option> }).collect_view()}
                </select>
                <select class=SELECT aria-label="Assign to" data-testid="bulk-assignee" on:change=move |ev| assignee.set(event_target_value(&ev)) prop:value=move || assignee.get()>
                    <option value="">"Assignee…"</option>
                    <option value="none">"Unassigned"</option>
                    {move || agents.get().into_iter().map(|a| view! { <option value=a.id.0.to_string()>{a.display_name.clone()}</option> }).collect_view()}
                </select>
                <select class=SELECT aria-label="Set team" data-testid="bulk-team" on:change=move |ev| team.set(event_target_value(&ev)) prop:value=move || team.get()>
                    <option value="">"Team…"</option>
                    <option value="none">"No team"</option>
                    {move || teams.get().into_iter().map(|t| view! { <option value=t.id.0.to_string()>{t.name.clone()}</option> }).collect_view()}
                </select>
                <input type="text" class=format!("{SELECT} w-28") placeholder="Add tag" aria-label="Add tag" prop:value=move || tag.get() on:input=move |ev| tag.set(event_target_value(&ev)) />
                <button type="button" class=BTN_PRIMARY data-testid="bulk-apply" disabled=move || busy.get() on:click=move |_| apply()>"Apply"</button>
                <button type="button" class=BTN_GHOST on:click=move |_| selection.clear()>"Clear"</button>
            </div>
        </Show>
    }
}

/// Polls a bulk job every second until it finishes, showing its progress.
fn follow_job(job: i64, outcome: RwSignal<Option<BulkOutcome>>) {
    leptos::task::spawn_local(async move {
        if let Ok(o) = bulk_progress(job).await {
            let done = o.finished;
            outcome.set(Some(o));
            if !done {
                set_timeout(move || follow_job(job, outcome), std::time::Duration::from_secs(1));
            }
        }
    });
}

#[component]
fn BulkSummary(outcome: BulkOutcome, on_close: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let head = if !outcome.finished {
        format!(
            "Working through {} tickets in the background: {} changed so far.",
            fmt_count(outcome.matched as i64),
            outcome.changed
        )
    } else {
        let fields: Vec<String> = outcome.fields.iter().map(|(f, n)| format!("{f} on {n}")).collect();
        format!(
            "Changed {} of {} tickets{}.{}",
            outcome.changed,
            outcome.matched,
            if fields.is_empty() { String::new() } else { format!(" ({})", fields.join(", ")) },
            if outcome.unchanged > 0 { format!(" {} already matched.", outcome.unchanged) } else { String::new() }
        )
    };
    view! {
        <div class="rounded-lg border border-good/40 bg-good/10 px-4 py-3 text-sm text-fg" role="status" data-testid="bulk-summary">
            <div class="flex items-start justify-between gap-4">
                <p>{head}</p>
                <button type="button" class="text-muted hover:text-fg" aria-label="Dismiss" on:click=move |_| on_close()>"×"</button>
            </div>
            {(!outcome.refused.is_empty()).then(|| view! {
                <ul class="mt-2 list-disc pl-5 text-xs text-muted">
                    {outcome.refused.iter().take(20).map(|r| view! { <li>{format!("{}: {}", r.number, r.reason)}</li> }).collect_view()}
                    {(outcome.refused.len() > 20).then(|| view! { <li>{format!("and {} more refused", outcome.refused.len() - 20)}</li> })}
                </ul>
            })}
        </div>
    }
}

#[component]
fn NewTicketForm(on_close: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let priority = RwSignal::new(Priority::P3);
    let category = RwSignal::new(None::<CategoryId>);
    let urgency = RwSignal::new(Level::Medium);
    let impact = RwSignal::new(Level::Medium);
    let custom = RwSignal::new(serde_json::Map::new());
    let catalog = RwSignal::new(TicketCatalog::default());
    leptos::task::spawn_local(async move {
        if let Ok(c) = get_catalog().await {
            catalog.set(c);
        }
    });
    // Urgency and impact suggest a priority (the usual matrix); the agent may override it.
    let suggest = move || priority.set(suggested_priority(urgency.get_untracked(), impact.get_untracked()));
    let create = ServerAction::<CreateTicket>::new();
    let error = Signal::derive(move || error_of(create.value().get()));
    Effect::new(move |_| {
        if let Some(Ok(n)) = create.value().get() {
            let href = format!("/desk/tickets/{}", n.0);
            leptos_router::hooks::use_navigate()(&href, Default::default());
        }
    });
    let close = on_close.clone();
    view! {
        <div class=format!("{CARD} mb-6 p-5")>
            <h2 class="mb-4 text-base font-semibold">"New ticket"</h2>
            <ErrorNotice error=error />
            <form class="grid gap-4" on:submit=move |ev| {
                ev.prevent_default();
                let extras = NewTicketExtras {
                    category: category.get_untracked(),
                    urgency: Some(urgency.get_untracked()),
                    impact: Some(impact.get_untracked()),
                    due_at: None,
                    custom_fields: custom.get_untracked(),
                };
                create.dispatch(CreateTicket { title: title.get_untracked(), description: description.get_untracked(), priority: priority.get_untracked(), requester: None, extras: Some(extras) });
            }>
                <div><label class=LABEL for="nt_title">"Title"</label><input id="nt_title" class=INPUT bind:value=title autofocus /></div>
                <div><label class=LABEL for="nt_desc">"Description"</label><textarea id="nt_desc" rows="4" class=INPUT bind:value=description></textarea></div>
                <div class="grid gap-4 sm:grid-cols-4">
                    <div>
                        <label class=LABEL for="nt_category">"Category"</label>
                        <CategorySelect id="nt_category" catalog=catalog.into() value=category on_pick=Callback::new(move |c| category.set(c)) />
                    </div>
                    <div>
                        <label class=LABEL for="nt_urgency">"Urgency"</label>
                        <LevelSelect id="nt_urgency" value=urgency on_pick=Callback::new(move |l| { urgency.set(l); suggest(); }) />
                    </div>
                    <div>
                        <label class=LABEL for="nt_impact">"Impact"</label>
                        <LevelSelect id="nt_impact" value=impact on_pick=Callback::new(move |l| { impact.set(l); suggest(); }) />
                    </div>
                    <div>
                        <label class=LABEL for="nt_priority">"Priority"</label>
                        <select id="nt_priority" class=INPUT on:change=move |ev| {
                            if let Some(p) = Priority::ALL.into_iter().find(|p| p.short() == event_target_value(&ev)) { priority.set(p) }
                        }>
                            {Priority::ALL.into_iter().map(|p| view! { <option value=p.short() prop:selected=move || priority.get() == p>{p.label()}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
                {move || {
                    let fields: Vec<_> = catalog.with(|c| c.active_fields().cloned().collect());
                    (!fields.is_empty()).then(|| view! {
                        <div class="grid gap-4 sm:grid-cols-2" data-testid="new-ticket-fields"><CustomFieldInputs fields values=custom /></div>
                    })
                }}
                <div class="flex gap-2">
                    <button type="submit" class=BTN_PRIMARY disabled=move || create.pending().get()>"Create"</button>
                    <button type="button" class=BTN_SECONDARY on:click=move |_| close()>"Cancel"</button>
                </div>
            </form>
        </div>
    }
}
