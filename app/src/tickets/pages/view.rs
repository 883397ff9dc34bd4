//! `/desk/tickets/:number`: the ticket as a tab of the console, its timeline, the
//! reply box (draft saved to the server while typing) and the fields, each
//! reachable by a key (`r`, `i`, `s`, `p`, `a`, `e`; see the `?` overlay).
use super::queue::{category_tone, priority_tone};
use crate::auth::model::{Permission, UserId};
use crate::context::use_session;
use crate::desk::tabs::{use_desk_tabs, TabStrip};
use crate::settings::model::Module;
use crate::tickets::api::{get_ticket, get_workflow, AddComment, UpdateTicket};
use crate::tickets::model::{Priority, Ticket, TicketNumber, TicketPatch, TimelineItem, TimelineWhat, Workflow};
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Which field the picker is choosing.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Pick {
    Status,
    Priority,
    Assignee,
}

#[component]
pub fn TicketView() -> impl IntoView {
    let params = use_params_map();
    let number = Memo::new(move |_| {
        TicketNumber::parse(&params.read().get("number").unwrap_or_default()).unwrap_or(TicketNumber(0))
    });
    let update = ServerAction::<UpdateTicket>::new();
    let comment = ServerAction::<AddComment>::new();
    let live = Memo::new(move |_| live_version(number.get().0));
    let macros = crate::macros::bridge::use_macro_bridge();
    let detail = Resource::new(
        move || (number.get(), update.version().get(), comment.version().get(), live.get(), macros.generation.get()),
        |(n, _, _, _, _)| get_ticket(n),
    );
    let workflow = Resource::new(|| (), |_| get_workflow());
    let error = Signal::derive(move || error_of(update.value().get()).or_else(|| error_of(comment.value().get())));
    // The latest loaded ticket and workflow, for the pickers (outside the Transition).
    let current = RwSignal::new(None::<Ticket>);
    let flow = RwSignal::new(Workflow::default());
    let picker = RwSignal::new(None::<Pick>);
    let watchers = RwSignal::new(Vec::new());
    let draft = Draft::new(number, comment);
    // The reply box and fields are drawn in the browser only, after hydration: the
    // server renders the ticket before `current` is known, the browser after.
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let loaded = move || mounted.get() && current.with(|t| t.as_ref().is_some_and(|t| t.number == number.get()));
    let patch = move |p: TicketPatch| {
        if let Some(t) = current.get_untracked() {
            update.dispatch(UpdateTicket { number: t.number, patch: TicketPatch { version: t.version, ..p } });
        }
    };
    view! {
        <Guarded permission=Permission::DeskView module=Module::ServiceDesk>
            <TabStrip />
            <ErrorNotice error=error />
            <Show when=move || mounted.get()>
                <super::presence::PresenceBanner number />
            </Show>
            <div class="grid gap-6 lg:grid-cols-[1fr_18rem]">
                <div class="min-w-0">
                    <Transition fallback=Loading>
                        {move || Suspend::new(async move {
                            let wf = workflow.await.unwrap_or_default();
                            match detail.await {
                                Ok(d) => {
                                    current.set(Some(d.ticket.clone()));
                                    watchers.set(d.watchers.clone());
                                    flow.set(wf);
                                    view! {
                                        <Title text=format!("{} {}", d.ticket.number, d.ticket.title) />
                                        <Header ticket=d.ticket.clone() description_html=d.description_html.clone() />
                                        <Timeline items=d.timeline.clone() />
                                    }.into_any()
                                }
                                Err(e) => view! { <EmptyState title="Ticket unavailable" body=e.to_string() /> }.into_any(),
                            }
                        })}
                    </Transition>
                    // Outside the Transition: a live reload of the ticket never
                    // re-creates the box someone is typing in.
                    <Show when=loaded>
                        <crate::macros::bridge::MacroReceiver current body=draft.body internal=draft.internal
                            on_edit=move |_| draft.edited(number.get_untracked()) />
                        <Reply number action=comment draft />
                    </Show>
                </div>
                <div class="space-y-4">
                    <Show when=loaded>
                        <Fields current picker patch />
                        <super::classify::Classification current watchers patch />
                        <super::links::LinksPanel number current />
                        <crate::links::LinksPanel kind=crate::links::model::RecordKind::Ticket
                            id=Signal::derive(move || current.with(|t| t.as_ref().map(|t| t.id.0).unwrap_or_default())) />
                        <super::attachments::DescriptionUpload number />
                    </Show>
                    <Show when=move || mounted.get()>
                        <super::requester::RequesterPanel number />
                    </Show>
                </div>
            </div>
            {move || picker.get().map(|which| view! { <FieldPicker which current flow patch picker /> })}
        </Guarded>
    }
}

/// Bumps when a live event names this ticket, so the view reloads.
fn live_version(_number: i64) -> u64 {
    #[cfg(feature = "hydrate")]
    {
        use crate::live::{client::LiveChannel, LiveEvent};
        if let Some(ch) = use_context::<LiveChannel>() {
            if let Some(LiveEvent::TicketChanged { number }) = ch.last.get() {
                if number == _number {
                    return js_sys::Date::now() as u64;
                }
            }
        }
    }
    0
}

/// The reply being written on the open ticket. It is saved to the server half a
/// second after the last key (and at once when the tab changes), restored when the
/// ticket is opened again, and cleared when the reply is sent.
#[derive(Clone, Copy)]
struct Draft {
    body: RwSignal<String>,
    internal: RwSignal<bool>,
    /// Bumped by every edit; a scheduled save runs only if it is still the latest.
    edits: StoredValue<u64>,
    /// The unsaved edit: (ticket, body, internal).
    pending: StoredValue<Option<(TicketNumber, String, bool)>>,
}

impl Draft {
    fn new(number: Memo<TicketNumber>, sent: ServerAction<AddComment>) -> Draft {
        let d = Draft {
            body: RwSignal::new(String::new()),
            internal: RwSignal::new(false),
            edits: StoredValue::new(0),
            pending: StoredValue::new(None),
        };
        let tabs = use_desk_tabs();
        // Each ticket opened here: save what was typed on the last one, open it as
        // a tab, and load its own draft.
        Effect::new(move |prev: Option<TicketNumber>| {
            let n = number.get();
            // What was typed on the previous ticket is saved before the tab list is
            // asked for, so the list knows about that draft.
            let unsaved = if prev.is_some_and(|p| p != n) { d.take_pending() } else { None };
            d.body.set(String::new());
            d.internal.set(false);
            if n.0 > 0 {
                leptos::task::spawn_local(async move {
                    if let Some((p, body, internal)) = unsaved {
                        let _ = crate::desk::api::save_draft(p, body, internal).await;
                    }
                    tabs.open_now(n).await;
                    if let Ok(Some(saved)) = crate::desk::api::get_draft(n).await {
                        // Keep anything typed while the draft was loading.
                        if number.get_untracked() == n && d.body.get_untracked().is_empty() {
                            d.body.set(saved.body);
                            d.internal.set(saved.internal);
                        }
                    }
                });
            }
            n
        });
        // A sent reply ends the draft (the server deleted it with the comment).
        Effect::new(move |seen: Option<usize>| {
            let v = sent.version().get();
            if seen.is_some_and(|s| s != v) && sent.value().get_untracked().is_some_and(|r| r.is_ok()) {
                d.pending.set_value(None);
                d.body.set(String::new());
                tabs.set_draft(number.get_untracked(), false);
            }
            v
        });
        on_cleanup(move || d.flush());
        d
    }

    fn edited(self, number: TicketNumber) {
        let body = self.body.get_untracked();
        self.pending.set_value(Some((number, body.clone(), self.internal.get_untracked())));
        use_desk_tabs().set_draft(number, !body.trim().is_empty());
        self.edits.update_value(|e| *e += 1);
        let mine = self.edits.get_value();
        set_timeout(
            move || {
                if self.edits.try_get_value() == Some(mine) {
                    self.flush();
                }
            },
            std::time::Duration::from_millis(500),
        );
    }

    fn take_pending(self) -> Option<(TicketNumber, String, bool)> {
        self.pending.try_update_value(|p| p.take()).flatten()
    }

    /// Sends the unsaved edit now, if there is one.
    fn flush(self) {
        if let Some((n, body, internal)) = self.take_pending() {
            leptos::task::spawn_local(async move {
                let _ = crate::desk::api::save_draft(n, body, internal).await;
            });
        }
    }
}

#[component]
fn Header(ticket: Ticket, description_html: String) -> impl IntoView {
    view! {
        <header class="mb-6">
            <p class="font-mono text-xs text-muted">{ticket.number.to_string()}</p>
            <h1 class="mt-1 text-2xl font-semibold tracking-tight text-fg" data-testid="ticket-title">{ticket.title.clone()}</h1>
            <div class="mt-2 flex flex-wrap items-center gap-2 text-sm text-muted">
                <Badge text=ticket.status_name.clone() tone=category_tone(ticket.status_category) />
                <Badge text=ticket.priority.label() tone=priority_tone(ticket.priority) />
                <span>{format!("Requested by {} · {}", ticket.requester_name, fmt_time(ticket.created_at))}</span>
            </div>
            {(!ticket.description.is_empty()).then(|| view! {
                // Rendered and sanitised on the server (tickets::markdown).
                <div class=format!("{CARD} md mt-4 px-5 py-4 text-sm text-fg") data-testid="description" inner_html=description_html></div>
            })}
        </header>
    }
}

#[component]
fn Timeline(items: Vec<TimelineItem>) -> impl IntoView {
    view! {
        <ol class="mb-6 space-y-3" data-testid="timeline">
            {items.into_iter().map(|i| {
                let who = i.actor.clone().unwrap_or_else(|| "System".into());
                let when = fmt_time(i.at);
                let files = view! { <super::attachments::AttachmentList files=i.attachments /> };
                match i.what {
                    TimelineWhat::Comment { html, internal, .. } => view! {
                        <li class=if internal { "rounded-lg border border-warn/40 bg-warn/5 px-4 py-3" } else { "rounded-lg border border-line bg-surface px-4 py-3" }>
                            <p class="mb-1 text-xs text-muted">
                                <span class="font-medium text-fg">{who}</span>
                                {if internal { " · internal note · " } else { " · reply · " }}{when}
                            </p>
                            <div class="md text-sm text-fg" inner_html=html></div>
                            {files}
                        </li>
                    }.into_any(),
                    TimelineWhat::Changed { field, from, to } => view! {
                        <li class="px-4 text-xs text-muted">
                            <span class="font-medium text-fg">{who}</span>
                            {format!(" changed {field}: {} → {} · {when}", if from.is_empty() { "—" } else { &from }, if to.is_empty() { "—" } else { &to })}
                        </li>
                    }.into_any(),
                    TimelineWhat::Created => view! {
                        <li class="px-4 text-xs text-muted"><span class="font-medium text-fg">{who}</span>{format!(" opened the ticket · {when}")}{files}</li>
                    }.into_any(),
                    TimelineWhat::Linked { relation, other, added } => view! {
                        <li class="px-4 text-xs text-muted" data-testid="linked">
                            <span class="font-medium text-fg">{who}</span>
                            {if added { " linked: " } else { " removed link: " }}
                            {format!("{} ", relation.label().to_lowercase())}
                            <a class="font-mono text-accent hover:underline" href=format!("/desk/tickets/{}", other.0)>{other.to_string()}</a>
                            {format!(" · {when}")}
                        </li>
                    }.into_any(),
                    TimelineWhat::Merged { into, other, comments } => view! {
                        <li class="px-4 text-xs text-muted" data-testid="merged">
                            <span class="font-medium text-fg">{who}</span>
                            {if into { format!(" merged this ticket into {other}; {comments} comment(s) moved there") } else { format!(" merged {other} into this ticket; {comments} comment(s) came from {other}") }}
                            {format!(" · {when}")}
                        </li>
                    }.into_any(),
                }
            }).collect_view()}
        </ol>
    }
}

const MODE_ON: &str = "rounded-md bg-raised px-2.5 py-1 text-xs font-medium text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent";
const MODE_OFF: &str = "rounded-md px-2.5 py-1 text-xs text-muted hover:text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent";

#[component]
fn Reply(number: Memo<TicketNumber>, action: ServerAction<AddComment>, draft: Draft) -> impl IntoView {
    let Draft { body, internal, .. } = draft;
    let area = NodeRef::<leptos::html::Textarea>::new();
    let files = RwSignal::new(Vec::new());
    let send = move || {
        if !body.get_untracked().trim().is_empty() {
            action.dispatch(AddComment {
                number: number.get_untracked(),
                body: body.get_untracked(),
                internal: internal.get_untracked(),
                attachments: files.with_untracked(|f| {
                    f.iter().map(|a: &crate::tickets::attachments::model::Attachment| a.id).collect()
                }),
            });
        }
    };
    // Sent files belong to the comment now.
    Effect::new(move |seen: Option<usize>| {
        let v = action.version().get();
        if seen.is_some_and(|s| s != v) && action.value().get_untracked().is_some_and(|r| r.is_ok()) {
            files.set(Vec::new());
        }
        v
    });
    let mode = move |note: bool| {
        internal.set(note);
        if !body.get_untracked().is_empty() {
            draft.edited(number.get_untracked());
        }
        if let Some(el) = area.get_untracked() {
            let _ = el.focus();
        }
    };
    view! {
        <form class=move || format!("{CARD} p-4 {}", if internal.get() { "border-warn/50" } else { "" }) on:submit=move |ev| { ev.prevent_default(); send(); }>
            <div class="mb-2 flex items-center gap-1" role="group" aria-label="Reply or internal note">
                <button type="button" data-key="r" class=move || if internal.get() { MODE_OFF } else { MODE_ON } on:click=move |_| mode(false)>"Reply " <Kbd k="r" /></button>
                <button type="button" data-key="i" class=move || if internal.get() { MODE_ON } else { MODE_OFF } on:click=move |_| mode(true)>"Internal note " <Kbd k="i" /></button>
                <span class="ml-auto text-xs text-faint" data-testid="draft-state">
                    {move || if body.get().trim().is_empty() { "" } else { "Draft saved as you type" }}
                </span>
            </div>
            <label for="reply" class="sr-only">"Reply"</label>
            <textarea id="reply" node_ref=area rows="4" class=INPUT
                placeholder=move || if internal.get() { "Note for the team, hidden from the requester…  (Ctrl+Enter adds it)" } else { "Write a reply…  (Ctrl+Enter sends)" }
                prop:value=move || body.get()
                on:input=move |ev| { body.set(event_target_value(&ev)); draft.edited(number.get_untracked()); }
                on:keydown=move |ev| { if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) { ev.prevent_default(); send(); } }></textarea>
            <super::attachments::PendingFiles number pending=files />
            <div class="mt-3 flex justify-end">
                <button type="submit" class=BTN_PRIMARY disabled=move || action.pending().get() || body.get().trim().is_empty()>
                    {move || if internal.get() { "Add note" } else { "Send reply" }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn Fields(
    current: RwSignal<Option<Ticket>>,
    picker: RwSignal<Option<Pick>>,
    patch: impl Fn(TicketPatch) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let field = move |f: fn(&Ticket) -> String| move || current.with(|t| t.as_ref().map(f).unwrap_or_default());
    let resolved = move || {
        current.with(|t| {
            t.as_ref().is_some_and(|t| {
                matches!(
                    t.status_category,
                    crate::tickets::model::StatusCategory::Resolved | crate::tickets::model::StatusCategory::Closed
                )
            })
        })
    };
    let row = "flex w-full items-center justify-between gap-2 rounded-md border border-line bg-bg px-3 py-2 text-left text-sm text-fg hover:border-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent";
    view! {
        <aside class=format!("{CARD} h-fit space-y-4 p-5") data-testid="fields">
            <div>
                <p class=LABEL>"Status"</p>
                <button type="button" id="status" data-key="s" class=row on:click=move |_| picker.set(Some(Pick::Status))>
                    <span data-testid="status">{field(|t| t.status_name.clone())}</span><Kbd k="s" />
                </button>
            </div>
            <div>
                <p class=LABEL>"Priority"</p>
                <button type="button" id="priority" data-key="p" class=row on:click=move |_| picker.set(Some(Pick::Priority))>
                    <span>{field(|t| t.priority.label().to_string())}</span><Kbd k="p" />
                </button>
            </div>
            <div>
                <p class=LABEL>"Assignee"</p>
                <button type="button" id="assignee" data-key="a" class=row on:click=move |_| picker.set(Some(Pick::Assignee))>
                    <span data-testid="assignee">{field(|t| t.assignee_name.clone().unwrap_or_else(|| "Unassigned".into()))}</span><Kbd k="a" />
                </button>
                <button type="button" class=format!("{BTN_GHOST} mt-1") on:click=move |_| {
                    if let Some(me) = session.current() { patch(TicketPatch { assignee: Some(Some(me.id)), ..Default::default() }); }
                }>"Assign to me"</button>
            </div>
            <button type="button" data-key="e" class=format!("{BTN_SECONDARY} w-full") disabled=resolved
                on:click=move |_| patch(TicketPatch { status: Some("resolved".into()), ..Default::default() })>
                "Resolve " <Kbd k="e" />
            </button>
        </aside>
    }
}

#[component]
fn FieldPicker(
    which: Pick,
    current: RwSignal<Option<Ticket>>,
    flow: RwSignal<Workflow>,
    patch: impl Fn(TicketPatch) + Copy + Send + Sync + 'static,
    picker: RwSignal<Option<Pick>>,
) -> impl IntoView {
    let agents = RwSignal::new(Vec::<crate::users::model::AgentName>::new());
    if which == Pick::Assignee {
        leptos::task::spawn_local(async move {
            if let Ok(a) = crate::users::api::list_agents().await {
                agents.set(a);
            }
        });
    }
    let me = use_session().current().map(|u| u.id);
    let choices = Signal::derive(move || {
        let Some(t) = current.get() else { return Vec::new() };
        match which {
            Pick::Status => {
                let wf = flow.get();
                wf.next_statuses(&t.status)
                    .into_iter()
                    .filter(|s| s.key != t.status)
                    .map(|s| Choice { value: s.key.clone(), label: s.name.clone(), current: false })
                    .collect()
            }
            Pick::Priority => Priority::ALL
                .into_iter()
                .map(|p| Choice { value: p.short().into(), label: p.label().into(), current: p == t.priority })
                .collect(),
            Pick::Assignee => {
                let mut c =
                    vec![Choice { value: String::new(), label: "Unassigned".into(), current: t.assignee_id.is_none() }];
                let mut list = agents.get();
                // "Me" first, then everyone by name.
                list.sort_by_key(|a| Some(a.id) != me);
                c.extend(list.into_iter().map(|a| Choice {
                    label: if Some(a.id) == me { format!("{} (me)", a.display_name) } else { a.display_name },
                    value: a.id.0.to_string(),
                    current: t.assignee_id == Some(a.id),
                }));
                c
            }
        }
    });
    let title = match which {
        Pick::Status => "Change status",
        Pick::Priority => "Change priority",
        Pick::Assignee => "Assign to",
    };
    let on_pick = Callback::new(move |v: String| {
        picker.set(None);
        let p = match which {
            Pick::Status => TicketPatch { status: Some(v), ..Default::default() },
            Pick::Priority => match Priority::ALL.into_iter().find(|p| p.short() == v) {
                Some(p) => TicketPatch { priority: Some(p), ..Default::default() },
                None => return,
            },
            Pick::Assignee => {
                TicketPatch { assignee: Some(uuid::Uuid::parse_str(&v).ok().map(UserId)), ..Default::default() }
            }
        };
        patch(p);
    });
    view! { <Picker title=title.to_string() choices on_pick on_close=Callback::new(move |_| picker.set(None)) /> }
}
