//! `/desk/macros`: create, edit and delete macros, with a live preview of the text
//! rendered for a sample ticket and unknown placeholders flagged while typing.
use super::api::{delete_macro, list_macros, save_macro};
use super::model::{
    check_placeholders, render, Macro, MacroActions, MacroAssignee, MacroInput, PlaceholderValues, PLACEHOLDERS,
};
use crate::auth::model::{Permission, UserId};
use crate::context::{use_session, use_settings};
use crate::error::AppError;
use crate::settings::model::Module;
use crate::tickets::model::Priority;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;

/// The form's state; "" in a select means "leave as it is".
#[derive(Clone, Copy)]
struct Form {
    id: RwSignal<Option<uuid::Uuid>>,
    name: RwSignal<String>,
    body: RwSignal<String>,
    internal: RwSignal<bool>,
    shared: RwSignal<bool>,
    status: RwSignal<String>,
    priority: RwSignal<String>,
    /// "", "me", "unassigned" or a user id.
    assignee: RwSignal<String>,
    /// Comma-separated.
    tags: RwSignal<String>,
    editable: RwSignal<bool>,
}

impl Form {
    fn new() -> Form {
        Form {
            id: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            body: RwSignal::new(String::new()),
            internal: RwSignal::new(false),
            shared: RwSignal::new(false),
            status: RwSignal::new(String::new()),
            priority: RwSignal::new(String::new()),
            assignee: RwSignal::new(String::new()),
            tags: RwSignal::new(String::new()),
            editable: RwSignal::new(true),
        }
    }

    fn load(self, m: Option<&Macro>) {
        let empty = MacroActions::default();
        let a = m.map(|m| &m.actions).unwrap_or(&empty);
        self.id.set(m.map(|m| m.id));
        self.name.set(m.map(|m| m.name.clone()).unwrap_or_default());
        self.body.set(m.map(|m| m.body.clone()).unwrap_or_default());
        self.internal.set(m.is_some_and(|m| m.internal));
        self.shared.set(m.is_some_and(|m| m.shared));
        self.editable.set(m.is_none_or(|m| m.editable));
        self.status.set(a.status.clone().unwrap_or_default());
        self.priority.set(a.priority.map(|p| p.short().to_string()).unwrap_or_default());
        self.assignee.set(match a.assignee {
            None => String::new(),
            Some(MacroAssignee::Me) => "me".into(),
            Some(MacroAssignee::Unassigned) => "unassigned".into(),
            Some(MacroAssignee::User(u)) => u.0.to_string(),
        });
        self.tags.set(a.add_tags.join(", "));
    }

    fn input(self) -> MacroInput {
        let priority = self.priority.get_untracked();
        let assignee = match self.assignee.get_untracked().as_str() {
            "" => None,
            "me" => Some(MacroAssignee::Me),
            "unassigned" => Some(MacroAssignee::Unassigned),
            id => uuid::Uuid::parse_str(id).ok().map(|u| MacroAssignee::User(UserId(u))),
        };
        MacroInput {
            id: self.id.get_untracked(),
            name: self.name.get_untracked(),
            body: self.body.get_untracked(),
            internal: self.internal.get_untracked(),
            shared: self.shared.get_untracked(),
            actions: MacroActions {
                status: Some(self.status.get_untracked()).filter(|s| !s.is_empty()),
                priority: Priority::ALL.into_iter().find(|p| p.short() == priority),
                assignee,
                add_tags: self
                    .tags
                    .get_untracked()
                    .split(',')
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect(),
            },
        }
    }
}

#[component]
pub fn MacrosPage() -> impl IntoView {
    let changed = RwSignal::new(0u64);
    let list = Resource::new(move || changed.get(), |_| list_macros());
    let workflow = Resource::new(|| (), |_| crate::tickets::api::get_workflow());
    let agents = Resource::new(|| (), |_| crate::users::api::list_agents());
    let form = Form::new();
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(None::<String>);
    let session = use_session();
    let may_share = move || session.current().is_some_and(|u| u.can(Permission::MacrosShare));
    // The editor is drawn after hydration: its selects depend on loaded lists.
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));

    let save = move || {
        error.set(None);
        saved.set(None);
        let input = form.input();
        leptos::task::spawn_local(async move {
            match save_macro(input).await {
                Ok(m) => {
                    saved.set(Some(format!("Saved \"{}\".", m.name)));
                    form.load(Some(&m));
                    changed.update(|c| *c += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let remove = move || {
        let Some(id) = form.id.get_untracked() else { return };
        if !confirm(&format!("Delete the macro \"{}\"?", form.name.get_untracked())) {
            return;
        }
        leptos::task::spawn_local(async move {
            match delete_macro(id).await {
                Ok(()) => {
                    saved.set(Some("Deleted.".into()));
                    form.load(None);
                    changed.update(|c| *c += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <Guarded permission=Permission::DeskView module=Module::ServiceDesk>
            <Title text="Macros" />
            <PageHeader title="Macros" description="Saved replies with placeholders and field changes. Apply one on a ticket: press / and type its name.">
                <button type="button" class=BTN_PRIMARY data-testid="new-macro" on:click=move |_| { error.set(None); saved.set(None); form.load(None) }>"New macro"</button>
            </PageHeader>
            <ErrorNotice error=Signal::derive(move || error.get()) />
            <SuccessNotice message=Signal::derive(move || saved.get()) />
            <div class="grid gap-6 lg:grid-cols-[16rem_1fr]">
                <nav aria-label="Macros" class="space-y-1" data-testid="macro-list">
                    <Transition fallback=Loading>
                        {move || Suspend::new(async move {
                            let all = list.await.unwrap_or_default();
                            if all.is_empty() {
                                return view! { <p class="px-3 text-sm text-muted">"No macros yet."</p> }.into_any();
                            }
                            all.into_iter().map(|m| {
                                let id = m.id;
                                let shared = m.shared;
                                let name = m.name.clone();
                                view! {
                                    <button type="button"
                                        class=move || if form.id.get() == Some(id) {
                                            "flex w-full items-center gap-2 rounded-md bg-accent/15 px-3 py-2 text-left text-sm font-medium text-fg"
                                        } else {
                                            "flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm text-muted hover:bg-raised hover:text-fg"
                                        }
                                        on:click=move |_| { error.set(None); saved.set(None); form.load(Some(&m)) }>
                                        <span class="truncate">{name}</span>
                                        <span class="ml-auto text-[10px] uppercase tracking-wide text-faint">{if shared { "shared" } else { "mine" }}</span>
                                    </button>
                                }
                            }).collect_view().into_any()
                        })}
                    </Transition>
                </nav>
                <Show when=move || mounted.get()>
                    <Editor form workflow agents may_share=Signal::derive(may_share) save=Callback::new(move |_| save()) remove=Callback::new(move |_| remove()) />
                </Show>
            </div>
        </Guarded>
    }
}

#[component]
fn Editor(
    form: Form,
    workflow: Resource<Result<crate::tickets::model::Workflow, AppError>>,
    agents: Resource<Result<Vec<crate::users::model::AgentName>, AppError>>,
    may_share: Signal<bool>,
    save: Callback<()>,
    remove: Callback<()>,
) -> impl IntoView {
    let settings = use_settings();
    let session = use_session();
    let statuses = Signal::derive(move || workflow.get().and_then(|r| r.ok()).map(|w| w.statuses).unwrap_or_default());
    let people = Signal::derive(move || agents.get().and_then(|r| r.ok()).unwrap_or_default());
    let problem = Memo::new(move |_| check_placeholders(&form.body.get()));
    let preview = Memo::new(move |_| {
        let status_key = form.status.get();
        let status = statuses.with(|s| s.iter().find(|x| x.key == status_key).map(|x| x.name.clone()));
        let priority = Priority::ALL.into_iter().find(|p| p.short() == form.priority.get()).unwrap_or_default();
        let values = PlaceholderValues {
            requester_name: "Riley Requester".into(),
            requester_email: "riley@example.com".into(),
            ticket_number: "TKT-42".into(),
            ticket_title: "Printer on floor 3 jams".into(),
            ticket_status: status.unwrap_or_else(|| "In Progress".into()),
            ticket_priority: priority.label().into(),
            agent_name: session.current().map(|u| u.display_name).unwrap_or_else(|| "Alex Agent".into()),
            org_name: settings.current().branding.org_name,
        };
        render(&form.body.get(), &values)
    });
    let locked = move || !form.editable.get();
    view! {
        <form class=format!("{CARD} space-y-5 p-5") data-testid="macro-form"
            on:submit=move |ev| { ev.prevent_default(); save.run(()); }>
            {move || locked().then(|| view! {
                <p class="rounded-md bg-raised px-3 py-2 text-sm text-muted">"A shared macro: only team leads and above change it. You can still apply it."</p>
            })}
            <div class="grid gap-4 sm:grid-cols-[1fr_auto]">
                <div>
                    <label class=LABEL for="macro_name">"Name"</label>
                    <input id="macro_name" class=INPUT maxlength="80" bind:value=form.name disabled=locked placeholder="e.g. Password reset done" />
                </div>
                <div class="flex items-end gap-4 pb-2 text-sm">
                    <label class="flex items-center gap-2">
                        <input type="checkbox" id="macro_internal" bind:checked=form.internal disabled=locked />"Internal note"
                    </label>
                    <label class="flex items-center gap-2" title=move || if may_share.get() { "Every agent can apply it" } else { "Sharing needs a team lead or above" }>
                        <input type="checkbox" id="macro_shared" bind:checked=form.shared disabled=move || locked() || !may_share.get() />"Shared"
                    </label>
                </div>
            </div>
            <div class="grid gap-4 lg:grid-cols-2">
                <div>
                    <label class=LABEL for="macro_body">{move || if form.internal.get() { "Note text" } else { "Reply text" }}</label>
                    <textarea id="macro_body" rows="9" class=INPUT bind:value=form.body disabled=locked
                        placeholder="Hi {{requester.first_name}}, …"></textarea>
                    {move || problem.get().map(|m| view! { <p class="mt-1 text-sm text-danger" data-testid="placeholder-error">{m}</p> })}
                    <div class="mt-2 flex flex-wrap gap-1" aria-label="Insert a placeholder">
                        {PLACEHOLDERS.iter().map(|(key, what)| {
                            let key = *key;
                            view! {
                                <button type="button" title=*what disabled=locked
                                    class="rounded border border-line px-1.5 py-0.5 font-mono text-[11px] text-muted hover:border-accent hover:text-fg"
                                    on:click=move |_| form.body.update(|b| b.push_str(&format!("{{{{{key}}}}}")))>
                                    {key}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                </div>
                <div>
                    <p class=LABEL>"Preview (sample ticket)"</p>
                    <div data-testid="macro-preview"
                        class=move || format!("min-h-[12rem] whitespace-pre-wrap rounded-md border px-3 py-2 text-sm text-fg {}",
                            if form.internal.get() { "border-warn/50 bg-warn/5" } else { "border-line bg-bg" })>
                        {move || preview.get()}
                    </div>
                </div>
            </div>
            <fieldset class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" disabled=locked>
                <legend class="mb-2 text-sm font-medium text-fg">"Also change, when applied"</legend>
                <div>
                    <label class=LABEL for="macro_status">"Status"</label>
                    <select id="macro_status" class=INPUT on:change=move |ev| form.status.set(event_target_value(&ev))>
                        <option value="" selected=move || form.status.get().is_empty()>"Leave as is"</option>
                        {move || statuses.get().into_iter().map(|s| {
                            let key = s.key.clone();
                            view! { <option value=s.key.clone() selected=move || form.status.get() == key>{s.name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label class=LABEL for="macro_priority">"Priority"</label>
                    <select id="macro_priority" class=INPUT on:change=move |ev| form.priority.set(event_target_value(&ev))>
                        <option value="" selected=move || form.priority.get().is_empty()>"Leave as is"</option>
                        {Priority::ALL.into_iter().map(|p| view! {
                            <option value=p.short() selected=move || form.priority.get() == p.short()>{p.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label class=LABEL for="macro_assignee">"Assignee"</label>
                    <select id="macro_assignee" class=INPUT on:change=move |ev| form.assignee.set(event_target_value(&ev))>
                        <option value="" selected=move || form.assignee.get().is_empty()>"Leave as is"</option>
                        <option value="me" selected=move || form.assignee.get() == "me">"Whoever applies it"</option>
                        <option value="unassigned" selected=move || form.assignee.get() == "unassigned">"Unassigned"</option>
                        {move || people.get().into_iter().map(|a| {
                            let id = a.id.0.to_string();
                            let id2 = id.clone();
                            view! { <option value=id selected=move || form.assignee.get() == id2>{a.display_name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label class=LABEL for="macro_tags">"Add tags"</label>
                    <input id="macro_tags" class=INPUT bind:value=form.tags placeholder="vpn, follow-up" />
                </div>
            </fieldset>
            <div class="flex gap-2">
                <button type="submit" class=BTN_PRIMARY data-testid="save-macro" disabled=move || locked() || problem.get().is_some()>
                    {move || if form.id.get().is_some() { "Save changes" } else { "Create macro" }}
                </button>
                {move || (form.id.get().is_some() && !locked()).then(|| view! {
                    <button type="button" class=BTN_DANGER on:click=move |_| remove.run(())>"Delete"</button>
                })}
            </div>
        </form>
    }
}
