//! Administration → Users: search, create, edit role, deactivate, reset password.
use crate::admin::AdminTabs;
use crate::auth::model::{Permission, Role, UserId};
use crate::ui::*;
use crate::users::api::{list_users, CreateUser, InviteUser, ResetUserPassword, SetUserActive, UpdateUser};
use crate::users::model::{UserQuery, UserSummary};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn UsersPage() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let show_inactive = RwSignal::new(false);
    let create = ServerAction::<CreateUser>::new();
    let update = ServerAction::<UpdateUser>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let invite = ServerAction::<InviteUser>::new();
    let version = Memo::new(move |_| create.version().get() + update.version().get() + set_active.version().get());
    let users = Resource::new(
        move || (search.get(), show_inactive.get(), version.get()),
        |(search, include_inactive, _)| list_users(UserQuery { search, include_inactive, ..Default::default() }),
    );
    let error = Signal::derive(move || {
        error_of(update.value().get())
            .or_else(|| error_of(set_active.value().get()))
            .or_else(|| error_of(reset.value().get()))
    });
    let notice = Signal::derive(move || {
        reset
            .value()
            .get()
            .and_then(|r| r.ok())
            .map(|_| "Password reset; the user was signed out everywhere.".to_string())
    });
    view! {
        <Guarded permission=Permission::UsersManage>
            <Title text="Users" />
            <PageHeader title="Administration" description="Accounts, roles and access. Every change is audited." />
            <AdminTabs />
            <NewUserForm action=create />
            <ErrorNotice error=error />
            <SuccessNotice message=notice />
            <InviteLink path=Signal::derive(move || invite.value().get().and_then(|r| r.ok())) />
            <div class="mb-4 flex items-center gap-4">
                <input type="search" placeholder="Search name or email…" aria-label="Search users" class=format!("{INPUT} max-w-xs") bind:value=search />
                <label class="flex items-center gap-2 text-sm text-muted">
                    <input type="checkbox" class="h-4 w-4 rounded border-line accent-[var(--accent)]" bind:checked=show_inactive />
                    "Show deactivated"
                </label>
            </div>
            <div class=format!("{CARD} overflow-x-auto")>
                <table class="w-full" data-testid="users-table">
                    <thead class="border-b border-line bg-raised/50">
                        <tr><th class=TH>"User"</th><th class=TH>"Role"</th><th class=TH>"Teams"</th><th class=TH>"Status"</th><th class=TH><span class="sr-only">"Actions"</span></th></tr>
                    </thead>
                    <tbody class="divide-y divide-line">
                        <Transition fallback=|| view! { <tr><td colspan="5"><Loading /></td></tr> }>
                            {move || Suspend::new(async move {
                                match users.await {
                                    Ok(page) => page.users.into_iter().map(|u| view! { <UserRow user=u update set_active reset invite /> }).collect_view().into_any(),
                                    Err(e) => view! { <tr><td colspan="5" class="px-4 py-6 text-sm text-danger">{e.to_string()}</td></tr> }.into_any(),
                                }
                            })}
                        </Transition>
                    </tbody>
                </table>
            </div>
        </Guarded>
    }
}

#[component]
fn UserRow(
    user: UserSummary,
    update: ServerAction<UpdateUser>,
    set_active: ServerAction<SetUserActive>,
    reset: ServerAction<ResetUserPassword>,
    invite: ServerAction<InviteUser>,
) -> impl IntoView {
    let id: UserId = user.id;
    let (email, name) = (user.email.clone(), user.display_name.clone());
    let on_role = move |ev: leptos::ev::Event| {
        if let Some(role) = Role::parse(&event_target_value(&ev)) {
            update.dispatch(UpdateUser { id, email: email.clone(), display_name: name.clone(), role });
        }
    };
    let active = user.active;
    let new_pw = RwSignal::new(String::new());
    let resetting = RwSignal::new(false);
    view! {
        <tr class="hover:bg-raised/40">
            <td class=TD>
                <div class="whitespace-nowrap font-medium text-fg">{user.display_name.clone()}</div>
                <div class="text-xs text-muted">{user.email.clone()}</div>
            </td>
            <td class=TD>
                <select class="rounded-md border border-line bg-bg px-2 py-1 text-sm text-fg focus:outline-none focus:ring-2 focus:ring-accent" aria-label=format!("Role of {}", user.email) on:change=on_role>
                    {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str() selected=r == user.role>{r.label()}</option> }).collect_view()}
                </select>
            </td>
            <td class=format!("{TD} text-muted")>{if user.teams.is_empty() { "—".to_string() } else { user.teams.join(", ") }}</td>
            <td class=TD>{if active { view! { <Badge text="Active" tone=Tone::Good /> } } else { view! { <Badge text="Deactivated" tone=Tone::Bad /> } }}</td>
            <td class=format!("{TD} text-right whitespace-nowrap")>
                {move || if resetting.get() {
                    view! {
                        <form class="inline-flex items-center gap-2" on:submit=move |ev| { ev.prevent_default(); reset.dispatch(ResetUserPassword { id, password: new_pw.get_untracked() }); resetting.set(false); }>
                            <input type="password" placeholder="New password" aria-label="New password" autocomplete="new-password" class="w-40 rounded-md border border-line bg-bg px-2 py-1 text-sm" bind:value=new_pw />
                            <button type="submit" class=BTN_GHOST>"Set"</button>
                        </form>
                    }.into_any()
                } else {
                    view! { <button type="button" class=BTN_GHOST on:click=move |_| resetting.set(true)>"Reset password"</button> }.into_any()
                }}
                {active.then(|| view! {
                    <button type="button" class=BTN_GHOST on:click=move |_| { invite.dispatch(InviteUser { id }); }>"Invite link"</button>
                })}
                <button type="button" class=BTN_GHOST on:click=move |_| {
                    if active && !confirm("Deactivate this account? The user is signed out everywhere at once.") {
                        return;
                    }
                    set_active.dispatch(SetUserActive { id, active: !active });
                }>
                    {if active { "Deactivate" } else { "Reactivate" }}
                </button>
            </td>
        </tr>
    }
}

#[component]
fn NewUserForm(action: ServerAction<CreateUser>) -> impl IntoView {
    let open = RwSignal::new(false);
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Requester);
    let password = RwSignal::new(String::new());
    let error = Signal::derive(move || error_of(action.value().get()));
    let created = Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(|r| r.ok())
            .filter(|c| c.invite_path.is_none())
            .map(|c| format!("Created {} — share the initial password with them securely.", c.user.email))
    });
    let invite_path = Signal::derive(move || action.value().get().and_then(|r| r.ok()).and_then(|c| c.invite_path));
    Effect::new(move |_| {
        if action.value().get().is_some_and(|r| r.is_ok()) {
            open.set(false);
            email.set(String::new());
            name.set(String::new());
            password.set(String::new());
        }
    });
    view! {
        <SuccessNotice message=created />
        <InviteLink path=invite_path />
        <div class="mb-6">
            {move || if open.get() {
                view! {
                    <div class=format!("{CARD} p-5")>
                        <h2 class="mb-4 text-base font-semibold">"New user"</h2>
                        <ErrorNotice error=error />
                        <form class="grid grid-cols-2 gap-4" on:submit=move |ev| {
                            ev.prevent_default();
                            action.dispatch(CreateUser { email: email.get_untracked(), display_name: name.get_untracked(), role: role.get_untracked(), password: password.get_untracked() });
                        }>
                            <div><label class=LABEL for="nu_name">"Name"</label><input id="nu_name" class=INPUT bind:value=name /></div>
                            <div><label class=LABEL for="nu_email">"Email"</label><input id="nu_email" type="email" class=INPUT bind:value=email /></div>
                            <div>
                                <label class=LABEL for="nu_role">"Role"</label>
                                <select id="nu_role" class=INPUT on:change=move |ev| { if let Some(r) = Role::parse(&event_target_value(&ev)) { role.set(r) } }>
                                    {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str() selected=move || role.get() == r>{r.label()}</option> }).collect_view()}
                                </select>
                            </div>
                            <div>
                                <label class=LABEL for="nu_pw">"Initial password"</label>
                                <input id="nu_pw" type="password" autocomplete="new-password" placeholder="Leave empty to create an invitation link" class=INPUT bind:value=password />
                            </div>
                            <div class="col-span-2 flex gap-2">
                                <button type="submit" class=BTN_PRIMARY disabled=move || action.pending().get()>"Create user"</button>
                                <button type="button" class=BTN_SECONDARY on:click=move |_| open.set(false)>"Cancel"</button>
                            </div>
                        </form>
                    </div>
                }.into_any()
            } else {
                view! { <button type="button" class=BTN_PRIMARY on:click=move |_| open.set(true)>"New user"</button> }.into_any()
            }}
        </div>
    }
}

/// Shows a one-time invitation link to hand to the new user.
#[component]
fn InviteLink(#[prop(into)] path: Signal<Option<String>>) -> impl IntoView {
    move || {
        path.get().map(|p| {
            #[cfg(feature = "hydrate")]
            let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
            #[cfg(not(feature = "hydrate"))]
            let origin = String::new();
            let url = format!("{origin}{p}");
            view! {
                <div role="status" class="mb-4 rounded-md border border-accent/40 bg-accent/10 px-4 py-3 text-sm" data-testid="invite-link">
                    <p class="mb-2 text-fg">"Send this one-time link to the user; it lets them choose their password and expires in 7 days."</p>
                    <input readonly class=format!("{INPUT} font-mono text-xs") value=url aria-label="Invitation link" />
                </div>
            }
        })
    }
}
