//! `/admin/mail`: the relay settings with a test message, and the outbox.
use super::api::{get_mail_settings, list_outbox, retry_mail, save_mail_settings, send_test_mail};
use super::model::{
    MailSecurity, MailSettings, MailSettingsInput, OutboundMail, OutboundStatus, OutboxCursor, PasswordChange,
};
use crate::admin::AdminTabs;
use crate::auth::model::Permission;
use crate::error::AppError;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MailPage() -> impl IntoView {
    // Bumped after a test message, so the outbox shows it.
    let outbox_version = RwSignal::new(0u32);
    view! {
        <Guarded permission=Permission::SettingsManage>
            <Title text="Email" />
            <PageHeader title="Administration" description="Changes apply at once, for everyone, and are recorded in the audit log." />
            <AdminTabs />
            <RelaySection on_sent=Callback::new(move |_| outbox_version.update(|v| *v += 1)) />
            <Outbox version=outbox_version />
        </Guarded>
    }
}

/// The usual port of each kind of connection.
fn default_port(s: MailSecurity) -> &'static str {
    match s {
        MailSecurity::None => "25",
        MailSecurity::Starttls => "587",
        MailSecurity::Tls => "465",
    }
}

#[component]
fn RelaySection(on_sent: Callback<()>) -> impl IntoView {
    let enabled = RwSignal::new(true);
    let host = RwSignal::new(String::new());
    let port = RwSignal::new("587".to_string());
    let security = RwSignal::new(MailSecurity::Starttls);
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let has_password = RwSignal::new(false);
    let clear_password = RwSignal::new(false);
    let from_address = RwSignal::new(String::new());
    let from_name = RwSignal::new(String::new());
    let configured = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let show = move |s: MailSettings| {
        configured.set(s.configured);
        if s.configured {
            enabled.set(s.enabled);
            host.set(s.host);
            port.set(s.port.to_string());
            security.set(s.security);
            username.set(s.username);
            from_address.set(s.from_address);
            from_name.set(s.from_name);
        }
        has_password.set(s.has_password);
        password.set(String::new());
        clear_password.set(false);
    };
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            match get_mail_settings().await {
                Ok(s) => show(s),
                Err(e) => error.set(Some(e)),
            }
        })
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        notice.set(None);
        let Ok(p) = port.get_untracked().trim().parse::<i64>() else {
            error.set(Some(AppError::field("port", "The port is a number from 1 to 65535.")));
            return;
        };
        let typed = password.get_untracked();
        let input = MailSettingsInput {
            enabled: enabled.get_untracked(),
            host: host.get_untracked(),
            port: p,
            security: security.get_untracked(),
            username: username.get_untracked(),
            password: if !typed.is_empty() {
                PasswordChange::Set(typed)
            } else if clear_password.get_untracked() {
                PasswordChange::Clear
            } else {
                PasswordChange::Keep
            },
            from_address: from_address.get_untracked(),
            from_name: from_name.get_untracked(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match save_mail_settings(input).await {
                Ok(s) => {
                    let on = s.enabled;
                    show(s);
                    notice.set(Some(if on {
                        "Saved. Alerts are now mailed as well as shown in Helios.".into()
                    } else {
                        "Saved. Outgoing mail is switched off.".into()
                    }));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let test = move |_| {
        error.set(None);
        notice.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            match send_test_mail().await {
                Ok(m) => notice.set(Some(format!("A test message went to {}.", m.recipient))),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
            on_sent.run(());
        });
    };
    let text = move |label: &'static str, sig: RwSignal<String>, id: &'static str, kind: &'static str| {
        view! { <Field label=label value=sig set=Callback::new(move |v| sig.set(v)) kind=kind testid=format!("mail-{id}") error=field_error(error, id) /> }
    };
    view! {
        <Section title="Outgoing mail" description="Expiry alerts and DNS and certificate changes are mailed through this SMTP relay as well as shown in Helios. Until a relay is saved and switched on, they appear in Helios only.">
            <form class="grid max-w-3xl gap-4 sm:grid-cols-2" on:submit=save data-testid="mail-settings">
                <div class="sm:col-span-2">
                    <ErrorNotice error=Signal::derive(move || error.get()) />
                    <SuccessNotice message=Signal::derive(move || notice.get()) />
                </div>
                {text("Relay host", host, "host", "text")}
                <div class="grid grid-cols-[1fr_7rem] gap-4">
                    <label class="block"><span class=LABEL>"Security"</span>
                        <select class=INPUT data-testid="mail-security" on:change=move |ev| {
                            let new = MailSecurity::parse(&event_target_value(&ev)).unwrap_or_default();
                            // Follow the usual port unless one was typed on purpose.
                            if MailSecurity::ALL.iter().any(|s| default_port(*s) == port.get_untracked().trim()) {
                                port.set(default_port(new).into());
                            }
                            security.set(new);
                        }>
                            {MailSecurity::ALL.into_iter().map(|s| view! { <option value=s.key() selected=move || security.get() == s>{s.label()}</option> }).collect_view()}
                        </select>
                    </label>
                    {text("Port", port, "port", "number")}
                </div>
                {text("User name", username, "username", "text")}
                <div>
                    {text("Password", password, "password", "password")}
                    <Show when=move || has_password.get() && password.with(String::is_empty)>
                        <p class="mt-1 flex items-center gap-2 text-xs text-muted">
                            {move || if clear_password.get() { "The saved password will be removed." } else { "A password is saved; type a new one to replace it." }}
                            <button type="button" class="text-accent hover:underline" data-testid="mail-clear-password"
                                on:click=move |_| clear_password.update(|c| *c = !*c)>
                                {move || if clear_password.get() { "Keep it" } else { "Remove it" }}
                            </button>
                        </p>
                    </Show>
                </div>
                {text("Sender address", from_address, "from_address", "text")}
                {text("Sender name", from_name, "from_name", "text")}
                <label class="flex items-center gap-2 text-sm text-fg sm:col-span-2">
                    <input type="checkbox" data-testid="mail-enabled" prop:checked=move || enabled.get() on:change=move |ev| enabled.set(event_target_checked(&ev)) />
                    "Send mail through this relay"
                </label>
                <div class="flex gap-3 sm:col-span-2">
                    <button type="submit" class=BTN_PRIMARY disabled=move || busy.get() data-testid="mail-save">"Save"</button>
                    <button type="button" class=BTN_SECONDARY disabled=move || busy.get() || !configured.get() data-testid="mail-test"
                        title="Sends a message to your own address through the saved settings" on:click=test>"Send a test to me"</button>
                </div>
            </form>
        </Section>
    }
}

#[component]
fn Outbox(version: RwSignal<u32>) -> impl IntoView {
    let status = RwSignal::new(None::<OutboundStatus>);
    let list = KeysetList::<OutboundMail, OutboxCursor>::new();
    let (rows, next, error) = (list.rows, list.next, list.error);
    let load = move |more: bool| {
        let s = status.get_untracked();
        list.load(more, move |after| async move { list_outbox(s, after).await.map(|p| (p.items, p.next)) });
    };
    Effect::new(move |_| {
        status.track();
        version.track();
        load(false);
    });
    let retry = move |id: uuid::Uuid| {
        leptos::task::spawn_local(async move {
            match retry_mail(id).await {
                Ok(m) => rows.update(|r| {
                    if let Some(row) = r.iter_mut().flatten().find(|x| x.id == m.id) {
                        *row = m;
                    }
                }),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let filters = [
        (None, "All"),
        (Some(OutboundStatus::Queued), "Queued"),
        (Some(OutboundStatus::Sent), "Sent"),
        (Some(OutboundStatus::Failed), "Failed"),
    ];
    view! {
        <Section title="Outbox" description="Every message Helios has mailed or is about to. A message that cannot be delivered is tried again for about ten minutes, then marked failed.">
            <div class="mb-4 flex rounded-md border border-line w-fit" role="group" aria-label="Status">
                {filters.into_iter().map(|(s, label)| view! {
                    <button type="button" data-testid=format!("outbox-{}", s.map(|s| s.key()).unwrap_or("all"))
                        class=move || if status.get() == s { "bg-accent/15 px-3 py-1.5 text-sm font-medium text-fg" } else { "px-3 py-1.5 text-sm text-muted hover:text-fg" }
                        on:click=move |_| status.set(s)>{label}</button>
                }).collect_view()}
            </div>
            <ErrorNotice error=Signal::derive(move || error.get()) />
            <div class="overflow-x-auto">
                <table class="min-w-full divide-y divide-line" data-testid="outbox">
                    <thead><tr><th class=TH>"Written"</th><th class=TH>"To"</th><th class=TH>"Subject"</th><th class=TH>"Why"</th><th class=TH>"Status"</th><th class=TH></th></tr></thead>
                    <tbody class="divide-y divide-line">
                        {move || {
                            let Some(items) = rows.get() else {
                                return view! { <tr><td colspan="6"><Loading /></td></tr> }.into_any();
                            };
                            if items.is_empty() {
                                return view! { <tr><td colspan="6" class="px-4 py-8 text-center text-sm text-muted">"No messages yet."</td></tr> }.into_any();
                            }
                            items.into_iter().map(|m| {
                                let tone = match m.status { OutboundStatus::Sent => Tone::Good, OutboundStatus::Queued => Tone::Warn, OutboundStatus::Failed => Tone::Bad };
                                let failed = m.status == OutboundStatus::Failed;
                                let id = m.id;
                                let tries = match m.attempts { 0 => String::new(), 1 => "1 attempt".into(), n => format!("{n} attempts") };
                                view! {
                                    <tr data-testid="outbox-row">
                                        <td class=format!("{TD} whitespace-nowrap text-muted") title=fmt_time(m.created_at)>{fmt_short(m.created_at)}</td>
                                        <td class=TD>{m.recipient.clone()}</td>
                                        <td class=TD>{m.subject.clone()}</td>
                                        <td class=format!("{TD} text-muted")>{m.kind.label()}</td>
                                        <td class=TD>
                                            <div class="flex items-center gap-2"><Badge text=m.status.label() tone /><span class="text-xs text-faint">{tries}</span></div>
                                            {m.last_error.clone().map(|e| view! { <p class="mt-1 max-w-md break-words text-xs text-danger" data-testid="outbox-error">{e}</p> })}
                                        </td>
                                        <td class=format!("{TD} text-right")>
                                            <Show when=move || failed>
                                                <button type="button" class=BTN_GHOST data-testid="outbox-retry" on:click=move |_| retry(id)>"Send again"</button>
                                            </Show>
                                        </td>
                                    </tr>
                                }
                            }).collect_view().into_any()
                        }}
                    </tbody>
                </table>
            </div>
            <Show when=move || next.get().is_some()>
                <div class="mt-4 text-center">
                    <button type="button" class=BTN_SECONDARY data-testid="outbox-more" on:click=move |_| load(true)>"Load more"</button>
                </div>
            </Show>
        </Section>
    }
}
