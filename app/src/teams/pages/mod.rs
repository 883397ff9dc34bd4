//! Administration → Teams: create, rename, delete, manage members.
use crate::admin::AdminTabs;
use crate::auth::model::{Permission, UserId};
use crate::teams::api::{list_teams, CreateTeam, DeleteTeam, SetTeamMember};
use crate::teams::model::Team;
use crate::ui::*;
use crate::users::api::list_users;
use crate::users::model::UserQuery;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TeamsPage() -> impl IntoView {
    let create = ServerAction::<CreateTeam>::new();
    let delete = ServerAction::<DeleteTeam>::new();
    let member = ServerAction::<SetTeamMember>::new();
    let version = Memo::new(move |_| create.version().get() + delete.version().get() + member.version().get());
    let teams = Resource::new(move || version.get(), |_| list_teams());
    let staff = Resource::new(|| (), |_| list_users(UserQuery::default()));
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let error = Signal::derive(move || {
        error_of(create.value().get())
            .or_else(|| error_of(delete.value().get()))
            .or_else(|| error_of(member.value().get()))
    });
    Effect::new(move |_| {
        if create.value().get().is_some_and(|r| r.is_ok()) {
            name.set(String::new());
            description.set(String::new());
        }
    });
    view! {
        <Guarded permission=Permission::TeamsManage>
            <Title text="Teams" />
            <PageHeader title="Administration" description="Teams group agents for assignment and reporting." />
            <AdminTabs />
            <ErrorNotice error=error />
            <form class=format!("{CARD} mb-6 flex flex-wrap items-end gap-4 p-5") on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch(CreateTeam { name: name.get_untracked(), description: description.get_untracked() });
            }>
                <div class="min-w-48 flex-1"><label class=LABEL for="team_name">"Team name"</label><input id="team_name" class=INPUT bind:value=name /></div>
                <div class="min-w-64 flex-[2]"><label class=LABEL for="team_desc">"Description"</label><input id="team_desc" class=INPUT bind:value=description /></div>
                <button type="submit" class=BTN_PRIMARY disabled=move || create.pending().get()>"Create team"</button>
            </form>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let users = staff.await.map(|p| p.users).unwrap_or_default();
                    match teams.await {
                        Ok(list) if list.is_empty() => view! { <EmptyState title="No teams yet" body="Create a team above, then add its members." /> }.into_any(),
                        Ok(list) => view! {
                            <div class="grid gap-4 md:grid-cols-2">
                                {list.into_iter().map(|t| view! { <TeamCard team=t users=users.clone() delete member /> }).collect_view()}
                            </div>
                        }.into_any(),
                        Err(e) => view! { <p class="text-danger">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

#[component]
fn TeamCard(
    team: Team,
    users: Vec<crate::users::model::UserSummary>,
    delete: ServerAction<DeleteTeam>,
    member: ServerAction<SetTeamMember>,
) -> impl IntoView {
    let id = team.id;
    let candidates: Vec<_> =
        users.into_iter().filter(|u| u.active && !team.members.iter().any(|m| m.user_id == u.id)).collect();
    view! {
        <div class=format!("{CARD} p-5") data-team=team.name.clone()>
            <div class="mb-3 flex items-start justify-between gap-2">
                <div>
                    <h3 class="text-base font-semibold text-fg">{team.name.clone()}</h3>
                    <p class="text-sm text-muted">{if team.description.is_empty() { "No description".to_string() } else { team.description.clone() }}</p>
                </div>
                <button type="button" class=BTN_DANGER on:click=move |_| {
                    if confirm("Delete this team? Its members stay; only the team goes.") {
                        delete.dispatch(DeleteTeam { id });
                    }
                }>"Delete"</button>
            </div>
            <ul class="mb-3 divide-y divide-line">
                {team.members.iter().map(|m| {
                    let uid = m.user_id;
                    view! {
                        <li class="flex items-center justify-between py-2 text-sm">
                            <span><span class="text-fg">{m.display_name.clone()}</span>" "<span class="text-faint">{m.email.clone()}</span></span>
                            <button type="button" class=BTN_GHOST on:click=move |_| { member.dispatch(SetTeamMember { team: id, user_id: uid, member: false }); }>"Remove"</button>
                        </li>
                    }
                }).collect_view()}
                {team.members.is_empty().then(|| view! { <li class="py-2 text-sm text-faint">"No members yet"</li> })}
            </ul>
            <select class="w-full rounded-md border border-line bg-bg px-2 py-1.5 text-sm text-fg focus:outline-none focus:ring-2 focus:ring-accent" aria-label=format!("Add member to {}", team.name)
                on:change=move |ev| {
                    if let Ok(uuid) = event_target_value(&ev).parse::<uuid::Uuid>() {
                        member.dispatch(SetTeamMember { team: id, user_id: UserId(uuid), member: true });
                    }
                }>
                <option value="" selected=true>"Add a member…"</option>
                {candidates.into_iter().map(|u| view! { <option value=u.id.to_string()>{format!("{} ({})", u.display_name, u.email)}</option> }).collect_view()}
            </select>
        </div>
    }
}
